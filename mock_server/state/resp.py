"""A lean Redis client for the shared store's scripts: one connection per process, auto-pipelined.

The request path's one round trip to Redis is a script (`EVALSHA`). Through redis-py's asyncio client
each costs about 150 us of this process's CPU (a connection from the pool, its lock, the command
object, the parser); here it is one encoded command and one hiredis parse. The commands of requests
in flight together go out in one write per turn of the event loop; Redis answers in order, so each
reply resolves the oldest waiting future (RESP2, as redis-py speaks by default).

Failures are redis-py's exceptions, so the store's one error path (`Connection.run`) serves both
clients: `ConnectionError` when Redis cannot be reached or drops the connection (the next command
connects again: the mock recovers by itself), `TimeoutError` when a reply is overdue (the connection
is dropped, and every command on it fails: never a hang), `ResponseError` for an error reply. A
command already sent is never sent again (a script may have run), so it fails instead.
"""

from __future__ import annotations

import asyncio
import collections
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import unquote, urlsplit

import hiredis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

WATCH_SECONDS = 0.25  # how often an overdue reply is looked for while commands wait


@dataclass(frozen=True)
class Address:
    host: str
    port: int
    db: int
    username: str | None
    password: str | None


def address_of(url: str) -> Address | None:
    """A `redis://[user:password@]host[:port][/db]` URL's parts; None for what this client does not
    speak (TLS, unix sockets, URL options): redis-py serves those."""
    parts = urlsplit(url)
    if parts.scheme != "redis" or parts.query:
        return None
    path = parts.path.strip("/")
    if path and not path.isdigit():
        return None
    return Address(
        parts.hostname or "localhost",
        parts.port or 6379,
        int(path or 0),
        unquote(parts.username) if parts.username else None,
        unquote(parts.password) if parts.password else None,
    )


def encode(args: Sequence[Any]) -> bytes:
    """One command in RESP: an array of bulk strings."""
    chunks = [b"*%d\r\n" % len(args)]
    for arg in args:
        data = arg if isinstance(arg, bytes) else str(arg).encode()
        chunks.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(chunks)


class _Wire(asyncio.Protocol):
    """One connection: what was sent and waits for its reply, in order."""

    def __init__(self) -> None:
        self.reader = hiredis.Reader(encoding="utf-8", errors="replace")
        self.waiting: collections.deque[tuple[asyncio.Future[Any], float]] = collections.deque()
        self.transport: asyncio.Transport | None = None
        self.lost: Exception | None = None
        self._pending: list[bytes] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass, but is one

    def data_received(self, data: bytes) -> None:
        self.reader.feed(data)
        while (reply := self.reader.gets()) is not False:
            if not self.waiting:  # a reply nobody asked for: the stream is out of step
                self.fail(RedisConnectionError("Redis sent a reply no command waited for"))
                return
            future, _ = self.waiting.popleft()
            if future.done():
                continue
            if isinstance(reply, hiredis.ReplyError):
                future.set_exception(ResponseError(str(reply)))
            else:
                future.set_result(reply)

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = RedisConnectionError(f"Redis closed the connection ({exc or 'end of stream'})")
        self._fail_waiting(self.lost)

    def send(self, command: bytes, deadline: float) -> asyncio.Future[Any]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self.waiting.append((future, deadline))
        if not self._pending:
            loop.call_soon(self._flush)
        self._pending.append(command)
        return future

    def _flush(self) -> None:
        if self.transport is not None and self._pending and self.lost is None:
            self.transport.write(b"".join(self._pending))
        self._pending.clear()

    def overdue(self, now: float) -> bool:
        return bool(self.waiting) and self.waiting[0][1] < now

    def fail(self, error: Exception) -> None:
        """Drop the connection: every command on it fails with `error`."""
        self.lost = self.lost or error
        if self.transport is not None:
            self.transport.abort()
        self._fail_waiting(error)

    def _fail_waiting(self, error: Exception) -> None:
        while self.waiting:
            future, _ = self.waiting.popleft()
            if not future.done():
                future.set_exception(error)


class RespClient:
    """Commands and scripts over one connection, opened on first use and again after a loss."""

    def __init__(
        self, address: Address, connect_timeout: float, command_timeout: float, scripts: Sequence[str] = ()
    ) -> None:
        """`scripts`: loaded into Redis on every connection, so that EVALSHA finds them."""
        self.address, self.scripts = address, tuple(scripts)
        self.connect_timeout, self.command_timeout = connect_timeout, command_timeout
        self._wire: _Wire | None = None
        self._connecting: asyncio.Task[_Wire] | None = None
        self._watch: asyncio.TimerHandle | None = None

    async def execute(self, *args: Any) -> Any:
        wire = self._wire
        if wire is None or wire.lost is not None:
            wire = await self._connected()
        future = wire.send(encode(args), time.monotonic() + self.command_timeout)
        self._watch_replies()
        return await future

    async def evalsha(self, sha: str, script: str, keys: Sequence[Any], args: Sequence[Any]) -> Any:
        """The script by its SHA1; once more with its text when Redis does not have it (one that was
        not loaded on connecting, or SCRIPT FLUSH): EVAL runs it and keeps it."""
        try:
            return await self.execute("EVALSHA", sha, len(keys), *keys, *args)
        except ResponseError as error:
            if not str(error).startswith("NOSCRIPT"):
                raise
        return await self.execute("EVAL", script, len(keys), *keys, *args)

    async def _connected(self) -> _Wire:
        if self._connecting is None or self._connecting.done():
            self._connecting = asyncio.get_running_loop().create_task(self._connect())
        return await asyncio.shield(self._connecting)

    async def _connect(self) -> _Wire:
        address, loop = self.address, asyncio.get_running_loop()
        try:
            _, wire = await asyncio.wait_for(
                loop.create_connection(_Wire, address.host, address.port), self.connect_timeout
            )
        except TimeoutError as error:
            raise RedisTimeoutError(f"no connection to Redis within {self.connect_timeout} s") from error
        except OSError as error:
            raise RedisConnectionError(f"cannot connect to Redis: {error.strerror or error}") from error
        deadline = time.monotonic() + self.command_timeout
        set_up = []
        if address.password is not None:
            credentials = [address.username, address.password] if address.username else [address.password]
            set_up.append(wire.send(encode(["AUTH", *credentials]), deadline))
        if address.db:
            set_up.append(wire.send(encode(["SELECT", address.db]), deadline))
        set_up += [wire.send(encode(["SCRIPT", "LOAD", script]), deadline) for script in self.scripts]
        self._wire = wire
        self._watch_replies()
        try:
            await asyncio.gather(*set_up)
        except ResponseError as error:
            wire.fail(RedisConnectionError(str(error)))
            raise
        return wire

    def _watch_replies(self) -> None:
        if self._watch is None:
            self._watch = asyncio.get_running_loop().call_later(WATCH_SECONDS, self._look)

    def _look(self) -> None:
        self._watch = None
        wire = self._wire
        if wire is None or not wire.waiting:
            return
        if wire.overdue(time.monotonic()):
            wire.fail(RedisTimeoutError(f"Redis did not answer within {self.command_timeout} s"))
            return
        self._watch_replies()

    async def close(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None
        wire, self._wire = self._wire, None
        if wire is not None and wire.transport is not None:
            wire.transport.close()
