"""End Call (operationId endCall): an active call of the agent ends now, `ended_by_api`."""

from __future__ import annotations

from typing import Any

from mock_server import scenarios
from mock_server.operations.base import Context, Failure, Result, Success, agent_status
from mock_server.state.clock import iso_z_seconds
from mock_server.state.lifecycle import view_at


def handle(context: Context) -> Result:
    agent_id = context.path_params["agent_id"]
    state = context.state
    status = agent_status(context)
    if isinstance(status, Failure):
        return status
    body: dict[str, Any] = context.body
    call_sid = str(body["call_sid"])
    call = state.calls.get(call_sid)
    if call is None or call.agent_id != agent_id:
        return Failure(scenarios.CALL_NOT_FOUND, {"call_sid": call_sid})
    now = state.clock.now()
    view = view_at(call, state.durations, now.timestamp())
    if not view.active:
        return Failure(scenarios.CALL_NOT_ACTIVE, {"call_sid": call_sid, "status": view.status})
    state.end_call(call, now)
    ended = view_at(call, state.durations, now.timestamp())
    data = {
        "id": call.id,
        "status": ended.status,
        "ended_at": iso_z_seconds(now.timestamp()),
        "ended_reason": ended.ended_reason,
    }
    return Success(200, {"success": True, "data": data})
