"""tools/generate_client.py: the drift check catches every kind of difference, and names the fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tools.generate_client import OUTPUT, SPEC, check

pytestmark = pytest.mark.slow  # runs openapi-python-client several times (~10 s)


@pytest.fixture
def committed_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "generated"
    shutil.copytree(OUTPUT, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_the_committed_client_is_fresh(committed_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(SPEC, committed_copy) == 0
    assert "matches a fresh generation" in capsys.readouterr().out


@pytest.mark.parametrize("change", ["edit", "add", "remove"])
def test_a_hand_change_under_generated_fails(
    committed_copy: Path, change: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = committed_copy / "talq_client" / "models" / "call.py"
    if change == "edit":
        target.write_text(target.read_text(encoding="utf-8") + "# edited by hand\n", encoding="utf-8")
        expected = "changed: talq_client/models/call.py"
    elif change == "add":
        (committed_copy / "talq_client" / "extra.py").write_text("X = 1\n", encoding="utf-8")
        expected = "extra:   talq_client/extra.py"
    else:
        target.unlink()
        expected = "missing: talq_client/models/call.py"
    assert check(SPEC, committed_copy) == 1
    out = capsys.readouterr().out
    assert expected in out
    assert "make generate" in out


def test_a_spec_change_without_regenerating_fails(
    committed_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "talq.yaml"
    text = SPEC.read_text(encoding="utf-8")
    spec.write_text(
        text.replace("- RATE_LIMIT_EXCEEDED", "- RATE_LIMIT_EXCEEDED\n        - CALL_GONE"), encoding="utf-8"
    )
    assert check(spec, committed_copy) == 1
    assert "changed: talq_client/models/error_code.py" in capsys.readouterr().out
