"""Run the mock over real HTTP on 127.0.0.1 inside a test process (yours or ours).

with serve(Settings(seed=1)) as mock:
    httpx.post(mock.api_url + "/agents/agent_123456/call", ...)
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from mock_server.app import MockApp, create_app
from mock_server.server import START_TIMEOUT_SECONDS, in_thread, server_config
from mock_server.settings import Settings


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port free on `host` right now (for a server a test or tool starts)."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class LiveMock:
    app: MockApp
    host: str
    port: int

    @property
    def url(self) -> str:
        """Prism's form: the root, no /api/v1."""
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        """The vendor's form: what to pass as the client's base_url."""
        return self.url + self.app.spec.base_path


@contextlib.contextmanager
def serve(
    settings: Settings | None = None,
    app: MockApp | None = None,
    wrap: Callable[[MockApp], Any] | None = None,
) -> Iterator[LiveMock]:
    """Serve a fresh mock on a free port of 127.0.0.1 until the block ends. `wrap`: an ASGI middleware
    around the app (the recorder of `--talq-record`, a test's fake vendor)."""
    settings = replace(settings or Settings(), host="127.0.0.1", port=0, quiet=True)
    app = app or create_app(settings)
    served = app if wrap is None else wrap(app)
    with in_thread(server_config(served, settings, loop="asyncio"), "talq-mock") as port:
        yield LiveMock(app, settings.host, port)


__all__ = ["START_TIMEOUT_SECONDS", "LiveMock", "free_port", "serve"]
