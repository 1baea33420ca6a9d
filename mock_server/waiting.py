"""`wait_until`: the one way the helpers and tests wait for something to become true (a server up,
deliveries in): bounded polling, never a bare sleep."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(
    probe: Callable[[], T | None], timeout: float = 5.0, interval: float = 0.01, what: str = "the condition"
) -> T:
    """Call `probe` until it returns something truthy, and return that; `TimeoutError` naming `what`
    after `timeout` seconds (the last value seen is in the message)."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout} s (last seen: {value!r:.300})")
        time.sleep(interval)
