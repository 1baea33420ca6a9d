"""python -m mock_server proxy: a real process in front of a live mock; on SIGTERM it prints the
summary and writes the JSON report and the JUnit XML."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest

from mock_server.proxy.cli import main
from mock_server.settings import Settings
from mock_server.testing import free_port, serve
from test_support.processes import ROOT, running
from tests.proxy.conftest import AUTH, MAKE_CALL


def test_the_proxy_command_forwards_and_reports_on_exit(tmp_path: Path) -> None:
    report = tmp_path / "reports" / "proxy.json"
    log = tmp_path / "proxy.log"
    port = free_port()
    with serve(Settings(seed=3)) as mock, log.open("wb") as stderr:
        command = [
            sys.executable,
            "-m",
            "mock_server",
            "proxy",
            "--upstream",
            mock.api_url,
            "--port",
            str(port),
            "--report",
            str(report),
        ]
        with running(command, f"http://127.0.0.1:{port}/api/v1/calls", stderr=stderr.fileno()):
            with httpx.Client(timeout=5) as client:
                made = client.post(
                    f"http://127.0.0.1:{port}/api/v1/agents/agent_1/call", json=MAKE_CALL, headers=AUTH
                )
                listed = client.get(f"http://127.0.0.1:{port}/calls?per_page=0", headers=AUTH)
            assert made.status_code == 200
            assert made.json()["data"]["agent_id"] == "agent_1"
            assert listed.status_code == 422
            assert json.loads(listed.headers["sl-violations"])[0]["location"] == [
                "request",
                "query",
                "per_page",
            ]
    output = log.read_text()
    # the start-up probes (GET /api/v1/calls without a token; one or more) are exchanges too: each lacks
    # the token
    summary = re.search(
        r"talq proxy: (\d+) exchanges, (\d+) violations \(parameter: 1, security: (\d+)\)", output
    )
    assert summary is not None, output
    exchanges, violations, probes = (int(group) for group in summary.groups())
    assert probes >= 1
    assert (exchanges, violations) == (2 + probes, 1 + probes)
    assert "violation listCalls /request/query/per_page [minimum]" in output
    assert "talq_secret_token_123" not in output
    data = json.loads(report.read_text())
    assert {(case["operation"], case["status"]) for case in data["cases"]} == {
        ("makeCall", "200"),
        ("listCalls", "422"),
        ("listCalls", "401"),
    }
    suite = ET.parse(report.with_suffix(".xml")).getroot()[0]  # noqa: S314 - the file this test made
    assert suite.get("tests") == "3"
    assert suite.get("failures") == "2"


def test_a_bad_upstream_is_refused_at_start(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["proxy", "--upstream", "app.talkover.ai"]) == 2
    assert "e.g. --upstream https://app.talkover.ai/api/v1" in capsys.readouterr().err


def test_python_m_mock_server_proxy_help_names_every_flag() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mock_server", "proxy", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    for flag in (
        "--upstream",
        "--host",
        "--port",
        "--errors",
        "--upstream-timeout",
        "--allow-real-calls",
        "--report",
    ):
        assert flag in done.stdout
