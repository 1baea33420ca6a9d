"""The campaigns the mock knows (from the settings) and their campaign calls, on the mock clock.

A campaign call is queued at the first instant its campaign's days and hours allow (after the
campaign's `initial_call_delay`); at that instant (of the mock clock) it becomes a call of the
campaign's agent, which then lives like any call. A call that ends busy, unanswered or failed is queued
again after `retry_cooldown_hours`, up to `max_retries` times. A campaign that is not `active` keeps its
queued calls until it is (the mock has no endpoint that changes a campaign: its config does).
"""

from __future__ import annotations

import heapq
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from mock_server.settings import CampaignEntry
from mock_server.state.calls import CallRecord
from mock_server.state.clock import iso_z_seconds
from mock_server.state.ids import IdGenerator
from mock_server.state.lifecycle import EPSILON_SECONDS, FINAL_STATUSES, CallView, Durations, view_at

QUEUED = "queued"
ACTIVE = "active"
RETRY_STATUSES = frozenset({"busy", "no-answer", "failed"})
DAYS_AHEAD = 8  # a window that allows any day of the week is found within a week


def next_slot(campaign: CampaignEntry, earliest: float) -> float:
    """The first instant at or after `earliest` (epoch seconds) inside the campaign's days and hours."""
    zone = zoneinfo.ZoneInfo(campaign.timezone)
    start, end = (
        time.fromisoformat(campaign.earliest_call_time),
        time.fromisoformat(campaign.latest_call_time),
    )
    moment = datetime.fromtimestamp(earliest, UTC).astimezone(zone)
    for offset in range(DAYS_AHEAD):
        day = (moment + timedelta(days=offset)).date()
        if day.isoweekday() not in campaign.days_of_week:
            continue
        opens = datetime.combine(day, start, zone)
        closes = datetime.combine(day, end, zone)
        candidate = max(opens, moment) if offset == 0 else opens
        if candidate <= closes:
            return candidate.timestamp()
    raise ValueError(f"campaign {campaign.id} has no calling window")  # days_of_week is never empty


@dataclass
class CampaignCall:
    id: str
    campaign_id: str
    to: str
    payload: dict[str, Any]
    context: dict[str, Any]
    is_testing: bool
    created_at: float  # mock epoch seconds
    scheduled_at: float
    retries: int = 0
    call_ids: list[str] = field(default_factory=list)  # the calls it became, one per attempt

    @property
    def call_id(self) -> str | None:
        return self.call_ids[-1] if self.call_ids else None

    def as_data(self, status: str) -> dict[str, Any]:
        """The spec's `CampaignCall`."""
        return {
            "id": self.id,
            "campaign_id": self.campaign_id,
            "to": self.to,
            "status": status,
            "scheduled_at": iso_z_seconds(self.scheduled_at),  # whole seconds, as the page shows
            "created_at": iso_z_seconds(self.created_at),
            "call_id": self.call_id,
            "retries": self.retries,
        }


@dataclass(frozen=True)
class CampaignCallView:
    """A campaign call and its status at one instant (`campaign_call_status`)."""

    call: CampaignCall
    status: str


def campaign_call_status(call: CallRecord | None, queued: bool, durations: Durations, now: float) -> str:
    """`queued` until the campaign call is placed (and while a retry waits), then the status of the
    call it became (`call`: its latest, None when there is none or it was evicted)."""
    if call is None or queued:
        return QUEUED
    return view_at(call, durations, now).status


def duplicate_of(views: list[CampaignCallView], to: str) -> CampaignCallView | None:
    """The campaign call to `to` still queued or in progress, if any (Make a Campaign Call's 409)."""
    return next((view for view in views if view.call.to == to and view.status not in FINAL_STATUSES), None)


def call_of(campaign: CampaignEntry, campaign_call: CampaignCall, call_id: str) -> CallRecord:
    """The call a campaign call becomes when it is placed: a call of the campaign's agent, created at
    the instant it was scheduled for."""
    return CallRecord(
        id=call_id,
        agent_id=campaign.agent_id,
        to=campaign_call.to,
        created_at=datetime.fromtimestamp(campaign_call.scheduled_at, UTC),
        is_testing=campaign_call.is_testing,
        delay_seconds=0,
        payload=campaign_call.payload,
        context=campaign_call.context,
        size=len(campaign_call.to) + len(str(campaign_call.payload)) + len(str(campaign_call.context)),
    )


def retry_at(campaign: CampaignEntry, retries: int, view: CallView | None, now: float) -> float | None:
    """When a campaign call whose call is over (`view`: that call now; None when it was evicted) is
    tried again, per its campaign's retry policy; None: never (it succeeded, or no retries left)."""
    if view is None or view.status not in RETRY_STATUSES or retries >= campaign.max_retries:
        return None
    ended = view.ended_at if view.ended_at is not None else now
    return next_slot(campaign, ended + campaign.retry_cooldown_hours * 3600)


class CampaignStore:
    """The campaigns (read-only, from the settings) and their calls; reset forgets the calls."""

    def __init__(self, campaigns: list[CampaignEntry], seed: int | None = None) -> None:
        self.campaigns = {campaign.id: campaign for campaign in campaigns}
        self._ids = IdGenerator("ccall_", seed)
        self.calls: dict[str, CampaignCall] = {}
        self._queue: list[tuple[float, str]] = []  # (scheduled_at, campaign call id), a heap
        self.in_flight: set[str] = set()  # dispatched, their call not yet final (retries may follow)

    def queue(self, call: CampaignCall) -> None:
        self.calls[call.id] = call
        heapq.heappush(self._queue, (call.scheduled_at, call.id))

    def new_id(self) -> str:
        return self._ids.new(self.calls)

    def of_campaign(self, campaign_id: str) -> list[CampaignCall]:
        return [call for call in self.calls.values() if call.campaign_id == campaign_id]

    def due(self, now: float, can_call: Callable[[CampaignEntry], bool]) -> list[CampaignCall]:
        """The queued calls whose time has come, of an active campaign whose agent `can_call` (the
        others wait), in order."""
        ready: list[CampaignCall] = []
        waiting: list[tuple[float, str]] = []
        while self._queue and self._queue[0][0] <= now + EPSILON_SECONDS:  # datetime round trips
            entry = heapq.heappop(self._queue)
            call = self.calls[entry[1]]
            campaign = self.campaigns[call.campaign_id]
            if campaign.status == ACTIVE and can_call(campaign):
                ready.append(call)
            else:
                waiting.append(entry)
        for entry in waiting:
            heapq.heappush(self._queue, entry)
        return ready

    def is_queued(self, call: CampaignCall) -> bool:
        return any(queued_id == call.id for _, queued_id in self._queue)

    def reset(self) -> None:
        self._ids.reset()
        self.calls.clear()
        self._queue.clear()
        self.in_flight.clear()
