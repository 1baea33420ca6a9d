"""The HTTP server under the mock: uvicorn (uvloop + httptools) with guards against hostile clients.

uvicorn bounds the idle time between requests but not a client that sends its headers a byte at a
time, nor one that connects and sends nothing. `GuardedHttpToolsProtocol` closes such a connection
after `header_timeout_seconds` (the body has its own timeout in the pipeline: 408 in the envelope),
and answers a request it cannot parse with problem+json rather than plain text.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from mock_server.http import PROBLEM_BASE, is_loopback
from mock_server.settings import Settings


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


__all__ = ["GuardedHttpToolsProtocol", "is_loopback", "protocol_for", "server_config"]
