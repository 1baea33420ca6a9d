"""Turning a call's status changes into webhook events (the spec's `WebhookEvent`).

`emit_due` is the only writer: it walks the calls of `state.schedule` whose events are not all out,
emits each transition that has happened by `now` (in order, exactly once) and queues its deliveries.
"""

from __future__ import annotations

import hashlib
import heapq
from typing import Any

import orjson

from mock_server.state.calls import CallRecord
from mock_server.state.clock import iso_z_seconds, iso_z_seconds_or_none
from mock_server.state.lifecycle import (
    EPSILON_SECONDS,
    Transition,
    happened,
    timeline,
    view_of,
)
from mock_server.state.store import MockState


def event_id(call_id: str, index: int, event: str) -> str:
    """Stable: the same call and transition always give the same id (receivers de-duplicate on it)."""
    digest = hashlib.sha256(f"{call_id}:{index}:{event}".encode()).hexdigest()
    return "evt_" + digest[:24]


def event_payload(call: CallRecord, index: int, happened: list[Transition]) -> dict[str, Any]:
    """The event of `happened[index]`, the call as it was at that instant."""
    step = happened[index]
    view = view_of(call, happened[: index + 1], step.at)
    return {
        "id": event_id(call.id, index, step.event),
        "event": step.event,
        "created_at": iso_z_seconds(step.at),
        "agent_id": call.agent_id,
        "call": {
            "id": call.id,
            "agent_id": call.agent_id,
            "to": call.to,
            "from": call.from_number,
            "direction": call.direction,
            "is_testing": call.is_testing,
            "status": view.status,
            "created_at": iso_z_seconds(call.created_at.timestamp()),
            "started_at": iso_z_seconds_or_none(view.started_at),
            "answered_at": iso_z_seconds_or_none(view.answered_at),
            "ended_at": iso_z_seconds_or_none(view.ended_at),
            "duration": view.duration,
            "ended_reason": view.ended_reason,
        },
        "context": call.context,
    }


def emit_due(state: MockState, now: float) -> list[dict[str, Any]]:
    """Emit every event that is due by `now`, not emitted yet, and subscribed to; queue its deliveries.

    Only the calls whose next transition is due are looked at (a heap ordered by that time)."""
    emitted: list[dict[str, Any]] = []
    schedule = state.schedule
    while schedule.due and schedule.due[0][0] <= now + EPSILON_SECONDS:
        _, call_id = heapq.heappop(schedule.due)
        done = schedule.unsettled.get(call_id)
        call = state.calls.get(call_id)
        if done is None or call is None:
            schedule.forget(call_id)
            continue
        if not state.webhooks.has_agent(call.agent_id):
            continue  # parked: `resume_calls_of` reschedules it if the agent gets a webhook
        steps = timeline(call, state.durations)
        due = happened(steps, now)
        for index in range(done, len(due)):
            if not state.webhooks.subscribed(call.agent_id, due[index].event):
                continue  # an event nobody subscribes to is never built (nor ever sent later)
            event = event_payload(call, index, due)
            state.webhooks.enqueue(event, orjson.dumps(event))
            emitted.append(event)
        schedule.unsettled[call_id] = max(done, len(due))
        if due and len(due) == len(steps) and due[-1].ended_reason is not None:
            schedule.forget(call_id)  # final: nothing more will happen to this call
        elif len(due) < len(steps):
            schedule.at(steps[len(due)].at, call_id)
    return emitted


def resume_calls_of(state: MockState, agent_id: str, now: float) -> None:
    """The agent has a new webhook: its calls in flight get their next events (not the past ones)."""
    schedule = state.schedule
    for call_id in list(schedule.unsettled):
        call = state.calls.get(call_id)
        if call is None or call.agent_id != agent_id:
            continue
        steps = timeline(call, state.durations)
        due = happened(steps, now)
        schedule.unsettled[call_id] = len(due)
        if len(due) < len(steps):
            schedule.at(steps[len(due)].at, call_id)
        elif due and due[-1].ended_reason is not None:
            schedule.forget(call_id)  # final: nothing more will happen to this call
