"""contract_tests/run_contract.py (`make contract`): the localhost guard, and a real run against the mock."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from contract_tests import run_contract
from contract_tests.run_contract import ALLOW_REMOTE_ENV, RefusedTarget, check_target, main

pytestmark = pytest.mark.slow  # a whole schemathesis CLI run against a started mock

REPORT = run_contract.ROOT / "reports" / "contract-junit.xml"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:4010/api/v1",
        "http://localhost:4010/api/v1",
        "https://LOCALHOST/api/v1",
        "http://[::1]:4010/api/v1",
    ],
)
def test_localhost_is_allowed(url: str) -> None:
    check_target(url, {})


@pytest.mark.parametrize(
    "url",
    [
        "https://app.talkover.ai/api/v1",
        "http://10.0.0.5:4010/api/v1",
        "http://127.0.0.1.example.com/api/v1",
        "http://localhost.evil.test/api/v1",
    ],
)
def test_a_remote_target_is_refused_without_opt_in(url: str) -> None:
    with pytest.raises(RefusedTarget, match="real phone call"):
        check_target(url, {})
    with pytest.raises(RefusedTarget):
        check_target(url, {ALLOW_REMOTE_ENV: "yes"})  # only exactly 1 opts in
    check_target(url, {ALLOW_REMOTE_ENV: "1"})


@pytest.mark.parametrize("url", ["app.talkover.ai/api/v1", "ftp://127.0.0.1/api/v1", ""])
def test_a_malformed_url_is_refused(url: str) -> None:
    with pytest.raises(RefusedTarget):
        check_target(url, {ALLOW_REMOTE_ENV: "1"})


def _no_run(url: str, token: str, extra: Sequence[str]) -> int:
    raise AssertionError(f"schemathesis must not run against {url}")


def test_main_refuses_the_real_api_before_sending_anything(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(run_contract, "run", _no_run)
    code = main(["--url", "https://app.talkover.ai/api/v1", "--token", "talq_x"], environ={})
    assert code == 2
    assert ALLOW_REMOTE_ENV in capsys.readouterr().err


def test_main_needs_a_token_with_a_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run_contract, "run", _no_run)
    assert main([], environ={"URL": "http://127.0.0.1:4010/api/v1"}) == 2


def test_the_command_uses_the_committed_config_and_the_token() -> None:
    command = run_contract.schemathesis_command("http://127.0.0.1:1/api/v1", "talq_t", [])
    assert command[1:3] == ["--config-file", str(run_contract.ROOT / "schemathesis.toml")]
    assert "Authorization: Bearer talq_t" in command
    assert command[command.index("--url") + 1] == "http://127.0.0.1:1/api/v1"


def test_make_contract_without_url_starts_the_mock_checks_it_and_writes_junit(
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = REPORT.stat().st_mtime if REPORT.exists() else 0.0
    assert main([], environ={}) == 0
    out = capsys.readouterr().out
    assert "mock started on http://127.0.0.1:" in out
    assert "Bearer ***" in out  # the token is not echoed
    assert REPORT.exists()
    assert REPORT.stat().st_mtime >= before
    assert 'failures="0"' in Path(REPORT).read_text(encoding="utf-8")
