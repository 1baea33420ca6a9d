"""A webhook receiver for tests and local runs: a tiny real HTTP server on 127.0.0.1, in a thread.

with receiving() as receiver:      # register receiver.url as a webhook, then
    receiver.wait_for(3)           # the first 3 accepted deliveries (headers, raw body)
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    answered: int


@dataclass
class Receiver:
    url: str
    fail_first: int = 0
    slow_first: int = 0  # the first `slow_first` requests are answered only after `slow_seconds`
    slow_seconds: float = 0.0
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def accepted(self) -> list[Received]:
        with self.lock:
            return [item for item in self.received if 200 <= item.answered < 300]

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Received]:
        """The accepted deliveries, once there are `count` (bounded polling, never longer than timeout)."""
        deadline = time.monotonic() + timeout
        while len(self.accepted()) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} deliveries, got {len(self.accepted())}")
            time.sleep(0.01)
        return self.accepted()


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            with receiver.lock:
                seen = len(receiver.received)
            if seen < receiver.slow_first:
                time.sleep(receiver.slow_seconds)  # a slow receiver: bounded, tests only
            with receiver.lock:
                status = 500 if len(receiver.received) < receiver.fail_first else 200
                receiver.received.append(
                    Received({k.lower(): v for k, v in self.headers.items()}, body, status)
                )
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler


@contextlib.contextmanager
def receiving(
    fail_first: int = 0, port: int = 0, slow_first: int = 0, slow_seconds: float = 0.0
) -> Iterator[Receiver]:
    """A receiver on 127.0.0.1 (`port`, or a free one) answering 500 to its first `fail_first`
    requests and 200 to the rest; the first `slow_first` answers come after `slow_seconds`."""
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(Receiver("")))
    receiver = Receiver(
        f"http://127.0.0.1:{server.server_port}/talq/events", fail_first, slow_first, slow_seconds
    )
    server.RequestHandlerClass = _handler(receiver)
    thread = threading.Thread(target=server.serve_forever, name="webhook-receiver", daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
