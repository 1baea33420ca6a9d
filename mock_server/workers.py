"""`--workers N`: N processes serving one listening socket, each a whole mock on the shared store.

The parent binds the socket, forks the workers (the kernel spreads connections over them) and
supervises: a worker that dies (a crash, `kill -9`) is replaced at once; SIGTERM or Ctrl-C stops them
all. Workers share no memory: with `--store redis://...` every one of them serves the same state.

No worker outlives the parent: on Linux each asks the kernel for SIGTERM when its parent dies
(`prctl(PR_SET_PDEATHSIG)`), and on every system a watchdog thread in each worker kills it
(SIGKILL) `GRACE_SECONDS` after its parent is gone, should it ignore that SIGTERM. Stopping (SIGTERM,
SIGINT) forks no more workers, sends SIGTERM to each, and SIGKILLs any still there after
`GRACE_SECONDS`; signals are blocked around each fork, so a stop that arrives while a worker is
being forked reaches that worker too.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType

log = logging.getLogger("mock_server.workers")
MIN_LIFETIME_SECONDS = 1.0  # a worker that dies sooner cannot start: do not replace it in a loop
GRACE_SECONDS = 5.0  # SIGTERM, then this long to stop (uvicorn's graceful shutdown takes up to 2 s)
POLL_SECONDS = 0.05  # how often the parent looks for ended workers, and a worker for its parent
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
STOP_SIGNALS = frozenset({signal.SIGTERM, signal.SIGINT})


def die_with_parent(parent: int, grace: float) -> None:
    """In a worker: end when `parent` ends (SIGTERM from the kernel on Linux; SIGKILL from a watchdog
    thread `grace` seconds after the parent is gone, on any system)."""
    told = False  # the kernel sends SIGTERM itself when the parent dies
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        told = libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) == 0

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(POLL_SECONDS)
        if not told:
            os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(grace)
        os.kill(os.getpid(), signal.SIGKILL)  # it did not stop on SIGTERM

    threading.Thread(target=watch, name="worker-watchdog", daemon=True).start()


class Supervisor:
    """The parent's side: the workers by pid, forked and replaced, stopped in bounded time."""

    def __init__(self, serve: Callable[[int], int], grace: float) -> None:
        self.serve, self.grace = serve, grace
        self.parent = os.getpid()
        self.children: dict[int, tuple[int, float]] = {}  # pid -> (worker index, started at)
        self.kill_at: float | None = None  # once stopping: when to SIGKILL the workers still there
        self.failed = False

    def start(self, index: int) -> None:
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            pid = os.fork()
            if pid == 0:
                self._work(index)
            self.children[pid] = (index, time.monotonic())
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
        if self.kill_at is not None:  # a stop that came in between: this worker stops too
            signal_to(pid, signal.SIGTERM)

    def _work(self, index: int) -> None:
        """The worker: default signal handling until uvicorn installs its own; never returns."""
        code = 1
        try:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
            die_with_parent(self.parent, self.grace)
            if os.getppid() == self.parent:  # else the parent died while forking it
                code = self.serve(index)
        finally:
            os._exit(code)

    def stop(self, _signum: int = signal.SIGTERM, _frame: FrameType | None = None) -> None:
        if self.kill_at is None:
            self.kill_at = time.monotonic() + self.grace
        for pid in list(self.children):
            signal_to(pid, signal.SIGTERM)

    def _kill_stragglers(self) -> None:
        if self.kill_at is not None and time.monotonic() > self.kill_at:
            for pid, (index, _started) in self.children.items():
                log.warning("worker %d (pid %d) ignored SIGTERM for %g s: killed", index, pid, self.grace)
                signal_to(pid, signal.SIGKILL)
            self.kill_at = float("inf")

    def _ended(self, pid: int, status: int) -> None:
        index, started = self.children.pop(pid)
        if self.kill_at is not None:
            return
        if time.monotonic() - started < MIN_LIFETIME_SECONDS:
            log.error("worker %d ended at start-up (status %d): stopping the others", index, status)
            self.failed = True
            self.stop()
            return
        log.warning("worker %d (pid %d) ended (status %d): starting another", index, pid, status)
        self.start(index)

    def run(self, count: int) -> None:
        for index in range(count):
            if self.kill_at is None:
                self.start(index)
        while self.children:
            self._kill_stragglers()
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                time.sleep(POLL_SECONDS)
            elif pid in self.children:
                self._ended(pid, status)


def signal_to(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)


def supervise(
    count: int, serve: Callable[[int], int], on_exit: Callable[[], None], grace: float = GRACE_SECONDS
) -> int:
    """Run `serve(index)` in `count` forked processes until SIGTERM/SIGINT; replace any that dies."""
    supervisor = Supervisor(serve, grace)
    signal.signal(signal.SIGTERM, supervisor.stop)
    signal.signal(signal.SIGINT, supervisor.stop)
    try:
        supervisor.run(count)
    finally:
        for pid in supervisor.children:  # the parent itself failed: leave no worker behind
            signal_to(pid, signal.SIGKILL)
        on_exit()
    return 1 if supervisor.failed else 0
