"""The mock's clock: real time, scaled, plus an offset the admin API can advance, so tests never sleep.

With `scale` 1 the clock follows real time; with 0 it stands still and only `advance` moves it; with
10 a 7-second call lasts 0.7 real seconds.
"""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime


class Clock:
    def __init__(self, scale: float = 1.0) -> None:
        if scale < 0:
            raise ValueError("the time scale must be >= 0")
        self.scale = scale
        self._origin = time.time()
        self._offset = 0.0

    def time(self) -> float:
        """Seconds since the Unix epoch, as the mock sees them."""
        real = time.time()
        return self._origin + (real - self._origin) * self.scale + self._offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time(), UTC)

    @property
    def offset(self) -> float:
        return self._offset

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self._offset += seconds

    def reset(self) -> None:
        self._offset = 0.0


def iso_z(epoch: float) -> str:
    """Epoch seconds as ISO 8601 in UTC, `Z`-suffixed (the spec's Timestamp form)."""
    return datetime.fromtimestamp(epoch, UTC).isoformat().replace("+00:00", "Z")


def iso_z_micro(epoch: float) -> str:
    """Epoch seconds as ISO 8601 in UTC with six fraction digits (`2025-09-03T23:19:51.000000Z`), the
    form of the vendor's webhook endpoints."""
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def iso_z_seconds(epoch: float) -> str:
    """Epoch seconds as ISO 8601 in UTC, in whole seconds (`2024-01-15T10:30:00Z`): the form of the
    vendor's call pages (Make a Call, List Calls, End Call), also used for the call in webhook events."""
    return iso_z(float(math.floor(epoch)))


def iso_z_seconds_or_none(epoch: float | None) -> str | None:
    return None if epoch is None else iso_z_seconds(epoch)
