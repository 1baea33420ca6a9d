"""The request journal (WireMock's idea): the last requests the vendor's paths received.

Recording is on the request path: it keeps bounded raw values (never a whole header set, which a
hostile client can make huge) and formats them on read."""

from __future__ import annotations

from collections import deque
from typing import Any

from mock_server.http import Request, mask
from mock_server.state.clock import iso_z

MAX_BODY_CHARS = 8_192  # of each journalled body, path and query: 1,000 entries stay small
MAX_JOURNAL_HEADER = 256  # characters of a journalled header value
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


class RequestJournal:
    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: deque[tuple[int, float, str, str, str, dict[str, str], bytes, int]] = deque(
            maxlen=max(size, 1)
        )
        self._count = 0

    @property
    def enabled(self) -> bool:
        return self.size > 0

    def record(self, at: float, request: Request, body: bytes, status: int) -> None:
        self._count += 1
        cut = MAX_BODY_CHARS
        path, query, headers = (
            request.path[:cut],
            request.query_string[:cut],
            journal_headers(request.headers),
        )
        self._entries.append((self._count, at, request.method, path, query, headers, body[:cut], status))

    def entries(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Oldest first; the last `limit` when given."""
        kept = list(self._entries)
        return [
            {
                "id": number,
                "at": iso_z(at),
                "method": method,
                "path": path,
                "query": query,
                "headers": headers,
                "body": body.decode("utf-8", "replace"),
                "status": status,
            }
            for number, at, method, path, query, headers, body, status in (kept[-limit:] if limit else kept)
        ]

    def reset(self) -> None:
        self._entries.clear()
        self._count = 0
