"""Bad input to the proxy itself gets the mock's hardening (same limits, same answers): an oversized
body 413, a slow body 408, silent or slow headers closed, non-HTTP bytes 400; the proxy never hangs,
never answers 500, and keeps serving."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from mock_server.proxy.config import ProxySettings
from mock_server.proxy.serve import LiveProxy, serving
from tests.proxy.conftest import AUTH, MAKE_CALL, pointers
from tests.proxy.drift import DRIFTS, LiveUpstream, drifted_upstream

CALL = "/api/v1/agents/clean/call"


@pytest.fixture(scope="module")
def upstream() -> Iterator[LiveUpstream]:
    with drifted_upstream() as live:
        yield live


@pytest.fixture
def proxy(upstream: LiveUpstream) -> Iterator[LiveProxy]:
    settings = ProxySettings(
        upstream=upstream.url, max_body_bytes=1024, body_timeout_seconds=0.5, header_timeout_seconds=0.5
    )
    with serving(settings) as live:
        yield live
        with httpx.Client(timeout=5) as client:  # and it still serves
            after = client.post(live.url + CALL, json=MAKE_CALL, headers=AUTH)
        assert after.status_code == 200
        assert after.content == DRIFTS["clean"].body


def raw_exchange(proxy: LiveProxy, data: bytes, wait: float = 5.0) -> bytes:
    """Send raw bytes and read until the proxy closes the connection (or answers in full)."""
    with socket.create_connection((proxy.host, proxy.port), timeout=wait) as sock:
        sock.sendall(data)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
            head, _, body = received.partition(b"\r\n\r\n")
            length = next(
                (
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                ),
                None,
            )
            if length is not None and len(body) >= length:
                break
        return received


def test_an_oversized_body_gets_413_and_is_never_forwarded(proxy: LiveProxy, upstream: LiveUpstream) -> None:
    before = len(upstream.app.seen)
    with httpx.Client(timeout=5) as client:
        response = client.post(
            proxy.url + CALL,
            content=b'{"to": "' + b"1" * 4096 + b'"}',
            headers={**AUTH, "Content-Type": "application/json"},
        )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
    assert response.json()["error"]["details"] == {"max_bytes": 1024}
    assert upstream.app.seen[before:] == []


def test_a_body_that_never_arrives_in_full_gets_408(proxy: LiveProxy) -> None:
    request = (
        b"POST " + CALL.encode() + b" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer talq_demo\r\n"
        b'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"to": '
    )
    received = raw_exchange(proxy, request)
    assert received.startswith(b"HTTP/1.1 408 ")
    assert b'"code":"REQUEST_TIMEOUT"' in received


def test_malformed_json_is_reported_and_forwarded_in_passive_mode(
    proxy: LiveProxy, upstream: LiveUpstream
) -> None:
    before = len(upstream.app.seen)
    with httpx.Client(timeout=5) as client:
        response = client.post(
            proxy.url + "/api/v1/agents/clean/end-call",
            content=b'{"call_sid": ',
            headers={**AUTH, "Content-Type": "application/json"},
        )
    assert response.status_code == 200  # the upstream's answer
    assert "/request/body" in pointers(response)
    assert upstream.app.seen[before:] == [("POST", "/api/v1/agents/clean/end-call")]


def test_malformed_json_on_make_a_call_is_stopped_by_the_guard(proxy: LiveProxy) -> None:
    with httpx.Client(timeout=5) as client:
        response = client.post(
            proxy.url + CALL, content=b'{"to": ', headers={**AUTH, "Content-Type": "application/json"}
        )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "PROXY_REAL_CALL_BLOCKED"
    assert pointers(response) == {"/request/body"}


def test_malformed_json_in_errors_mode_gets_400_validation_error(upstream: LiveUpstream) -> None:
    with (
        serving(ProxySettings(upstream=upstream.url, errors=True)) as proxy,
        httpx.Client(timeout=5) as client,
    ):
        response = client.post(
            proxy.url + CALL, content=b"{nope", headers={**AUTH, "Content-Type": "application/json"}
        )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert pointers(response) == {"/request/body"}


def test_an_invalid_request_in_errors_mode_gets_its_operations_refusal(upstream: LiveUpstream) -> None:
    """422 for the operations other than Make a Call, in the form of their page: the webhook endpoints'
    `{message, errors}`, List Calls' `error` envelope; never forwarded."""
    before = len(upstream.app.seen)
    with (
        serving(ProxySettings(upstream=upstream.url, errors=True)) as proxy,
        httpx.Client(timeout=5) as client,
    ):
        webhook = client.post(
            proxy.url + "/api/v1/agents/agent_1/webhooks", json={"name": "x", "events": []}, headers=AUTH
        )
        calls = client.get(proxy.url + "/api/v1/calls?per_page=0", headers=AUTH)
    assert webhook.status_code == 422
    assert webhook.json()["message"] == "The given data was invalid."
    assert set(webhook.json()["errors"]) == {"webhook_url", "events"}
    assert calls.status_code == 422
    assert calls.json()["error"]["code"] == "VALIDATION_ERROR"
    assert upstream.app.seen[before:] == []


def test_a_connection_that_sends_nothing_is_closed(proxy: LiveProxy) -> None:
    assert raw_exchange(proxy, b"") == b""


def test_bytes_that_are_not_http_get_400_problem_json(proxy: LiveProxy) -> None:
    received = raw_exchange(proxy, b"\x16\x03\x01 not http at all\r\n\r\n")
    assert received.startswith(b"HTTP/1.1 400 ")
    assert b"application/problem+json" in received
