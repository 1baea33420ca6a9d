"""All of one mock app's state, created by `create_app` and reset by the admin API."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from mock_server.http import url_host_allowed
from mock_server.scenarios import AGENT_PUBLISHED
from mock_server.settings import CampaignEntry, Settings, SettingsError, campaign_entries, describe
from mock_server.state.calls import CallRecord, CallStore
from mock_server.state.campaigns import CampaignCall, CampaignStore, call_of, retry_at
from mock_server.state.clock import Clock, iso_z_micro
from mock_server.state.credits import CreditLedger
from mock_server.state.directory import Directory
from mock_server.state.event_schedule import EventSchedule
from mock_server.state.journal import RequestJournal
from mock_server.state.lifecycle import CONNECTED, DID_NOT_CONNECT, ENDED, STARTED, Durations, view_at
from mock_server.state.ratelimit import FixedWindowLimiter
from mock_server.state.webhook_registry import WebhookRecord, WebhookStore, record_from_request


@dataclass
class MockState:
    clock: Clock
    directory: Directory
    limiter: FixedWindowLimiter
    credits: CreditLedger
    calls: CallStore
    durations: Durations = field(default_factory=Durations)
    webhooks: WebhookStore = field(default_factory=WebhookStore)
    journal: RequestJournal = field(default_factory=lambda: RequestJournal(0))
    configured_webhooks: list[WebhookRecord] = field(default_factory=list)
    schedule: EventSchedule = field(default_factory=EventSchedule)
    campaigns: CampaignStore = field(default_factory=lambda: CampaignStore([]))
    available_events: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def create(
        cls,
        settings: Settings,
        webhook_defaults: Mapping[str, Any] | None = None,
        available_events: Mapping[str, str] | None = None,
    ) -> MockState:
        """Fresh state for one app. `webhook_defaults`: the spec's defaults of Create a webhook's body,
        for the webhooks of the config file; `available_events`: what List Agent Webhooks lists."""
        clock = Clock(settings.time_scale)
        directory = Directory(settings)
        state = cls(
            clock=clock,
            directory=directory,
            limiter=FixedWindowLimiter(settings.rate_limit, settings.rate_window_seconds, clock.time),
            credits=CreditLedger(settings.default_credits, directory.starting_credits()),
            calls=CallStore(settings.max_calls, settings.seed, settings.max_stored_bytes),
            durations=Durations(settings.setup_seconds, settings.ring_seconds, settings.talk_seconds),
            webhooks=WebhookStore(settings.seed),
            journal=RequestJournal(settings.journal_size),
            available_events=available_events or {},
            campaigns=CampaignStore(configured_campaigns(settings), settings.seed),
        )
        state.configured_webhooks = configured_webhooks(
            settings, iso_z_micro(clock.time()), webhook_defaults or {}
        )
        state.webhooks.reset(state.configured_webhooks)
        return state

    def add_call(self, call: CallRecord) -> None:
        """Keep a new call, and have its webhook events emitted when they are due."""
        for evicted in self.calls.add(call):
            self.schedule.forget(evicted)
        self.schedule.watch(call.id)

    def end_call(self, call: CallRecord, at: datetime) -> None:
        """End `call` at `at` (End Call); its `ended` event is still to be emitted."""
        call.ended_at = at
        self.schedule.watch(call.id)

    def dispatch_campaign_calls(self, now: float) -> int:
        """Campaign calls whose time has come (mock clock) become calls of their campaign's agent;
        those that ended busy, unanswered or failed are queued again (retry policy). Returns how many
        calls were placed."""
        placed = 0
        for _ in range(MAX_PASSES):  # a long clock jump can both end an attempt and reach its retry
            self._requeue_failed(now)
            due = self.campaigns.due(now, self._agent_can_call)
            for campaign_call in due:
                self._place(campaign_call)
            placed += len(due)
            if not due:
                break
        return placed

    def _agent_can_call(self, campaign: CampaignEntry) -> bool:
        return self.directory.agent_status(campaign.agent_id) == AGENT_PUBLISHED

    def _place(self, campaign_call: CampaignCall) -> None:
        campaign = self.campaigns.campaigns[campaign_call.campaign_id]
        call = call_of(campaign, campaign_call, self.calls.new_id())
        self.add_call(call)
        campaign_call.call_ids.append(call.id)
        self.campaigns.in_flight.add(campaign_call.id)

    def _requeue_failed(self, now: float) -> None:
        store = self.campaigns
        for campaign_call_id in list(store.in_flight):
            campaign_call = store.calls[campaign_call_id]
            call = self.calls.get(campaign_call.call_id or "")
            view = None if call is None else view_at(call, self.durations, now)
            if view is not None and view.active:
                continue
            store.in_flight.discard(campaign_call_id)
            campaign = store.campaigns[campaign_call.campaign_id]
            again = retry_at(campaign, campaign_call.retries, view, now)
            if again is None:
                continue
            campaign_call.retries += 1
            campaign_call.scheduled_at = again
            store.queue(campaign_call)

    def reset(self) -> None:
        self.clock.reset()
        self.campaigns.reset()
        self.directory.reset()
        self.schedule.reset()
        self.limiter.reset()
        self.credits.reset()
        self.calls.reset()
        self.webhooks.reset(self.configured_webhooks)
        self.journal.reset()


def configured_campaigns(settings: Settings) -> list[CampaignEntry]:
    """The campaigns of the settings (or the demo campaign), each checked as the config file is."""
    try:
        return campaign_entries(settings)
    except ValidationError as error:
        raise SettingsError(f"campaigns: {describe(error)}.") from error


def configured_webhooks(
    settings: Settings, created_at: str, defaults: Mapping[str, Any]
) -> list[WebhookRecord]:
    """The webhooks of the config file, with the spec's defaults, their URLs checked like Create a
    webhook checks them."""
    records: list[WebhookRecord] = []
    for number, item in enumerate(settings.webhooks, start=1):
        name, events = f"configured webhook {number}", list(EVENTS_BY_DEFAULT)
        body = {**defaults, "name": name, "events": events, **item}
        url = str(body.get("webhook_url", ""))
        if not url_host_allowed(url, settings.webhook_allowed_hosts):
            raise SettingsError(
                f"webhooks[{number}]: webhook_url {url[:200]!r} is not http(s) to a host of "
                f"webhook_allowed_hosts {sorted(settings.webhook_allowed_hosts)}."
            )
        webhook_id = str(item.get("id") or f"wh_config_{number}")
        records.append(record_from_request(webhook_id, str(item["agent_id"]), body, created_at))
    return records


MAX_PASSES = 12  # more than max_retries (10) + 1 attempts of one campaign call

EVENTS_BY_DEFAULT = (STARTED, CONNECTED, ENDED, DID_NOT_CONNECT)  # the events the mock sends
