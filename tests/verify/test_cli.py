"""The command line: talq-mock verify's plan, --dry-run, the exit statuses, the reports, and the token
never printed, logged or written."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from mock_server.__main__ import main as talq_mock
from mock_server.testing import free_port
from test_support.fake_vendors import drifted, recording_vendor
from tests.verify.conftest import TOKEN, Run


def test_dry_run_lists_every_request_and_sends_none(capsys: pytest.CaptureFixture[str]) -> None:
    with recording_vendor() as vendor:
        status = talq_mock(["verify", "--upstream", vendor.url, "--agent-id", "agent_9", "--dry-run"])
        assert vendor.requests == []
    out = capsys.readouterr().out
    planned = int(out.split(": ", 1)[1].split(" ", 1)[0])
    listed = [line for line in out.splitlines()[1:] if line.strip()]
    assert status == 0
    assert planned == len(listed) >= 15
    assert "make-call: POST /agents/agent_9/call" in out
    assert "'is_testing': True" in out
    assert "(no token)" in out


def test_without_an_agent_it_cannot_run(capsys: pytest.CaptureFixture[str]) -> None:
    with recording_vendor() as vendor:
        from mock_server.verify.cli import main  # noqa: PLC0415 - the subcommand itself, with an environment

        assert main(["--upstream", vendor.url], {"TALQ_TOKEN": TOKEN}) == 2
        assert vendor.requests == []
    assert "--agent-id" in capsys.readouterr().err


def test_an_upstream_that_does_not_answer_is_exit_2(
    run_verify: Run, capsys: pytest.CaptureFixture[str]
) -> None:
    status, report = run_verify(f"http://127.0.0.1:{free_port()}/api/v1", "--pace", "0")
    assert status == 2
    assert "did not answer" in capsys.readouterr().err
    assert report["counts"]["contradicted"] == 0


def test_the_token_is_never_printed_logged_or_written(
    run_verify: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with drifted("other-envelope") as vendor:
        status, report = run_verify(vendor.api_url)
    assert status == 1  # a contradiction, with its evidence (the requests, headers included)
    out, err = capsys.readouterr()
    written = [path.read_text(encoding="utf-8") for path in tmp_path.glob("verify.*")]
    assert len(written) == 3
    for text in (out, err, caplog.text, *written):
        assert TOKEN not in text
        assert TOKEN[5:] not in text
    assert "Bearer [TALQ_TOKEN]" in json.dumps(report)


def test_reports_json_markdown_and_junit_agree(run_verify: Run, tmp_path: Path) -> None:
    with drifted("reset-in-ms") as vendor:
        status, report = run_verify(vendor.api_url)
    assert status == 1
    suite = ET.parse(tmp_path / "verify.xml").getroot()  # noqa: S314 - the file this test made
    assert int(suite.get("tests", "0")) == len(report["items"])
    failures = suite.findall("testcase/failure")
    assert [case.get("name") for case in suite.findall("testcase") if case.find("failure") is not None] == [
        "#/components/headers/X-RateLimit-Reset"
    ]
    assert failures[0].get("type") == "contradicted"
    assert int(suite.get("skipped", "0")) == report["counts"]["not probeable"] + report["counts"]["unprobed"]
    markdown = (tmp_path / "verify.md").read_text(encoding="utf-8")
    assert "## ✗ `#/components/headers/X-RateLimit-Reset`" in markdown
    assert markdown.count("| contradicted |") == 1
