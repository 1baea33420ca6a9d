"""A real Debian `redis-server` for a test or a tool: a free port of 127.0.0.1, a temp dir, AOF on.

`make` installs redis-server with apt-get on first use (`make redis-server`); a machine without it
gets one clear error here, never a skipped test or a fake Redis.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from mock_server.testing import free_port
from mock_server.waiting import wait_until

START_SECONDS = 10.0


def redis_binary() -> str:
    found = shutil.which("redis-server")
    if found is None:
        raise RuntimeError(
            "redis-server is not on PATH: run `make redis-server` (it installs Debian's redis-server "
            "with apt-get), or install it yourself."
        )
    return found


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """One redis-server process on 127.0.0.1:`port`, its data (AOF, fsync always) in `directory`.
    `stop` and `start` again keep the data: a restart of Redis. `appendfsync`: "always" (tests: nothing
    answered is lost even to a power cut) or "everysec" (the README's configuration, and the bench's)."""

    def __init__(self, directory: Path, port: int | None = None, appendfsync: str = "always") -> None:
        self.directory = directory
        self.appendfsync = appendfsync
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def command(self) -> list[str]:
        return [
            redis_binary(),
            "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.directory),
            "--appendonly", "yes", "--appendfsync", self.appendfsync, "--save", "",
            "--protected-mode", "yes", "--daemonize", "no", "--loglevel", "warning",
        ]  # fmt: skip

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.command(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=self.directory
        )
        process = self.process
        wait_until(lambda: process.poll() is not None or _answers(self.port), START_SECONDS, interval=0.02)
        if process.poll() is not None or not _answers(self.port):
            raise RuntimeError(
                f"redis-server did not answer on 127.0.0.1:{self.port} within {START_SECONDS} s"
            )

    def stop(self) -> None:
        """SIGTERM (Redis finishes its AOF writes) and wait."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


@contextlib.contextmanager
def redis_server() -> Iterator[RedisServer]:
    """A fresh redis-server until the block ends (then stopped, its temp dir removed)."""
    with tempfile.TemporaryDirectory(prefix="talq-redis-") as directory:
        server = RedisServer(Path(directory))
        server.start()
        try:
            yield server
        finally:
            server.stop()
