"""A fixed-window rate limiter per key (a token, or a client address when there is no token).

The mock serves requests on one event loop, so a check-and-count with no `await` in between is
atomic: under any concurrency, exactly `limit` requests are admitted per window.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Quota:
    """What the `X-RateLimit-*` (and `Retry-After`) headers say after this request."""

    admitted: bool
    limit: int
    remaining: int
    reset_epoch: int  # when the window ends, in Unix epoch seconds
    retry_after: int  # seconds until then, rounded up, at least 1


class FixedWindowLimiter:
    def __init__(
        self, limit: int, window_seconds: float, clock: Callable[[], float], max_keys: int = 100_000
    ) -> None:
        if limit < 0 or window_seconds <= 0:
            raise ValueError("rate limit must be >= 0 requests per a window of > 0 seconds")
        self.limit = limit
        self.window = window_seconds
        self._clock = clock
        self._max_keys = max_keys
        self._windows: dict[str, tuple[float, int]] = {}  # key -> (window start, requests counted)

    def _window(self, key: str, now: float) -> tuple[float, int]:
        start, used = self._windows.get(key, (now, 0))
        if now - start >= self.window:
            start, used = now - ((now - start) % self.window), 0
        return start, used

    def _quota(self, admitted: bool, start: float, used: int, now: float) -> Quota:
        reset = start + self.window
        return Quota(
            admitted=admitted,
            limit=self.limit,
            remaining=max(self.limit - used, 0),
            reset_epoch=math.ceil(reset),
            retry_after=max(math.ceil(reset - now), 1),
        )

    def hit(self, key: str) -> Quota:
        """Count one request for `key`; `admitted` is False once the window's limit is spent."""
        now = self._clock()
        start, used = self._window(key, now)
        admitted = used < self.limit
        if admitted:
            used += 1
        if key not in self._windows and len(self._windows) >= self._max_keys:
            self._windows.pop(next(iter(self._windows)))  # forget the oldest key first
        self._windows[key] = (start, used)
        return self._quota(admitted, start, used, now)

    def peek(self, key: str) -> Quota:
        """The quota of `key` without counting a request."""
        now = self._clock()
        start, used = self._window(key, now)
        return self._quota(used < self.limit, start, used, now)

    def exhaust(self, key: str) -> None:
        """Spend the rest of `key`'s current window (the magic rate-limited token)."""
        now = self._clock()
        start, _ = self._window(key, now)
        self._windows[key] = (start, self.limit)

    def reset(self) -> None:
        self._windows.clear()
