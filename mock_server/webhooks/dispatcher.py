"""Delivering webhook events: one asyncio task per webhook, started in the app's lifespan.

Every `poll` seconds (and at once when the admin API advances the clock) `pump` turns the status
changes that are due into deliveries. Each webhook's worker posts its deliveries oldest first; an
attempt that gets no 2xx within the webhook's `timeout` is retried after `backoff * 2**(n-1)` real
seconds, up to `max_retries` times, with the same body and event id. Every attempt is logged and kept
(GET /_mock/webhook-deliveries). Only hosts of `webhook_allowed_hosts` are ever contacted.
"""

from __future__ import annotations

import asyncio
import logging
import time

import httpx

from mock_server.settings import Settings
from mock_server.state.ports import Store
from mock_server.state.store import MockState
from mock_server.state.webhook_registry import Delivery, WebhookRecord
from mock_server.webhooks.events import emit_due
from mock_server.webhooks.sending import post_once, stop_workers

log = logging.getLogger("mock_server.webhooks")


class Dispatcher:
    def __init__(
        self,
        state: MockState,
        settings: Settings,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout_unit: float = 1.0,
    ) -> None:
        """`timeout_unit`: real seconds per second of a webhook's `timeout` (tests shorten it)."""
        self.state = state
        self.settings = settings
        self.timeout_unit = timeout_unit
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._workers: dict[str, asyncio.Task[None]] = {}

    def pump(self) -> int:
        """Place the campaign calls due now, emit the events due now, and make sure every webhook with
        deliveries has a worker."""
        now = self.state.clock.time()
        self.state.dispatch_campaign_calls(now)  # a campaign call due now is a call with events
        emitted = emit_due(self.state, now)
        if self._client is not None:
            for webhook_id, queue in self.state.webhooks.queues.items():
                worker = self._workers.get(webhook_id)
                if queue and (worker is None or worker.done()):
                    self._workers[webhook_id] = asyncio.create_task(self._work(webhook_id))
        return len(emitted)

    async def pump_now(self, _store: Store) -> int:
        """`pump` for the admin API (the memory store has one namespace: `state`)."""
        return self.pump()

    async def run(self) -> None:
        """Pump forever (until cancelled); owns the HTTP client and the workers."""
        async with httpx.AsyncClient(
            transport=self._transport, trust_env=False, follow_redirects=False
        ) as client:
            self._client = client
            try:
                while True:
                    self.pump()
                    await asyncio.sleep(self.settings.webhook_poll_seconds)
            finally:
                self._client = None
                await stop_workers(self._workers)

    async def _work(self, webhook_id: str) -> None:
        store = self.state.webhooks
        generation = store.generation
        queue = store.queues.get(webhook_id)
        while queue and store.generation == generation:
            delivery = queue[0]
            webhook = store.webhooks.get(webhook_id)
            if webhook is None:
                return  # deleted (Delete Webhook): its queue is gone
            await self._deliver(delivery, webhook, generation)
            if store.generation != generation:
                return  # reset while delivering: that queue is gone
            if queue:
                queue.popleft()

    async def _deliver(self, delivery: Delivery, webhook: WebhookRecord, generation: int) -> None:
        for number in range(1, webhook.max_retries + 2):
            if await self._attempt(delivery, webhook, number):
                delivery.status = "delivered"
                return
            if self.state.webhooks.generation != generation:
                return
            if number <= webhook.max_retries:
                wait = self.settings.webhook_backoff_seconds * 2 ** (number - 1)
                delivery.next_attempt_at = time.time() + wait
                await asyncio.sleep(wait)
                delivery.next_attempt_at = None
        delivery.status = "failed"
        log.warning("webhook %s gave up on %s after %d attempt(s)", webhook.id, delivery.event_id, number)

    async def _attempt(self, delivery: Delivery, webhook: WebhookRecord, number: int) -> bool:
        assert self._client is not None
        timeout = webhook.timeout * self.timeout_unit
        attempt = await post_once(
            self._client,
            delivery.webhook_url,
            delivery.body,
            webhook.secret,
            timeout,
            self.settings.webhook_allowed_hosts,
            number,
        )
        delivery.attempts.append(attempt)
        log.info(
            "webhook %s %s %s attempt %d -> %s (%.1f ms)",
            webhook.id,
            delivery.event,
            delivery.event_id,
            number,
            attempt.status_code if attempt.status_code is not None else attempt.error,
            attempt.duration_ms,
        )
        return attempt.succeeded
