"""How the proxy reaches the upstream.

For an `https://` upstream (the real API) it is httpx's own `AsyncHTTPTransport` (TLS, certificates).
For a plain `http://` upstream (a mock, a local gateway) it is `Http11Transport` below: an asyncio
protocol with httptools' parser (the one uvicorn uses), one write per request and pooled keep-alive
connections. The proxy calls its `exchange` (raw header bytes in, an `UpstreamAnswer` out: no httpx
models built); `handle_async_request` serves the same as an httpx transport, with httpx's exceptions
either way. httpx's own transport spends about 0.6 ms of CPU per exchange here (httpcore, h11 and
anyio), more than the mock takes to answer; this one a small part of that (`make bench-proxy`).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import AsyncIterator
from typing import Any, cast

import httptools
import httpx

READ_CHUNK_HIGH_WATER = 1024 * 1024  # pause reading the upstream when this much body is not yet consumed


class _Exchange(asyncio.Protocol):
    """One pooled connection to the upstream; it carries one exchange at a time."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.closed = False
        self.idle_since = time.monotonic()
        self.loop = asyncio.get_running_loop()  # once: each lookup costs a getpid() on Python 3.11
        self._reset()

    def _reset(self) -> None:
        self.head: asyncio.Future[None] = self.loop.create_future()
        self.headers: list[tuple[bytes, bytes]] = []
        self.status = 0
        self.chunks: deque[bytes] = deque()
        self.buffered = 0
        self.complete = False
        self.received_any = False
        self.error: Exception | None = None
        self.waiter: asyncio.Future[None] | None = None  # made only when the body reader has to wait
        self.paused = False
        self.head_request = False
        self.keep_alive = False

    # -- asyncio.Protocol -----------------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass, but is one

    def data_received(self, data: bytes) -> None:
        self.received_any = True
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as error:
            self._fail(httpx.RemoteProtocolError(f"The upstream's answer is not valid HTTP/1.1: {error}"))

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.head.done() and not self.complete and self._delimited_by_close():
            self.complete = True  # a body without length ends when the connection does
            self._wake()
            return
        if not self.complete:
            self._fail(
                httpx.RemoteProtocolError(
                    "The upstream closed the connection before its answer was complete."
                )
            )

    # -- httptools callbacks ----------------------------------------------------------------------------
    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        status = self.parser.get_status_code()
        if 100 <= status < 200:  # an interim answer: the final one follows
            self.headers = []
            return
        self.status = status
        self.keep_alive = self.parser.should_keep_alive()  # httptools forgets it once the message ends
        if not self.head.done():
            self.head.set_result(None)
        if self.head_request:
            self._finish()

    def on_body(self, body: bytes) -> None:
        self.chunks.append(body)
        self.buffered += len(body)
        if self.buffered > READ_CHUNK_HIGH_WATER and self.transport is not None and not self.paused:
            self.paused = True
            self.transport.pause_reading()
        self._wake()

    def on_message_complete(self) -> None:
        if self.status:
            self._finish()

    # -----------------------------------------------------------------------------------------------------
    def _finish(self) -> None:
        self.complete = True
        self._wake()

    def _wake(self) -> None:
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _fail(self, error: Exception) -> None:
        self.error = error
        self.closed = True
        if not self.head.done():
            self.head.set_exception(error)
        self._wake()
        if self.transport is not None:
            self.transport.close()

    def _delimited_by_close(self) -> bool:
        names = {name.lower() for name, _ in self.headers}
        return b"content-length" not in names and b"transfer-encoding" not in names

    def reusable(self) -> bool:
        return not self.closed and self.complete and not self.head_request and self.keep_alive

    async def body(self, read_timeout: float | None) -> AsyncIterator[bytes]:
        while True:
            while self.chunks:
                chunk = self.chunks.popleft()
                self.buffered -= len(chunk)
                if self.paused and self.buffered < READ_CHUNK_HIGH_WATER // 2 and self.transport is not None:
                    self.paused = False
                    self.transport.resume_reading()
                yield chunk
            if self.complete:
                return
            if self.error is not None:
                raise self.error
            self.waiter = self.loop.create_future()
            try:
                async with asyncio.timeout(read_timeout):
                    await self.waiter
            except TimeoutError as error:
                raise httpx.ReadTimeout("The upstream's answer stopped arriving.") from error
            finally:
                self.waiter = None


class UpstreamAnswer:
    """The upstream's answer as the proxy uses it: status, the raw header list as sent (repeats kept
    apart), the body as chunks; `aclose` (idempotent) gives the connection back."""

    __slots__ = ("headers", "status")

    def __init__(self, status: int, headers: list[tuple[bytes, bytes]]) -> None:
        self.status = status
        self.headers = headers

    def chunks(self) -> AsyncIterator[bytes]:
        raise NotImplementedError

    async def aclose(self) -> None:
        raise NotImplementedError


class _LeanAnswer(UpstreamAnswer):
    __slots__ = ("_closed", "_exchange", "_key", "_timeout", "_transport")

    def __init__(
        self, transport: Http11Transport, key: tuple[str, int], exchange: _Exchange, timeout: float | None
    ) -> None:
        super().__init__(exchange.status, exchange.headers)
        self._transport = transport
        self._key = key
        self._exchange = exchange
        self._timeout = timeout
        self._closed = False

    def chunks(self) -> AsyncIterator[bytes]:
        return self._exchange.body(self._timeout)

    async def aclose(self) -> None:
        if not self._closed:
            self._closed = True
            self._transport.release(self._key, self._exchange)


class HttpxAnswer(UpstreamAnswer):
    """httpx's streaming response (the https:// transport) as an `UpstreamAnswer`."""

    __slots__ = ("_response",)

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(response.status_code, response.headers.raw)
        self._response = response

    def chunks(self) -> AsyncIterator[bytes]:
        return aiter(self._response.stream)  # type: ignore[arg-type]

    async def aclose(self) -> None:
        await self._response.aclose()


class _Body(httpx.AsyncByteStream):
    def __init__(self, answer: _LeanAnswer) -> None:
        self._answer = answer

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._answer.chunks():
            yield chunk

    async def aclose(self) -> None:
        await self._answer.aclose()


class Http11Transport(httpx.AsyncBaseTransport):
    """HTTP/1.1 over plain TCP, pooled, for the proxy's `http://` upstreams. The proxy calls `exchange`
    (raw bytes in, an `UpstreamAnswer` out, no httpx models); `handle_async_request` is the same as an
    httpx transport."""

    def __init__(self, max_connections: int = 256, max_idle: int = 64, keepalive_expiry: float = 4.0) -> None:
        self._free = max_connections  # exchanges in flight, as httpx's pool limits them
        self._waiting: deque[asyncio.Future[None]] = deque()
        self._idle: dict[tuple[str, int], list[_Exchange]] = {}
        self._max_idle = max_idle
        self._keepalive_expiry = keepalive_expiry
        self._open: set[_Exchange] = set()

    async def _acquire(self, timeout: float | None) -> None:
        if self._free > 0 and not self._waiting:
            self._free -= 1
            return
        slot: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append(slot)
        try:
            async with asyncio.timeout(timeout):
                await slot
        except BaseException as error:
            if slot.done() and not slot.cancelled():
                self._release_slot()  # handed a slot while being cancelled: pass it on
            else:
                slot.cancel()
            if isinstance(error, TimeoutError):
                raise httpx.PoolTimeout("Too many exchanges with the upstream in flight.") from error
            raise

    def _release_slot(self) -> None:
        while self._waiting:
            slot = self._waiting.popleft()
            if not slot.done():
                slot.set_result(None)  # the slot goes straight to the next in line
                return
        self._free += 1

    def _pooled(self, key: tuple[str, int]) -> _Exchange | None:
        idle = self._idle.get(key)
        if not idle:
            return None
        now = time.monotonic()
        while idle:
            exchange = idle.pop()
            if not exchange.closed and now - exchange.idle_since < self._keepalive_expiry:
                return exchange
            self._close(exchange)
        return None

    async def _connect(self, key: tuple[str, int], timeout: float | None) -> _Exchange:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                _, exchange = await loop.create_connection(_Exchange, key[0], key[1])
        except TimeoutError as error:
            raise httpx.ConnectTimeout(f"Connecting to {key[0]}:{key[1]} timed out.") from error
        except OSError as error:
            raise httpx.ConnectError(
                f"Cannot connect to {key[0]}:{key[1]}: {error.strerror or error}."
            ) from error
        self._open.add(exchange)
        return exchange

    async def exchange(
        self,
        key: tuple[str, int],
        method: str,
        target: bytes,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
        timeout: float | None,
    ) -> UpstreamAnswer:
        """Send one request to `key` (host, port) as is: `headers` complete (Host, Content-Length),
        in order. `timeout` bounds the wait for a slot, the connect and each read."""
        head = [method.encode(), b" ", target, b" HTTP/1.1\r\n"]
        for name, value in headers:
            head += [name, b": ", value, b"\r\n"]
        head += [b"\r\n", body]
        payload = b"".join(head)
        await self._acquire(timeout)
        exchange: _Exchange | None = None
        try:
            for attempt in range(2):
                exchange = self._pooled(key)
                reused = exchange is not None
                if exchange is None:
                    exchange = await self._connect(key, timeout)
                exchange._reset()
                exchange.head_request = method == "HEAD"
                assert exchange.transport is not None
                exchange.transport.write(payload)
                try:
                    await exchange.head
                except httpx.RemoteProtocolError:
                    self._close(exchange)
                    if reused and not exchange.received_any and attempt == 0:
                        continue  # the upstream closed an idle connection as we used it: once more, anew
                    raise
                return _LeanAnswer(self, key, exchange, timeout)
            raise httpx.RemoteProtocolError("The upstream closed the connection twice before answering.")
        except BaseException:  # a failure, or the proxy's timeout cancelling the wait: the connection goes
            if exchange is not None:
                self._close(exchange)
            self._release_slot()
            raise

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme != "http":
            raise httpx.UnsupportedProtocol(
                "Http11Transport serves http:// only (https goes through httpx's transport)."
            )
        timeouts: dict[str, Any] = request.extensions.get("timeout", {})
        key = (url.host, url.port or 80)
        answer = await self.exchange(
            key, request.method, url.raw_path, request.headers.raw, request.content, timeouts.get("read")
        )
        assert isinstance(answer, _LeanAnswer)
        return httpx.Response(answer.status, headers=answer.headers, stream=_Body(answer), request=request)

    def release(self, key: tuple[str, int], exchange: _Exchange) -> None:
        """The exchange's answer was read or abandoned: keep its connection for the next, or close it."""
        self._release_slot()
        idle = self._idle.setdefault(key, [])
        if exchange.reusable() and len(idle) < self._max_idle:
            exchange.idle_since = time.monotonic()
            idle.append(exchange)
        else:
            self._close(exchange)

    def _close(self, exchange: _Exchange) -> None:
        self._open.discard(exchange)
        if exchange.transport is not None and not exchange.transport.is_closing():
            exchange.transport.close()

    async def aclose(self) -> None:
        for exchange in list(self._open):
            self._close(exchange)
        self._idle.clear()
        with contextlib.suppress(Exception):
            await asyncio.sleep(0)


def transport_for(upstream: str) -> httpx.AsyncBaseTransport:
    """The lean transport for http://, httpx's own for https:// (TLS)."""
    if httpx.URL(upstream).scheme == "http":
        return Http11Transport()
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=64, keepalive_expiry=4.0)
    return httpx.AsyncHTTPTransport(limits=limits, retries=0)
