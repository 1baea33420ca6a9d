"""Webhook events and deliveries on the shared store: every worker pumps, each event goes out once.

Emitting: a worker claims the calls that are due (`CLAIM_SCRIPT`: a claim lasts `CLAIM_SECONDS` of
real time; a dead worker's claims go back to the schedule), builds their events exactly as the
in-memory pump does (`webhooks.events.event_payload`) and commits them with a check that nobody
emitted them meanwhile (`COMMIT_SCRIPT`). Delivering: each webhook's queue is worked by the one
worker that holds its lease (`LEASE_SCRIPT`, renewed at each attempt); a worker killed mid-delivery
loses the lease after `lease_seconds` and another worker takes the queue over, from the delivery it
had not recorded as done. Retries, backoff and signing are those of `webhooks.dispatcher`.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import secrets
from typing import Any

import httpx
import orjson

from mock_server.settings import Settings
from mock_server.state.lifecycle import happened, timeline
from mock_server.state.ports import Outage, Store, StoreUnavailable
from mock_server.state.redis_store import RedisStore, delivery_from_json, delivery_json, webhook_from_json
from mock_server.state.webhook_registry import Delivery, WebhookRecord
from mock_server.webhooks.events import event_payload
from mock_server.webhooks.sending import post_once, stop_workers

log = logging.getLogger("mock_server.webhooks")
CLAIM_SECONDS = 10.0  # a claimed call not committed by then goes back to the schedule
CLAIM_BATCH = 200


class SharedDispatcher:
    def __init__(
        self, store: RedisStore, settings: Settings, lease_seconds: float = 5.0, timeout_unit: float = 1.0
    ) -> None:
        self.store = store
        self.settings = settings
        self.lease_seconds = lease_seconds
        self.timeout_unit = timeout_unit
        self.token = secrets.token_hex(8)  # this worker, as a lease holder
        self._client: httpx.AsyncClient | None = None
        self._workers: dict[str, asyncio.Task[None]] = {}

    async def pump_now(self, store: Store) -> int:
        """Emit what is due in `store`'s namespace (the admin API, after advancing the clock)."""
        if not isinstance(store, RedisStore):
            return 0
        emitted = await self.emit(store)
        self.deliver(store)
        return emitted

    async def run(self) -> None:
        """Pump the mock's own namespace, and those its requests named lately (`RedisStore.pumped`),
        until cancelled. A store that is down: said once, tried again at each poll, and said again
        when it answers."""
        async with httpx.AsyncClient(trust_env=False, follow_redirects=False) as client:
            self._client = client
            outage = Outage(log, "webhooks")
            try:
                while True:
                    try:
                        for store in self.store.pumped():
                            await store.ready()  # the configured webhooks, before any request
                            await self.emit(store)
                            await self._start_deliveries(store)
                        outage.answered()
                    except StoreUnavailable as error:
                        outage.failed(error)
                    await asyncio.sleep(self.settings.webhook_poll_seconds)
            finally:
                self._client = None
                await stop_workers(self._workers)

    async def emit(self, store: RedisStore) -> int:
        connection, keys = store.connection, store.keys
        now = (await store.clock.view()).now
        claimed = await connection.script(
            connection.claim, [keys.due, keys.claim, keys.settled], [f"{now:.6f}", CLAIM_SECONDS, CLAIM_BATCH]
        )
        if not claimed:
            return 0
        webhooks = await _all_webhooks(store)
        emitted = 0
        for index in range(0, len(claimed), 2):
            emitted += await self._emit_call(
                store, webhooks, str(claimed[index]), str(claimed[index + 1]), now
            )
        return emitted

    async def _emit_call(
        self, store: RedisStore, webhooks: list[WebhookRecord], call_id: str, settled: str, now: float
    ) -> int:
        connection, keys = store.connection, store.keys
        call = await store.calls.get(call_id)
        if settled == "-1" or call is None:
            await connection.run(lambda: connection.client.zrem(keys.claim, call_id))
            return 0
        done = int(settled)
        mine = [webhook for webhook in webhooks if webhook.agent_id == call.agent_id]
        steps = timeline(call, store.durations)
        due = happened(steps, now)
        deliveries: list[str] = []
        events = 0
        if not mine:
            next_look = "park"  # `resume` reschedules it when the agent gets a webhook
            count = done
        else:
            count = max(done, len(due))
            for number in range(done, len(due)):
                subscribed = [w for w in mine if w.enabled and due[number].event in w.events]
                if not subscribed:
                    continue  # an event nobody subscribes to is never built (nor ever sent later)
                event = event_payload(call, number, due)
                body = orjson.dumps(event)
                events += 1
                for webhook in subscribed:
                    delivery = Delivery(
                        "", webhook.id, webhook.webhook_url, event["id"], event["event"], call.id, body
                    )
                    deliveries += [webhook.id, delivery_json(delivery)]
            if due and len(due) == len(steps) and due[-1].ended_reason is not None:
                next_look = ""
            elif len(due) < len(steps):
                next_look = f"{steps[len(due)].at:.6f}"
            else:
                next_look = "park"  # answered until End Call (which schedules it again)
        made = await connection.script(
            connection.commit,
            [keys.due, keys.claim, keys.settled, keys.deliveries, keys.dlvseq, keys.queues, keys.finished],
            [call_id, settled, count, next_look, keys.prefix, store.webhooks.max_deliveries, *deliveries],
        )
        return events if int(made) >= 0 else 0  # -1: another worker emitted them first

    async def _start_deliveries(self, store: RedisStore) -> None:
        if self._client is None:
            return
        queues: set[str] = await store.connection.run(
            lambda: store.connection.client.smembers(store.keys.queues)
        )
        for webhook_id in queues:
            key = store.keys.prefix + webhook_id  # webhook ids are unique within their namespace
            worker = self._workers.get(key)
            if worker is None or worker.done():
                self._workers[key] = asyncio.create_task(self._work(store, webhook_id))

    def deliver(self, store: RedisStore) -> None:
        """Start delivering now (after the admin API advanced the clock), not at the next tick."""
        if self._client is not None:
            task = asyncio.create_task(self._start_deliveries(store))
            task.add_done_callback(lambda done: done.exception() if not done.cancelled() else None)

    async def _work(self, store: RedisStore, webhook_id: str) -> None:
        """Deliver `webhook_id`'s queue, oldest first, while this worker holds its lease."""
        connection, keys = store.connection, store.keys
        lease_key, queue = f"{keys.prefix}lease:{webhook_id}", f"{keys.prefix}q:{webhook_id}"
        try:
            while True:
                webhook = await store.webhooks.get(webhook_id)
                if webhook is None:
                    return
                lease_ms = int(1000 * max(self.lease_seconds, webhook.timeout * self.timeout_unit + 1))
                held = await connection.script(connection.lease, [lease_key], [self.token, lease_ms])
                if held != 1:
                    return  # another worker delivers this queue
                found = await connection.run(lambda: connection.client.lindex(queue, 0))
                if found is None:
                    return
                head = str(found)
                text = await connection.run(functools.partial(connection.client.hget, keys.deliveries, head))
                if text is None:
                    await connection.run(functools.partial(connection.client.lrem, queue, 1, head))
                    continue
                if not await self._deliver(
                    store, webhook, delivery_from_json(head, text), lease_key, lease_ms
                ):
                    return
        except StoreUnavailable as error:
            log.warning("webhooks: %s", error)

    async def _deliver(
        self, store: RedisStore, webhook: WebhookRecord, delivery: Delivery, lease_key: str, lease_ms: int
    ) -> bool:
        """Attempt `delivery` until it is delivered or out of retries; False once the lease is lost."""
        assert self._client is not None
        connection, keys = store.connection, store.keys
        queue = f"{keys.prefix}q:{webhook.id}"
        for number in range(len(delivery.attempts) + 1, webhook.max_retries + 2):
            attempt = await post_once(
                self._client,
                delivery.webhook_url,
                delivery.body,
                webhook.secret,
                webhook.timeout * self.timeout_unit,
                self.settings.webhook_allowed_hosts,
                number,
            )
            delivery.attempts.append(attempt)
            final = attempt.succeeded or number > webhook.max_retries
            delivery.status = "delivered" if attempt.succeeded else ("failed" if final else "pending")
            kept = await connection.script(
                connection.record,
                [lease_key, keys.deliveries, queue, keys.queues, keys.finished],
                [
                    self.token,
                    delivery.id,
                    delivery_json(delivery),
                    "1" if final else "0",
                    webhook.id,
                    lease_ms,
                    store.webhooks.max_deliveries,
                ],
            )
            if kept != 1:
                return False
            if final:
                return True
            await asyncio.sleep(self.settings.webhook_backoff_seconds * 2 ** (number - 1))
        return True


async def _all_webhooks(store: RedisStore) -> list[WebhookRecord]:
    kept: dict[str, str] = await store.connection.run(
        lambda: store.connection.client.hgetall(store.keys.webhooks)
    )
    return [webhook_from_json(webhook_id, text) for webhook_id, text in kept.items()]


async def resume(store: RedisStore, agent_id: str, now: float) -> None:
    """The agent has a new webhook: its calls in flight get their next events (not the past ones)."""
    connection, keys = store.connection, store.keys
    settled: dict[str, str] = await connection.run(lambda: connection.client.hgetall(keys.settled))
    for call_id in settled:
        call = await store.calls.get(call_id)
        if call is None or call.agent_id != agent_id:
            continue
        steps = timeline(call, store.durations)
        due = happened(steps, now)

        async def reschedule(call_id: str = call_id, count: int = len(due), steps: Any = steps) -> None:
            async with connection.client.pipeline(transaction=True) as pipe:
                pipe.hset(keys.settled, call_id, str(count))
                if count < len(steps):
                    pipe.zadd(keys.due, {call_id: steps[count].at})
                await pipe.execute()

        await connection.run(reschedule)
