"""The mock as the upstream: every black-box case through the proxy gets the answer it gets from the
mock directly, and the proxy finds nothing wrong with any answer the spec defines."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest

from mock_server.proxy.config import ProxySettings
from mock_server.proxy.serve import serving
from mock_server.settings import Settings
from mock_server.testing import serve
from test_support.blackbox import Case, load_cases, mismatches, send

CASES = load_cases()
# The mock's own controls answer problem+json with statuses the spec does not declare (README: "Limits
# and non-goals"); the proxy rightly reports those answers. Every other answer must be clean.
MOCK_CONTROLS = "application/problem+json"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case_through_the_proxy(case: Case) -> None:
    settings = replace(Settings(seed=7), **case.settings)
    proxy_settings = ProxySettings(
        upstream="http://127.0.0.1:1/api/v1",  # replaced below, once the mock has a port
        allow_real_calls=True,  # the mock places no real calls
        max_body_bytes=settings.max_body_bytes,
        body_timeout_seconds=settings.body_timeout_seconds,
    )
    with serve(settings) as mock:
        proxy_settings = replace(proxy_settings, upstream=mock.api_url)
        with serving(proxy_settings) as proxy, httpx.Client(timeout=5) as client:
            observed = send(client, proxy.url, case)
            findings = proxy.report.findings()
    expect = dict(case.expect)
    if "x-talq-proxy" in observed.headers:  # answered by the proxy itself (413, 408): it knows no quota
        expect["headers"] = [name for name in expect.get("headers", []) if not name.startswith("X-RateLimit")]
    assert mismatches(expect, observed) == []
    response_findings = {(f.kind, f.pointer) for f in findings if f.side == "response"}
    if observed.headers.get("content-type", "").startswith(MOCK_CONTROLS):
        assert findings  # the mock's own answers are not the spec's: the proxy reports them (or the request)
    else:
        assert response_findings == set()
    if isinstance(observed.status, int) and observed.status < 300:
        assert findings == set()  # a valid request, a valid answer
