"""`mock_server.waiting`: bounded polling (`wait_until`) and stopping tasks (`cancel_and_wait`), with
tasks that lose a cancel the way Python 3.11's `asyncio.wait_for` makes them lose one."""

from __future__ import annotations

import asyncio
import time

import pytest

from mock_server.waiting import cancel_and_wait, wait_until


async def loses_the_first_cancel(cancels: list[int]) -> None:
    """Run on after a cancel, as a task does whose cancel `asyncio.wait_for` dropped (gh-86296)."""
    while True:
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            cancels.append(1)
            if len(cancels) > 1:
                raise


def test_cancel_and_wait_ends_a_task_that_lost_a_cancel() -> None:
    async def scenario() -> tuple[list[int], bool, float]:
        cancels: list[int] = []
        task = asyncio.create_task(loses_the_first_cancel(cancels))
        await asyncio.sleep(0)
        task.cancel()  # one cancel, as the lifespan used to: the task runs on
        await asyncio.sleep(0.05)
        still_running = not task.done()
        started = time.perf_counter()
        await cancel_and_wait([task], interval=0.01)
        return cancels, still_running and task.cancelled(), time.perf_counter() - started

    cancels, ran_on_then_ended, took = asyncio.run(scenario())
    assert cancels == [1, 1]
    assert ran_on_then_ended
    assert took < 0.5


def test_cancel_and_wait_gives_up_on_a_task_that_never_stops_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def stubborn() -> None:
        for _ in range(100):  # bounded: at most a second
            try:
                await asyncio.sleep(0.01)
            except asyncio.CancelledError:
                continue

    async def scenario() -> float:
        task = asyncio.create_task(stubborn())
        await asyncio.sleep(0)
        started = time.perf_counter()
        await cancel_and_wait([task], interval=0.01, timeout=0.1)
        took = time.perf_counter() - started
        await task
        return took

    took = asyncio.run(scenario())
    assert 0.1 <= took < 0.5
    assert "1 tasks did not stop within 0.1 s: left running" in caplog.text


def test_cancel_and_wait_re_raises_what_a_task_ended_with() -> None:
    async def fails() -> None:
        raise ValueError("broken")

    async def scenario() -> None:
        task = asyncio.create_task(fails())
        await asyncio.sleep(0)
        await cancel_and_wait([task])

    with pytest.raises(ValueError, match="broken"):
        asyncio.run(scenario())


def test_wait_until_returns_the_first_truthy_value_or_names_what_did_not_happen() -> None:
    values = iter([None, 0, "ready"])
    assert wait_until(lambda: next(values), timeout=1, interval=0) == "ready"
    with pytest.raises(TimeoutError, match=r"the server did not happen within 0\.05 s"):
        wait_until(lambda: None, timeout=0.05, what="the server")
