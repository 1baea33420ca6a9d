"""Test Webhook over real HTTP: a signed `webhook.test` to a real receiver on 127.0.0.1, its answer,
a receiver that is down or slow (a clear 502, bounded by the webhook's timeout), and its log."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import jsonschema
import pytest
from talq_client import AuthenticatedClient, errors
from talq_client.api.webhooks import create_webhook, list_webhook_logs, test_webhook
from talq_client.models import (
    CreateWebhookRequest,
    FailureMessage,
    KnownWebhookEventName,
    WebhookCreatedResponse,
    WebhookTestResponse,
)

from mock_server.spec.document import dereference
from mock_server.testing import LiveMock, free_port
from mock_server.webhooks.receiver import receiving
from mock_server.webhooks.signing import verify_signature

AGENT = "agent_123456"
SECRET = "whsec_test"


def register(client: AuthenticatedClient, url: str, timeout: int = 30, enabled: bool = True) -> str:
    body = CreateWebhookRequest(
        name="Receiver check",
        webhook_url=url,
        events=[KnownWebhookEventName.EVENT_PHONE_CALL_ENDED],
        webhook_secret=SECRET,
        timeout=timeout,
        enabled=enabled,
    )
    created = create_webhook.sync_detailed(AGENT, client=client, body=body)
    assert isinstance(created.parsed, WebhookCreatedResponse), created.content
    return created.parsed.data.id


def webhook_test_schema(spec: dict[str, Any]) -> jsonschema.Draft202012Validator:
    schema = dereference(spec, spec["webhooks"]["webhookTest"]["post"]["requestBody"])
    return jsonschema.Draft202012Validator(schema["content"]["application/json"]["schema"])


def test_a_test_reaches_the_receiver_signed_and_answers_its_status_and_time(
    client: AuthenticatedClient, spec: dict[str, Any]
) -> None:
    with receiving() as receiver:
        webhook_id = register(client, receiver.url, enabled=False)  # sent even to a disabled webhook
        answered = test_webhook.sync_or_raise(AGENT, webhook_id, client=client)
        assert isinstance(answered, WebhookTestResponse)
        assert answered.message == "Test webhook sent successfully"
        assert answered.data.status_code == 200
        assert 0 <= answered.data.response_time < 5000
        [received] = receiver.wait_for(1)
    verify_signature(SECRET, received.headers.get("x-talq-signature"), received.body)
    payload = json.loads(received.body)
    assert list(webhook_test_schema(spec).iter_errors(payload)) == []
    assert payload["event"] == "webhook.test"
    assert (payload["agent_id"], payload["webhook_id"], payload["webhook_name"]) == (
        AGENT,
        webhook_id,
        "Receiver check",
    )
    assert payload["test"] is True
    assert payload["timestamp"].endswith("Z")
    assert len(payload["timestamp"]) == len("2025-09-03T23:19:51.000Z")


def test_a_receiver_that_answers_500_is_reported_not_refused(client: AuthenticatedClient) -> None:
    with receiving(fail_first=1) as receiver:
        webhook_id = register(client, receiver.url)
        answered = test_webhook.sync_or_raise(AGENT, webhook_id, client=client)
    assert answered.data.status_code == 500
    logs = list_webhook_logs.sync_or_raise(AGENT, webhook_id, client=client)
    [log] = logs.data
    assert (log.event, log.status.value, log.http_status, log.attempt) == ("webhook.test", "failed", 500, 1)


def test_a_receiver_that_is_down_gets_a_quick_502_saying_why(
    mock: LiveMock, client: AuthenticatedClient
) -> None:
    url = f"http://127.0.0.1:{free_port()}/talq/events"  # nothing listens there
    webhook_id = register(client, url)
    started = time.monotonic()
    response = httpx.post(
        f"{mock.api_url}/agents/{AGENT}/webhooks/{webhook_id}/test",
        headers={"Authorization": "Bearer talq_demo"},
        timeout=30,
    )
    assert time.monotonic() - started < 5
    assert response.status_code == 502
    body = response.json()
    assert body["success"] is False
    assert url in body["message"]
    assert "ConnectError" in body["message"]
    assert "X-RateLimit-Limit" in response.headers
    logs = list_webhook_logs.sync_or_raise(AGENT, webhook_id, client=client)
    assert [(log.status.value, log.error is not None) for log in logs.data] == [("failed", True)]


def test_a_slow_receiver_is_given_up_on_after_the_webhooks_timeout(
    mock: LiveMock, client: AuthenticatedClient
) -> None:
    with receiving(slow_first=1, slow_seconds=8) as receiver:
        webhook_id = register(client, receiver.url, timeout=5)  # the smallest timeout allowed
        started = time.monotonic()
        response = httpx.post(
            f"{mock.api_url}/agents/{AGENT}/webhooks/{webhook_id}/test",
            headers={"Authorization": "Bearer talq_demo"},
            timeout=30,
        )
        waited = time.monotonic() - started
    assert 5 <= waited < 7.5
    assert response.status_code == 502
    assert "no answer within 5 s" in response.json()["message"]


def test_an_unknown_webhook_or_agent_is_404(client: AuthenticatedClient) -> None:
    missing = test_webhook.sync_detailed(AGENT, "wh_nope", client=client)
    assert missing.status_code == 404
    assert isinstance(missing.parsed, FailureMessage)
    assert missing.parsed.message == "Webhook not found."
    agent = test_webhook.sync_detailed("agent_missing", "wh_nope", client=client)
    assert isinstance(agent.parsed, FailureMessage)
    assert agent.parsed.message == "Agent not found in this environment."
    with pytest.raises(errors.NotFound, match="Webhook not found"):
        list_webhook_logs.sync_or_raise(AGENT, "wh_nope", client=client)
