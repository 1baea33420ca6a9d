"""Shared pieces of the SDK tests: a live mock, a scripted HTTP server on 127.0.0.1, the mock clock."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from talq_client import AuthenticatedClient
from talq_client.api.webhooks import create_webhook
from talq_client.models import CreateWebhookRequest, KnownWebhookEventName

from mock_server.settings import Settings
from mock_server.testing import LiveMock, serve

# A frozen mock clock (only /_mock/clock/advance moves it) and fast webhook retries.
FROZEN = Settings(time_scale=0, webhook_backoff_seconds=0.01, webhook_poll_seconds=0.01, seed=3)
DROP = "drop"  # a scripted answer: read the request, then close the connection without answering


@pytest.fixture
def mock() -> Iterator[LiveMock]:
    with serve(FROZEN) as live:
        yield live


def advance(mock: LiveMock, seconds: float) -> None:
    """Move the mock clock (what a test's injected `sleep` does instead of sleeping)."""
    response = httpx.post(mock.url + "/_mock/clock/advance", json={"seconds": seconds})
    assert response.status_code == 200, response.text


def subscribe(client: AuthenticatedClient, url: str, secret: str, *events: KnownWebhookEventName) -> str:
    """Create a webhook of agent_123456, signed with `secret`, delivering `events` to `url`: its id."""
    request = CreateWebhookRequest(name="app", webhook_url=url, webhook_secret=secret, events=list(events))
    return create_webhook.sync_or_raise("agent_123456", client=client, body=request).data.id


def journal(mock: LiveMock) -> list[dict[str, object]]:
    """The requests the mock received, oldest first."""
    response = httpx.get(mock.url + "/_mock/requests", params={"limit": 1000})
    assert response.status_code == 200, response.text
    entries: list[dict[str, object]] = response.json()["requests"]
    return entries


@dataclass
class Scripted:
    """A real HTTP server on 127.0.0.1 answering from a script: (status, headers, body) or DROP."""

    url: str
    script: list[tuple[int, dict[str, str], bytes] | str]
    seen: list[str] = field(default_factory=list)  # "METHOD /path" of each request, in order
    lock: threading.Lock = field(default_factory=threading.Lock)


@contextlib.contextmanager
def scripted(*answers: tuple[int, dict[str, str], bytes] | str) -> Iterator[Scripted]:
    state = Scripted("", list(answers))

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", "0")))
            with state.lock:
                state.seen.append(f"{self.command} {self.path}")
                answer = state.script.pop(0) if len(state.script) > 1 else state.script[0]
            if answer == DROP:
                self.close_connection = True
                self.connection.shutdown(2)
                return
            assert not isinstance(answer, str)
            status, headers, body = answer
            self.send_response(status)
            for name, value in {"content-length": str(len(body)), **headers}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_port}/api/v1"
    # Polled every 10 ms for the shutdown below (the default, 0.5 s, is what each stop would cost).
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
