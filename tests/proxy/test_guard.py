"""The safety guard: a Make a Call that would place a real call never reaches the upstream; tokens are
forwarded but never logged or reported unmasked."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mock_server.proxy.config import ProxySettings
from mock_server.proxy.forward import GUARDED_OPERATION, TEST_FLAG
from mock_server.proxy.serve import serving
from mock_server.spec.compiled import load_spec
from mock_server.spec.document import DEFAULT_SPEC
from tests.proxy.conftest import AUTH
from tests.proxy.drift import LiveUpstream, drifted_upstream

TOKEN = AUTH["Authorization"].split()[1]


@pytest.fixture(scope="module")
def upstream() -> Iterator[LiveUpstream]:
    with drifted_upstream() as live:
        yield live


def test_the_guard_names_an_operation_and_a_field_of_the_spec() -> None:
    operation = load_spec(DEFAULT_SPEC).operations[GUARDED_OPERATION]
    assert operation.body_validator is not None
    assert operation.body_validator.is_valid({"to": "+1234567890", TEST_FLAG: True})
    assert not operation.body_validator.is_valid({"to": "+1234567890", TEST_FLAG: "yes"})  # a boolean


@pytest.mark.parametrize(
    "body",
    [
        {"to": "+1234567890"},
        {"to": "+1234567890", "is_testing": False},
        {"to": "+1234567890", "is_testing": "true"},
        ["not", "an", "object"],
    ],
)
def test_a_real_call_is_stopped_before_the_upstream(upstream: LiveUpstream, body: object) -> None:
    before = len(upstream.app.seen)
    with serving(ProxySettings(upstream=upstream.url)) as proxy, httpx.Client(timeout=5) as client:
        response = client.post(proxy.url + "/api/v1/agents/clean/call", json=body, headers=AUTH)
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["code"] == "PROXY_REAL_CALL_BLOCKED"
        assert "--allow-real-calls" in error["message"]
        assert response.headers["x-talq-proxy"] == "PROXY_REAL_CALL_BLOCKED"
        assert upstream.app.seen[before:] == []
        assert proxy.report.as_data()["cases"][0]["status"] == "proxy 400"


def test_malformed_json_is_stopped_too(upstream: LiveUpstream) -> None:
    before = len(upstream.app.seen)
    with serving(ProxySettings(upstream=upstream.url)) as proxy, httpx.Client(timeout=5) as client:
        response = client.post(
            proxy.url + "/agents/clean/call",
            content=b'{"to": "+1234567890", "is_testing": tru',
            headers={**AUTH, "Content-Type": "application/json"},
        )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "PROXY_REAL_CALL_BLOCKED"
    assert upstream.app.seen[before:] == []


def test_allow_real_calls_lifts_the_guard(upstream: LiveUpstream) -> None:
    before = len(upstream.app.seen)
    settings = ProxySettings(upstream=upstream.url, allow_real_calls=True)
    with serving(settings) as proxy, httpx.Client(timeout=5) as client:
        response = client.post(
            proxy.url + "/api/v1/agents/clean/call", json={"to": "+1234567890"}, headers=AUTH
        )
    assert response.status_code == 200
    assert upstream.app.seen[before:] == [("POST", "/api/v1/agents/clean/call")]


def test_tokens_are_forwarded_but_never_logged_or_reported(
    upstream: LiveUpstream, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="mock_server.proxy")
    report = tmp_path / "proxy.json"
    with serving(ProxySettings(upstream=upstream.url)) as proxy, httpx.Client(timeout=5) as client:
        client.post(proxy.url + "/api/v1/agents/bad_status/call", json={"is_testing": True}, headers=AUTH)
        client.get(proxy.url + f"/api/v1/calls?search={TOKEN}", headers={"Authorization": "Basic " + TOKEN})
        json_path, xml_path = proxy.report.write(report)
    assert TOKEN not in caplog.text
    assert "token=talq_se…" in caplog.text
    assert TOKEN not in json_path.read_text() + xml_path.read_text()
