"""Get Active Call by Phone (operationId getActiveCall): the agent's active calls with a number."""

from __future__ import annotations

from typing import Any

from mock_server import scenarios
from mock_server.operations.base import Context, Failure, Result, Success, agent_status
from mock_server.state.calls import CallRecord
from mock_server.state.clock import iso_z_seconds_or_none
from mock_server.state.lifecycle import CallView, view_at


def active_item(call: CallRecord, view: CallView) -> dict[str, Any]:
    """The spec's `ActiveCall`."""
    return {
        "id": call.id,
        "agent_id": call.agent_id,
        "to": call.to,
        "status": view.status,
        "started_at": iso_z_seconds_or_none(view.started_at),
        "duration_seconds": view.duration,
    }


async def handle(context: Context) -> Result:
    status = agent_status(context)
    if isinstance(status, Failure):
        return status
    agent_id, phone = context.path_params["agent_id"], context.path_params["phone"]
    store = context.store
    calls = await store.calls.all(context.gate)
    now = context.now
    found = []
    for call in calls:
        if call.agent_id != agent_id or call.to != phone:
            continue
        view = view_at(call, store.durations, now)
        if view.active:
            found.append(active_item(call, view))
    if not found:
        return Failure(scenarios.NO_ACTIVE_CALL)
    return Success(200, {"success": True, "data": found})
