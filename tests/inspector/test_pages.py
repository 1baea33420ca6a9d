"""The inspector's pages over HTTP: the guard, the security headers, escaping, no secrets, the
actions (and what they refuse), HAR export, and the stream's cost while no page is open."""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from dataclasses import replace

import httpx
import pytest
from talq_client import webhooks

from mock_server.app import create_app
from mock_server.inspector.pages import CSP, MAX_FORM_BYTES
from mock_server.proxy.har import read_har
from mock_server.settings import Settings
from mock_server.testing import LiveMock, serve
from mock_server.waiting import wait_until
from mock_server.webhooks.receiver import receiving
from tests.inspector.conftest import AGENT, SETTINGS, TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'
SECRET = "whsec_must_not_show"
PAGES = (
    "/_mock/",
    "/_mock/ui/calls",
    "/_mock/ui/requests/1",
    "/_mock/ui/export.har",
    "/_mock/ui/static/htmx.min.js",
)


def call(mock: LiveMock, body: dict[str, object]) -> httpx.Response:
    return httpx.post(f"{mock.api_url}/agents/{AGENT}/call", headers=AUTH, json=body)


def action(mock: LiveMock, name: str, headers: dict[str, str] | None = None, **form: str) -> httpx.Response:
    return httpx.post(f"{mock.url}/_mock/ui/actions/{name}", data=form, headers=headers or {})


def _status(settings: Settings, path: str, headers: dict[str, str] | None = None) -> int:
    async def ask() -> int:
        transport = httpx.ASGITransport(app=create_app(settings))
        async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
            return (await client.get(path, headers=headers or {})).status_code

    return asyncio.run(ask())


@pytest.mark.parametrize("path", ["/_mock/", "/_mock", "/_mock/ui/calls", "/_mock/ui/static/htmx.min.js"])
def test_the_guard_is_the_admin_apis(path: str) -> None:
    assert _status(Settings(), path) == 200
    assert _status(Settings(host="0.0.0.0"), path) == 403
    guarded = Settings(host="0.0.0.0", admin_token="adm1n")
    assert _status(guarded, path) == 403
    assert _status(guarded, path, {"Authorization": "Bearer adm1n"}) == 200


def test_every_page_carries_a_strict_csp(mock: LiveMock) -> None:
    call(mock, {"to": "+1234567890"})
    for path in PAGES:
        answer = httpx.get(mock.url + path)
        assert answer.status_code == 200, path
        assert answer.headers["content-security-policy"] == CSP
        assert "'unsafe-inline'" not in CSP
        assert "'unsafe-eval'" not in CSP
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
    page = httpx.get(mock.url + "/_mock/").text
    assert "<script>" not in page.replace('<script src="/_mock/ui/static/', "")  # no inline script
    assert " style=" not in page
    assert " on" not in page.replace(" onerror", "")


def test_request_values_are_escaped_and_secrets_never_shown(mock: LiveMock) -> None:
    call(mock, {"to": "+1234567890", "payload": {"note": HOSTILE}})
    created = httpx.post(
        f"{mock.api_url}/agents/{AGENT}/webhooks",
        headers=AUTH,
        json={"name": HOSTILE, "webhook_url": "http://127.0.0.1:9/x", "events": ["event_phone_call_started"],
              "webhook_secret": SECRET},
    )  # fmt: skip
    assert created.status_code == 201
    for path in ("/_mock/", "/_mock/ui/requests/1", "/_mock/ui/requests/2", "/_mock/ui/calls"):
        html = httpx.get(mock.url + path).text
        assert "<script>alert" not in html, path
        assert "<img src=x" not in html, path
        assert SECRET not in html, path
        assert TOKEN not in html, path
    detail = httpx.get(mock.url + "/_mock/ui/requests/1").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in detail
    har = httpx.get(mock.url + "/_mock/ui/export.har").text
    assert SECRET not in har
    assert TOKEN not in har
    assert "[redacted]" in httpx.get(mock.url + "/_mock/ui/requests/2").text


def test_unknown_things_are_404_pages_not_errors(mock: LiveMock) -> None:
    for path in ("/_mock/ui/requests/999", "/_mock/ui/calls/call_nope", "/_mock/ui/static/..%2Fpages.py",
                 "/_mock/ui/static/nope.js", "/_mock/ui/nothing"):  # fmt: skip
        answer = httpx.get(mock.url + path)
        assert answer.status_code == 404, path
        assert "Traceback" not in answer.text
    assert action(mock, "explode").status_code == 404


def test_actions_advance_end_reset_and_refuse_bad_input(mock: LiveMock) -> None:
    call_id = call(mock, {"to": "+15005550004"}).json()["data"]["id"]  # a long call
    back = f"/_mock/ui/calls/{call_id}"
    moved = action(mock, "advance", seconds="5", back=back)
    assert (moved.status_code, moved.headers["location"]) == (303, back)
    assert httpx.get(mock.url + "/_mock/clock").json()["offset_seconds"] == 5
    assert 'id="call-status">answered' in httpx.get(mock.url + back).text
    for bad in ("-1", "nan", "x", "1e12"):
        refused = action(mock, "advance", seconds=bad)
        assert refused.status_code == 400
        assert "Seconds must be a number from 0 to" in refused.text
    assert action(mock, "end-call", call_id=call_id, back=back).status_code == 303
    assert 'id="call-status">completed' in httpx.get(mock.url + back).text
    again = action(mock, "end-call", call_id=call_id)
    assert (again.status_code, "ended already" in again.text) == (400, True)
    assert action(mock, "end-call", call_id="call_nope").status_code == 400
    assert action(mock, "resend", delivery_id="dlv_nope").status_code == 400
    assert action(mock, "test-webhook", webhook_id="wh_nope").status_code == 400
    elsewhere = action(mock, "reset", back="//evil.example/")
    assert (elsewhere.status_code, elsewhere.headers["location"]) == (303, "/_mock/ui/calls")
    assert httpx.get(mock.url + "/_mock/clock").json()["offset_seconds"] == 0
    assert httpx.get(mock.url + "/_mock/health").json()["calls"] == 0


def test_actions_refuse_a_cross_site_form_and_a_huge_one(mock: LiveMock) -> None:
    call(mock, {"to": "+1234567890"})
    for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Origin": "http://evil.example"}):
        refused = action(mock, "reset", headers=headers)
        assert refused.status_code == 403
        assert "inspector's own page" in refused.text
    assert httpx.get(mock.url + "/_mock/health").json()["calls"] == 1  # nothing was reset
    same = action(mock, "advance", {"Origin": mock.url, "Sec-Fetch-Site": "same-origin"}, seconds="1")
    assert same.status_code == 303
    huge = action(mock, "advance", seconds="1" * (MAX_FORM_BYTES + 1))
    assert huge.status_code == 413


def test_the_har_export_reads_back_and_follows_the_filters(mock: LiveMock) -> None:
    call(mock, {"to": "+1234567890"})
    call(mock, {})
    answer = httpx.get(mock.url + "/_mock/ui/export.har?status=4xx")
    assert answer.headers["content-disposition"].startswith('attachment; filename="talq-')
    data = json.loads(answer.text)
    assert data["log"]["version"] == "1.2"
    (only,) = data["log"]["entries"]
    assert only["response"]["status"] == 400
    assert json.loads(only["response"]["content"]["text"])["error"]["code"] == "MISSING_PHONE_NUMBER"


def test_the_har_export_is_read_by_check_traffic(mock: LiveMock, tmp_path: object) -> None:
    call(mock, {"to": "+1234567890", "context": {"k": "v"}})
    path = tmp_path / "mock.har"  # type: ignore[operator]
    path.write_bytes(httpx.get(mock.url + "/_mock/ui/export.har").content)
    (exchange,) = list(read_har(path))
    assert (exchange.method, exchange.status) == ("POST", 200)
    assert exchange.path == f"/api/v1/agents/{AGENT}/call"
    assert json.loads(exchange.body) == {"to": "+1234567890", "context": {"k": "v"}}
    assert ("content-type", "application/json") in exchange.response_headers


def test_no_page_open_means_nothing_on_the_request_path(mock: LiveMock) -> None:
    journal = mock.app.state.journal
    assert journal.watchers == []
    with httpx.stream("GET", mock.url + "/_mock/ui/stream") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = stream.iter_lines()
        assert next(lines).startswith("retry: ")
        wait_until(lambda: len(journal.watchers) == 1, what="the page's watcher")
        call(mock, {"to": "+1234567890"})
        assert next(line for line in lines if line.startswith("event:")) == "event: request"
        data = list(itertools.takewhile(bool, lines))  # up to the event's blank line
        assert all(line.startswith("data: ") for line in data)
        assert any("makeCall" in line for line in data)
    wait_until(lambda: journal.watchers == [], timeout=10, what="the watcher to go with the page")


def test_a_test_webhook_is_a_signed_event_the_sdk_accepts(mock: LiveMock) -> None:
    with receiving() as receiver:
        created = httpx.post(
            f"{mock.api_url}/agents/{AGENT}/webhooks",
            headers=AUTH,
            json={"name": "app", "webhook_url": receiver.url, "events": ["event_phone_call_ended"],
                  "webhook_secret": SECRET},
        )  # fmt: skip
        webhook_id = created.json()["data"]["id"]
        assert action(mock, "test-webhook", webhook_id=webhook_id).status_code == 303
        (received,) = receiver.wait_for(1)
        event = webhooks.construct_event(received.body, received.headers["x-talq-signature"], SECRET)
        assert str(event.event) == "event_phone_call_ended"  # the one event this webhook takes
        assert event.call.id.startswith("call_inspector_test_")
        assert event.agent_id == AGENT
        (delivery,) = mock.app.state.webhooks.deliveries
        assert delivery.resent_from == "test"
        assert "call_inspector_test_1" in httpx.get(mock.url + "/_mock/ui/calls").text


def test_a_failed_attempt_shows_when_the_next_retry_is_due() -> None:
    slow_retries = replace(SETTINGS, webhook_backoff_seconds=60)
    with serve(slow_retries) as mock, receiving(fail_first=5) as receiver:
        httpx.post(
            f"{mock.api_url}/agents/{AGENT}/webhooks",
            headers=AUTH,
            json={"name": "app", "webhook_url": receiver.url, "events": ["event_phone_call_started"]},
        )
        call_id = call(mock, {"to": "+1234567890"}).json()["data"]["id"]
        action(mock, "advance", seconds="1")
        wait_until(lambda: receiver.received, what="the first (refused) attempt")

        def retry_shown() -> str | None:
            html = httpx.get(f"{mock.url}/_mock/ui/calls/{call_id}").text
            return html if "next retry in" in html else None

        page = wait_until(retry_shown, what="the next retry on the call's page")
        assert re.search(r"next retry in (59|60)\.\d s", page)
        assert 'class="attempt-status">500<' in page
        assert "unsigned (no secret)" in page
