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

from mock_server.waiting import wait_until

ANSWER = b'{"received":true}'  # the body of a 200


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
        try:
            return wait_until(lambda: self.accepted() if len(self.accepted()) >= count else None, timeout)
        except TimeoutError:
            raise AssertionError(f"expected {count} deliveries, got {len(self.accepted())}") from None


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
            answer = ANSWER if status == 200 else b""
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the sender gave up
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler


@contextlib.contextmanager
def receiving(
    fail_first: int = 0,
    port: int = 0,
    slow_first: int = 0,
    slow_seconds: float = 0.0,
    up: threading.Event | None = None,
) -> Iterator[Receiver]:
    """A receiver on 127.0.0.1 (`port`, or a free one) answering 500 to its first `fail_first`
    requests and 200 to the rest; the first `slow_first` answers come after `slow_seconds`.

    With `up`, the port is bound at once but refuses connections (a receiver that is down) until
    `up` is set."""
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(Receiver("")), bind_and_activate=False)
    server.server_bind()
    receiver = Receiver(
        f"http://127.0.0.1:{server.server_port}/talq/events", fail_first, slow_first, slow_seconds
    )
    server.RequestHandlerClass = _handler(receiver)
    stopping = threading.Event()

    def serve() -> None:
        if up is not None:
            while not up.wait(0.01):
                if stopping.is_set():
                    return
        server.server_activate()
        server.serve_forever(poll_interval=0.05)

    thread = threading.Thread(target=serve, name="webhook-receiver", daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        stopping.set()
        if up is None or up.is_set():
            server.shutdown()
        server.server_close()
        thread.join(timeout=5)
