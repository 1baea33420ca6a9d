"""`--workers N` (`mock_server.workers`) with real processes: no worker outlives its parent, whether the
parent is stopped (SIGTERM, also right after it re-forked a worker) or killed (`kill -9`), and a worker
that ignores SIGTERM is SIGKILLed after the grace period.

The first tests run `supervise` itself in a child Python (workers that sleep, or that ignore SIGTERM);
the last ones a whole `python -m mock_server --workers 2` on a real redis-server, under load.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from mock_server.testing import free_port
from mock_server.waiting import wait_until
from test_support.processes import ROOT, alive, children_of, kill_group, mock_command, running
from test_support.redis_server import RedisServer, redis_server

GRACE = 1.0
SUPERVISED = """
import os, signal, sys, time
from mock_server.workers import supervise

def serve(index: int) -> int:
    if sys.argv[1] == "ignore":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    os.write(1, b"serving\\n")  # one write: the two workers' lines do not interleave
    for _ in range(600):  # at most a minute, whatever happens
        time.sleep(0.1)
    return 0

sys.exit(supervise(2, serve, lambda: print("on_exit", flush=True), grace=float(sys.argv[2])))
"""


@contextlib.contextmanager
def supervised(behaviour: str) -> Iterator[subprocess.Popen[str]]:
    """`supervise(2, ...)` in a child Python, in its own process group (SIGKILLed at the end), once
    both workers serve."""
    process = subprocess.Popen(
        [sys.executable, "-c", SUPERVISED, behaviour, str(GRACE)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        assert [process.stdout.readline() for _ in range(2)] == ["serving\n"] * 2
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        process.communicate(timeout=10)
        kill_group(process.pid)


def all_gone(pids: list[int], within: float) -> float:
    """Seconds until none of `pids` lives; fails the test after `within`."""
    started = time.monotonic()
    try:
        wait_until(lambda: not any(alive(pid) for pid in pids), within, interval=0.02)
    except TimeoutError:
        raise AssertionError(f"still alive after {within} s: {[p for p in pids if alive(p)]}") from None
    return time.monotonic() - started


def test_sigterm_to_the_parent_stops_every_worker_and_sigkills_one_that_ignores_it() -> None:
    with supervised("ignore") as parent:
        workers = children_of(parent.pid)
        parent.send_signal(signal.SIGTERM)
        assert parent.wait(timeout=GRACE + 5) == 0
        took = all_gone(workers, 1)
        out, err = parent.communicate()
    assert out == "on_exit\n"
    assert err.count("ignored SIGTERM for 1 s: killed") == 2
    assert took < 1


def test_sigterm_right_after_a_worker_was_reforked_stops_them_all_and_forks_no_more() -> None:
    with supervised("sleep") as parent:
        everyone = refork(parent.pid)
        parent.send_signal(signal.SIGTERM)  # at once: the new worker may not be serving yet
        assert parent.wait(timeout=5) == 0
        all_gone(everyone, 1)
        _, err = parent.communicate()
    assert "starting another" in err
    assert "ignored SIGTERM" not in err  # default SIGTERM: each stopped without needing SIGKILL


def test_a_worker_whose_parent_is_killed_ends_even_if_it_ignores_sigterm() -> None:
    with supervised("ignore") as parent:
        workers = children_of(parent.pid)
        parent.kill()  # kill -9: the parent can stop nobody
        parent.wait()
        took = all_gone(workers, GRACE + 3)
    assert took >= GRACE * 0.8  # SIGTERM (ignored), then the watchdog's SIGKILL after the grace


@pytest.fixture(scope="module")
def redis() -> Iterator[RedisServer]:
    with redis_server() as server:
        yield server


def load(base: str, stop: threading.Event, statuses: list[int]) -> None:
    """Make a Call on new connections until `stop` (bounded: 5 s per request)."""
    while not stop.is_set():
        try:
            answer = httpx.post(
                base + "/api/v1/agents/agent_123456/call",
                json={"to": "+15005550004"},
                headers={"Authorization": "Bearer talq_demo"},
                timeout=5,
            )
            statuses.append(answer.status_code)
        except httpx.TransportError:
            statuses.append(0)


@contextlib.contextmanager
def loaded(base: str, threads: int = 4) -> Iterator[list[int]]:
    statuses: list[int] = []
    stop = threading.Event()
    pool = [threading.Thread(target=load, args=(base, stop, statuses)) for _ in range(threads)]
    for thread in pool:
        thread.start()
    try:
        wait_until(lambda: len(statuses) >= 20, 10)
        yield statuses
    finally:
        stop.set()
        for thread in pool:
            thread.join(timeout=10)


@contextlib.contextmanager
def two_workers(redis: RedisServer, namespace: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`python -m mock_server --workers 2` on `redis`, once both workers are forked."""
    port = free_port()
    command = mock_command(port, "--store", redis.url, "--namespace", namespace, "--workers", "2")
    base = f"http://127.0.0.1:{port}"
    with running(command, base + "/_mock/health") as parent:
        wait_until(lambda: len(children_of(parent.pid)) == 2, 10)
        yield base, parent


def refork(parent: int) -> list[int]:
    """kill -9 one of `parent`'s workers once past start-up; every pid, once its replacement is forked."""
    time.sleep(1.1)  # past the start-up: a worker that dies now is replaced
    first = children_of(parent)
    os.kill(first[0], signal.SIGKILL)
    wait_until(lambda: len(set(children_of(parent)) - set(first)) == 1, 5, interval=0.002)
    return [*first, *children_of(parent)]


@pytest.mark.slow
def test_kill_9_of_the_parent_under_load_leaves_no_worker(
    redis: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TALQ_MOCK_RATE_LIMIT", "1000000")
    with two_workers(redis, "orphans") as (base, parent):
        workers = children_of(parent.pid)
        with loaded(base) as statuses:
            parent.kill()
            parent.wait()
            took = all_gone(workers, 10)  # uvicorn's graceful shutdown: 2 s at most
            assert set(statuses) <= {200, 0}  # served, or refused once the workers stopped
    assert took < 5


@pytest.mark.slow
def test_sigterm_to_the_mock_right_after_it_reforked_a_worker_stops_all(redis: RedisServer) -> None:
    with two_workers(redis, "refork") as (_base, parent):
        everyone = refork(parent.pid)
        parent.send_signal(signal.SIGTERM)  # at once: the new worker may not be serving yet
        assert parent.wait(timeout=10) == 0
        took = all_gone(everyone, 1)
    assert took < 1
