"""Registered webhooks, and their deliveries: one per (event, webhook), each with its attempts.

Deliveries wait in one queue per webhook, oldest first, so the events of a call reach each receiver
in order. `generation` changes on reset, telling running delivery workers to stop.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

import orjson

from mock_server.state.ids import IdGenerator

MAX_DELIVERIES_LOGGED = 10_000
MAX_RESPONSE_BODY = 1024  # characters of a receiver's body kept per attempt
MAX_RESPONSE_HEADERS = 50  # headers of a receiver's answer kept per attempt, each value cut to 200
TEST_EVENT = "webhook.test"
UPDATABLE = ("name", "webhook_url", "events", "timeout", "max_retries", "enabled")


@dataclass
class WebhookRecord:
    id: str
    agent_id: str
    name: str
    webhook_url: str
    events: list[str]
    timeout: int
    max_retries: int
    enabled: bool
    secret: str | None
    created_at: str
    updated_at: str = ""  # "" until Update or Toggle changes it: then created_at stands for it

    def as_data(self) -> dict[str, Any]:
        """The `Webhook` schema of the spec, as the vendor's pages show it: the secret is never shown;
        `status` is `active` or `disabled` (the mock has no failing webhooks: `error` never)."""
        return {
            "id": self.id,
            "agent_id": self.agent_id,
            "name": self.name,
            "webhook_url": self.webhook_url,
            "events": list(self.events),
            "timeout": self.timeout,
            "max_retries": self.max_retries,
            "enabled": self.enabled,
            "created_at": self.created_at,
            "updated_at": self.updated_at or self.created_at,
            "events_count": len(self.events),
            "status": "active" if self.enabled else "disabled",
        }


@dataclass
class Attempt:
    number: int
    at: str  # real time, ISO 8601
    status_code: int | None
    error: str | None
    duration_ms: float
    response_body: str | None = None  # its first MAX_RESPONSE_BODY characters, when there was an answer
    response_headers: dict[str, str] = field(default_factory=dict)
    signature: str | None = None  # the X-Talq-Signature header it carried (None: no secret)

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    def as_data(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "at": self.at,
            "status_code": self.status_code,
            "error": self.error,
            "duration_ms": round(self.duration_ms, 2),
        }

    def as_log(self, delivery: Delivery) -> dict[str, Any]:
        """The spec's `WebhookLog` of this attempt of `delivery`."""
        log: dict[str, Any] = {
            "id": f"log_{delivery.id[4:]}_{self.number}",
            "webhook_id": delivery.webhook_id,
            "event": delivery.event,
            "attempt": self.number,
            "status": "success" if self.succeeded else "failed",
            "request_payload": orjson.loads(delivery.body),
            "duration_ms": round(self.duration_ms),
            "created_at": self.at,
        }
        if self.status_code is not None:
            log["http_status"] = self.status_code
            log["response_body"] = self.response_body or ""
            log["response_headers"] = dict(self.response_headers)
        if self.succeeded:
            log["delivered_at"] = self.at
        else:
            log["error"] = self.error or f"the receiver answered {self.status_code}"
        return log


@dataclass
class Delivery:
    id: str
    webhook_id: str
    webhook_url: str
    event_id: str
    event: str
    call_id: str | None  # None for Test Webhook's delivery
    body: bytes
    status: str = "pending"  # pending | delivered | failed
    attempts: list[Attempt] = field(default_factory=list)
    next_attempt_at: float | None = None  # real epoch seconds of the retry being waited for
    resent_from: str | None = None  # the delivery this one resends (the inspector's Resend)

    def as_data(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "webhook_id": self.webhook_id,
            "webhook_url": self.webhook_url,
            "event_id": self.event_id,
            "event": self.event,
            "call_id": self.call_id,
            "status": self.status,
            "attempts": [attempt.as_data() for attempt in self.attempts],
        }


class WebhookStore:
    def __init__(self, seed: int | None = None) -> None:
        self._ids = IdGenerator("wh_", seed)
        self.webhooks: dict[str, WebhookRecord] = {}
        self.queues: dict[str, deque[Delivery]] = {}
        self.deliveries: deque[Delivery] = deque(maxlen=MAX_DELIVERIES_LOGGED)
        self.generation = 0
        self._delivery_count = 0

    def new_id(self) -> str:
        return self._ids.new(self.webhooks)

    def add(self, webhook: WebhookRecord) -> None:
        self.webhooks[webhook.id] = webhook
        self.queues[webhook.id] = deque()

    def has_agent(self, agent_id: str) -> bool:
        """Whether the agent has any webhook at all (else its calls need no event bookkeeping)."""
        return any(webhook.agent_id == agent_id for webhook in self.webhooks.values())

    def subscribed(self, agent_id: str, event: str) -> bool:
        """Whether an enabled webhook of the agent wants `event` (no event is built for nobody)."""
        return any(
            webhook.enabled and webhook.agent_id == agent_id and event in webhook.events
            for webhook in self.webhooks.values()
        )

    def of_agent(self, agent_id: str) -> list[WebhookRecord]:
        return [webhook for webhook in self.webhooks.values() if webhook.agent_id == agent_id]

    def update(self, webhook_id: str, changes: dict[str, Any], at: str) -> WebhookRecord:
        """Update Webhook: the fields of `changes` (a validated request body) and nothing else."""
        return apply_update(self.webhooks[webhook_id], changes, at)

    def toggle(self, webhook_id: str, at: str) -> WebhookRecord:
        """Toggle Webhook Status: enabled becomes disabled and the other way round."""
        webhook = self.webhooks[webhook_id]
        webhook.enabled = not webhook.enabled
        webhook.updated_at = at
        return webhook

    def remove(self, webhook_id: str) -> None:
        """Delete Webhook: the webhook, its queued deliveries and its logs."""
        del self.webhooks[webhook_id]
        self.queues.pop(webhook_id, None)
        kept = [delivery for delivery in self.deliveries if delivery.webhook_id != webhook_id]
        self.deliveries.clear()
        self.deliveries.extend(kept)

    def test_delivery(self, webhook: WebhookRecord, body: bytes) -> Delivery:
        """A logged delivery of Test Webhook's payload (sent at once, never queued nor retried)."""
        delivery = self._delivery(webhook, "", TEST_EVENT, None, body)
        self.deliveries.append(delivery)
        return delivery

    def logs_of(self, webhook_id: str) -> list[dict[str, Any]]:
        """Every attempt of every delivery to the webhook, newest first (the spec's `WebhookLog`s)."""
        return [
            attempt.as_log(delivery)
            for delivery in reversed(self.deliveries)
            if delivery.webhook_id == webhook_id
            for attempt in reversed(delivery.attempts)
        ]

    def _delivery(
        self, webhook: WebhookRecord, event_id: str, event: str, call_id: str | None, body: bytes
    ) -> Delivery:
        self._delivery_count += 1
        return Delivery(
            id=f"dlv_{self._delivery_count:06d}",
            webhook_id=webhook.id,
            webhook_url=webhook.webhook_url,
            event_id=event_id,
            event=event,
            call_id=call_id,
            body=body,
        )

    def enqueue(self, event: dict[str, Any], body: bytes) -> list[Delivery]:
        """A delivery of `event` to every enabled webhook of its agent that subscribes to it."""
        created: list[Delivery] = []
        for webhook in self.of_agent(event["agent_id"]):
            if not webhook.enabled or event["event"] not in webhook.events:
                continue
            created.append(
                self.queue_delivery(webhook, event["id"], event["event"], event["call"]["id"], body)
            )
        return created

    def queue_delivery(
        self, webhook: WebhookRecord, event_id: str, event: str, call_id: str | None, body: bytes
    ) -> Delivery:
        """A new delivery of `body` (the event `event_id`) to `webhook`, at the end of its queue."""
        delivery = self._delivery(webhook, event_id, event, call_id, body)
        self.queues[webhook.id].append(delivery)
        self.deliveries.append(delivery)
        return delivery

    def resend(self, original: Delivery) -> Delivery | None:
        """A new delivery of `original`'s event (same body and event id; each attempt is signed anew)
        to its webhook; None when that webhook is gone."""
        webhook = self.webhooks.get(original.webhook_id)
        if webhook is None:
            return None
        delivery = self.queue_delivery(
            webhook, original.event_id, original.event, original.call_id, original.body
        )
        delivery.resent_from = original.id
        return delivery

    def find(self, delivery_id: str) -> Delivery | None:
        return next((delivery for delivery in self.deliveries if delivery.id == delivery_id), None)

    def reset(self, keep: list[WebhookRecord] | None = None) -> None:
        """Forget webhooks (but those in `keep`, the configured ones), queues and deliveries."""
        self.generation += 1
        self._ids.reset()
        self.webhooks.clear()
        self.queues.clear()
        self.deliveries.clear()
        self._delivery_count = 0
        for webhook in keep or []:
            self.add(webhook)


def apply_update(webhook: WebhookRecord, changes: dict[str, Any], at: str) -> WebhookRecord:
    """Update Webhook's change of `webhook`: the fields of `changes` and nothing else."""
    for name in UPDATABLE:
        if name in changes:
            value = changes[name]
            setattr(webhook, name, list(value) if name == "events" else value)
    if changes.get("webhook_secret"):
        webhook.secret = str(changes["webhook_secret"])
    webhook.updated_at = at
    return webhook


def record_from_request(
    webhook_id: str, agent_id: str, body: dict[str, Any], created_at: str
) -> WebhookRecord:
    """A webhook from Create a webhook's validated body, the spec's defaults filled in."""
    secret = body.get("webhook_secret")
    return WebhookRecord(
        id=webhook_id,
        agent_id=agent_id,
        name=str(body["name"]),
        webhook_url=str(body["webhook_url"]),
        events=[str(event) for event in body["events"]],
        timeout=int(body["timeout"]),
        max_retries=int(body["max_retries"]),
        enabled=body["enabled"] is not False,
        secret=str(secret) if secret else None,
        created_at=created_at,
    )
