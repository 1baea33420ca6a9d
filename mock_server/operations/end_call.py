"""End Call (operationId endCall): an active call of the agent ends now, `ended_by_api`."""

from __future__ import annotations

from datetime import UTC, datetime
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
    call = await store.calls.get(call_sid)
    if call is None or call.agent_id != agent_id:
        return Failure(scenarios.CALL_NOT_FOUND, {"call_sid": call_sid})
    now = datetime.fromtimestamp(context.now, UTC)
    view = view_at(call, store.durations, context.now)
    if not view.active or not await store.calls.end(call.id, now):  # another worker may have ended it
        status_now = view.status if not view.active else "completed"
        return Failure(scenarios.CALL_NOT_ACTIVE, {"call_sid": call_sid, "status": status_now})
    call.ended_at = now
    ended = view_at(call, store.durations, context.now)
    data = {
        "id": call.id,
        "status": ended.status,
        "ended_at": iso_z_seconds(now.timestamp()),
        "ended_reason": ended.ended_reason,
    }
    return Success(200, {"success": True, "data": data})
