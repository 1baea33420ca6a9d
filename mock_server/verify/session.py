"""The one way `verify` talks to an upstream: each request guarded, counted, paced by the upstream's
`X-RateLimit-*` headers, and kept as an `Exchange` whose evidence never shows the token."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

import httpx
import orjson

from mock_server.spec.document import JSON
from mock_server.verify.guards import Guard

log = logging.getLogger("mock_server.verify")

MASKED = "Bearer [TALQ_TOKEN]"
EVIDENCE_HEADERS = (
    "content-type",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "retry-after",
)
MAX_EVIDENCE_BODY = 2_000  # characters of an answer's body shown as evidence
RESERVE = 1  # requests left in the window that verify never spends (for the app sharing the token)
SECONDS_PLAUSIBLE = (1_000_000_000, 100_000_000_000)  # a Unix time in seconds (2001..5138)


class BudgetSpent(Exception):
    """--max-requests is reached: nothing more is sent."""


@dataclass(frozen=True)
class Pacing:
    max_requests: int = 200
    max_wait_seconds: float = 65.0  # the longest verify waits for a rate window (or a Retry-After)
    no_header_interval: float = 1.0  # between requests when the upstream sends no X-RateLimit-*
    timeout_seconds: float = 30.0


@dataclass
class Exchange:
    operation: str
    method: str
    path: str
    query: dict[str, str]
    body: JSON
    sent_token: bool
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names, first values
    header_list: list[tuple[str, str]] = field(default_factory=list)
    content: bytes = b""
    error: str = ""  # the upstream could not be reached or did not answer in time

    def json(self) -> JSON:
        try:
            return orjson.loads(self.content)
        except orjson.JSONDecodeError:
            return None

    def evidence(self) -> dict[str, JSON]:
        """The request and the answer, the token masked, for a contradicted verdict."""
        request: dict[str, JSON] = {"method": self.method, "path": self.path}
        if self.query:
            request["query"] = self.query
        if self.body is not None:
            request["body"] = self.body
        request["headers"] = {"authorization": MASKED} if self.sent_token else {}
        answer: dict[str, JSON] = {"status": self.status}
        if self.error:
            answer["error"] = self.error
        answer["headers"] = {name: self.headers[name] for name in EVIDENCE_HEADERS if name in self.headers}
        answer["body"] = self.content.decode("utf-8", "replace")[:MAX_EVIDENCE_BODY]
        return {"request": request, "answer": answer}


def reset_in(reset: int, now: float) -> float | None:
    """Seconds until the window resets, from an X-RateLimit-Reset read as Unix seconds, else None."""
    low, high = SECONDS_PLAUSIBLE
    return max(0.0, reset - now) if low <= reset < high else None


def _integer(headers: Mapping[str, str], name: str) -> int | None:
    try:
        return int(headers[name].strip())
    except (KeyError, ValueError):
        return None


class Session:
    """Guarded, counted, paced requests to `base_url` (the spec's base path included)."""

    def __init__(
        self,
        base_url: str,
        token: str,
        guard: Guard,
        paths: Mapping[str, tuple[str, str]],  # operationId -> (method, path template)
        pacing: Pacing = Pacing(),
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.base_url = base_url
        self.guard = guard
        self.paths = paths
        self.pacing = pacing
        self.sleep = sleep
        self.clock = clock
        self.sent = 0
        self.waited = 0.0
        self.too_many = 0  # 429s received
        self.created: set[str] = set()  # ids of what verify created here (the only things it deletes)
        self._wait_before_next = 0.0
        self._http = httpx.Client(timeout=pacing.timeout_seconds, headers={"Accept": "application/json"})
        self._auth = {"Authorization": f"Bearer {token}"}

    def close(self) -> None:
        self._http.close()

    def send(
        self, operation: str, params: Mapping[str, str], query: Mapping[str, str], body: JSON, auth: bool
    ) -> Exchange:
        """Send one request (GuardError if unsafe, BudgetSpent once --max-requests is reached)."""
        self.guard.check(operation, body, params, self.created)
        method, template = self.paths[operation]
        path = template.format_map({name: quote(value, safe="") for name, value in params.items()})
        exchange = Exchange(operation, method.upper(), path, dict(query), body, auth)
        for attempt in range(2):  # a 429 is waited out once (its Retry-After), then it is the answer
            self._send(exchange)
            if exchange.status != 429 or attempt == 1:
                break
            self.too_many += 1
            retry = _integer(exchange.headers, "retry-after")
            self._pause(float(retry) if retry is not None else self.pacing.max_wait_seconds, "Retry-After")
        if operation in self.guard.disabled_only and 200 <= exchange.status < 300:
            answer = exchange.json()
            data = answer.get("data") if isinstance(answer, dict) else None
            if isinstance(data, dict) and isinstance(data.get("id"), str):
                self.created.add(data["id"])
        return exchange

    def _send(self, exchange: Exchange) -> None:
        if self.sent >= self.pacing.max_requests:
            raise BudgetSpent(f"--max-requests {self.pacing.max_requests} reached")
        if self._wait_before_next:
            self._pause(self._wait_before_next, "rate limit")
        self.sent += 1
        url = self.base_url + exchange.path + ("?" + urlencode(exchange.query) if exchange.query else "")
        content = None if exchange.body is None else orjson.dumps(exchange.body)
        headers = {**(self._auth if exchange.sent_token else {})}
        if content is not None:
            headers["Content-Type"] = "application/json"
        try:
            answer = self._http.request(exchange.method, url, content=content, headers=headers)
        except httpx.HTTPError as error:
            exchange.status, exchange.error = 0, f"{type(error).__name__}: no answer from the upstream"
            self._wait_before_next = self.pacing.no_header_interval
            return
        exchange.status = answer.status_code
        exchange.header_list = [(name.lower(), value) for name, value in answer.headers.multi_items()]
        exchange.headers = {}
        for name, value in exchange.header_list:
            exchange.headers.setdefault(name, value)
        exchange.content = answer.content
        self._wait_before_next = self._next_wait(exchange.headers)

    def _next_wait(self, headers: Mapping[str, str]) -> float:
        """How long to wait before the next request, from this answer's X-RateLimit-* headers."""
        remaining = _integer(headers, "x-ratelimit-remaining")
        if remaining is None:
            return self.pacing.no_header_interval
        if remaining > RESERVE:
            return 0.0
        reset = _integer(headers, "x-ratelimit-reset")
        seconds = reset_in(reset, self.clock()) if reset is not None else None
        # A Reset that is not Unix seconds (milliseconds, a delta) cannot be trusted: wait a whole window.
        return self.pacing.max_wait_seconds if seconds is None else seconds + 1

    def _pause(self, seconds: float, why: str) -> None:
        seconds = min(max(seconds, 0.0), self.pacing.max_wait_seconds)
        if seconds >= 1:
            log.info("verify: waiting %.0f s (%s)", seconds, why)
        self.sleep(seconds)
        self.waited += seconds
        self._wait_before_next = 0.0
