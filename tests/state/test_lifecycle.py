"""mock_server.state.lifecycle and the events it gives: pure functions of the call and the clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mock_server.settings import Settings
from mock_server.state import lifecycle
from mock_server.state.calls import CallRecord
from mock_server.state.lifecycle import Durations, timeline, view_at
from mock_server.state.store import MockState
from mock_server.state.webhook_registry import WebhookRecord
from mock_server.webhooks.events import emit_due, event_id, resume_calls_of

T0 = datetime(2024, 1, 15, 10, 30, tzinfo=UTC)
D = Durations(setup=1, ring=2, talk=5)


def call(to: str = "+1234567890", delay: int = 0, call_id: str = "call_1") -> CallRecord:
    return CallRecord(call_id, "agent_1", to, T0, False, delay, {}, {"crm_id": "42"})


def statuses(record: CallRecord, seconds: list[float]) -> list[str]:
    return [view_at(record, D, T0.timestamp() + second).status for second in seconds]


def test_a_call_is_initiated_then_rings_is_answered_and_completes_under_ten_seconds() -> None:
    assert statuses(call(), [0, 0.99, 1, 2.99, 3, 7.99, 8, 100]) == [
        "initiated", "initiated", "ringing", "ringing", "answered", "answered", "completed", "completed",
    ]  # fmt: skip
    default = Settings()
    assert default.setup_seconds + default.ring_seconds + default.talk_seconds < 10


def test_delay_seconds_postpones_everything() -> None:
    assert statuses(call(delay=60), [60.5, 61, 64, 68]) == ["initiated", "ringing", "answered", "completed"]


@pytest.mark.parametrize(
    ("number", "final", "events"),
    [
        ("+15005550001", "busy", ["event_phone_call_started", "event_phone_call_did_not_connect"]),
        ("+15005550002", "no-answer", ["event_phone_call_started", "event_phone_call_did_not_connect"]),
        ("+15005550003", "failed", ["event_phone_call_did_not_connect"]),
        ("+15005550004", "answered", ["event_phone_call_started", "event_phone_call_connected"]),
        (
            "+1234567890",
            "completed",
            ["event_phone_call_started", "event_phone_call_connected", "event_phone_call_ended"],
        ),
    ],
)
def test_magic_numbers_reach_their_outcome(number: str, final: str, events: list[str]) -> None:
    record = call(number)
    assert [step.event for step in timeline(record, D)] == events
    assert view_at(record, D, T0.timestamp() + 3600).status == final
    assert number == "+1234567890" or number in lifecycle.MAGIC_NUMBERS


def test_ending_a_call_by_api_keeps_what_happened_and_completes_it() -> None:
    record = call("+15005550004")
    record.ended_at = T0 + timedelta(seconds=30)
    steps = timeline(record, D)
    assert [step.status for step in steps] == ["ringing", "answered", "completed"]
    view = view_at(record, D, T0.timestamp() + 31)
    assert (view.status, view.ended_reason, view.duration) == ("completed", "ended_by_api", 27)


def test_ending_a_call_before_it_rings_gives_only_the_ended_event() -> None:
    record = call(delay=60)
    record.ended_at = T0 + timedelta(seconds=10)
    assert [step.event for step in timeline(record, D)] == ["event_phone_call_ended"]


def _subscribe(state: MockState, events: list[str]) -> None:
    state.webhooks.add(
        WebhookRecord(
            id="wh_1",
            agent_id="agent_1",
            name="test",
            webhook_url="http://127.0.0.1:9/",
            events=events,
            timeout=5,
            max_retries=0,
            enabled=True,
            secret=None,
            created_at="2024-01-15T10:30:00Z",
        )
    )


def test_events_are_emitted_once_in_order_with_stable_ids() -> None:
    state = MockState.create(Settings(time_scale=0))
    _subscribe(state, ["event_phone_call_started", "event_phone_call_connected", "event_phone_call_ended"])
    record = call()
    state.add_call(record)
    first = emit_due(state, T0.timestamp() + 1)
    assert [event["event"] for event in first] == ["event_phone_call_started"]
    assert emit_due(state, T0.timestamp() + 1) == []
    rest = emit_due(state, T0.timestamp() + 100)
    assert [event["event"] for event in rest] == ["event_phone_call_connected", "event_phone_call_ended"]
    assert [event["id"] for event in first + rest] == [
        event_id("call_1", index, name)
        for index, name in enumerate(
            ["event_phone_call_started", "event_phone_call_connected", "event_phone_call_ended"]
        )
    ]
    assert all(event["context"] == {"crm_id": "42"} for event in first + rest)
    assert rest[-1]["call"]["duration"] == 5
    assert "call_1" not in state.schedule.unsettled


def test_events_nobody_subscribes_to_are_not_built() -> None:
    state = MockState.create(Settings(time_scale=0))
    _subscribe(state, ["event_phone_call_ended"])
    state.add_call(call())
    assert emit_due(state, T0.timestamp() + 1) == []
    assert [event["event"] for event in emit_due(state, T0.timestamp() + 100)] == ["event_phone_call_ended"]
    assert "call_1" not in state.schedule.unsettled


def test_calls_of_agents_without_webhooks_are_parked_and_resume_on_registration() -> None:
    state = MockState.create(Settings(time_scale=0))
    state.add_call(call())
    assert emit_due(state, T0.timestamp() + 1) == []  # no webhook: nothing built, the call is parked
    assert state.schedule.due == []
    _subscribe(state, ["event_phone_call_started", "event_phone_call_connected", "event_phone_call_ended"])
    resume_calls_of(state, "agent_1", T0.timestamp() + 1)
    assert emit_due(state, T0.timestamp() + 2) == []  # `started` happened before the webhook existed
    later = emit_due(state, T0.timestamp() + 100)
    assert [event["event"] for event in later] == ["event_phone_call_connected", "event_phone_call_ended"]
    assert "call_1" not in state.schedule.unsettled


def test_an_evicted_call_leaves_the_event_schedule() -> None:
    state = MockState.create(Settings(time_scale=0, max_calls=1))
    state.add_call(call())
    assert set(state.schedule.unsettled) == {"call_1"}
    state.add_call(call(call_id="call_2"))
    assert set(state.schedule.unsettled) == {"call_2"}
    state.reset()
    assert (state.schedule.unsettled, state.schedule.due) == ({}, [])
