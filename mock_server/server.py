"""The HTTP server under the mock: uvicorn (uvloop + httptools) with guards against hostile clients.

uvicorn bounds the idle time between requests but not a client that sends its headers a byte at a
time, nor one that connects and sends nothing. `GuardedHttpToolsProtocol` closes such a connection
after `header_timeout_seconds` (the body has its own timeout in the pipeline: 408 in the envelope),
and answers a request it cannot parse with problem+json rather than plain text.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Iterator
from typing import Any

import orjson
import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from mock_server.http import PROBLEM_BASE, is_loopback
from mock_server.settings import Settings
from mock_server.waiting import wait_until


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    header_timeout: float = 10.0
    _header_timer: asyncio.TimerHandle | None = None

    def _arm_header_timer(self) -> None:
        self._cancel_header_timer()
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_timer()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._header_timer is None:
            self._arm_header_timer()

    def on_headers_complete(self) -> None:
        self._cancel_header_timer()
        super().on_headers_complete()

    def send_400_response(self, msg: str) -> None:
        body = orjson.dumps(
            {
                "type": PROBLEM_BASE + "INVALID_HTTP",
                "title": "Invalid HTTP request",
                "status": 400,
                "detail": "The request is not valid HTTP/1.1 (or a line of it is too long).",
            }
        )
        self.transport.write(
            b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/problem+json\r\ncontent-length: "
            + str(len(body)).encode()
            + b"\r\nconnection: close\r\n\r\n"
            + body
        )
        self.transport.close()


def protocol_for(settings: Settings) -> type[GuardedHttpToolsProtocol]:
    return type(
        "MockHttpProtocol", (GuardedHttpToolsProtocol,), {"header_timeout": settings.header_timeout_seconds}
    )


class ThreadedServer(uvicorn.Server):
    """uvicorn's server for a thread of a test or a tool, stopped without idle waits: `stop()` (from any
    thread) wakes the main loop at once instead of at its next 0.1 s tick, and the shutdown polls every
    5 ms for the connections it asked to close instead of sleeping 0.1 s first and then polling every
    0.1 s. Otherwise it is uvicorn's `Server.shutdown`: stop listening, ask every connection to close
    (after the answer in progress), wait for them and the tasks up to `timeout_graceful_shutdown`, cancel
    what is left, then run the lifespan's shutdown. A stop costs milliseconds instead of about 0.2 s."""

    _wake: tuple[asyncio.AbstractEventLoop, asyncio.Event] | None = None

    def stop(self) -> None:
        self.should_exit = True
        wake = self._wake
        if wake is not None:
            with contextlib.suppress(RuntimeError):  # the loop has closed already: nothing to wake
                wake[0].call_soon_threadsafe(wake[1].set)

    async def main_loop(self) -> None:
        event = asyncio.Event()
        self._wake = (asyncio.get_running_loop(), event)
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            counter = (counter + 1) % 864000
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), 0.1)
            should_exit = await self.on_tick(counter)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        state = self.server_state
        try:
            async with asyncio.timeout(self.config.timeout_graceful_shutdown):
                while (state.connections or state.tasks) and not self.force_exit:
                    await asyncio.sleep(0.005)
                for server in self.servers:
                    await server.wait_closed()
        except TimeoutError:
            for task in state.tasks:
                task.cancel(msg="Task cancelled, timeout graceful shutdown exceeded")
        if not self.force_exit:
            await self.lifespan.shutdown()


START_TIMEOUT_SECONDS = 10.0


@contextlib.contextmanager
def in_thread(config: uvicorn.Config, name: str) -> Iterator[int]:
    """Serve `config` from a thread until the block ends: listening when the block starts (it gets the
    port bound), stopped at once when it ends. `RuntimeError` naming `name` if it does not start."""
    server = ThreadedServer(config)
    thread = threading.Thread(target=server.run, name=name, daemon=True)
    thread.start()
    with contextlib.suppress(TimeoutError):
        wait_until(lambda: server.started or not thread.is_alive(), START_TIMEOUT_SECONDS, interval=0.002)
    if not server.started:
        server.stop()
        thread.join(timeout=5)
        raise RuntimeError(f"{name} did not start within {START_TIMEOUT_SECONDS:g} s on {config.host}.")
    try:
        yield server.servers[0].sockets[0].getsockname()[1]
    finally:
        server.stop()
        thread.join(timeout=5)


def server_config(app: Any, settings: Settings, loop: str = "uvloop") -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        loop=loop,
        http=protocol_for(settings),
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_keep_alive=5,
        timeout_graceful_shutdown=2,
        server_header=False,
        proxy_headers=False,  # the mock is reached directly: no client may pose as another address
        date_header=True,
    )


__all__ = [
    "START_TIMEOUT_SECONDS",
    "GuardedHttpToolsProtocol",
    "ThreadedServer",
    "in_thread",
    "is_loopback",
    "protocol_for",
    "server_config",
]
