"""All of one mock app's state, created by `create_app` and reset by the admin API."""

from __future__ import annotations

from dataclasses import dataclass

from mock_server.settings import Settings
from mock_server.state.calls import CallStore
from mock_server.state.clock import Clock
from mock_server.state.credits import CreditLedger
from mock_server.state.directory import Directory
from mock_server.state.ratelimit import FixedWindowLimiter


@dataclass
class MockState:
    clock: Clock
    directory: Directory
    limiter: FixedWindowLimiter
    credits: CreditLedger
    calls: CallStore

    @classmethod
    def create(cls, settings: Settings) -> MockState:
        clock = Clock()
        directory = Directory(settings)
        return cls(
            clock=clock,
            directory=directory,
            limiter=FixedWindowLimiter(settings.rate_limit, settings.rate_window_seconds, clock.time),
            credits=CreditLedger(settings.default_credits, directory.starting_credits()),
            calls=CallStore(settings.max_calls, settings.seed, settings.max_stored_bytes),
        )

    def reset(self) -> None:
        self.clock.reset()
        self.limiter.reset()
        self.credits.reset()
        self.calls.reset()
