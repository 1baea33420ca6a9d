"""A drifted upstream behind the proxy: each drift reported exactly (operation, kind, JSON pointer),
passive answers passed through byte for byte, 502/504 where the upstream fails, --errors answers."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import httpx
import pytest

from mock_server.proxy.config import ProxySettings
from mock_server.proxy.serve import LiveProxy, serving
from mock_server.proxy.upstream import Http11Transport, transport_for
from mock_server.testing import free_port
from tests.proxy.conftest import AUTH, MAKE_CALL, pointers
from tests.proxy.drift import DRIFTS, LiveUpstream, drifted_upstream

# agent id -> what the proxy must find: (kind, JSON pointer), all of operation makeCall
EXPECTED: dict[str, set[tuple[str, str]]] = {
    "clean": set(),
    "bad_status": {("body", "/response/body/data/status")},
    "no_ratelimit": {("header", "/response/header/X-RateLimit-Remaining")},
    "teapot": {("status", "/response/status")},
    "laravel": {("body", "/response/body/success"), ("body", "/response/body/error")},
    "html": {("status", "/response/status"), ("content-type", "/response/header/content-type")},
    "chunked": {("body", "/response/body/data/status")},
    "gzip": {("body", "/response/body/data/status")},  # decoded for the check, passed on compressed
}
# What the proxy adds to the upstream's headers, and the hop-by-hop framing of its own connection.
PASSED_THROUGH = ("via", "sl-violations", "transfer-encoding")


@pytest.fixture(scope="module")
def upstream() -> Iterator[LiveUpstream]:
    with drifted_upstream() as live:
        yield live


def _serving(
    upstream: LiveUpstream, transport: str, timeout: float
) -> contextlib.AbstractContextManager[LiveProxy]:
    """The proxy with one of its transports: the lean one for http:// or httpx's own (https://)."""
    settings = ProxySettings(upstream=upstream.url, upstream_timeout_seconds=timeout)
    return serving(settings, transport=httpx.AsyncHTTPTransport() if transport == "httpx" else None)


@pytest.fixture(params=["lean", "httpx"])
def proxy(upstream: LiveUpstream, request: pytest.FixtureRequest) -> Iterator[LiveProxy]:
    with _serving(upstream, request.param, timeout=1) as live:
        yield live


@pytest.fixture(params=["lean", "httpx"])
def impatient_proxy(upstream: LiveUpstream, request: pytest.FixtureRequest) -> Iterator[LiveProxy]:
    """A proxy that waits 0.25 s for the upstream (the "slow" drift answers after 3 s)."""
    with _serving(upstream, request.param, timeout=0.25) as live:
        yield live


def call(client: httpx.Client, base: str, agent: str) -> httpx.Response:
    return client.post(f"{base}/api/v1/agents/{agent}/call", json=MAKE_CALL, headers=AUTH)


@pytest.mark.parametrize("agent", sorted(EXPECTED))
def test_passive_reports_each_drift_and_passes_the_answer_through_byte_for_byte(
    proxy: LiveProxy, agent: str
) -> None:
    drift = DRIFTS[agent]
    with httpx.Client(timeout=5) as client:
        url = f"{proxy.url}/api/v1/agents/{agent}/call"
        with client.stream("POST", url, json=MAKE_CALL, headers=AUTH) as response:
            raw = b"".join(response.iter_raw())  # as sent: not decompressed
    assert response.status_code == drift.status
    assert raw == drift.body
    upstream_headers = [(n.decode().lower(), v.decode()) for n, v in drift.headers]
    if not drift.chunked:
        upstream_headers.append(("content-length", str(len(drift.body))))
    passed = [(n.decode().lower(), v.decode()) for n, v in response.headers.raw]
    assert [(n, v) for n, v in passed if n not in PASSED_THROUGH] == upstream_headers
    assert response.headers.get("via") == "1.1 talq-proxy"
    assert pointers(response) == {pointer for _, pointer in EXPECTED[agent]}
    found = {(f.operation, f.kind, f.pointer) for f in proxy.report.findings()}
    assert found == {("makeCall", kind, pointer) for kind, pointer in EXPECTED[agent]}
    assert proxy.report.exchanges == 1


def test_repeated_set_cookie_headers_stay_apart(proxy: LiveProxy) -> None:
    with httpx.Client(timeout=5) as client:
        response = call(client, proxy.url, "clean")
    assert response.headers.get_list("set-cookie") == ["a=1; Path=/", "b=2; Path=/; HttpOnly"]


def test_a_slow_upstream_gets_504_after_the_timeout(impatient_proxy: LiveProxy) -> None:
    proxy = impatient_proxy
    with httpx.Client(timeout=2.5) as client:  # the upstream takes 3 s: only the proxy's 0.25 s can answer
        response = call(client, proxy.url, "slow")
    assert response.status_code == 504
    assert response.headers["x-talq-proxy"] == "PROXY_UPSTREAM_TIMEOUT"
    body = response.json()
    assert body["success"] is False
    assert body["error"]["code"] == "PROXY_UPSTREAM_TIMEOUT"
    assert "--upstream-timeout" in body["error"]["message"]
    assert proxy.report.upstream_failures() == {"proxy 504": 1}
    assert "1 upstream failure (proxy 504: 1)" in proxy.report.summary()


def test_a_refused_connection_gets_502() -> None:
    dead = f"http://127.0.0.1:{free_port()}/api/v1"
    with serving(ProxySettings(upstream=dead)) as proxy, httpx.Client(timeout=5) as client:
        response = call(client, proxy.url, "clean")
        assert response.status_code == 502
        body = response.json()
        assert body["error"]["code"] == "PROXY_UPSTREAM_UNREACHABLE"
        assert body["error"]["details"] == {"upstream": dead}
        assert "Check --upstream" in body["error"]["message"]
        assert proxy.report.upstream_failures() == {"proxy 502": 1}


def test_errors_mode_answers_an_invalid_answer_with_502_after_the_upstream_ran(
    upstream: LiveUpstream,
) -> None:
    settings = ProxySettings(upstream=upstream.url, errors=True)
    with serving(settings) as proxy, httpx.Client(timeout=5) as client:
        response = call(client, proxy.url, "bad_status")
        clean = call(client, proxy.url, "clean")
    assert response.status_code == 502
    error = response.json()["error"]
    assert error["code"] == "PROXY_INVALID_RESPONSE"
    assert "processed the request" in error["message"]
    assert error["details"]["upstream_status"] == 200
    assert [v["pointer"] for v in error["details"]["violations"]] == ["/response/body/data/status"]
    assert pointers(response) == {"/response/body/data/status"}
    assert clean.status_code == 200  # a valid answer passes through untouched in --errors mode too
    assert clean.content == DRIFTS["clean"].body


def test_errors_mode_answers_an_invalid_request_with_400_and_never_forwards_it(
    upstream: LiveUpstream,
) -> None:
    settings = ProxySettings(upstream=upstream.url, errors=True)
    before = len(upstream.app.seen)
    with serving(settings) as proxy, httpx.Client(timeout=5) as client:
        invalid = client.post(
            proxy.url + "/api/v1/agents/clean/call", json={"to": "555", "is_testing": True}, headers=AUTH
        )
        no_token = client.post(proxy.url + "/agents/clean/call", json=MAKE_CALL)
        unknown = client.get(proxy.url + "/api/v1/nowhere", headers=AUTH)
    assert invalid.status_code == 400
    assert invalid.json()["error"]["code"] == "VALIDATION_ERROR"
    assert invalid.json()["error"]["details"]["fields"][0]["field"] == "to"
    assert pointers(invalid) == {"/request/body/to"}
    assert no_token.status_code == 401
    assert no_token.json()["error"]["code"] == "INVALID_TOKEN"
    assert pointers(no_token) == {"/request/header/authorization"}
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    assert upstream.app.seen[before:] == []


def test_passive_mode_forwards_an_invalid_request_and_reports_it(
    proxy: LiveProxy, upstream: LiveUpstream
) -> None:
    before = len(upstream.app.seen)
    with httpx.Client(timeout=5) as client:
        response = client.post(
            proxy.url + "/api/v1/agents/clean/call?x=1", json={"to": 5, "is_testing": True}, headers=AUTH
        )
    assert response.status_code == 200  # the upstream's answer, whatever the request
    assert pointers(response) == {"/request/body/to"}
    assert upstream.app.seen[before:] == [("POST", "/api/v1/agents/clean/call")]


def test_a_body_over_the_checked_limit_is_streamed_through_unchecked(upstream: LiveUpstream) -> None:
    settings = ProxySettings(upstream=upstream.url, max_checked_body_bytes=64 * 1024)
    with serving(settings) as proxy, httpx.Client(timeout=10) as client:
        response = call(client, proxy.url, "big")
        findings = proxy.report.findings()
    assert response.status_code == 200
    assert response.content == DRIFTS["big"].body
    assert findings == set()  # its headers were checked; its body (not a call) was not


def test_the_https_transport_is_httpx_own() -> None:
    assert isinstance(transport_for("https://app.talkover.ai/api/v1"), httpx.AsyncHTTPTransport)
    assert isinstance(transport_for("http://127.0.0.1:4010/api/v1"), Http11Transport)
