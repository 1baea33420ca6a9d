"""Publish Agent and Unpublish Agent (publishAgent, unpublishAgent): an agent's status changes.

What the vendor leaves open is decided as the spec marks it: publishing a published agent (or
unpublishing a draft) answers 200 and changes nothing but `updated_at`.
"""

from __future__ import annotations

from types import MappingProxyType

from mock_server import scenarios
from mock_server.operations.agents import agent_name
from mock_server.operations.base import Context, Failure, Result, Success, agent_status
from mock_server.state.clock import iso_z

MESSAGES = MappingProxyType(
    {
        scenarios.AGENT_PUBLISHED: "Agent published successfully",
        scenarios.AGENT_DRAFT: "Agent unpublished successfully",
    }
)


async def change(context: Context, to_status: str) -> Result:
    status = agent_status(context)
    if isinstance(status, Failure):
        return status
    agent_id = context.path_params["agent_id"]
    directory = context.store.directory
    ready = directory.ready_to_publish(agent_id)
    if to_status == scenarios.AGENT_PUBLISHED and not ready:
        return Failure(scenarios.AGENT_NOT_READY)
    now = context.now
    await context.store.agents.set_status(agent_id, to_status, now)
    data = {
        "id": agent_id,
        "name": agent_name(agent_id),
        "current_status": to_status,
        "is_ready_to_publish": ready,
        "updated_at": iso_z(now),
    }
    return Success(200, {"success": True, "message": MESSAGES[to_status], "data": data})


async def publish(context: Context) -> Result:
    return await change(context, scenarios.AGENT_PUBLISHED)


async def unpublish(context: Context) -> Result:
    return await change(context, scenarios.AGENT_DRAFT)
