"""The request journal (WireMock's idea): the last requests the vendor's paths received, and the answers.

Recording is on the request path: it keeps bounded raw values (never a whole header set, which a
hostile client can make huge) and formats them on read. `watchers` (the inspector's open pages) are
told of each new entry; with no page open that is one check of an empty list."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from mock_server.http import Answer, Request, mask
from mock_server.state.clock import iso_z

MAX_BODY_CHARS = 8_192  # of each journalled body, path and query: 1,000 entries stay small
MAX_JOURNAL_HEADER = 256  # characters of a journalled header value
MAX_ANSWER_HEADERS = 32  # the mock's own answer headers: a handful, bounded all the same
JOURNAL_HEADERS = (
    "authorization", "content-type", "content-length", "prefer", "accept", "user-agent", "origin",
)  # fmt: skip


def journal_headers(headers: dict[str, str]) -> dict[str, str]:
    """The headers worth seeing in the journal, each cut to 256 characters, the token masked."""
    shown = {name: headers[name][:MAX_JOURNAL_HEADER] for name in JOURNAL_HEADERS if name in headers}
    if "authorization" in shown:
        scheme, _, token = shown["authorization"].partition(" ")
        shown["authorization"] = f"{scheme} {mask(token.strip())}"
    return shown


class JournalEntry(NamedTuple):
    """One exchange as journalled: the request's bounded values and the mock's answer (its body cut).
    A tuple: recording is on the request path, and a tuple is the cheapest record to make."""

    number: int
    at: float  # mock epoch seconds
    method: str
    path: str
    query: str
    headers: dict[str, str]  # the journalled request headers, the token masked
    body: bytes
    status: int
    error_code: str = ""
    raw_answer_headers: Sequence[tuple[bytes, bytes]] = ()  # as sent (bounded by whoever records)
    answer_type: bytes | None = None
    answer_body: bytes = b""
    latency_ms: float = 0.0

    @property
    def answer_headers(self) -> tuple[tuple[str, str], ...]:
        """The answer's headers as sent (content type included), at most 32, each value cut."""
        pairs = [
            (name.decode("latin-1"), value[:MAX_JOURNAL_HEADER].decode("latin-1"))
            for name, value in self.raw_answer_headers[:MAX_ANSWER_HEADERS]
        ]
        if self.answer_type is not None:
            pairs.append(("content-type", self.answer_type.decode("latin-1")))
        return tuple(pairs[:MAX_ANSWER_HEADERS])

    def as_data(self) -> dict[str, Any]:
        """The admin API's form (GET /_mock/requests)."""
        return {
            "id": self.number,
            "at": iso_z(self.at),
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": self.headers,
            "body": self.body.decode("utf-8", "replace"),
            "status": self.status,
        }


def bounded_headers(headers: Sequence[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Headers another server sent (the proxy's upstream), bounded before they are kept."""
    return [
        (name[:MAX_JOURNAL_HEADER], value[:MAX_JOURNAL_HEADER])
        for name, value in headers[:MAX_ANSWER_HEADERS]
    ]


NO_ANSWER = ("", (), None, b"")
new_entry = tuple.__new__


class RequestJournal:
    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: deque[JournalEntry] = deque(maxlen=max(size, 1))
        self._count = 0
        self.watchers: list[Callable[[JournalEntry], None]] = []

    @property
    def enabled(self) -> bool:
        return self.size > 0

    def record(
        self, at: float, request: Request, body: bytes, status: int, answer: Answer | None = None,
        latency_ms: float = 0.0,
    ) -> int:  # fmt: skip
        """Keep one exchange; its number."""
        self._count += 1
        cut = MAX_BODY_CHARS
        # tuple.__new__: a NamedTuple's own constructor costs twice as much, on the request path
        entry = new_entry(
            JournalEntry,
            (
                self._count, at, request.method, request.path[:cut], request.query_string[:cut],
                journal_headers(request.headers), body[:cut], status,
                *(NO_ANSWER if answer is None else (
                    answer.error_code, answer.headers, answer.content_type, answer.body[:cut],
                )),
                latency_ms,
            ),
        )  # fmt: skip
        self._entries.append(entry)
        if self.watchers:
            for watcher in self.watchers:
                watcher(entry)
        return self._count

    def records(self) -> list[JournalEntry]:
        """Every kept entry, oldest first."""
        return list(self._entries)

    def get(self, number: int) -> JournalEntry | None:
        oldest = self._entries[0].number if self._entries else 0
        index = number - oldest
        if 0 <= index < len(self._entries) and self._entries[index].number == number:
            return self._entries[index]
        return next((entry for entry in self._entries if entry.number == number), None)

    def entries(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Oldest first; the last `limit` when given."""
        kept = list(self._entries)
        return [entry.as_data() for entry in (kept[-limit:] if limit else kept)]

    def reset(self) -> None:
        self._entries.clear()
        self._count = 0
