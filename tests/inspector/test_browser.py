"""The inspector in a real browser (Debian's chromium): live rows without a reload, the escaping of
hostile request values, a call's story on the clock with its delivery attempts, resend, filters kept
in the URL, HAR export checked by `talq-mock check-traffic`, and reading with JavaScript off."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import httpx
from playwright.sync_api import BrowserContext, Playwright, expect
from talq_client import AuthenticatedClient
from talq_client.api.calls import make_call
from talq_client.api.webhooks import create_webhook
from talq_client.models import CreateWebhookRequest, KnownWebhookEventName, MakeCallRequest

from mock_server.testing import LiveMock
from mock_server.waiting import wait_until
from mock_server.webhooks.receiver import receiving
from tests.inspector.conftest import AGENT, TOKEN, launch, pages_open, screenshot

LIVE = 10_000  # ms a live update may take
HOSTILE = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'


def place_call(sdk: AuthenticatedClient, to: str = "+1234567890", **fields: object) -> str:
    call = make_call.sync_or_raise(AGENT, client=sdk, body=MakeCallRequest.from_dict({"to": to, **fields}))
    return call.data.id


def test_a_call_placed_through_the_sdk_appears_without_a_reload(
    mock: LiveMock, sdk: AuthenticatedClient, browser: BrowserContext
) -> None:
    page = browser.new_page()
    page.goto(mock.url + "/_mock/")
    expect(page.locator("#empty")).to_be_visible()
    pages_open(mock)
    call_id = place_call(sdk, is_testing=True)
    row = page.locator("#rows tr").first
    expect(row).to_contain_text("makeCall", timeout=LIVE)
    expect(row).to_contain_text("200")
    expect(row).to_contain_text("talq_de…")  # the token masked
    expect(page.locator("#empty")).to_have_count(0)
    row.get_by_role("link").click()
    expect(page.locator("#status")).to_have_text("200")
    expect(page.locator("#verdict")).to_contain_text("obeys the spec")
    expect(page.locator("#answer-body")).to_contain_text(f'"id": "{call_id}"')
    assert TOKEN not in page.content()
    screenshot(page, "request")


def test_hostile_values_show_as_text_and_run_nothing(
    mock: LiveMock, sdk: AuthenticatedClient, browser: BrowserContext
) -> None:
    page = browser.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(mock.url + "/_mock/")
    pages_open(mock)
    # in the body (a valid call) and in the path (an agent id), arriving live and on a reload
    place_call(sdk, payload={"note": HOSTILE}, is_testing=True)
    httpx.post(
        f"{mock.api_url}/agents/{quote(HOSTILE, safe='')}/call",
        headers={"Authorization": f"Bearer {TOKEN}"},
        json={"to": "+1234567890"},
    )
    expect(page.locator("#rows tr")).to_have_count(2, timeout=LIVE)
    expect(page.locator("#rows tr").first).to_contain_text(HOSTILE)  # the path, as text
    assert page.evaluate("window.pwned") is None
    assert page.locator("#rows img, #rows script").count() == 0
    page.reload()
    page.locator("#rows tr").nth(1).get_by_role("link").click()
    expect(page.locator("#request-body")).to_contain_text(json.dumps(HOSTILE))  # as JSON shows it
    assert page.evaluate("window.pwned") is None
    assert page.locator("main img, main script").count() == 0
    # the pages and htmx live within the strict CSP: the browser refused nothing of theirs
    assert [line for line in console if "Content Security Policy" in line] == []


def test_a_calls_story_on_the_clock_with_attempts_and_a_resend(
    mock: LiveMock, sdk: AuthenticatedClient, browser: BrowserContext
) -> None:
    with receiving(fail_first=1) as receiver:
        webhook = CreateWebhookRequest(
            name="app",
            webhook_url=receiver.url,
            events=[
                KnownWebhookEventName.EVENT_PHONE_CALL_STARTED,
                KnownWebhookEventName.EVENT_PHONE_CALL_CONNECTED,
            ],
            webhook_secret="whsec_never_shown",
            max_retries=2,
        )
        create_webhook.sync_or_raise(AGENT, client=sdk, body=webhook)
        call_id = place_call(sdk)
        page = browser.new_page()
        page.goto(f"{mock.url}/_mock/ui/calls/{call_id}")
        expect(page.locator("#call-status")).to_have_text("initiated")
        pages_open(mock)
        page.fill("input[name=seconds]", "3")
        page.get_by_role("button", name="Advance").click()
        expect(page.locator("#call-status")).to_have_text("answered")
        first = page.locator("article.delivery").first
        # the first attempt got the receiver's 500, the retry its 200: shown live, without a reload
        expect(first.locator("tr.attempt")).to_have_count(2, timeout=LIVE)
        expect(first.locator(".attempt-status").first).to_have_text("500")
        expect(first.locator(".attempt-status").nth(1)).to_have_text("200")
        expect(first.locator(".delivery-status")).to_have_text("delivered")
        expect(first.locator(".signature").first).to_contain_text("v1=")
        expect(page.locator(".timeline li.done")).to_have_count(3)  # created, ringing, answered
        expect(page.locator(".timeline li.upcoming")).to_have_count(1)  # completed, due
        screenshot(page, "call")
        before = len(receiver.received)
        first.get_by_role("button", name="Resend (newly signed)").click()
        resent = page.locator("article.delivery", has_text="resend of")
        expect(resent.locator(".delivery-status")).to_have_text("delivered", timeout=LIVE)
        wait_until(lambda: len(receiver.received) > before, what="the resent delivery")
        assert "whsec_never_shown" not in page.content()
        page.get_by_role("button", name="End the call").click()
        expect(page.locator("#call-status")).to_have_text("completed")
        page.goto(mock.url + "/_mock/ui/calls")
        expect(page.locator(f"tr[data-call={call_id}] .call-status")).to_have_text("completed")
        screenshot(page, "calls")


def test_filters_live_in_the_url_and_hold_for_live_rows(
    mock: LiveMock, sdk: AuthenticatedClient, browser: BrowserContext
) -> None:
    place_call(sdk, is_testing=True)
    httpx.post(f"{mock.api_url}/agents/{AGENT}/call", headers={"Authorization": f"Bearer {TOKEN}"}, json={})
    page = browser.new_page()
    page.goto(mock.url + "/_mock/")
    expect(page.locator("#rows tr")).to_have_count(2)
    page.fill("input[name=status]", "4xx")
    page.get_by_role("button", name="Filter").click()
    assert "status=4xx" in page.url
    expect(page.locator("#rows tr")).to_have_count(1)
    expect(page.locator("#rows tr")).to_contain_text("MISSING_PHONE_NUMBER")
    page.reload()
    expect(page.locator("input[name=status]")).to_have_value("4xx")
    expect(page.locator("#rows tr")).to_have_count(1)
    pages_open(mock)
    place_call(sdk, is_testing=True)  # a 200: not shown on this page
    httpx.post(
        f"{mock.api_url}/agents/agent_missing/call",
        headers={"Authorization": f"Bearer {TOKEN}"},
        json={"to": "+1234567890"},
    )
    expect(page.locator("#rows tr")).to_have_count(2, timeout=LIVE)
    expect(page.locator("#rows tr").first).to_contain_text("AGENT_NOT_FOUND")
    screenshot(page, "requests-filtered")


def test_the_exported_har_passes_check_traffic(
    mock: LiveMock, sdk: AuthenticatedClient, browser: BrowserContext, tmp_path: Path
) -> None:
    place_call(sdk, is_testing=True)
    httpx.post(
        f"{mock.api_url}/agents/{AGENT}/call", headers={"Authorization": f"Bearer {TOKEN}"}, json={"to": "1"}
    )
    httpx.get(f"{mock.api_url}/calls", headers={"Authorization": f"Bearer {TOKEN}"})
    page = browser.new_page()
    page.goto(mock.url + "/_mock/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export HAR").click()
    har = tmp_path / "exported.har"
    download.value.save_as(har)
    assert len(json.loads(har.read_text())["log"]["entries"]) == 3
    report = tmp_path / "traffic.json"
    checked = subprocess.run(
        [sys.executable, "-m", "mock_server", "check-traffic", str(har), "--report", str(report)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # read in full (exit 2 would be a file it cannot read); the one finding is the app's invalid `to`:
    # every answer of the mock obeys the spec
    assert checked.returncode == 1, checked.stdout + checked.stderr
    data = json.loads(report.read_text())
    assert data["exchanges"] == 3
    assert data["violations_by_kind"] == {"request-body": 1}, data["cases"]
    (invalid,) = [case for case in data["cases"] if case["violations"]]
    assert (invalid["operation"], invalid["status"]) == ("makeCall", "400")
    assert invalid["violations"][0]["pointer"] == "/request/body/to"


def test_reading_and_acting_work_with_javascript_off(
    mock: LiveMock, sdk: AuthenticatedClient, playwright: Playwright, tmp_path: Path
) -> None:
    call_id = place_call(sdk)
    context = launch(playwright, tmp_path / "no-js-profile", javascript=False)
    try:
        page = context.new_page()
        page.goto(mock.url + "/_mock/")
        expect(page.locator("#rows tr")).to_have_count(1)
        page.goto(mock.url + "/_mock/ui/calls")
        page.get_by_role("link", name=call_id).click()
        page.fill("input[name=seconds]", "1")
        page.get_by_role("button", name="Advance").click()  # a plain form post, then the page again
        expect(page.locator("#call-status")).to_have_text("ringing")
        page.get_by_role("button", name="End the call").click()
        expect(page.locator("#call-status")).to_have_text("completed")
    finally:
        context.close()
