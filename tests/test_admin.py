"""The admin API under /_mock/: every answer matches openapi/mock-admin.yaml."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import orjson
import pytest
from openapi_spec_validator import validate

from mock_server.admin import admin_forbidden
from mock_server.settings import Settings
from mock_server.spec.document import dereference, load_document
from mock_server.testing import LiveMock, serve
from mock_server.waiting import wait_until
from mock_server.webhooks.receiver import receiving

ADMIN_SPEC = Path(__file__).resolve().parent.parent / "openapi" / "mock-admin.yaml"
CALL = {"to": "+1234567890", "is_testing": True, "context": {"k": "v"}}
AUTH = {"Authorization": "Bearer talq_demo"}


@pytest.fixture(scope="module")
def admin_spec() -> dict[str, Any]:
    return load_document(ADMIN_SPEC)


@pytest.fixture
def mock() -> Iterator[LiveMock]:
    with serve(Settings(time_scale=0, webhook_poll_seconds=0.01)) as live:
        yield live


def check(admin_spec: dict[str, Any], method: str, path: str, response: httpx.Response) -> Any:
    """The response's JSON, after checking it against the admin spec's schema for it."""
    operation = dereference(admin_spec, admin_spec["paths"][path][method])
    declared = operation["responses"][str(response.status_code)]
    media = next(iter(declared["content"].values()))
    body = response.json()
    validator = jsonschema.Draft202012Validator(media["schema"], format_checker=jsonschema.FormatChecker())
    assert list(validator.iter_errors(body)) == [], body
    return body


def test_the_admin_spec_is_valid_and_every_path_is_served(admin_spec: dict[str, Any], mock: LiveMock) -> None:
    validate(admin_spec)
    for path, item in admin_spec["paths"].items():
        for method in item:
            response = httpx.request(method.upper(), mock.url + path, json={"seconds": 0})
            assert response.status_code == 200, path
            check(admin_spec, method, path, response)


def test_advance_moves_the_clock_and_refuses_bad_input(admin_spec: dict[str, Any], mock: LiveMock) -> None:
    before = check(admin_spec, "get", "/_mock/clock", httpx.get(mock.url + "/_mock/clock"))
    after = check(
        admin_spec,
        "post",
        "/_mock/clock/advance",
        httpx.post(mock.url + "/_mock/clock/advance", json={"seconds": 90}),
    )
    assert after["epoch"] - before["epoch"] == pytest.approx(90, abs=0.01)
    assert after["offset_seconds"] == 90
    bad: Any
    for bad in ({"seconds": -1}, {"seconds": "10"}, {"seconds": True}, {}, [], {"seconds": 1e12}):
        refused = httpx.post(mock.url + "/_mock/clock/advance", json=bad)
        assert refused.status_code == 400, bad
        check(admin_spec, "post", "/_mock/clock/advance", refused)
    assert httpx.post(mock.url + "/_mock/clock/advance", content=b"{").status_code == 400


def test_the_journal_lists_received_requests_with_masked_tokens(
    admin_spec: dict[str, Any], mock: LiveMock
) -> None:
    httpx.post(mock.api_url + "/agents/agent_1/call", json=CALL, headers=AUTH)
    httpx.get(mock.api_url + "/calls?per_page=101", headers=AUTH)
    body = check(admin_spec, "get", "/_mock/requests", httpx.get(mock.url + "/_mock/requests"))
    entries = body["requests"]
    assert [(entry["method"], entry["path"], entry["status"]) for entry in entries] == [
        ("POST", "/api/v1/agents/agent_1/call", 200),
        ("GET", "/api/v1/calls", 422),
    ]
    assert entries[0]["body"] == httpx.Request("POST", "/", json=CALL).content.decode()
    assert entries[1]["query"] == "per_page=101"
    assert "talq_demo" not in str(entries)
    last = httpx.get(mock.url + "/_mock/requests", params={"limit": 1}).json()["requests"]
    assert [entry["id"] for entry in last] == [2]


def test_reset_forgets_calls_webhooks_deliveries_journal_and_clock(
    admin_spec: dict[str, Any], mock: LiveMock
) -> None:
    webhook = {"name": "w", "webhook_url": "http://127.0.0.1:9/none", "events": ["event_phone_call_started"]}
    assert (
        httpx.post(mock.api_url + "/agents/agent_1/webhooks", json=webhook, headers=AUTH).status_code == 201
    )
    httpx.post(mock.api_url + "/agents/agent_1/call", json=CALL, headers=AUTH)
    httpx.post(mock.url + "/_mock/clock/advance", json={"seconds": 2})
    deliveries = httpx.get(mock.url + "/_mock/webhook-deliveries").json()["deliveries"]
    assert [delivery["event"] for delivery in deliveries] == ["event_phone_call_started"]
    check(admin_spec, "post", "/_mock/reset", httpx.post(mock.url + "/_mock/reset"))
    assert httpx.get(mock.url + "/_mock/health").json()["calls"] == 0
    assert httpx.get(mock.url + "/_mock/webhook-deliveries").json()["deliveries"] == []
    assert httpx.get(mock.url + "/_mock/requests").json()["requests"] == []
    assert httpx.get(mock.url + "/_mock/clock").json()["offset_seconds"] == 0
    listed = httpx.get(mock.api_url + "/agents/agent_1/webhooks", headers=AUTH).json()
    assert listed["data"]["webhooks"] == []


def test_reading_the_deliveries_changes_nothing_and_the_mocks_lifespan_delivers() -> None:
    """GET /_mock/webhook-deliveries only reads: events due are emitted by the dispatcher's own tick
    (here once an hour) or by advancing the clock, never by a read. Deliveries then go out from the
    mock's lifespan, with no admin request needed."""
    settings = Settings(time_scale=1000, webhook_poll_seconds=3600, quiet=True)
    with serve(settings) as live, receiving() as receiver:
        created = httpx.post(
            f"{live.api_url}/agents/agent_1/webhooks",
            json={"name": "n", "webhook_url": receiver.url, "events": ["event_phone_call_started"]},
            headers=AUTH,
        )
        assert created.status_code == 201
        webhook_id = created.json()["data"]["id"]
        assert httpx.post(f"{live.api_url}/agents/agent_1/call", json=CALL, headers=AUTH).status_code == 200
        wait_until(lambda: live.app.state.clock.time() > time.time() + 10)  # the call has rung (mock time)
        for _ in range(3):
            read = httpx.get(live.url + "/_mock/webhook-deliveries", params={"webhook_id": webhook_id})
            assert read.json() == {"deliveries": []}
        advanced = httpx.post(live.url + "/_mock/clock/advance", json={"seconds": 0})
        assert advanced.json()["events_emitted"] == 1
        assert len(receiver.wait_for(1)) == 1


def test_the_admin_guard_answers_a_fresh_403_each_time() -> None:
    first, second = admin_forbidden(), admin_forbidden()
    assert first is not second
    first.header("X-Extra", "1")
    assert second.headers == []
    assert orjson.loads(second.body)["type"].endswith("ADMIN_FORBIDDEN")
