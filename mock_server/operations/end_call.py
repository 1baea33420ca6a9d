"""End Call (operationId endCall): an active call of the agent ends now, `ended_by_api`."""

from __future__ import annotations

from typing import Any

from mock_server import scenarios
from mock_server.operations.base import Context, Failure, Result, Success, agent_status
from mock_server.state.clock import iso_z_seconds
from mock_server.state.lifecycle import view_at


async def handle(context: Context) -> Result:
    agent_id = context.path_params["agent_id"]
    store = context.store
    status = agent_status(context)
    if isinstance(status, Failure):
        return status
    body: dict[str, Any] = context.body
    call_sid = str(body["call_sid"])
    ending = await store.calls.end_active(call_sid, agent_id, context.gate)
    call, now = ending.call, ending.now
    if call is None:
        return Failure(scenarios.CALL_NOT_FOUND, {"call_sid": call_sid})
    view = view_at(call, store.durations, now)
    if not ending.ended:  # over by now, or ended by another request first
        status_now = view.status if not view.active else "completed"
        return Failure(scenarios.CALL_NOT_ACTIVE, {"call_sid": call_sid, "status": status_now})
    data = {
        "id": call.id,
        "status": view.status,
        "ended_at": iso_z_seconds(now),
        "ended_reason": view.ended_reason,
    }
    return Success(200, {"success": True, "data": data})
