"""The agent webhook endpoints of the API: create, list, get, update, toggle, delete, and the
delivery logs (Test Webhook, which sends, is `webhook_test.py`).

Webhook URLs are checked against `webhook_allowed_hosts` (loopback by default) so that the mock
never posts events to a machine it was not meant to reach.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from mock_server import scenarios
from mock_server.http import url_host_allowed
from mock_server.operations.base import Context, Failure, Result, Success, agent_status
from mock_server.spec.compiled import Operation
from mock_server.spec.document import JSON
from mock_server.state.clock import iso_z_micro
from mock_server.state.webhook_registry import WebhookRecord, record_from_request

CREATE_WEBHOOK = "createWebhook"
LIST_WEBHOOKS = "listWebhooks"
CREATED_MESSAGE = "Webhook created successfully"  # Create Webhook's page


def url_refused(context: Context, url: str) -> Failure | None:
    """422 for a webhook URL the mock would not post to (not http(s) to an allowed host)."""
    allowed = context.settings.webhook_allowed_hosts
    if url_host_allowed(url, allowed):
        return None
    message = (
        f"The mock delivers webhooks only over http(s) to {sorted(allowed)} (setting webhook_allowed_hosts)."
    )
    return Failure(scenarios.INVALID_DATA, {"fields": [{"field": "webhook_url", "message": message}]})


async def create(context: Context) -> Result:
    status = agent_status(context)
    if isinstance(status, Failure):
        return status
    body: dict[str, Any] = context.body
    refused = url_refused(context, str(body["webhook_url"]))
    if refused is not None:
        return refused
    draft = record_from_request("", context.path_params["agent_id"], body, iso_z_micro(context.now))
    webhook = await context.store.webhooks.add(draft)  # the store gives it its id
    return Success(201, {"success": True, "message": CREATED_MESSAGE, "data": webhook.as_data()})


async def list_all(context: Context) -> Result:
    status = agent_status(context)
    if isinstance(status, Failure):
        return status
    webhooks = await context.store.webhooks.of_agent(context.path_params["agent_id"])
    data = {
        "webhooks": [webhook.as_data() for webhook in webhooks],
        "available_events": dict(context.store.available_events),
    }
    return Success(200, {"success": True, "data": data})


async def webhook_of(context: Context) -> WebhookRecord | Failure:
    """The path's webhook of the path's agent, or AGENT_NOT_FOUND / WEBHOOK_NOT_FOUND."""
    status = agent_status(context)
    if isinstance(status, Failure):
        return status
    webhook_id = context.path_params["webhook_id"]
    webhook = await context.store.webhooks.get(webhook_id)
    if webhook is None or webhook.agent_id != context.path_params["agent_id"]:
        return Failure(scenarios.WEBHOOK_NOT_FOUND, {"webhook_id": webhook_id})
    return webhook


async def get_one(context: Context) -> Result:
    webhook = await webhook_of(context)
    if isinstance(webhook, Failure):
        return webhook
    return Success(200, {"success": True, "data": webhook.as_data()})


async def update(context: Context) -> Result:
    webhook = await webhook_of(context)
    if isinstance(webhook, Failure):
        return webhook
    body: dict[str, Any] = context.body
    if "webhook_url" in body:
        refused = url_refused(context, str(body["webhook_url"]))
        if refused is not None:
            return refused
    changed = await context.store.webhooks.update(webhook.id, body, iso_z_micro(context.now))
    message = "Webhook updated successfully"
    return Success(200, {"success": True, "message": message, "data": changed.as_data()})


async def toggle(context: Context) -> Result:
    webhook = await webhook_of(context)
    if isinstance(webhook, Failure):
        return webhook
    changed = await context.store.webhooks.toggle(webhook.id, iso_z_micro(context.now))
    message = "Webhook enabled" if changed.enabled else "Webhook disabled"
    return Success(200, {"success": True, "message": message, "data": changed.as_data()})


async def delete(context: Context) -> Result:
    webhook = await webhook_of(context)
    if isinstance(webhook, Failure):
        return webhook
    await context.store.webhooks.remove(webhook.id)
    return Success(200, {"success": True, "message": "Webhook deleted successfully"})


async def logs(context: Context) -> Result:
    webhook = await webhook_of(context)
    if isinstance(webhook, Failure):
        return webhook
    rows = await context.store.webhooks.logs_of(webhook.id)
    per_page, page = int(context.query["per_page"]), int(context.query["page"])
    first = (page - 1) * per_page
    pagination = {
        "current_page": page,
        "per_page": per_page,
        "total": len(rows),
        "last_page": max(math.ceil(len(rows) / per_page), 1),
    }
    return Success(200, {"success": True, "data": rows[first : first + per_page], "pagination": pagination})


def available_events(operations: Mapping[str, Operation]) -> Mapping[str, str]:
    """The `available_events` of List Agent Webhooks' example in the spec (the vendor's list)."""
    list_webhooks = operations.get(LIST_WEBHOOKS)
    if list_webhooks is None or 200 not in list_webhooks.responses:
        return {}
    for example in list_webhooks.responses[200].examples.values():
        data = example.get("data") if isinstance(example, dict) else None
        if isinstance(data, dict) and isinstance(data.get("available_events"), dict):
            return {str(name): str(text) for name, text in data["available_events"].items()}
    return {}


def webhook_defaults(operations: Mapping[str, Operation]) -> Mapping[str, JSON]:
    """The spec's defaults of Create a webhook's body (for the webhooks of the config file)."""
    create_webhook = operations.get(CREATE_WEBHOOK)
    return create_webhook.body_defaults if create_webhook is not None else {}
