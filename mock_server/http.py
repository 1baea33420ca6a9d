"""The mock's HTTP vocabulary: the parsed request a stage sees and the answer it gives back."""

from __future__ import annotations

import asyncio
import ipaddress
import json
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import orjson

ASGIScope = MutableMapping[str, Any]
Headers = list[tuple[bytes, bytes]]

JSON_CONTENT_TYPE = b"application/json"
PROBLEM_CONTENT_TYPE = b"application/problem+json"
EXPOSED_HEADERS = b"X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After, sl-violations"
CORS_HEADERS = (
    (b"access-control-allow-origin", b"*"),
    (b"access-control-expose-headers", EXPOSED_HEADERS),
)


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query_string: str
    headers: dict[str, str]  # lower-case names; a repeated header keeps its first value
    client: str

    @classmethod
    def from_scope(cls, scope: ASGIScope) -> Request:
        headers: dict[str, str] = {}
        for name, value in scope.get("headers", []):
            headers.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
        client = scope.get("client") or ("unknown", 0)
        return cls(
            method=scope["method"],
            path=scope["path"],
            query_string=scope.get("query_string", b"").decode("latin-1"),
            headers=headers,
            client=str(client[0]),
        )


@dataclass
class Answer:
    status: int
    body: bytes = b""
    content_type: bytes | None = JSON_CONTENT_TYPE
    headers: Headers = field(default_factory=list)
    error_code: str = ""  # for the log line

    def header(self, name: str, value: str | int) -> Answer:
        self.headers.append((name.encode("latin-1"), str(value).encode("latin-1")))
        return self


def dump_json(body: Any) -> bytes:
    """`body` as compact JSON. orjson refuses integers beyond 64 bits, which JSON allows and a valid
    request can make an answer echo (List Calls' `page` has no maximum): those go through the stdlib."""
    try:
        return orjson.dumps(body)
    except TypeError:
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def json_answer(status: int, body: Any, error_code: str = "") -> Answer:
    return Answer(status, dump_json(body), JSON_CONTENT_TYPE, [], error_code)


PROBLEM_BASE = "https://stoplight.io/prism/errors#"


def problem(status: int, kind: str, title: str, detail: str) -> Answer:
    """A problem+json answer (RFC 9457) in Prism's shape, for answers the spec does not define."""
    body = {"type": PROBLEM_BASE + kind, "title": title, "status": status, "detail": detail}
    return Answer(status, orjson.dumps(body), PROBLEM_CONTENT_TYPE, [], kind)


async def send_answer(send: Any, answer: Answer) -> None:
    headers: Headers = [*CORS_HEADERS, *answer.headers]
    if answer.content_type is not None:
        headers.append((b"content-type", answer.content_type))
    headers.append((b"content-length", str(len(answer.body)).encode()))
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})


@dataclass(frozen=True)
class BodyTooLarge:
    """The body is longer than `max_bytes` (declared by Content-Length, or as it arrived): 413."""

    max_bytes: int


@dataclass(frozen=True)
class BodyTimedOut:
    """The whole body did not arrive within `timeout_seconds`: 408."""

    timeout_seconds: float


async def read_bounded_body(
    receive: Any, headers: dict[str, str], limit: int, timeout: float
) -> bytes | BodyTooLarge | BodyTimedOut:
    """The whole request body, at most `limit` bytes, within `timeout` seconds.

    A Content-Length above `limit` is refused before anything is read; a body that grows past `limit`
    is refused as soon as it does; a body still incomplete after `timeout` seconds is refused too."""
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return BodyTooLarge(limit)
    try:
        if _body_already_received(receive):
            return await _read_body(receive, limit)  # nothing to wait for: no timer on the hot path
        async with asyncio.timeout(timeout):
            return await _read_body(receive, limit)
    except TimeoutError:
        return BodyTimedOut(timeout)


def _body_already_received(receive: Any) -> bool:
    """Whether uvicorn has the whole body in hand already (its request cycle says so), so that
    reading it cannot wait. Any other server, or a uvicorn without that attribute: False."""
    return getattr(getattr(receive, "__self__", None), "more_body", True) is False


async def _read_body(receive: Any, limit: int) -> bytes | BodyTooLarge:
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return BodyTooLarge(limit)
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or an address) is this machine's loopback."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_host_allowed(url: str, allowed_hosts: frozenset[str] | set[str]) -> bool:
    """Whether `url` is http(s) to one of `allowed_hosts` (where the mock may post webhook events)."""
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and parts.hostname in allowed_hosts


def mask(token: str) -> str:
    """A token as it may appear in a log line: its first 7 characters, then `…`."""
    return token[:7] + "…" if len(token) > 7 else "…"
