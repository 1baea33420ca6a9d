"""`--workers N`: N processes serving one listening socket, each a whole mock on the shared store.

The parent binds the socket, forks the workers (the kernel spreads connections over them) and
supervises: a worker that dies (a crash, `kill -9`) is replaced at once; SIGTERM or Ctrl-C stops them
all. Workers share no memory: with `--store redis://...` every one of them serves the same state.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import time
from collections.abc import Callable
from types import FrameType

log = logging.getLogger("mock_server.workers")
MIN_LIFETIME_SECONDS = 1.0  # a worker that dies sooner cannot start: do not replace it in a loop


def supervise(count: int, serve: Callable[[int], int], on_exit: Callable[[], None]) -> int:
    """Run `serve(index)` in `count` forked processes until SIGTERM/SIGINT; replace any that dies."""
    children: dict[int, tuple[int, float]] = {}  # pid -> (worker index, started at)
    stopping = False

    def start(index: int) -> None:
        pid = os.fork()
        if pid == 0:  # the worker: default signal handling until uvicorn installs its own
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            code = 1
            try:
                code = serve(index)
            finally:
                os._exit(code)
        children[pid] = (index, time.monotonic())

    def stop(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for index in range(count):
        start(index)
    failed = False
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        if pid not in children:
            continue
        index, started = children.pop(pid)
        if stopping:
            continue
        if time.monotonic() - started < MIN_LIFETIME_SECONDS:
            log.error("worker %d ended at start-up (status %d): stopping the others", index, status)
            failed = True
            stop(signal.SIGTERM, None)
            continue
        log.warning("worker %d (pid %d) ended (status %d): starting another", index, pid, status)
        start(index)
    on_exit()
    return 1 if failed else 0
