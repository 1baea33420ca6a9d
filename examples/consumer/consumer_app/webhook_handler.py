"""The app's webhook receiver: verify each delivery's signature, then act on it. Talq's Test Webhook
sends `{"event": "webhook.test", ...}`; call events are parsed with the client's `webhooks` module."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from talq_client import webhooks
from talq_client.models import WebhookTestEvent


@dataclass
class Inbox:
    """What the receiver accepted: the test pings and the call events, in order."""

    url: str = ""
    tests: list[WebhookTestEvent] = field(default_factory=list)
    call_events: list[str] = field(default_factory=list)


def handle(inbox: Inbox, raw_body: bytes, signature: str | None, secret: str) -> tuple[int, bytes]:
    """The status and body to answer one delivery with."""
    try:
        webhooks.verify_signature(raw_body, signature, secret)
    except webhooks.WebhookError:
        return 400, b'{"error":"bad signature"}'
    try:
        payload = json.loads(raw_body)
    except ValueError:
        return 400, b'{"error":"not JSON"}'
    if isinstance(payload, dict) and payload.get("event") == "webhook.test":
        inbox.tests.append(WebhookTestEvent.from_dict(payload))
        return 200, b'{"pong":true}'
    try:
        event = webhooks.parse_event(raw_body)
    except webhooks.WebhookError:
        return 400, b'{"error":"not a Talq event"}'
    inbox.call_events.append(str(event.event))
    return 200, b'{"received":true}'


@contextlib.contextmanager
def receiving(secret: str) -> Iterator[Inbox]:
    """The receiver on a free port of 127.0.0.1, for as long as the `with` lasts."""
    inbox = Inbox()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            status, answer = handle(inbox, body, self.headers.get(webhooks.SIGNATURE_HEADER), secret)
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    inbox.url = f"http://127.0.0.1:{server.server_port}/talq/webhooks"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield inbox
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
