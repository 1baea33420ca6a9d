"""The inspector on the validating proxy, at /_proxy/: each exchange marked with its violations, live
in the browser, behind the admin guard."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest
from playwright.sync_api import BrowserContext, expect

from mock_server.inspector.pages import CSP
from mock_server.proxy.config import ProxySettings
from mock_server.proxy.serve import LiveProxy, build_proxy, serving
from mock_server.testing import LiveMock
from mock_server.waiting import wait_until
from tests.inspector.conftest import AGENT, TOKEN, screenshot

AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def proxy(mock: LiveMock) -> Iterator[LiveProxy]:
    with serving(ProxySettings(upstream=mock.api_url, quiet=True)) as live:
        yield live


def through(proxy: LiveProxy, body: dict[str, object]) -> httpx.Response:
    return httpx.post(f"{proxy.url}/api/v1/agents/{AGENT}/call", headers=AUTH, json=body)


def test_each_exchange_is_listed_with_the_violations_the_proxy_found(proxy: LiveProxy) -> None:
    assert through(proxy, {"to": "+1234567890", "is_testing": True}).status_code == 200
    assert through(proxy, {"to": "12", "is_testing": True}).status_code == 400  # the upstream's answer
    page = httpx.get(proxy.url + "/_proxy/")
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == CSP
    assert page.text.count('class="violations bad"') == 1
    assert page.text.count('class="violations ok"') == 1
    assert TOKEN not in page.text
    detail = httpx.get(proxy.url + "/_proxy/ui/requests/2").text
    assert "breaks the spec" in detail
    assert "/request/body/to" in detail
    assert "<dd>INVALID_PHONE_NUMBER</dd>" in detail  # the upstream's error code, from its envelope
    assert "at (real time)" in detail
    assert "obeys the spec" in httpx.get(proxy.url + "/_proxy/ui/requests/1").text
    har = json.loads(httpx.get(proxy.url + "/_proxy/ui/export.har").text)
    assert [entry["response"]["status"] for entry in har["log"]["entries"]] == [200, 400]
    assert httpx.get(proxy.url + "/_proxy/ui/requests/3").status_code == 404


def test_the_proxys_inspector_has_the_admin_guard(mock: LiveMock) -> None:
    async def status(settings: ProxySettings, headers: dict[str, str]) -> int:
        transport = httpx.ASGITransport(app=build_proxy(settings))
        async with httpx.AsyncClient(transport=transport, base_url="http://proxy") as client:
            return (await client.get("/_proxy/", headers=headers)).status_code

    exposed = ProxySettings(upstream=mock.api_url, host="0.0.0.0", quiet=True)
    assert asyncio.run(status(exposed, {})) == 403
    guarded = replace(exposed, admin_token="adm1n")
    assert asyncio.run(status(guarded, {})) == 403
    assert asyncio.run(status(guarded, {"Authorization": "Bearer adm1n"})) == 200


def test_the_proxys_journal_is_bounded_with_its_findings(mock: LiveMock) -> None:
    with serving(ProxySettings(upstream=mock.api_url, quiet=True, journal_size=2)) as proxy:
        for _ in range(4):
            through(proxy, {"to": "12", "is_testing": True})
        journal = proxy.app.journal
        assert [entry.number for entry in journal.records()] == [3, 4]
        assert sorted(journal.findings) == [3, 4]


def test_a_live_exchange_shows_its_violations_in_the_browser(
    proxy: LiveProxy, browser: BrowserContext
) -> None:
    page = browser.new_page()
    page.goto(proxy.url + "/_proxy/")
    wait_until(lambda: proxy.app.inspector.streams.pages, timeout=10, what="the proxy page's stream")
    through(proxy, {"to": "12", "is_testing": True})
    row = page.locator("#rows tr").first
    expect(row).to_contain_text("1 violation", timeout=10_000)
    expect(row.locator("td.violations")).to_have_class("violations bad")
    row.get_by_role("link").click()
    expect(page.locator("#verdict")).to_contain_text("/request/body/to")
    screenshot(page, "proxy")
