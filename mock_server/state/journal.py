"""The request journal (WireMock's idea): the last requests the vendor's paths received."""

from __future__ import annotations

from collections import deque
from typing import Any

from mock_server.state.lifecycle import iso

MAX_BODY_CHARS = 8_192  # of each journalled body: 1,000 entries stay under ~10 MB


class RequestJournal:
    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: deque[tuple[Any, ...]] = deque(maxlen=max(size, 1))
        self._count = 0

    @property
    def enabled(self) -> bool:
        return self.size > 0

    def record(
        self,
        at: float,
        method: str,
        path: str,
        query: bytes,
        headers: dict[str, str],
        body: bytes,
        status: int,
    ) -> None:
        """Keep the request as it came (formatted only when read: recording is on the request path)."""
        self._count += 1
        self._entries.append(
            (
                self._count,
                at,
                method,
                path[:MAX_BODY_CHARS],
                query[:MAX_BODY_CHARS],
                headers,
                body[:MAX_BODY_CHARS],
                status,
            )
        )

    def entries(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Oldest first; the last `limit` when given."""
        kept = list(self._entries)
        return [
            {
                "id": number,
                "at": iso(at),
                "method": method,
                "path": path,
                "query": query.decode("latin-1"),
                "headers": headers,
                "body": body.decode("utf-8", "replace"),
                "status": status,
            }
            for number, at, method, path, query, headers, body, status in (kept[-limit:] if limit else kept)
        ]

    def reset(self) -> None:
        self._entries.clear()
        self._count = 0
