"""Get Agent (operationId getAgent): the configured agents, draft or published."""

from __future__ import annotations

from typing import Any

from mock_server.operations.base import Context, Failure, Result, Success, agent_status

# Agents have no creation time in the mock: a fixed, plausible one.
AGENT_CREATED_AT = "2024-01-01T00:00:00Z"


def agent_data(agent_id: str, status: str) -> dict[str, Any]:
    """The spec's `Agent`, made up from the id (the config file only knows ids and statuses)."""
    return {
        "id": agent_id,
        "name": f"Mock agent {agent_id}",
        "label": agent_id,
        "description": "A voice agent of the talq mock.",
        "language": "en-US",
        "current_status": status,
        "direction": "outbound",
        "is_sandbox": True,
        "created_at": AGENT_CREATED_AT,
        "updated_at": AGENT_CREATED_AT,
    }


def agent_summary(agent_id: str) -> dict[str, Any]:
    return {"id": agent_id, "name": f"Mock agent {agent_id}", "label": agent_id}


async def handle(context: Context) -> Result:
    status = agent_status(context)
    if isinstance(status, Failure):
        return status
    return Success(200, {"success": True, "data": agent_data(context.path_params["agent_id"], status)})
