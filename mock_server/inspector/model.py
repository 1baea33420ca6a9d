"""The inspector's thin adapter over the mock's state: what a page shows, read from the existing state
objects (journal, calls, webhook deliveries, clock) and never written to here.

Secrets never leave this module: the journal masks tokens already; webhook secrets in bodies are
replaced by `REDACTED` before anything is rendered or exported."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

import orjson

from mock_server.proxy.findings import Finding
from mock_server.proxy.validate import Checker
from mock_server.state.calls import CallRecord
from mock_server.state.clock import iso_z
from mock_server.state.journal import MAX_BODY_CHARS, JournalEntry, RequestJournal
from mock_server.state.lifecycle import happened, timeline, view_at
from mock_server.state.store import MockState
from mock_server.state.webhook_registry import Delivery

REDACTED = "[redacted]"
SECRET_KEYS = frozenset({"webhook_secret", "secret", "password", "api_key", "token"})
MAX_FILTER_CHARS = 200
MAX_LISTED = 500  # rows on one page (the journal keeps more: the filters narrow them)


def redact(value: Any) -> Any:
    """`value` with every secret-like key's value replaced (any depth)."""
    if isinstance(value, dict):
        return {k: REDACTED if k.lower() in SECRET_KEYS and v else redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(item) for item in value]
    return value


def body_text(raw: bytes) -> str:
    """A body as text: JSON pretty-printed (secrets redacted), anything else as it came (decoded)."""
    if not raw:
        return ""
    try:
        parsed = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return raw.decode("utf-8", "replace")
    return json.dumps(redact(parsed), indent=2, ensure_ascii=False)


def compact_body(raw: bytes) -> str:
    """A request body to resend (curl, HAR): JSON compact with secrets redacted, else as it came."""
    try:
        parsed = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return raw.decode("utf-8", "replace")
    return orjson.dumps(redact(parsed)).decode()


@dataclass(frozen=True)
class Filters:
    """The Requests view's filters, as kept in the URL's query."""

    operation: str = ""
    status: str = ""
    call_id: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, query: str) -> Filters:
        values = dict(parse_qsl(query))
        return cls(
            *(
                values.get(name, "").strip()[:MAX_FILTER_CHARS]
                for name in ("operation", "status", "call_id", "q")
            )
        )

    def query(self) -> str:
        return urlencode({name: value for name, value in vars(self).items() if value})

    @property
    def active(self) -> bool:
        return any(vars(self).values())


@dataclass(frozen=True)
class Exchange:
    """One journalled request and its answer, as a page shows it."""

    entry: JournalEntry
    operation: str  # the operationId, or "" when no operation serves the path

    @property
    def number(self) -> int:
        return self.entry.number

    @property
    def at(self) -> str:
        return iso_z(self.entry.at)

    @property
    def token(self) -> str:
        return self.entry.headers.get("authorization", "").partition(" ")[2]

    @property
    def target(self) -> str:
        return self.entry.path + ("?" + self.entry.query if self.entry.query else "")

    @property
    def error_code(self) -> str:
        """The answer's error code: the mock's own, or the envelope's `error.code` (an upstream's)."""
        if self.entry.error_code or not self.entry.answer_body.startswith(b'{"success":false'):
            return self.entry.error_code
        try:
            error = orjson.loads(self.entry.answer_body).get("error")
        except (orjson.JSONDecodeError, AttributeError):
            return ""
        code = error.get("code") if isinstance(error, dict) else None
        return code if isinstance(code, str) else ""

    @property
    def request_body(self) -> str:
        return body_text(self.entry.body)

    @property
    def answer_body(self) -> str:
        return body_text(self.entry.answer_body)

    @property
    def mentions(self) -> str:
        """Everything a free-text or call-id filter looks in."""
        entry = self.entry
        raw = entry.body + b" " + entry.answer_body
        return (
            f"{entry.method} {self.target} {self.operation} {entry.status} {entry.error_code} "
            + raw.decode("utf-8", "replace")
        )

    def matches(self, filters: Filters) -> bool:
        if filters.operation and self.operation != filters.operation:
            return False
        if filters.status and not str(self.entry.status).startswith(filters.status.rstrip("x")):
            return False
        text = self.mentions
        if filters.call_id and filters.call_id not in text:
            return False
        return not filters.q or filters.q.lower() in text.lower()


@dataclass(frozen=True)
class Verdict:
    """The contract's verdict on one exchange: the findings on each side ("checked" False: not checked)."""

    request: list[Finding]
    response: list[Finding]
    response_checked: bool = True
    note: str = ""

    @property
    def ok(self) -> bool:
        return not self.request and not self.response


@dataclass
class TimelineStep:
    at: str
    status: str
    event: str
    done: bool


@dataclass
class CallStory:
    """A call's whole story: its timeline on the mock's clock, its deliveries and its requests."""

    id: str
    agent_id: str
    to: str
    status: str
    is_testing: bool
    created_at: str
    active: bool
    steps: list[TimelineStep] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)


class ExchangeReader:
    """Reads of a journal of exchanges (the mock's, or the proxy's). `checker` is built on first use
    (it compiles validators)."""

    def __init__(self, journal: RequestJournal, checker_factory: Callable[[], Checker]) -> None:
        self.journal = journal
        self._checker_factory = checker_factory
        self._checker: Checker | None = None

    @property
    def checker(self) -> Checker:
        if self._checker is None:
            self._checker = self._checker_factory()
        return self._checker

    def exchange(self, entry: JournalEntry) -> Exchange:
        operation = self.checker.operation(entry.method, entry.path)
        return Exchange(entry, operation.operation_id if operation is not None else "")

    def exchanges(self, filters: Filters = Filters(), limit: int = MAX_LISTED) -> list[Exchange]:
        """Newest first, those that match `filters`, at most `limit`."""
        found: list[Exchange] = []
        for entry in reversed(self.journal.records()):
            exchange = self.exchange(entry)
            if exchange.matches(filters):
                found.append(exchange)
                if len(found) >= limit:
                    break
        return found

    def find(self, number: int) -> Exchange | None:
        entry = self.journal.get(number)
        return None if entry is None else self.exchange(entry)

    def verdict(self, exchange: Exchange) -> Verdict:
        entry = exchange.entry
        check = self.checker.request(entry.method, entry.path, entry.query, entry.headers, entry.body)
        # (a masked token keeps its scheme and is not empty: the spec's security check holds as it was)
        request = list(check.findings)
        if check.operation is None:
            return Verdict(request, [], False, "no operation of the spec serves this path")
        cut = len(entry.answer_body) >= MAX_BODY_CHARS
        response = self.checker.response(
            check.operation, entry.status, list(entry.answer_headers), None if cut else entry.answer_body
        )
        note = (
            f"the answer's body is longer than the journal keeps ({MAX_BODY_CHARS} bytes): "
            "its schema was not checked"
            if cut
            else ""
        )
        return Verdict(request, response, True, note)

    def operations(self) -> list[str]:
        return sorted(self.checker.spec.operations)


class InspectorModel(ExchangeReader):
    """Reads of one mock's state for the pages: its journal, calls, deliveries and clock."""

    def __init__(self, state: MockState, checker_factory: Callable[[], Checker]) -> None:
        super().__init__(state.journal, checker_factory)
        self.state = state

    def clock(self) -> dict[str, Any]:
        now = self.state.clock.time()
        return {"now": iso_z(now), "offset": self.state.clock.offset, "scale": self.state.clock.scale}

    def calls(self) -> list[CallStory]:
        """The newest MAX_LISTED calls, each with its deliveries (the deliveries read once)."""
        newest = self.state.calls.all()[-MAX_LISTED:][::-1]
        by_call: dict[str, list[Delivery]] = {call.id: [] for call in newest}
        for delivery in self.state.webhooks.deliveries:
            if delivery.call_id in by_call:
                by_call[delivery.call_id].append(delivery)
        return [self._story(call, by_call[call.id]) for call in newest]

    def story(self, call_id: str) -> CallStory | None:
        """One call's whole story, with the requests that mention it."""
        call = self.state.calls.get(call_id)
        if call is None:
            return None
        deliveries = [delivery for delivery in self.state.webhooks.deliveries if delivery.call_id == call.id]
        story = self._story(call, deliveries)
        story.exchanges = self.exchanges(Filters(call_id=call.id))
        return story

    def _story(self, call: CallRecord, deliveries: list[Delivery]) -> CallStory:
        state = self.state
        now = state.clock.time()
        view = view_at(call, state.durations, now)
        steps = timeline(call, state.durations)
        done = len(happened(steps, now))
        return CallStory(
            call.id,
            call.agent_id,
            call.to,
            view.status,
            call.is_testing,
            iso_z(call.created_at.timestamp()),
            view.active,
            [TimelineStep(iso_z(call.created_at.timestamp()), "initiated", "created", True)]
            + [
                TimelineStep(iso_z(step.at), step.status, step.event, index < done)
                for index, step in enumerate(steps)
            ],
            deliveries,
        )

    def deliveries_fingerprint(self) -> tuple[int, int, float, int]:
        """Changes when a page of calls would: new deliveries or attempts, the clock, calls."""
        deliveries = self.state.webhooks.deliveries
        recent = sum(len(delivery.attempts) for delivery in list(deliveries)[-50:])
        return len(deliveries), recent, round(self.state.clock.time()), len(self.state.calls)


def next_retry_in(delivery: Delivery) -> float | None:
    """Seconds until the retry being waited for (None: none is)."""
    if delivery.next_attempt_at is None:
        return None
    return max(delivery.next_attempt_at - time.time(), 0.0)
