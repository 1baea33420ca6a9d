"""Webhook delivery when the receiver is down, slow or failing: every event still arrives, in order per
call, and no attempt is reported delivered that was not (issue 7, consistency)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mock_server.app import MockApp, create_app
from mock_server.settings import Settings
from mock_server.testing import LiveMock, serve
from mock_server.waiting import wait_until
from mock_server.webhooks.dispatcher import Dispatcher
from mock_server.webhooks.receiver import receiving

AGENT = "agent_123456"
EVENTS = ["event_phone_call_started", "event_phone_call_connected", "event_phone_call_ended"]


TIMEOUT_UNIT = 0.05  # real seconds per second of a webhook's timeout: a 5 s timeout lasts 0.25 s


@pytest.fixture
def mock() -> Iterator[LiveMock]:
    settings = Settings(
        time_scale=0, webhook_backoff_seconds=0.05, webhook_poll_seconds=0.01, seed=3, quiet=True
    )
    app = create_app(settings)
    app = MockApp(settings, app.spec, app.state, Dispatcher(app.state, settings, timeout_unit=TIMEOUT_UNIT))
    with serve(settings, app) as live:
        yield live


def _register(mock: LiveMock, url: str, max_retries: int, timeout: int = 5) -> str:
    answer = httpx.post(
        f"{mock.api_url}/agents/{AGENT}/webhooks",
        json={
            "name": "faults",
            "webhook_url": url,
            "events": EVENTS,
            "max_retries": max_retries,
            "timeout": timeout,
        },
        headers={"Authorization": "Bearer talq_demo"},
    )
    assert answer.status_code == 201, answer.text
    webhook_id: str = answer.json()["data"]["id"]
    return webhook_id


def _place_and_finish(mock: LiveMock) -> str:
    answer = httpx.post(
        f"{mock.api_url}/agents/{AGENT}/call",
        json={"to": "+1234567890", "is_testing": True},
        headers={"Authorization": "Bearer talq_demo"},
    )
    assert answer.status_code == 200
    assert httpx.post(mock.url + "/_mock/clock/advance", json={"seconds": 60}).status_code == 200
    call_id: str = answer.json()["data"]["id"]
    return call_id


def _deliveries(mock: LiveMock, webhook_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = httpx.get(
        mock.url + "/_mock/webhook-deliveries", params={"webhook_id": webhook_id}
    ).json()["deliveries"]
    return found


def test_a_receiver_that_is_down_and_comes_back_gets_every_event_in_order(mock: LiveMock) -> None:
    up = threading.Event()
    with receiving(up=up) as receiver:  # its port is bound now, and refuses connections until `up`
        webhook_id = _register(mock, receiver.url, max_retries=8)
        call_id = _place_and_finish(mock)
        wait_until(
            lambda: len(_deliveries(mock, webhook_id)[0]["attempts"]) >= 2, what="two refused attempts"
        )
        assert {d["status"] for d in _deliveries(mock, webhook_id)} == {"pending"}  # none claimed delivered
        up.set()
        received = receiver.wait_for(3, timeout=10)
    events = [json.loads(item.body) for item in received]
    assert [event["event"] for event in events] == EVENTS
    assert {event["call"]["id"] for event in events} == {call_id}
    deliveries = _deliveries(mock, webhook_id)
    assert [d["status"] for d in deliveries] == ["delivered"] * 3
    first_attempts = deliveries[0]["attempts"]
    assert all(attempt["status_code"] is None for attempt in first_attempts[:-1])  # connection refused
    assert first_attempts[-1]["status_code"] == 200


def test_a_receiver_slower_than_the_timeout_is_retried_and_never_counted_as_delivered_early(
    mock: LiveMock,
) -> None:
    slow = 5 * TIMEOUT_UNIT * 4  # four times the webhook's 5 s timeout, in real seconds
    with receiving(slow_first=1, slow_seconds=slow) as receiver:
        webhook_id = _register(mock, receiver.url, max_retries=3, timeout=5)
        _place_and_finish(mock)
        received = receiver.wait_for(4, timeout=20)  # the slow one (answered late) and the three on time
    ids = [json.loads(item.body)["id"] for item in received]
    assert len(set(ids)) == 3  # receivers de-duplicate on the stable event id
    deliveries = _deliveries(mock, webhook_id)
    assert [d["status"] for d in deliveries] == ["delivered"] * 3
    first = deliveries[0]["attempts"]
    assert first[0]["status_code"] is None  # the timed-out attempt is an error, not a delivery
    assert first[0]["error"] == f"no answer within {5 * TIMEOUT_UNIT:g} s"
    assert first[-1]["status_code"] == 200
