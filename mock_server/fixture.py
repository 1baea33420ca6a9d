"""What the `talq_mock` pytest fixture hands a test (`TalqMock`), and the session's running mocks.

The plugin (`mock_server/pytest_plugin.py`) imports this module only when a test first asks for the
fixture, so that a pytest run that never uses it does not load the mock.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from mock_server.pytest_plugin import MARKER
from mock_server.settings import Settings, describe, example_agent, example_token
from mock_server.testing import LiveMock, serve
from mock_server.verify.recording import Recording, recording_around
from mock_server.webhooks.receiver import Receiver, receiving

# What the fixture starts from: the clock frozen, webhook retries quick (real seconds), ids reproducible.
FIXTURE_SETTINGS = Settings(time_scale=0, seed=1, webhook_backoff_seconds=0.05, webhook_poll_seconds=0.01)
CLIENT_MISSING = (
    "talq_mock.client() needs the Talq client package `talq_client`: pip install talq-client "
    "(or, from the toolkit's repository, pip install ./generated)."
)


@dataclass
class TalqMock:
    """The mock of one test: where it listens, a valid token, and its controls."""

    live: LiveMock
    settings: Settings
    http: httpx.Client
    _clients: list[Any] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        """The vendor's base URL, ending in /api/v1: what a client's base_url is set to."""
        return self.live.api_url

    @property
    def url(self) -> str:
        """The root (Prism's paths and the admin API under /_mock/)."""
        return self.live.url

    @property
    def token(self) -> str:
        """A token that works (a configured one with credits in strict mode)."""
        return example_token(self.settings)

    @property
    def agent_id(self) -> str:
        """A published agent (a configured one in strict mode)."""
        return example_agent(self.settings)

    def client(self, token: str | None = None, **options: Any) -> Any:
        """A `talq_client.AuthenticatedClient` for this mock (needs `pip install talq-client`)."""
        try:
            talq_client = importlib.import_module("talq_client")
        except ImportError as error:
            raise ImportError(CLIENT_MISSING) from error
        # Plain HTTP on 127.0.0.1: no TLS, so no CA bundle to load for each test's client (~40 ms).
        options.setdefault("verify_ssl", False)
        client = talq_client.AuthenticatedClient(base_url=self.base_url, token=token or self.token, **options)
        self._clients.append(client)
        return client

    def _admin(self, method: str, path: str, **kwargs: Any) -> Any:
        answer = self.http.request(method, f"{self.url}/_mock/{path}", **kwargs)
        answer.raise_for_status()
        return answer.json()

    def reset(self) -> None:
        """Forget calls, credits, rate windows, registered webhooks, deliveries and the journal."""
        self._admin("POST", "reset")

    def advance_clock(self, seconds: float) -> dict[str, Any]:
        """Move the mock clock; the status changes due by then happen (and their webhooks fire)."""
        clock: dict[str, Any] = self._admin("POST", "clock/advance", json={"seconds": seconds})
        return clock

    def requests(self, limit: int | None = None) -> list[dict[str, Any]]:
        """The request journal, oldest first: method, path, query, headers (token masked), body, status."""
        params = {"limit": limit} if limit else {}
        entries: list[dict[str, Any]] = self._admin("GET", "requests", params=params)["requests"]
        return entries

    def webhook_deliveries(
        self, call_id: str | None = None, webhook_id: str | None = None, event_id: str | None = None
    ) -> list[dict[str, Any]]:
        """Each webhook delivery with its attempts (filtered by call, webhook or event)."""
        filters = {"call_id": call_id, "webhook_id": webhook_id, "event_id": event_id}
        params = {name: value for name, value in filters.items() if value is not None}
        deliveries: list[dict[str, Any]] = self._admin("GET", "webhook-deliveries", params=params)[
            "deliveries"
        ]
        return deliveries

    def webhook_receiver(
        self, fail_first: int = 0, slow_first: int = 0, slow_seconds: float = 0.0
    ) -> contextlib.AbstractContextManager[Receiver]:
        """A webhook receiver on 127.0.0.1 (`with talq_mock.webhook_receiver() as receiver:`): register
        `receiver.url` as a webhook, then `receiver.wait_for(n)`."""
        return receiving(fail_first=fail_first, slow_first=slow_first, slow_seconds=slow_seconds)

    def close_clients(self) -> None:
        for client in self._clients:
            with contextlib.suppress(Exception):
                client.__exit__(None, None, None)
        self._clients.clear()


def _key(overrides: Mapping[str, Any]) -> str:
    return repr(
        sorted(
            (name, sorted(value.items()) if isinstance(value, Mapping) else value)
            for name, value in overrides.items()
        )
    )


class MockServers:
    """One running mock per distinct set of settings, for the whole session; with `record`, every
    exchange of every one of them goes to one recording, written there when the session ends."""

    def __init__(self, record: Path | None = None) -> None:
        self._stack = contextlib.ExitStack()
        self._servers: dict[str, tuple[LiveMock, Settings]] = {}
        self.http = self._stack.enter_context(httpx.Client(timeout=10))
        self.record = record
        self.recording = Recording()

    def mock(self, overrides: Mapping[str, Any]) -> TalqMock:
        """The mock of a test with these settings (started on first use), not yet reset."""
        live, settings = self.get(overrides)
        return TalqMock(live, settings, self.http)

    def get(self, overrides: Mapping[str, Any]) -> tuple[LiveMock, Settings]:
        key = _key(overrides)
        if key not in self._servers:
            try:
                settings = replace(FIXTURE_SETTINGS, **overrides)
            except (ValidationError, TypeError) as error:
                reason = describe(error) if isinstance(error, ValidationError) else str(error)
                raise pytest.UsageError(f"@pytest.mark.{MARKER}(...): {reason}") from error
            wrap = None if self.record is None else partial(recording_around, recording=self.recording)
            self._servers[key] = (self._stack.enter_context(serve(settings, wrap=wrap)), settings)
        return self._servers[key]

    def close(self) -> None:
        self._stack.close()
        if self.record is not None:
            self.recording.write(self.record)


__all__ = ["FIXTURE_SETTINGS", "MockServers", "TalqMock"]
