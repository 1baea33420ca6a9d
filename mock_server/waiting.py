"""`wait_until`: the one way the helpers and tests wait for something to become true (a server up,
deliveries in): bounded polling, never a bare sleep. `cancel_and_wait`: the one way the mock stops
its asyncio tasks (the lifespan's, the webhook dispatchers' delivery workers), bounded too."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Collection
from typing import Any, TypeVar

log = logging.getLogger("mock_server.waiting")

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


async def cancel_and_wait(
    tasks: Collection[asyncio.Task[Any]], interval: float = 0.05, timeout: float = 2.0
) -> None:
    """Cancel `tasks` and wait until every one has ended, cancelling those still running again every
    `interval` seconds: one cancel can be lost (Python 3.11's `asyncio.wait_for`, which redis-py uses
    to send each command, returns a result that completed in the same turn of the loop and drops the
    cancel, CPython gh-86296), and a task that lost it would run on and hang the shutdown. Gives up on
    a task still running after `timeout` (logged); re-raises an exception a task ended with."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    pending = {task for task in tasks if not task.done()}
    while pending:
        if loop.time() > deadline:
            log.warning("%d tasks did not stop within %g s: left running", len(pending), timeout)
            return
        for task in pending:
            task.cancel()
        _, pending = await asyncio.wait(pending, timeout=interval)
    for task in tasks:
        if not task.cancelled():
            task.result()
