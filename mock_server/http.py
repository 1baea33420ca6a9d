"""The mock's HTTP vocabulary: the parsed request a stage sees and the answer it gives back."""

from __future__ import annotations

import json
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any

import orjson

ASGIScope = MutableMapping[str, Any]
Headers = list[tuple[bytes, bytes]]

JSON_CONTENT_TYPE = b"application/json"
PROBLEM_CONTENT_TYPE = b"application/problem+json"
EXPOSED_HEADERS = b"X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After, sl-violations"
CORS_HEADERS: Headers = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-expose-headers", EXPOSED_HEADERS),
]


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
