"""Get Agent (operationId getAgent): the configured agents, draft or published."""

from __future__ import annotations

from typing import Any

from mock_server.operations.base import Context, Failure, Result, Success, agent_status
from mock_server.state.clock import iso_z

# Agents have no creation time in the mock: a fixed, plausible one.
AGENT_CREATED_AT = "2024-01-01T00:00:00Z"


def agent_name(agent_id: str) -> str:
    return f"Mock agent {agent_id}"


def agent_data(agent_id: str, status: str, updated_at: str = AGENT_CREATED_AT) -> dict[str, Any]:
    """The spec's `Agent`, made up from the id (the config file only knows ids and statuses)."""
    return {
        "id": agent_id,
        "name": agent_name(agent_id),
        "label": agent_id,
        "description": "A voice agent of the talq mock.",
        "language": "en-US",
        "current_status": status,
        "direction": "outbound",
        "is_sandbox": True,
        "created_at": AGENT_CREATED_AT,
        "updated_at": updated_at,
    }


def agent_summary(agent_id: str) -> dict[str, Any]:
    return {"id": agent_id, "name": agent_name(agent_id), "label": agent_id}


async def handle(context: Context) -> Result:
    status = agent_status(context)
    if isinstance(status, Failure):
        return status
    agent_id = context.path_params["agent_id"]
    changed = context.store.directory.status_changed_at(agent_id)
    updated_at = AGENT_CREATED_AT if changed is None else iso_z(changed)
    return Success(200, {"success": True, "data": agent_data(agent_id, status, updated_at)})
