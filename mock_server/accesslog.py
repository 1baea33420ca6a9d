"""The access log: one line per request to the vendor's paths, cheap enough to leave on.

A line is formatted on the request path by plain string formatting (no `LogRecord`, no handler
lock, no flush per line) and buffered; the buffer is written to standard error in one `write` when it
holds `max_lines` lines, every `flush_seconds` (a task in the mock's lifespan) and when the mock stops,
so no line is lost. The lines look like those of the `logging` setup of `python -m mock_server`:
`2024-01-15 10:30:00,123 mock_server.access POST /api/v1/agents/agent_1/call 200 - 0.41ms token=talq_de…`.
"""

from __future__ import annotations

import asyncio
import sys
import time
from typing import TextIO

from mock_server.http import Answer, Request, mask

LOGGER_NAME = "mock_server.access"


class AccessLog:
    def __init__(
        self, stream: TextIO | None = None, max_lines: int = 256, flush_seconds: float = 0.2
    ) -> None:
        self._stream = stream  # None: sys.stderr as it is when writing (so redirections apply)
        self.max_lines = max_lines
        self.flush_seconds = flush_seconds
        self._lines: list[str] = []
        self._second = -1
        self._stamp = ""

    def _timestamp(self, now: float) -> str:
        second = int(now)
        if second != self._second:  # strftime once a second, not once a request
            self._second, self._stamp = second, time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(second))
        return f"{self._stamp},{int((now - second) * 1000):03d}"

    def line(self, request: Request, answer: Answer, started: float) -> None:
        """Buffer the line of one answered request (`started`: its `time.perf_counter()`)."""
        elapsed = (time.perf_counter() - started) * 1000
        authorization = request.headers.get("authorization", "")
        who = mask(authorization.partition(" ")[2].strip()) if authorization else "-"
        self._lines.append(
            f"{self._timestamp(time.time())} {LOGGER_NAME} {request.method} {request.path[:200]} "
            f"{answer.status} {answer.error_code or '-'} {elapsed:.2f}ms token={who}\n"
        )
        if len(self._lines) >= self.max_lines:
            self.flush()

    def flush(self) -> None:
        """Write the buffered lines, in order, in one write."""
        if not self._lines:
            return
        text, self._lines = "".join(self._lines), []
        stream = self._stream or sys.stderr
        try:
            stream.write(text)
            stream.flush()
        except (OSError, ValueError):  # a closed stream: nothing sensible is left to do with the lines
            return

    async def run(self) -> None:
        """Flush every `flush_seconds` until cancelled, then flush what is left."""
        try:
            while True:
                await asyncio.sleep(self.flush_seconds)
                self.flush()
        finally:
            self.flush()
