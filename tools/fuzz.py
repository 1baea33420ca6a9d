"""Fuzz the mock's request pipeline in-process: seeded, byte-level and structural mutations of valid
requests (bodies, headers, paths, methods), every answer checked: never a 5xx, always an answer, and
every answer from the spec valid against it.

    python -m tools.fuzz --inputs 100000 --seed 1      # or: make fuzz
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from mock_server.app import MockApp, create_app
from mock_server.settings import Settings
from tools.spec_responses import AnswerChecker

VALID_BODIES: list[Any] = [
    {"to": "+1234567890"},
    {
        "to": "+447911123456",
        "payload": {"name": "Ann"},
        "context": {"crm_id": "7"},
        "delay_seconds": 30,
        "is_testing": True,
    },
    {"to": "+15005550001", "is_testing": False, "delay_seconds": 0},
]
PATHS = ["/api/v1/agents/agent_123456/call"] * 10 + [
    "/agents/agent_1/call",
    "/api/v1/agents/agent_missing/call",
    "/api/v1/agents/agent_draft/call",
    "/api/v1/agents/x/call/",
    "/api/v1/calls",
    "/",
    "/_mock/health",
]
METHODS = ["POST"] * 40 + ["GET", "PUT", "DELETE", "OPTIONS", "PATCH", "HEAD"]
TOKENS = [
    *["talq_fuzz"] * 20,
    "talq_no_credits",
    "talq_revoked",
    "talq_rate_limited",
    "",
    "talq_",
    "sk_x",
    "talq_a b",
]
CONTENT_TYPES = [
    *["application/json"] * 10,
    "application/json; charset=utf-8",
    "text/plain",
    "application/x-www-form-urlencoded",
    "",
    "application/problem+json",
    "application/vnd.api+json",
]
PREFERS = [
    None,
    None,
    None,
    "code=400",
    "code=404, example=agent_not_found",
    "dynamic=true",
    "code=2000",
    "example=nope",
    "code=200, dynamic=maybe",
    "code=429",
    ";;,,",
    "code=400; example=validation_error",
]
VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    3601,
    2**70,
    1.5,
    "",
    "+",
    "+1",
    "+1234567890123456",
    "x" * 300,
    [],
    {},
    [1, 2],
    {"a": None},
    "\u0000",
    "\ud7ff",
    "+12345678901",
]
INTERESTING_BYTES = [
    b"\x00",
    b"\xff",
    b"\xc3\x28",
    b"{",
    b"}",
    b"[",
    b"]",
    b'"',
    b"\\",
    b",",
    b":",
    b"\n",
    b"1e999",
    b"\xef\xbb\xbf",
]


@dataclass
class Report:
    inputs: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


def _mutate_structure(rng: random.Random, body: Any) -> Any:
    body = dict(body)
    for _ in range(rng.randint(1, 3)):
        action = rng.random()
        key = rng.choice(["to", "payload", "context", "delay_seconds", "is_testing", "extra", ""])
        if action < 0.5:
            body[key] = rng.choice(VALUES)
        elif action < 0.8:
            body.pop(key, None)
        else:
            body[key] = {"nested": [body.get(key)] * rng.randint(0, 3)}
    return body if rng.random() < 0.9 else rng.choice([[body], "body", 42, None])


def _mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        choice = rng.random()
        position = rng.randint(0, len(buffer))
        if choice < 0.3 and buffer:
            buffer[min(position, len(buffer) - 1)] ^= 1 << rng.randint(0, 7)
        elif choice < 0.6:
            buffer[position:position] = rng.choice(INTERESTING_BYTES)
        elif choice < 0.8:
            del buffer[position : position + rng.randint(1, 8)]
        else:
            buffer = buffer[:position]
    return bytes(buffer)


def make_input(rng: random.Random) -> tuple[str, str, list[tuple[bytes, bytes]], bytes]:
    method = rng.choice(METHODS)
    path = rng.choice(PATHS)
    if rng.random() < 0.1:
        path = path.replace("agent_", rng.choice(["%2F", "%00", "a" * rng.randint(200, 400), "../", "é"]))
    document = (
        _mutate_structure(rng, rng.choice(VALID_BODIES)) if rng.random() < 0.5 else rng.choice(VALID_BODIES)
    )
    body = json.dumps(document, ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass")
    if rng.random() < 0.5:
        body = _mutate_bytes(rng, body)
    headers: list[tuple[bytes, bytes]] = []
    token = rng.choice(TOKENS)
    if rng.random() < 0.97:
        scheme = "Bearer" if rng.random() < 0.95 else rng.choice(["bearer", "Basic", ""])
        headers.append((b"authorization", f"{scheme} {token}".strip().encode()))
    if rng.random() < 0.97:
        headers.append((b"content-type", rng.choice(CONTENT_TYPES).encode()))
    prefer = rng.choice(PREFERS)
    if prefer is not None:
        headers.append((b"prefer", prefer.encode()))
    if rng.random() < 0.1:
        headers.append((b"accept", rng.choice([b"text/html", b"*/*", b"application/json", b"\xff"])))
    if rng.random() < 0.05:
        headers.append((b"origin", b"http://localhost:3000"))
        headers.append((b"access-control-request-method", b"POST"))
    if rng.random() < 0.05:
        headers.append(
            (
                b"x-" + bytes(rng.randint(97, 122) for _ in range(5)),
                bytes(rng.randint(32, 255) for _ in range(30)),
            )
        )
    return method, path, headers, body


async def answer(
    app: MockApp, method: str, path: str, headers: list[tuple[bytes, bytes]], body: bytes, query: bytes = b""
) -> tuple[int, dict[str, str], bytes]:
    """One request through the app's ASGI interface, as a server would make it."""
    sent: list[dict[str, Any]] = []
    chunks = [body[i : i + 4096] for i in range(0, len(body), 4096)] or [b""]

    async def receive() -> dict[str, Any]:
        if chunks:
            chunk = chunks.pop(0)
            return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "raw_path": path.encode("utf-8", "replace"),
        "query_string": query,
        "headers": [*headers, (b"content-length", str(len(body)).encode())],
        "client": ("127.0.0.1", 1234),
        "server": ("127.0.0.1", 4010),
        "scheme": "http",
        "http_version": "1.1",
    }
    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    response_body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    answer_headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in start["headers"]}
    return start["status"], answer_headers, response_body


async def fuzz(inputs: int, seed: int) -> Report:
    app = create_app(Settings(seed=seed, quiet=True, rate_limit=10**9, max_calls=1000))
    checker = AnswerChecker(app.spec)
    rng = random.Random(seed)  # noqa: S311 - reproducible test inputs
    report = Report()
    for index in range(inputs):
        method, path, headers, body = make_input(rng)
        try:
            status, answer_headers, answer_body = await answer(app, method, path, headers, body)
        except Exception as error:
            report.failures.append(f"input {index}: {method} {path[:80]} raised {error!r}")
            continue
        report.inputs += 1
        report.statuses[status] += 1
        if path.startswith("/_mock"):
            continue
        problems = checker.problems(
            path.removesuffix("/") if path != "/" else path, method, status, answer_headers, answer_body
        )
        if problems:
            report.failures.append(
                f"input {index}: {method} {path[:80]} {body[:80]!r} -> {status}: {problems}"
            )
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    report = asyncio.run(fuzz(args.inputs, args.seed))
    seconds = time.perf_counter() - started
    statuses = ", ".join(f"{status}: {count}" for status, count in sorted(report.statuses.items()))
    print(
        f"fuzz: {report.inputs} inputs in {seconds:.1f} s ({report.inputs / seconds:,.0f}/s), "
        f"seed {args.seed}"
    )
    print(f"fuzz: statuses {statuses}")
    print(f"fuzz: {len(report.failures)} failures (5xx, exceptions, or answers invalid against the spec)")
    for failure in report.failures[:20]:
        print("  " + failure)
    return 1 if report.failures or report.inputs < args.inputs else 0


if __name__ == "__main__":
    sys.exit(main())
