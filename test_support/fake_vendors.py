"""Fake vendors for `talq-mock verify`'s tests, each served over real HTTP on 127.0.0.1.

- `faithful()`: the mock itself. Honest as a vendor that follows the spec: every answer it sends is
  validated against the spec by the toolkit's own tests (black-box, contract, soak and fuzz).
- `drifted(name)`: the mock behind one drift of `DRIFTS`, each the way a real API might differ from the
  spec in exactly one respect (the answers are otherwise the mock's).
- `examples_vendor()`: answers with the bodies of the vendor's pages (tests/vendor_examples/).
- `recording_vendor()`: answers every request 200 `{}` and keeps each request it saw: what the guard
  tests read to prove that nothing unsafe ever reached an upstream.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import orjson
import yaml

from mock_server.proxy.validate import Checker
from mock_server.server import in_thread, server_config
from mock_server.settings import Settings
from mock_server.spec.compiled import CompiledSpec, load_spec
from mock_server.spec.document import DEFAULT_SPEC
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


async def _request_body(scope: dict[str, Any], receive: Any, send: Any) -> bytes | None:
    """The whole request body of an HTTP scope; None for a lifespan scope (answered here)."""
    if scope["type"] == "lifespan":
        await receive()
        await send({"type": "lifespan.startup.complete"})
        await receive()
        await send({"type": "lifespan.shutdown.complete"})
        return None
    body = bytearray()
    while True:
        message = await receive()
        body.extend(message.get("body", b""))
        if not message.get("more_body"):
            return bytes(body)


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
        body = await _request_body(scope, receive, send)
        if body is None:
            return
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


# --- a vendor built from the vendor's documented examples (tests/vendor_examples/<page>.yaml) ---

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "tests" / "vendor_examples"
UNDOCUMENTED = 501  # the answer for a request no page documents an answer to (marked by a header)
UNDOCUMENTED_HEADER = (b"x-fake-undocumented", b"1")


def vendor_examples() -> dict[tuple[str, int], list[Any]]:
    """(operationId, status) -> the example bodies of the vendor's pages, in page order."""
    found: dict[tuple[str, int], list[Any]] = {}
    for path in sorted(EXAMPLES_DIR.glob("*.yaml")):
        for example in yaml.safe_load(path.read_text(encoding="utf-8"))["examples"]:
            found.setdefault((example["operationId"], int(example["status"])), []).append(example["body"])
    return found


def _listed(body: Any, scope: dict[str, Any]) -> Any:
    """A list answer filtered by the query's `status` and `direction`, as the list pages describe."""
    query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
    wanted = {name: query[name] for name in ("status", "direction") if name in query}
    if not wanted or not isinstance(body, dict) or not isinstance(body.get("data"), list):
        return body
    kept = [item for item in body["data"] if all(item.get(k) == v for k, v in wanted.items())]
    return {**body, "data": kept}


@dataclass
class ExamplesVendor:
    """Answers each request with a body a vendor page shows, chosen the way the pages describe: no
    token → the page's 401; the agent `agent_missing`, or an id it never handed out (End Call's
    call_sid, a webhook id) → its 404; End Call of an ended call → its 409; a list filtered by
    `status` / `direction`; otherwise the page's success answer (2xx). With the
    introduction's X-RateLimit-* headers (Reset in Unix seconds: the unit the pages leave open and the
    spec decides). A request no page documents an answer for (invalid input, by the spec's request
    checks: only its classification is borrowed) gets 501 with `x-fake-undocumented: 1`."""

    spec: CompiledSpec
    examples: dict[tuple[str, int], list[Any]]
    placed: set[str] = field(default_factory=set)
    ended: set[str] = field(default_factory=set)
    remaining: int = 1000

    def __post_init__(self) -> None:
        self.checker = Checker(self.spec)

    def _status(self, scope: dict[str, Any], headers: dict[str, str], raw: bytes) -> tuple[str, int]:
        """The operation, and the status the pages describe for this request (UNDOCUMENTED: none)."""
        request = self.checker.request(
            scope["method"], scope["path"], scope.get("query_string", b"").decode("latin-1"), headers, raw
        )
        name = request.operation.operation_id if request.operation else ""
        body = _json(raw)
        sid = body.get("call_sid") if name == "endCall" and isinstance(body, dict) else None
        ids = [value for key, value in request.path_params.items() if key != "agent_id"]
        rules = (
            ("authorization" not in headers, 401),
            (request.path_params.get("agent_id") == "agent_missing", 404),
            (any(value not in self.placed for value in ids), 404),  # an id it never handed out
            (sid is not None and sid not in self.placed, 404),
            (sid is not None and sid in self.ended, 409),  # the page's "Call Already Ended"
            # invalid input: the pages show no answer body for it (but create-webhook's 422)
            (bool(request.findings), 422 if (name, 422) in self.examples else UNDOCUMENTED),
        )
        status = next((status for applies, status in rules if applies), None)
        if status is None:
            statuses = sorted(status for operation, status in self.examples if operation == name)
            status = next((status for status in statuses if status < 300), UNDOCUMENTED)
        return name, status

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        raw = await _request_body(scope, receive, send)
        if raw is None:
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        name, status = self._status(scope, headers, bytes(raw))
        bodies = self.examples.get((name, status))
        self.remaining -= 1
        rate = [
            (b"x-ratelimit-limit", b"1000"),
            (b"x-ratelimit-remaining", str(self.remaining).encode()),
            (b"x-ratelimit-reset", str(int(time.time()) + 60).encode()),
        ]
        if not bodies:
            status, answer, extra = (
                UNDOCUMENTED,
                b'{"message": "no page documents this answer"}',
                [UNDOCUMENTED_HEADER],
            )
        else:
            answer, extra = orjson.dumps(_listed(bodies[0], scope)), []
            sid = (_json(bytes(raw)) or {}).get("call_sid") if name == "endCall" and status == 200 else None
            if isinstance(sid, str):
                self.ended.add(sid)
            if status in {200, 201} and isinstance(bodies[0].get("data"), dict) and "id" in bodies[0]["data"]:
                self.placed.add(str(bodies[0]["data"]["id"]))  # End Call / Get Webhook may then find it
        content = [(b"content-type", b"application/json"), *rate, *extra]
        await send({"type": "http.response.start", "status": status, "headers": content})
        await send({"type": "http.response.body", "body": answer})


@contextlib.contextmanager
def examples_vendor() -> Iterator[str]:
    """The vendor of the pages' examples on 127.0.0.1; yields its base URL (with /api/v1)."""
    app = ExamplesVendor(load_spec(DEFAULT_SPEC), vendor_examples())
    settings = Settings(host="127.0.0.1", port=0, quiet=True)
    with in_thread(server_config(app, settings, loop="asyncio"), "examples-vendor") as port:
        yield f"http://127.0.0.1:{port}/api/v1"
