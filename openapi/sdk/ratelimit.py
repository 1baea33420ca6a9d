"""The rate limit a Talq answer reports, as typed values (hand-written; copied in by `make generate`).

Every answer carries `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (Unix epoch
seconds); a 429 also carries `Retry-After` (seconds). `RateLimit.from_headers` reads them and never
raises: a header that is absent or not a number is `None`.
"""

from __future__ import annotations

import datetime
import email.utils
import math
import time
from collections.abc import Mapping

from attrs import frozen

__all__ = ["RateLimit"]


def _integer(value: str | None) -> int | None:
    if value is None:
        return None
    text = value.strip()
    return int(text) if text.isdigit() and len(text) <= 18 else None


def _retry_after(value: str | None, now: float) -> int | None:
    """Seconds to wait: `Retry-After` is delay-seconds or an HTTP-date (RFC 9110 section 10.2.3)."""
    seconds = _integer(value)
    if seconds is not None or value is None:
        return seconds
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return max(math.ceil(moment.timestamp() - now), 0)


def _reset(value: str | None) -> datetime.datetime | None:
    seconds = _integer(value)
    if seconds is None:
        return None
    try:
        return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
    except (OverflowError, OSError, ValueError):
        return None


@frozen
class RateLimit:
    """What an answer says about the token's rate limit; a value is `None` when its header is absent.

    Attributes:
        limit: the most requests allowed in one window (`X-RateLimit-Limit`).
        remaining: the requests left in the current window (`X-RateLimit-Remaining`).
        reset: when the current window resets, in UTC (`X-RateLimit-Reset`).
        retry_after: seconds to wait before retrying (`Retry-After`, sent with a 429).
    """

    limit: int | None = None
    remaining: int | None = None
    reset: datetime.datetime | None = None
    retry_after: int | None = None

    @classmethod
    def from_headers(cls, headers: Mapping[str, str], now: float | None = None) -> RateLimit:
        """Read the headers of an answer (an `httpx.Headers` or any case-insensitive mapping)."""
        moment = time.time() if now is None else now
        return cls(
            limit=_integer(headers.get("X-RateLimit-Limit")),
            remaining=_integer(headers.get("X-RateLimit-Remaining")),
            reset=_reset(headers.get("X-RateLimit-Reset")),
            retry_after=_retry_after(headers.get("Retry-After"), moment),
        )

    def seconds_until_reset(self, now: float | None = None) -> float | None:
        """How long until the window resets (0 when it already has); `None` without `X-RateLimit-Reset`."""
        if self.reset is None:
            return None
        moment = time.time() if now is None else now
        return max(self.reset.timestamp() - moment, 0.0)
