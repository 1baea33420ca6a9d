"""A drifted upstream for the proxy's tests: a small ASGI app under uvicorn on a free port of
127.0.0.1 that answers Make a Call the way a real API might drift from the spec, chosen by agent id.

Its answers are fixed bytes (no clock, no ids), so a HAR of them (fixtures/drift.har) stays true.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import uvicorn

from mock_server.server import in_thread

RATE = [
    (b"X-RateLimit-Limit", b"100"),
    (b"X-RateLimit-Remaining", b"99"),
    (b"X-RateLimit-Reset", b"1705314660"),
]
JSON = (b"Content-Type", b"application/json")


def _call(status: str) -> bytes:
    # Not orjson's compact form: spacing and escapes show the bytes are passed through, not re-encoded.
    return (
        b'{ "success": true,\n  "data": {"id": "call_789012", "agent_id": "agent_123456", '
        b'"to": "+1234567890", '
        b'"status": "' + status.encode() + b'", "created_at": "2024-01-15T10:30:00Z", "note": "caf\\u00e9"} }'
    )


@dataclass(frozen=True)
class Drift:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    delay: float = 0.0
    chunked: bool = False  # sent without Content-Length, in pieces (chunked transfer coding)


# agent id -> the answer; the findings each must give are asserted in tests/proxy/test_drift.py.
DRIFTS: dict[str, Drift] = {
    "clean": Drift(
        200,
        [*RATE, JSON, (b"Set-Cookie", b"a=1; Path=/"), (b"Set-Cookie", b"b=2; Path=/; HttpOnly")],
        _call("initiated"),
    ),
    "bad_status": Drift(200, [*RATE, JSON], _call("dialing")),
    "no_ratelimit": Drift(200, [RATE[0], RATE[2], JSON], _call("initiated")),
    "teapot": Drift(
        418,
        [*RATE, JSON],
        b'{"success": false, "error": {"code": "VALIDATION_ERROR", "message": "I am a teapot"}}',
    ),
    "laravel": Drift(404, [*RATE, JSON], b'{"message": "Agent not found."}'),
    "html": Drift(
        500,
        [*RATE, (b"Content-Type", b"text/html; charset=utf-8")],
        b"<html><body>Server Error</body></html>",
    ),
    "slow": Drift(200, [*RATE, JSON], _call("initiated"), delay=3.0),
    "chunked": Drift(200, [*RATE, JSON], _call("dialing"), chunked=True),
    "gzip": Drift(
        200, [*RATE, JSON, (b"Content-Encoding", b"gzip")], gzip.compress(_call("dialing"), mtime=0)
    ),
    # 2 MiB of a valid call list item's worth of padding: larger than the tests' checked-body limit
    "big": Drift(200, [*RATE, JSON], b'{"success": true, "data": {"pad": "' + b"x" * (2 << 20) + b'"}}'),
}


@dataclass
class DriftUpstream:
    """The ASGI app; `seen` lists the (method, path) of every request that reached it."""

    seen: list[tuple[str, str]] = field(default_factory=list)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        self.seen.append((scope["method"], scope["path"]))
        more = True
        while more:
            message = await receive()
            more = message.get("more_body", False)
        parts = scope["path"].split("/")
        drift = DRIFTS.get(parts[-2] if len(parts) > 2 else "", DRIFTS["clean"])
        if drift.delay:
            await asyncio.sleep(drift.delay)
        if drift.chunked:
            await send({"type": "http.response.start", "status": drift.status, "headers": drift.headers})
            for start in range(0, len(drift.body), 16):
                await send(
                    {"type": "http.response.body", "body": drift.body[start : start + 16], "more_body": True}
                )
            await send({"type": "http.response.body", "body": b""})
            return
        headers = [*drift.headers, (b"Content-Length", str(len(drift.body)).encode())]
        await send({"type": "http.response.start", "status": drift.status, "headers": headers})
        await send({"type": "http.response.body", "body": drift.body})


@dataclass(frozen=True)
class LiveUpstream:
    app: DriftUpstream
    url: str  # with /api/v1, as the proxy's --upstream


@contextlib.contextmanager
def drifted_upstream() -> Iterator[LiveUpstream]:
    app = DriftUpstream()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        loop="asyncio",
        lifespan="off",
        log_level="warning",
        server_header=False,
        date_header=False,
        # On exit, a "slow" answer whose client has gone (it still sleeps) is cancelled at once.
        timeout_graceful_shutdown=0,
    )
    with in_thread(config, "drifted-upstream") as port:
        yield LiveUpstream(app, f"http://127.0.0.1:{port}/api/v1")
