"""The agent webhook endpoints of the API: createWebhook, listWebhooks, getWebhook.

Webhook URLs are checked against `webhook_allowed_hosts` (loopback by default) so that the mock
never posts events to a machine it was not meant to reach.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mock_server import scenarios
from mock_server.http import url_host_allowed
from mock_server.operations.base import Context, Failure, Result, Success, agent_status
from mock_server.spec.compiled import Operation
from mock_server.spec.document import JSON
from mock_server.state.clock import iso_z
from mock_server.state.webhook_registry import record_from_request

CREATE_WEBHOOK = "createWebhook"


async def create(context: Context) -> Result:
    status = agent_status(context)
    if isinstance(status, Failure):
        return status
    body: dict[str, Any] = context.body
    allowed = context.settings.webhook_allowed_hosts
    if not url_host_allowed(str(body["webhook_url"]), allowed):
        message = (
            f"The mock delivers webhooks only over http(s) to {sorted(allowed)} "
            "(setting webhook_allowed_hosts)."
        )
        return Failure(scenarios.VALIDATION_ERROR, {"fields": [{"field": "webhook_url", "message": message}]})
    draft = record_from_request("", context.path_params["agent_id"], body, iso_z(context.now))
    webhook = await context.store.webhooks.add(draft)  # the store gives it its id
    return Success(201, {"success": True, "data": webhook.as_data()})


async def list_all(context: Context) -> Result:
    status = agent_status(context)
    if isinstance(status, Failure):
        return status
    webhooks = await context.store.webhooks.of_agent(context.path_params["agent_id"])
    return Success(200, {"success": True, "data": [webhook.as_data() for webhook in webhooks]})


async def get_one(context: Context) -> Result:
    status = agent_status(context)
    if isinstance(status, Failure):
        return status
    webhook_id = context.path_params["webhook_id"]
    webhook = await context.store.webhooks.get(webhook_id)
    if webhook is None or webhook.agent_id != context.path_params["agent_id"]:
        return Failure(scenarios.WEBHOOK_NOT_FOUND, {"webhook_id": webhook_id})
    return Success(200, {"success": True, "data": webhook.as_data()})


def webhook_defaults(operations: Mapping[str, Operation]) -> Mapping[str, JSON]:
    """The spec's defaults of Create a webhook's body (for the webhooks of the config file)."""
    create_webhook = operations.get(CREATE_WEBHOOK)
    return create_webhook.body_defaults if create_webhook is not None else {}
