"""All of one mock app's state, created by `create_app` and reset by the admin API."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from mock_server.settings import Settings, SettingsError
from mock_server.state.calls import CallStore
from mock_server.state.clock import Clock
from mock_server.state.credits import CreditLedger
from mock_server.state.directory import Directory
from mock_server.state.journal import RequestJournal
from mock_server.state.lifecycle import CONNECTED, DID_NOT_CONNECT, ENDED, STARTED, Durations, iso
from mock_server.state.ratelimit import FixedWindowLimiter
from mock_server.state.webhooks import WebhookRecord, WebhookStore, record_from_request


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

    @classmethod
    def create(cls, settings: Settings) -> MockState:
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
        )
        state.configured_webhooks = configured_webhooks(settings, iso(clock.time()))
        state.webhooks.reset(state.configured_webhooks)
        return state

    def reset(self) -> None:
        self.clock.reset()
        self.limiter.reset()
        self.credits.reset()
        self.calls.reset()
        self.webhooks.reset(self.configured_webhooks)
        self.journal.reset()


def configured_webhooks(settings: Settings, created_at: str) -> list[WebhookRecord]:
    """The webhooks of the config file, checked like Create a webhook checks its body."""
    records: list[WebhookRecord] = []
    for number, item in enumerate(settings.webhooks, start=1):
        body = {"name": f"configured webhook {number}", "events": list(EVENTS_BY_DEFAULT), **item}
        host = urlsplit(str(body.get("webhook_url", ""))).hostname
        if host not in settings.webhook_allowed_hosts:
            raise SettingsError(
                f"webhooks[{number}]: webhook_url host {host!r} is not in webhook_allowed_hosts "
                f"{sorted(settings.webhook_allowed_hosts)}."
            )
        webhook_id = str(item.get("id") or f"wh_config_{number}")
        records.append(record_from_request(webhook_id, str(item["agent_id"]), body, created_at))
    return records


EVENTS_BY_DEFAULT = (STARTED, CONNECTED, ENDED, DID_NOT_CONNECT)  # the events the mock sends
