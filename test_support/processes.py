"""Running a server process for a test or a tool: `python -m mock_server` (`mock_command`), Prism, ...,
until a probe URL answers (`running`); stopped when the block ends, with every process it started
(its own process group: a worker it forked, a child that ignored SIGTERM). `alive` and `children_of`
read /proc (a zombie is no live process)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

from mock_server.testing import START_TIMEOUT_SECONDS
from mock_server.waiting import wait_until

ROOT = Path(__file__).resolve().parent.parent
STOP_SECONDS = 10.0  # SIGTERM, then this long before SIGKILL (a mock's workers get 5 s of grace)


def mock_command(port: int, *options: str) -> list[str]:
    """`python -m mock_server` on 127.0.0.1:`port`, quiet, with further command-line options."""
    return [sys.executable, "-m", "mock_server", "--port", str(port), "--quiet", *options]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):  # noqa: S310 - a local http URL of our own
            return True
    except urllib.error.HTTPError:
        return True  # any HTTP answer (a 404 from Prism's root, say) means it is up
    except (urllib.error.URLError, OSError):
        return False


@contextlib.contextmanager
def running(
    command: Sequence[str], probe_url: str, timeout: float = START_TIMEOUT_SECONDS, stderr: int | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Run `command` (a server) until the block ends, once `probe_url` answers; stop it after."""
    process = subprocess.Popen(
        list(command), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True
    )
    try:
        with contextlib.suppress(TimeoutError):
            wait_until(lambda: process.poll() is not None or _answers(probe_url), timeout, interval=0.05)
        if process.poll() is not None or not _answers(probe_url):
            raise RuntimeError(f"{command[0]} did not answer {probe_url} within {timeout:.0f} s.")
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        kill_group(process.pid)


def kill_group(group: int) -> None:
    """SIGKILL whatever is left of process group `group` (stragglers of a server that was stopped)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)


def alive(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie, dead but not yet reaped, is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def children_of(pid: int) -> list[int]:
    """The live child processes of `pid` (none once it is gone)."""
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="utf-8").split()
    except FileNotFoundError:
        return []
    return [int(child) for child in found if alive(int(child))]
