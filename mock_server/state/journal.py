"""The request journal (WireMock's idea): the last requests the vendor's paths received."""

from __future__ import annotations

from collections import deque
from typing import Any

MAX_BODY_CHARS = 8_192  # of each journalled body: 1,000 entries stay under ~10 MB


class RequestJournal:
    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: deque[dict[str, Any]] = deque(maxlen=max(size, 1))
        self._count = 0

    @property
    def enabled(self) -> bool:
        return self.size > 0

    def record(
        self, at: str, method: str, path: str, query: str, headers: dict[str, str], body: bytes, status: int
    ) -> None:
        self._count += 1
        self._entries.append(
            {
                "id": self._count,
                "at": at,
                "method": method,
                "path": path,
                "query": query,
                "headers": headers,
                "body": body.decode("utf-8", "replace")[:MAX_BODY_CHARS],
                "status": status,
            }
        )

    def entries(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Oldest first; the last `limit` when given."""
        entries = list(self._entries)
        return entries[-limit:] if limit else entries

    def reset(self) -> None:
        self._entries.clear()
        self._count = 0
