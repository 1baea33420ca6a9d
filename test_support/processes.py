"""Running a server process for a test or a tool: `python -m mock_server` (`mock_command`), Prism, ...,
until a probe URL answers (`running`); stopped when the block ends."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

from mock_server.testing import START_TIMEOUT_SECONDS
from mock_server.waiting import wait_until

ROOT = Path(__file__).resolve().parent.parent


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
    process = subprocess.Popen(list(command), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        with contextlib.suppress(TimeoutError):
            wait_until(lambda: process.poll() is not None or _answers(probe_url), timeout, interval=0.05)
        if process.poll() is not None or not _answers(probe_url):
            raise RuntimeError(f"{command[0]} did not answer {probe_url} within {timeout:.0f} s.")
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
