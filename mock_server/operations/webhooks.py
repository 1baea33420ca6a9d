"""The agent webhook endpoints: createWebhook, listWebhooks, getWebhook.

Webhook URLs are checked against `webhook_allowed_hosts` (loopback by default) so that the mock
never posts events to a machine it was not meant to reach.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from mock_server import scenarios
from mock_server.operations.base import Context, Failure, Result, Success
from mock_server.state.lifecycle import iso
from mock_server.state.webhooks import record_from_request
from mock_server.webhooks.events import resume_calls_of


def _agent_missing(context: Context) -> Failure | None:
    agent_id = context.path_params["agent_id"]
    if context.state.directory.agent_status(agent_id) is None:
        return Failure(scenarios.AGENT_NOT_FOUND, {"agent_id": agent_id})
    return None


def create(context: Context) -> Result:
    missing = _agent_missing(context)
    if missing is not None:
        return missing
    body: dict[str, Any] = context.body
    url = str(body["webhook_url"])
    parts = urlsplit(url)
    allowed = context.settings.webhook_allowed_hosts
    if parts.scheme not in {"http", "https"} or parts.hostname not in allowed:
        message = (
            f"The mock delivers webhooks only over http(s) to {sorted(allowed)} "
            "(setting webhook_allowed_hosts)."
        )
        return Failure(scenarios.VALIDATION_ERROR, {"fields": [{"field": "webhook_url", "message": message}]})
    store = context.state.webhooks
    webhook = record_from_request(
        store.new_id(), context.path_params["agent_id"], body, iso(context.state.clock.time())
    )
    store.add(webhook)
    resume_calls_of(context.state, webhook.agent_id, context.state.clock.time())
    return Success(201, {"success": True, "data": webhook.as_data()})


def list_all(context: Context) -> Result:
    missing = _agent_missing(context)
    if missing is not None:
        return missing
    webhooks = context.state.webhooks.of_agent(context.path_params["agent_id"])
    return Success(200, {"success": True, "data": [webhook.as_data() for webhook in webhooks]})


def get_one(context: Context) -> Result:
    missing = _agent_missing(context)
    if missing is not None:
        return missing
    webhook_id = context.path_params["webhook_id"]
    webhook = context.state.webhooks.webhooks.get(webhook_id)
    if webhook is None or webhook.agent_id != context.path_params["agent_id"]:
        return Failure(scenarios.WEBHOOK_NOT_FOUND, {"webhook_id": webhook_id})
    return Success(200, {"success": True, "data": webhook.as_data()})
