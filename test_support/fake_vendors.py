"""Fake vendors for `talq-mock verify`'s tests, each served over real HTTP on 127.0.0.1.

- `faithful()`: the mock itself. Honest as a vendor that follows the spec: every answer it sends is
  validated against the spec by the toolkit's own tests (black-box, contract, soak and fuzz).
- `drifted(name)`: the mock behind one drift of `DRIFTS`, each the way a real API might differ from the
  spec in exactly one respect (the answers are otherwise the mock's).
- `recording_vendor()`: answers every request 200 `{}` and keeps each request it saw: what the guard
  tests read to prove that nothing unsafe ever reached an upstream.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

from mock_server.server import in_thread, server_config
from mock_server.settings import Settings
from mock_server.testing import LiveMock, serve

Headers = list[tuple[bytes, bytes]]
Answer = tuple[int, Headers, bytes]


def _json(body: bytes) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return None


def _with_body(headers: Headers, body: bytes) -> Headers:
    kept = [(name, value) for name, value in headers if name.lower() != b"content-length"]
    return [*kept, (b"content-length", str(len(body)).encode())]


def _renamed_field(path: str, method: str, request: bytes, answer: Answer) -> Answer:
    """Make a Call's success answer calls `to` `phone_number`."""
    status, headers, body = answer
    parsed = _json(body)
    if path.endswith("/call") and status == 200 and isinstance(parsed, dict):
        parsed["data"]["phone_number"] = parsed["data"].pop("to")
        body = orjson.dumps(parsed)
    return status, _with_body(headers, body), body


def _changed_status(path: str, method: str, request: bytes, answer: Answer) -> Answer:
    """Make a Call's success answer is 201 Created, not 200."""
    status, headers, body = answer
    return (201 if path.endswith("/call") and status == 200 else status), headers, body


def _other_envelope(path: str, method: str, request: bytes, answer: Answer) -> Answer:
    """Get Agent's 404 is Laravel's `{"message": ...}`, not the spec's envelope with AGENT_NOT_FOUND."""
    status, headers, body = answer
    if method == "GET" and path.count("/") == 4 and "/agents/" in path and status == 404:
        body = b'{"message": "Agent not found."}'
    return status, _with_body(headers, body), body


def _reset_in_ms(path: str, method: str, request: bytes, answer: Answer) -> Answer:
    """X-RateLimit-Reset in milliseconds since the epoch."""
    status, headers, body = answer
    headers = [
        (name, str(int(value) * 1000).encode() if name.lower() == b"x-ratelimit-reset" else value)
        for name, value in headers
    ]
    return status, headers, body


def _missing_header(path: str, method: str, request: bytes, answer: Answer) -> Answer:
    """No X-RateLimit-Remaining on any answer."""
    status, headers, body = answer
    return status, [(n, v) for n, v in headers if n.lower() != b"x-ratelimit-remaining"], body


MAKE_CALL_PROPERTIES = frozenset({"to", "payload", "context", "delay_seconds", "is_testing"})


def _unknown_refused(path: str, method: str, request: bytes, answer: Answer) -> Answer:
    """Make a Call refuses a request property it does not know: 422 in Laravel's form."""
    status, headers, body = answer
    parsed = _json(request)
    if path.endswith("/call") and isinstance(parsed, dict) and set(parsed) - MAKE_CALL_PROPERTIES:
        unknown = sorted(set(parsed) - MAKE_CALL_PROPERTIES)
        body = orjson.dumps(
            {
                "message": "The given data was invalid.",
                "errors": {name: ["Unknown field."] for name in unknown},
            }
        )
        return 422, _with_body(headers, body), body
    return status, headers, body


Drift = Callable[[str, str, bytes, Answer], Answer]
DRIFTS: dict[str, Drift] = {
    "renamed-field": _renamed_field,
    "changed-status": _changed_status,
    "other-envelope": _other_envelope,
    "reset-in-ms": _reset_in_ms,
    "unknown-refused": _unknown_refused,
    "missing-header": _missing_header,
}


class Drifted:
    """ASGI middleware: the mock's answer to each request, passed through one drift."""

    def __init__(self, app: Any, drift: Drift) -> None:
        self.app = app
        self.drift = drift

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = bytearray()
        started: dict[str, Any] = {}
        body = bytearray()

        async def receiving() -> Any:
            message = await receive()
            request.extend(message.get("body", b""))
            return message

        async def sending(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
            elif message["type"] == "http.response.body":
                body.extend(message.get("body", b""))

        await self.app(scope, receiving, sending)
        status, headers, content = self.drift(
            scope["path"],
            scope["method"],
            bytes(request),
            (started["status"], list(started["headers"]), bytes(body)),
        )
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})


@contextlib.contextmanager
def faithful(settings: Settings | None = None) -> Iterator[LiveMock]:
    with serve(settings or Settings(seed=1)) as mock:
        yield mock


@contextlib.contextmanager
def drifted(name: str, settings: Settings | None = None) -> Iterator[LiveMock]:
    with serve(settings or Settings(seed=1), wrap=lambda app: Drifted(app, DRIFTS[name])) as mock:
        yield mock


@dataclass
class Seen:
    """What the recording vendor received: (method, path, headers, body) of each request."""

    url: str
    requests: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


@contextlib.contextmanager
def recording_vendor() -> Iterator[Seen]:
    seen = Seen("")

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await receive()
            await send({"type": "lifespan.startup.complete"})
            await receive()
            await send({"type": "lifespan.shutdown.complete"})
            return
        body = bytearray()
        while True:
            message = await receive()
            body.extend(message.get("body", b""))
            if not message.get("more_body"):
                break
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        with seen.lock:
            seen.requests.append((scope["method"], scope["path"], headers, bytes(body)))
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": b"{}"})

    settings = Settings(host="127.0.0.1", port=0, quiet=True)
    with in_thread(server_config(app, settings, loop="asyncio"), "recording-vendor") as port:
        seen.url = f"http://127.0.0.1:{port}/api/v1"
        yield seen
