"""The in-memory side of the store seam (`state.ports`): the default, one process's `MockState`.

Each class answers from `MockState` with no `await` inside, so every method stays atomic on the event
loop, as the request path was before the seam. The webhook pump (`webhooks.dispatcher`) works on the
same `MockState` directly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from mock_server.http import Answer, Request
from mock_server.settings import CampaignEntry
from mock_server.state.calls import CallRecord
from mock_server.state.campaigns import CampaignCall, CampaignCallView, campaign_call_status, duplicate_of
from mock_server.state.lifecycle import view_at
from mock_server.state.ports import DEFAULT_NAMESPACE, Admission, ClockView, Ending, Gate, Store, admit
from mock_server.state.store import MockState
from mock_server.state.webhook_registry import Attempt, WebhookRecord


class MemoryClock:
    def __init__(self, state: MockState) -> None:
        self._state = state

    async def view(self) -> ClockView:
        clock = self._state.clock
        return ClockView(clock.time(), clock.offset, clock.scale)

    async def advance(self, seconds: float) -> ClockView:
        self._state.clock.advance(seconds)
        return await self.view()


class MemoryRate:
    def __init__(self, state: MockState) -> None:
        self._state = state

    async def hit(self, key: str, exhaust: bool = False) -> Admission:
        limiter = self._state.limiter
        if exhaust:
            limiter.exhaust(key)
        return Admission(limiter.hit(key), self._state.clock.time())


class MemoryCalls:
    def __init__(self, state: MockState, rate: MemoryRate) -> None:
        self._state, self._rate = state, rate

    async def place(self, call: CallRecord, charge: str | None, gate: Gate) -> CallRecord | None:
        now = (await admit(self._rate, gate)).now
        state = self._state
        if charge is not None and not state.credits.spend(charge):
            return None
        call.id, call.created_at = state.calls.new_id(), datetime.fromtimestamp(now, UTC)
        state.add_call(call)
        return call

    async def get(self, call_id: str) -> CallRecord | None:
        return self._state.calls.get(call_id)

    async def end(self, call_id: str, at: datetime) -> bool:
        call = self._state.calls.get(call_id)
        if call is None or call.ended_at is not None:
            return False
        self._state.end_call(call, at)
        return True

    async def end_active(self, call_id: str, agent_id: str, gate: Gate) -> Ending:
        now = (await admit(self._rate, gate)).now
        state = self._state
        call = state.calls.get(call_id)
        if call is None or call.agent_id != agent_id:
            return Ending(None, False, now)
        if not view_at(call, state.durations, now).active:
            return Ending(call, False, now)
        state.end_call(call, datetime.fromtimestamp(now, UTC))
        return Ending(call, True, now)

    async def all(self, gate: Gate | None = None) -> list[CallRecord]:
        if gate is not None:
            await admit(self._rate, gate)
        return self._state.calls.all()

    async def count(self) -> int:
        return len(self._state.calls)


class MemoryWebhooks:
    def __init__(self, state: MockState, on_added: Callable[[str], None]) -> None:
        """`on_added(agent_id)`: the agent has a new webhook (its calls in flight get their next events)."""
        self._state = state
        self._on_added = on_added

    async def add(self, webhook: WebhookRecord) -> WebhookRecord:
        registry = self._state.webhooks
        webhook.id = registry.new_id()
        registry.add(webhook)
        self._on_added(webhook.agent_id)
        return webhook

    async def get(self, webhook_id: str) -> WebhookRecord | None:
        return self._state.webhooks.webhooks.get(webhook_id)

    async def of_agent(self, agent_id: str) -> list[WebhookRecord]:
        return self._state.webhooks.of_agent(agent_id)

    async def update(self, webhook_id: str, changes: dict[str, Any], at: str) -> WebhookRecord:
        changed = self._state.webhooks.update(webhook_id, changes, at)
        if changed.enabled:
            self._on_added(changed.agent_id)
        return changed

    async def toggle(self, webhook_id: str, at: str) -> WebhookRecord:
        changed = self._state.webhooks.toggle(webhook_id, at)
        if changed.enabled:
            self._on_added(changed.agent_id)
        return changed

    async def remove(self, webhook_id: str) -> None:
        self._state.webhooks.remove(webhook_id)

    async def record_test(self, webhook: WebhookRecord, body: bytes, attempt: Attempt) -> None:
        delivery = self._state.webhooks.test_delivery(webhook, body)
        delivery.attempts.append(attempt)
        delivery.status = "delivered" if attempt.succeeded else "failed"

    async def logs_of(self, webhook_id: str) -> list[dict[str, Any]]:
        return self._state.webhooks.logs_of(webhook_id)

    async def deliveries(self) -> list[dict[str, Any]]:
        return [delivery.as_data() for delivery in self._state.webhooks.deliveries]


class MemoryCampaigns:
    def __init__(self, state: MockState) -> None:
        self._state = state

    @property
    def campaigns(self) -> Mapping[str, CampaignEntry]:
        return self._state.campaigns.campaigns

    async def dispatch(self, now: float) -> int:
        return self._state.dispatch_campaign_calls(now)

    async def calls(self, now: float, campaign_id: str | None = None) -> list[CampaignCallView]:
        state = self._state
        store = state.campaigns
        chosen = store.calls.values() if campaign_id is None else store.of_campaign(campaign_id)
        return [
            CampaignCallView(
                call,
                campaign_call_status(
                    state.calls.get(call.call_id or ""), store.is_queued(call), state.durations, now
                ),
            )
            for call in chosen
        ]

    async def queue(
        self, call: CampaignCall, allow_duplicates: bool, now: float
    ) -> CampaignCall | CampaignCallView:
        if not allow_duplicates:
            existing = duplicate_of(await self.calls(now, call.campaign_id), call.to)
            if existing is not None:
                return existing
        store = self._state.campaigns
        call.id = store.new_id()
        store.queue(call)
        return call


class MemoryAgents:
    def __init__(self, state: MockState) -> None:
        self._directory = state.directory

    async def set_status(self, agent_id: str, status: str, at: float) -> None:
        self._directory.set_status(agent_id, status, at)


class MemoryJournal:
    def __init__(self, state: MockState) -> None:
        self._journal = state.journal

    @property
    def enabled(self) -> bool:
        return self._journal.enabled

    async def record(
        self,
        at: float,
        request: Request,
        body: bytes,
        status: int,
        answer: Answer | None = None,
        latency_ms: float = 0.0,
    ) -> None:
        self._journal.record(at, request, body, status, answer, latency_ms)

    async def entries(self, limit: int | None = None) -> list[dict[str, Any]]:
        return self._journal.entries(limit)


class MemoryStore:
    """One process's state behind the seam. Namespaces are for a shared store: this one has one, and
    refuses a request that names another (rather than mixing two CI jobs' calls in silence)."""

    shared = False

    def __init__(
        self,
        state: MockState,
        on_webhook_added: Callable[[str], None] = lambda _agent: None,
        name: str = DEFAULT_NAMESPACE,
    ) -> None:
        """`name`: the one namespace (`--namespace`); a request that names another is refused."""
        self.state, self.name = state, name
        self.directory = state.directory
        self.durations = state.durations
        self.clock = MemoryClock(state)
        self.rate = MemoryRate(state)
        self.calls = MemoryCalls(state, self.rate)
        self.webhooks = MemoryWebhooks(state, on_webhook_added)
        self.journal = MemoryJournal(state)
        self.campaigns = MemoryCampaigns(state)
        self.agents = MemoryAgents(state)
        self.available_events = state.available_events

    async def ready(self) -> None:
        return None  # created whole

    async def settle(self, now: float) -> None:
        self.state.dispatch_campaign_calls(now)

    def namespace(self, name: str | None) -> Store:
        if name is None or name == self.name:
            return self
        raise ValueError(
            f"namespace {name[:80]!r}: this mock keeps its state in its memory, in one namespace "
            f"({self.name!r}); start it with --store redis://... for namespaces, or send no such header."
        )

    async def reset(self) -> None:
        self.state.reset()

    async def close(self) -> None:
        return None
