"""Test Webhook (operationId testWebhook): one signed `webhook.test` POST to the webhook's URL, now.

The request waits for the receiver at most the webhook's `timeout` and answers what it said (status
code, time in ms); a receiver that cannot be reached or is too slow gets 502 with the reason. The
attempt is logged like every delivery (List Webhook Delivery Logs shows it).
"""

from __future__ import annotations

from typing import Any

import httpx
import orjson

from mock_server import scenarios
from mock_server.operations.agents import agent_name
from mock_server.operations.base import Context, Failure, Result, Success
from mock_server.operations.webhook_endpoints import webhook_of
from mock_server.state.clock import iso_z
from mock_server.state.webhook_registry import TEST_EVENT, WebhookRecord
from mock_server.webhooks.sending import post_once


def test_payload(webhook: WebhookRecord, now: float) -> dict[str, Any]:
    """The spec's `WebhookTestEvent` (the vendor's page's payload), stamped with milliseconds."""
    return {
        "event": TEST_EVENT,
        "agent_id": webhook.agent_id,
        "agent_name": agent_name(webhook.agent_id),
        "webhook_id": webhook.id,
        "webhook_name": webhook.name,
        "timestamp": iso_z(now)[:19] + f".{int(now * 1000) % 1000:03d}Z",
        "test": True,
    }


async def handle(context: Context) -> Result:
    webhook = await webhook_of(context)
    if isinstance(webhook, Failure):
        return webhook
    body = orjson.dumps(test_payload(webhook, context.now))
    settings = context.settings
    async with httpx.AsyncClient(trust_env=False, follow_redirects=False) as client:
        attempt = await post_once(
            client,
            webhook.webhook_url,
            body,
            webhook.secret,
            float(webhook.timeout),
            settings.webhook_allowed_hosts,
        )
    await context.store.webhooks.record_test(webhook, body, attempt)  # logged like every delivery
    if attempt.status_code is None:
        message = (
            f"Test webhook failed: the receiver at {webhook.webhook_url[:200]} did not answer "
            f"({attempt.error}). Check that it is up and answers within the webhook's timeout, then "
            "test again."
        )
        # The spec's 502 example says which URL and why: an answer made here, not the example as it is.
        return Success(scenarios.TEST_WEBHOOK_FAILED.status, {"success": False, "message": message})
    data = {"status_code": attempt.status_code, "response_time": round(attempt.duration_ms)}
    return Success(200, {"success": True, "message": "Test webhook sent successfully", "data": data})
