"""check-traffic: a HAR 1.2 file with clean and drifted exchanges gives the same findings as the same
requests sent live through the proxy to the drifted upstream; bad files get a clear message."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from mock_server.proxy.config import ProxySettings
from mock_server.proxy.har import HarError, check_har, read_har
from mock_server.proxy.report import Report
from mock_server.proxy.serve import serving
from mock_server.proxy.validate import Checker
from mock_server.spec.compiled import load_spec
from mock_server.spec.document import DEFAULT_SPEC
from test_support.processes import ROOT
from tests.proxy.conftest import AUTH
from tests.proxy.drift import drifted_upstream

HAR = Path(__file__).parent / "fixtures" / "drift.har"
TOKEN = AUTH["Authorization"].split()[1]


def checked(path: Path) -> Report:
    return check_har(path, Checker(load_spec(DEFAULT_SPEC)), Report(str(path)))


def test_the_har_gives_the_findings_of_the_live_run() -> None:
    recorded = checked(HAR)
    exchanges = list(read_har(HAR))
    answered = [exchange for exchange in exchanges if exchange.status]
    with drifted_upstream() as upstream:
        settings = ProxySettings(upstream=upstream.url, allow_real_calls=True)
        with serving(settings) as proxy, httpx.Client(timeout=5) as client:
            for exchange in answered:
                url = (
                    proxy.url + exchange.path + ("?" + exchange.query_string if exchange.query_string else "")
                )
                client.request(exchange.method, url, content=exchange.body, headers=exchange.headers)
            live = proxy.report
    assert recorded.findings() == live.findings()
    assert recorded.violations_by_kind() == live.violations_by_kind()
    assert {(f.kind, f.pointer) for f in recorded.findings()} == {
        ("body", "/response/body/data/status"),
        ("header", "/response/header/X-RateLimit-Remaining"),
        ("status", "/response/status"),
        ("body", "/response/body/success"),
        ("body", "/response/body/error"),
        ("content-type", "/response/header/content-type"),
        ("request-body", "/request/body/to"),
    }
    assert recorded.upstream_failures() == {"no answer": 1}  # the entry recorded with status 0
    assert recorded.exchanges == len(exchanges)


def test_check_traffic_command_writes_the_reports_and_fails_on_violations(tmp_path: Path) -> None:
    report = tmp_path / "traffic.json"
    done = subprocess.run(
        [sys.executable, "-m", "mock_server", "check-traffic", str(HAR), "--report", str(report)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout.strip() == (
        "talq check-traffic: 8 exchanges, 8 violations (body: 3, content-type: 1, header: 1, "
        "request-body: 1, status: 2); 1 upstream failure (no answer: 1)"
    )
    data = json.loads(report.read_text())
    assert data["exchanges"] == 8
    assert data["violations_by_kind"] == {
        "body": 3,
        "content-type": 1,
        "header": 1,
        "request-body": 1,
        "status": 2,
    }
    cases = {(case["operation"], case["status"]): case for case in data["cases"]}
    assert set(cases) == {
        ("makeCall", "200"),
        ("makeCall", "404"),
        ("makeCall", "418"),
        ("makeCall", "500"),
        ("makeCall", "no answer"),
    }
    assert cases["makeCall", "418"]["violations"][0]["pointer"] == "/response/status"
    junit = report.with_suffix(".xml").read_text()
    assert '<testcase classname="makeCall" name="makeCall 418">' in junit
    assert junit.count("<failure ") == 8
    assert TOKEN not in report.read_text() + junit


def test_a_clean_har_passes(tmp_path: Path) -> None:
    data = json.loads(HAR.read_text())
    data["log"]["entries"] = [
        entry
        for entry in data["log"]["entries"]
        if urlsplit(entry["request"]["url"]).path.endswith("/clean/call")
        and entry["response"]["status"] == 200
        and "555" not in entry["request"]["postData"]["text"]
    ]
    clean = tmp_path / "clean.har"
    clean.write_text(json.dumps(data))
    done = subprocess.run(
        [sys.executable, "-m", "mock_server", "check-traffic", str(clean)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "talq check-traffic: 1 exchange, 0 violations"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "is not JSON"),
        ('{"log": {}}', "has no log.entries list"),
        ('{"log": {"entries": [{"request": {}}]}}', "log.entries[0]: needs request.method"),
        (
            '{"log": {"entries": [{"request": {"method": "GET", "url": "http://x/calls"}, '
            '"response": {"status": "200"}}]}}',
            "log.entries[0].response.status is not an integer",
        ),
    ],
)
def test_a_file_that_is_not_a_har_is_named_clearly(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.har"
    path.write_text(content)
    with pytest.raises(HarError, match=re.escape(message)):
        checked(path)


def test_check_traffic_exits_2_on_a_missing_file(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mock_server", "check-traffic", str(tmp_path / "none.har")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "cannot read" in done.stderr
