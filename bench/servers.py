"""The servers under test (the mock quiet and with its access log on, Prism, the ceiling): how to start
each, wait for its first 200, sample its memory, stop it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType, TracebackType

import httpx
import psutil

from mock_server.testing import free_port

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "talq.yaml"
PRISM = ROOT / "node_modules" / ".bin" / "prism"
MOCK_CONFIG = ROOT / "bench" / "mock.yaml"
MOCK_LOG_CONFIG = ROOT / "bench" / "mock-log.yaml"
HOST = "127.0.0.1"
# Prism serves paths from the root; the mock serves them there too (and under /api/v1).
PATH = "/agents/agent_123456/call"
TOKEN = "talq_bench"
HEADERS = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
VALID_BODY = b'{"to":"+1234567890","is_testing":true}'
INVALID_BODY = b'{"to":"12345","is_testing":true}'
MIB = 1024 * 1024


class ServerError(Exception):
    """A server did not start, or did not answer as expected."""


@dataclass(frozen=True)
class Server:
    name: str
    label: str
    expects_invalid: int  # the status the invalid-phone request must get

    @property
    def on_redis(self) -> bool:
        return self.name in REDIS_WORKERS

    def command(self, port: int, store: str | None = None) -> list[str]:
        if self.name in REDIS_WORKERS:  # the quiet mock on the shared store, one namespace per start
            if store is None:
                raise ServerError(f"{self.name} needs a Redis: bench.run starts one (make redis-server).")
            workers = str(REDIS_WORKERS[self.name])
            shared = ["--store", store, "--namespace", f"bench{port}", "--workers", workers]
            mock = [sys.executable, "-m", "mock_server", "--port", str(port), "--quiet"]
            return [*mock, "--config", str(MOCK_CONFIG), *shared]
        if self.name in {"mock", "mock-log"}:
            config = MOCK_CONFIG if self.name == "mock" else MOCK_LOG_CONFIG  # mock-log: the access log on
            quiet = ["--quiet"] if self.name == "mock" else []
            return [sys.executable, "-m", "mock_server", "--port", str(port), *quiet, "--config", str(config)]
        if self.name == "prism":
            return [str(PRISM), "mock", "-p", str(port), "-h", HOST, "-v", "error", str(SPEC)]
        return [sys.executable, "-m", "bench.ceiling_app", "--port", str(port)]


REDIS_WORKERS = MappingProxyType({"mock-redis": 1, "mock-redis-2": 2})  # server -> --workers

SERVERS = (
    Server("mock", "mock (quiet)", 400),
    Server("mock-redis", "mock (quiet) on Redis, 1 worker", 400),
    Server("mock-redis-2", "mock (quiet) on Redis, 2 workers", 400),
    Server("mock-log", "mock (access log on, as make mock)", 400),
    Server("prism", "Prism 5.16.0 (-v error)", 400),
    Server("ceiling", "bare ASGI ceiling", 200),
)


def tree_cpu(process: psutil.Process) -> float:
    """CPU seconds (user + system) of a process and all its descendants so far."""
    total = 0.0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0.0
    for member in members:
        try:
            times = member.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def tree_rss(process: psutil.Process) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


class RssSampler:
    """Samples a process tree's RSS every `interval` seconds in a thread; `peak()` since `reset()`."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.process = psutil.Process(pid)
        self.interval = interval
        self._peak = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            rss = tree_rss(self.process)
            with self._lock:
                self._peak = max(self._peak, rss)

    def start(self) -> RssSampler:
        self._thread.start()
        return self

    def reset(self) -> None:
        with self._lock:
            self._peak = tree_rss(self.process)

    def peak(self) -> int:
        with self._lock:
            return self._peak

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


class Running:
    """One started server (a context manager: stopped on exit, whatever happened)."""

    def __init__(self, server: Server, store: str | None = None) -> None:
        self.server = server
        self.port = free_port(HOST)
        self.base = f"http://{HOST}:{self.port}"
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            server.command(self.port, store),
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            start_new_session=True,  # its own process group, so that stop() reaches its children too
        )

    def wait_ready(self, timeout: float = 30.0) -> float:
        """Poll with the valid request until it answers 200; the seconds since spawning."""
        deadline = self.started + timeout
        with httpx.Client(base_url=self.base, timeout=1.0) as client:
            while time.perf_counter() < deadline:
                if self.process.poll() is not None:
                    raise ServerError(
                        f"{self.server.name} exited with {self.process.returncode}: {self.stderr()}"
                    )
                try:
                    if client.post(PATH, content=VALID_BODY, headers=HEADERS).status_code == 200:
                        return time.perf_counter() - self.started
                except httpx.TransportError:
                    pass
                time.sleep(0.01)
        raise ServerError(f"{self.server.name} gave no 200 within {timeout:.0f} s: {self.stderr()}")

    def process_info(self) -> psutil.Process:
        return psutil.Process(self.process.pid)

    def status_of(self, body: bytes) -> int:
        with httpx.Client(base_url=self.base, timeout=5.0) as client:
            return client.post(PATH, content=body, headers=HEADERS).status_code

    def stderr(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-2000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()

    def __enter__(self) -> Running:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()
