"""The store seam: what the request path, the admin API and the webhook pump ask of the mock's state.

One Protocol per kind of state, each fulfilled by a class pair: the in-memory one (`state.memory`,
the default: one process) and the Redis one (`state.redis_store`, campaigns and agent statuses in
`state.redis_campaigns`: `--store redis://...`, any number of workers and hosts behave as one mock).
`Store` bundles them with what is configuration, not state (who exists, how long a call rings). A
new kind of state is one more Protocol here and one more small class in each side.

Every method is a coroutine: the Redis classes talk to Redis, the memory ones answer at once (no
`await` inside, so each is atomic on the event loop as before). A Redis that cannot be reached
raises `StoreUnavailable`, which the pipeline and the admin API answer with 503.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from mock_server.http import Answer, Request
from mock_server.settings import CampaignEntry
from mock_server.state.calls import CallRecord
from mock_server.state.campaigns import CampaignCall, CampaignCallView
from mock_server.state.directory import Directory
from mock_server.state.lifecycle import Durations
from mock_server.state.ratelimit import Quota
from mock_server.state.webhook_registry import Attempt, WebhookRecord

NAMESPACE_HEADER = "x-talq-namespace"  # a request's namespace (the in-memory store has one)
DEFAULT_NAMESPACE = "default"


class StoreUnavailable(Exception):
    """The shared store did not answer: the message says which and what to do."""


class Outage:
    """What a background loop says of the shared store: an outage once as it begins, once as it ends
    (not at every pass)."""

    def __init__(self, log: logging.Logger, what: str) -> None:
        self._log, self._what, self.down = log, what, False

    def failed(self, error: StoreUnavailable) -> None:
        if not self.down:
            self._log.warning("%s: %s (said once, until it is back)", self._what, error)
        self.down = True

    def answered(self) -> None:
        if self.down:
            self._log.warning("%s: the shared store is back", self._what)
        self.down = False


@dataclass(frozen=True)
class ClockView:
    now: float  # mock epoch seconds
    offset: float  # seconds added by the admin API
    scale: float  # mock seconds per real second


@dataclass(frozen=True)
class Admission:
    """Stage 6's answer: the quota after this request, and the mock clock read with it."""

    quota: Quota
    now: float


@dataclass
class Gate:
    """A request's rate-limit hit. The in-memory store makes it at stage 6; on the shared store the
    hot path's operations (`FUSED_OPERATIONS`) hand it to their one store call, whose script makes the
    hit and, when admitted, the operation: one round trip. `admission` is set once the hit is made."""

    key: str
    exhaust: bool = False
    admission: Admission | None = None


class RateLimited(Exception):
    """The hit a store call carried was not admitted: nothing else was done."""

    def __init__(self, admission: Admission) -> None:
        super().__init__("rate limit exceeded")
        self.admission = admission


@dataclass(frozen=True)
class Ending:
    """End Call's store step: the call (None: no such call of the agent), whether this request ended
    it, and the mock time it was read at."""

    call: CallRecord | None
    ended: bool
    now: float


# The operations whose handlers pass the request's `Gate` to their store calls (the hot path).
FUSED_OPERATIONS = frozenset({"makeCall", "endCall", "listCalls", "listAgentCalls", "getActiveCall"})


class ClockPort(Protocol):
    async def view(self) -> ClockView: ...
    async def advance(self, seconds: float) -> ClockView: ...


class RatePort(Protocol):
    async def hit(self, key: str, exhaust: bool = False) -> Admission:
        """Count one request for `key` (spending its window first when `exhaust`), atomically."""
        ...


class CallsPort(Protocol):
    """`gate`: the request's rate-limit hit, made by the call when it is not made yet (the shared
    store: in the same script); `RateLimited` when it is not admitted."""

    async def place(self, call: CallRecord, charge: str | None, gate: Gate) -> CallRecord | None:
        """Spend one credit of `charge` (None: a free test call) and keep `call` under a fresh id,
        created at the admission's time, as one atomic step; None (and nothing kept or spent) when
        the token has no credit left."""
        ...

    async def get(self, call_id: str) -> CallRecord | None: ...

    async def end(self, call_id: str, at: datetime) -> bool:
        """Set `ended_at` unless the call already has one (False then, or when it is gone)."""
        ...

    async def end_active(self, call_id: str, agent_id: str, gate: Gate) -> Ending:
        """End Call: end the agent's call now if it is still active, as one atomic step."""
        ...

    async def all(self, gate: Gate | None = None) -> list[CallRecord]:
        """Oldest first."""
        ...

    async def count(self) -> int: ...


class WebhooksPort(Protocol):
    async def add(self, webhook: WebhookRecord) -> WebhookRecord:
        """Keep `webhook` under a fresh id (its `id` is replaced)."""
        ...

    async def get(self, webhook_id: str) -> WebhookRecord | None: ...
    async def of_agent(self, agent_id: str) -> list[WebhookRecord]: ...

    async def update(self, webhook_id: str, changes: dict[str, Any], at: str) -> WebhookRecord:
        """Update Webhook's fields (`changes`: its validated body); an enabled one resumes its calls."""
        ...

    async def toggle(self, webhook_id: str, at: str) -> WebhookRecord: ...

    async def remove(self, webhook_id: str) -> None:
        """The webhook, its queued deliveries and its logs."""
        ...

    async def record_test(self, webhook: WebhookRecord, body: bytes, attempt: Attempt) -> None:
        """Log Test Webhook's one attempt like a delivery."""
        ...

    async def logs_of(self, webhook_id: str) -> list[dict[str, Any]]:
        """Every attempt to the webhook, newest first (the spec's `WebhookLog`s)."""
        ...

    async def deliveries(self) -> list[dict[str, Any]]: ...


class CampaignsPort(Protocol):
    """The campaigns (from the settings, read-only) and their campaign calls, placed on the mock clock."""

    @property
    def campaigns(self) -> Mapping[str, CampaignEntry]: ...

    async def dispatch(self, now: float) -> int:
        """Place the campaign calls due by `now` (of an active campaign whose agent is published) as
        calls, and queue again those whose call ended busy, unanswered or failed (retry policy); each
        exactly once, however many workers dispatch at the same time. Returns how many were placed."""
        ...

    async def calls(self, now: float, campaign_id: str | None = None) -> list[CampaignCallView]:
        """The campaign calls (of `campaign_id`; None: of every campaign), oldest first, with their
        status at `now`."""
        ...

    async def queue(
        self, call: CampaignCall, allow_duplicates: bool, now: float
    ) -> CampaignCall | CampaignCallView:
        """Queue `call` under a fresh id (its `id` is replaced) and return it; unless
        `allow_duplicates`, a campaign call of its campaign to the same number still queued or in
        progress at `now` is returned instead (and nothing is queued). Atomic: two at once never both
        queue the same number."""
        ...


class AgentsPort(Protocol):
    async def set_status(self, agent_id: str, status: str, at: float) -> None:
        """Publish (`published`) or unpublish (`draft`) an agent at mock time `at`. `Store.directory`
        answers what it is (on the shared store: this worker's copy, refreshed in the background)."""
        ...


class JournalPort(Protocol):
    @property
    def enabled(self) -> bool: ...

    async def record(
        self,
        at: float,
        request: Request,
        body: bytes,
        status: int,
        answer: Answer | None = None,
        latency_ms: float = 0.0,
    ) -> None:
        """Keep one exchange; `answer`, `latency_ms`: for the inspector (the shared store keeps neither)."""

    async def entries(self, limit: int | None = None) -> list[dict[str, Any]]: ...


class Store(Protocol):
    """All of one namespace's state, and the configuration that goes with it."""

    @property
    def directory(self) -> Directory: ...
    @property
    def durations(self) -> Durations: ...
    @property
    def clock(self) -> ClockPort: ...
    @property
    def rate(self) -> RatePort: ...
    @property
    def calls(self) -> CallsPort: ...
    @property
    def webhooks(self) -> WebhooksPort: ...
    @property
    def journal(self) -> JournalPort: ...
    @property
    def available_events(self) -> Mapping[str, str]:
        """What List Agent Webhooks lists (from the spec)."""
        ...

    @property
    def campaigns(self) -> CampaignsPort: ...
    @property
    def agents(self) -> AgentsPort: ...

    async def ready(self) -> None:
        """The namespace's start-up state in place (the shared store: its configured webhooks, once
        per process); called before each request's operation, at once after the first."""
        ...

    async def settle(self, now: float) -> None:
        """Bring what the clock drives up to `now` before an operation (due campaign calls placed):
        the memory store does; the shared store does nothing here (no round trip on the request path:
        its workers dispatch in the background, after the admin API moves the clock, and before the
        campaign operations)."""
        ...

    @property
    def shared(self) -> bool:
        """Whether other processes see this state too (the Redis store)."""
        ...

    def namespace(self, name: str | None) -> Store:
        """The store of namespace `name` (None: this one's)."""
        ...

    async def reset(self) -> None:
        """Back to the start-up state: this namespace only."""
        ...

    async def close(self) -> None: ...


async def admit(rate: RatePort, gate: Gate) -> Admission:
    """The gate's admission, its hit made first when it is not made yet; `RateLimited` when over."""
    if gate.admission is None:
        gate.admission = await rate.hit(gate.key, gate.exhaust)
    if not gate.admission.quota.admitted:
        raise RateLimited(gate.admission)
    return gate.admission
