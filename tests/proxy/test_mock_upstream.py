"""The mock as the upstream: every black-box case through the proxy gets the answer it gets from the
mock directly, and the proxy finds nothing wrong with any answer the spec defines."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from mock_server.proxy.config import ProxySettings
from mock_server.proxy.report import Report
from mock_server.proxy.serve import LiveProxy, serving
from mock_server.responder import RATE_LIMIT_HEADERS
from test_support.blackbox import Case, Mocks, load_cases, mismatches, send

CASES = load_cases()
# The mock's own controls answer problem+json with statuses the spec does not declare (README: "Limits
# and non-goals"); the proxy rightly reports those answers. Every other answer must be clean.
MOCK_CONTROLS = "application/problem+json"


@dataclass
class Proxies:
    """One proxy per distinct `settings` of the cases, in front of the (reset) mock of those settings,
    with a fresh report for each case: as good as a new proxy and mock per case, without their start-ups."""

    stack: contextlib.ExitStack
    mocks: Mocks
    _live: dict[str, LiveProxy] = field(default_factory=dict)

    def for_case(self, case: Case) -> LiveProxy:
        mock = self.mocks.for_case(case)
        key = self.mocks.key(case)
        if key not in self._live:
            settings = self.mocks.settings(case)
            proxy_settings = ProxySettings(
                upstream=mock.api_url,
                allow_real_calls=True,  # the mock places no real calls
                max_body_bytes=settings.max_body_bytes,
                body_timeout_seconds=settings.body_timeout_seconds,
            )
            self._live[key] = self.stack.enter_context(serving(proxy_settings))
        proxy = self._live[key]
        proxy.app.report = Report(proxy.app.report.source)
        return proxy


@pytest.fixture(scope="module")
def proxies() -> Iterator[Proxies]:
    with contextlib.ExitStack() as stack:
        yield Proxies(stack, Mocks(stack))


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case_through_the_proxy(case: Case, proxies: Proxies) -> None:
    proxy = proxies.for_case(case)
    with httpx.Client(timeout=5) as client:
        observed = send(client, proxy.url, case)
    findings = proxy.report.findings()
    expect = dict(case.expect)
    if "x-talq-proxy" in observed.headers:  # answered by the proxy itself (413, 408): it knows no quota
        expect["headers"] = [name for name in expect.get("headers", []) if name not in RATE_LIMIT_HEADERS]
    assert mismatches(expect, observed) == []
    response_findings = {(f.kind, f.pointer) for f in findings if f.side == "response"}
    if observed.headers.get("content-type", "").startswith(MOCK_CONTROLS):
        assert findings  # the mock's own answers are not the spec's: the proxy reports them (or the request)
    else:
        assert response_findings == set()
    if isinstance(observed.status, int) and observed.status < 300:
        assert findings == set()  # a valid request, a valid answer
