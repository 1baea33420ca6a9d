"""The shared store's hot path costs one round trip to Redis per request (issue 21, item 6).

A real redis-server and a real mock process; Redis's own MONITOR lists every command a client sent
(commands a script runs are marked `lua` and not counted). The requests go to a namespace of their
own, and each is fenced by two ECHO commands of the test: Redis runs commands one at a time, so what
the mock sent for that namespace between the fences is what the request cost (the request journal's
batch, written for many requests at once off the request path, aside; the webhook pump, which also
serves the namespaces requests named, is kept quiet). The mock loads its scripts into Redis when it
connects, so even the first use of each is one EVALSHA; a namespace's first request in a process
also makes sure of its configured webhooks, once.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx
import pytest
import redis as redis_py

from mock_server.testing import free_port
from mock_server.waiting import wait_until
from test_support.processes import mock_command, running
from test_support.redis_server import RedisServer, redis_server

AGENT = "agent_123456"
LONG_CALL = "+15005550004"  # answered until End Call ends it


@dataclass
class Monitor:
    """Every command Redis ran, as MONITOR reports it, collected by a thread."""

    server: RedisServer
    commands: list[str] = field(default_factory=list)  # MONITOR's lines
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fenced(self, prefix: str, request: Callable[[], httpx.Response]) -> tuple[httpx.Response, list[str]]:
        """`request()`'s answer, and the client commands naming keys under `prefix` sent meanwhile."""
        fence = uuid.uuid4().hex
        client = redis_py.Redis.from_url(self.server.url, decode_responses=True)
        client.echo(f"start-{fence}")
        answer = request()
        client.echo(f"end-{fence}")
        client.close()
        wait_until(lambda: self._seen(f"end-{fence}"), 5, interval=0.01)
        with self.lock:
            lines = list(self.commands)
        start = next(i for i, line in enumerate(lines) if f"start-{fence}" in line)
        end = next(i for i, line in enumerate(lines) if f"end-{fence}" in line)
        # `+<time> [<db> <client address>] "<command>" ...`; a script's own commands say `lua` there.
        # The request journal is written off the request path, in batches (JOURNAL_FLUSH_SECONDS).
        return answer, [
            line
            for line in lines[start + 1 : end]
            if " lua] " not in line and prefix in line and f"{prefix}journal" not in line
        ]

    def _seen(self, text: str) -> bool:
        with self.lock:
            return any(text in line for line in self.commands)


@pytest.fixture(scope="module")
def monitor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Monitor]]:
    """A mock on a fresh redis-server, and the MONITOR of that server. The mock's webhook pump polls
    once an hour: its background work (it serves the namespaces requests named) stays out of the fences."""
    config = tmp_path_factory.mktemp("round-trips") / "mock.yaml"
    config.write_text("webhook_poll_seconds: 3600\n")
    with redis_server() as server:
        seen = Monitor(server)
        stream = socket.create_connection(("127.0.0.1", server.port), timeout=30)
        stream.sendall(b"MONITOR\r\n")
        lines = stream.makefile("rb")
        assert lines.readline() == b"+OK\r\n"

        def listen() -> None:
            with contextlib.suppress(OSError, ValueError):  # the socket closed: the test is over
                for line in lines:
                    with seen.lock:
                        seen.commands.append(line.decode("utf-8", "replace"))

        thread = threading.Thread(target=listen, daemon=True)
        thread.start()
        port = free_port()
        command = mock_command(port, "--store", server.url, "--config", str(config))
        with running(command, f"http://127.0.0.1:{port}/_mock/health"):
            yield f"http://127.0.0.1:{port}", seen
        stream.shutdown(socket.SHUT_RDWR)
        stream.close()
        thread.join(5)


def headers(namespace: str, token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "X-Talq-Namespace": namespace}


def test_each_request_of_the_hot_path_is_one_round_trip_to_redis(monitor: tuple[str, Monitor]) -> None:
    root, seen = monitor
    namespace, token = f"rt_{uuid.uuid4().hex[:10]}", f"talq_{uuid.uuid4().hex[:10]}"
    prefix, sent = f"talq:{namespace}:", headers(namespace, token)
    make_call = f"{root}/api/v1/agents/{AGENT}/call"
    with httpx.Client(timeout=10) as client:
        warm = client.post(make_call, json={"to": LONG_CALL, "is_testing": True}, headers=sent)
        assert warm.status_code == 200, warm.text  # the namespace's first request (its set-up is once)

        cases: list[tuple[str, Callable[[], httpx.Response], int]] = [
            (
                "Make a Call (test)",
                lambda: client.post(make_call, json={"to": LONG_CALL, "is_testing": True}, headers=sent),
                200,
            ),
            ("Make a Call (paid)", lambda: client.post(make_call, json={"to": LONG_CALL}, headers=sent), 200),
            (
                "Make a Call (invalid)",
                lambda: client.post(make_call, json={"to": "12345"}, headers=sent),
                400,
            ),
            ("List Calls", lambda: client.get(f"{root}/api/v1/calls", headers=sent), 200),
            ("Get Agent Calls", lambda: client.get(f"{root}/api/v1/agents/{AGENT}/calls", headers=sent), 200),
            (
                "Get Active Call",
                lambda: client.get(f"{root}/api/v1/agents/{AGENT}/active-call/{LONG_CALL}", headers=sent),
                200,
            ),
        ]
        for name, request, status in cases:
            answer, commands = seen.fenced(prefix, request)
            assert answer.status_code == status, (name, answer.text)
            assert len(commands) == 1, (name, commands)
            assert f"{prefix}rate:token:{token}" in commands[0], (name, commands)  # the hit rides along

        call_id = warm.json()["data"]["id"]
        end_call = f"{root}/api/v1/agents/{AGENT}/end-call"
        ended, commands = seen.fenced(
            prefix, lambda: client.post(end_call, json={"call_sid": call_id}, headers=sent)
        )
        assert ended.status_code == 200, ended.text
        assert ended.json()["data"]["ended_reason"] == "ended_by_api"
        assert len(commands) == 1, commands
        assert call_id in commands[0], commands
        again, commands = seen.fenced(
            prefix, lambda: client.post(end_call, json={"call_sid": call_id}, headers=sent)
        )
        assert again.status_code == 409, again.text
        assert again.json()["code"] == "CALL_NOT_ACTIVE", again.text
        assert len(commands) == 1, commands


def test_a_request_over_the_limit_is_one_round_trip_and_does_nothing_else(
    monitor: tuple[str, Monitor],
) -> None:
    root, seen = monitor
    namespace = f"rt_{uuid.uuid4().hex[:10]}"
    prefix, sent = f"talq:{namespace}:", headers(namespace, "talq_rate_limited")  # always over its limit
    make_call = f"{root}/api/v1/agents/{AGENT}/call"
    with httpx.Client(timeout=10) as client:
        first = client.get(f"{root}/api/v1/calls", headers=headers(namespace, "talq_demo"))
        assert first.status_code == 200, first.text  # the namespace's set-up, once per process
        answer, commands = seen.fenced(
            prefix, lambda: client.post(make_call, json={"to": LONG_CALL, "is_testing": True}, headers=sent)
        )
        assert answer.status_code == 429, answer.text
        assert answer.json()["error"]["code"] == "RATE_LIMIT_EXCEEDED"
        assert answer.headers["X-RateLimit-Remaining"] == "0"
        assert int(answer.headers["Retry-After"]) >= 1
        assert len(commands) == 1, commands
        listed = client.get(f"{root}/api/v1/calls", headers=headers(namespace, "talq_demo"))
        assert listed.status_code == 200
        assert listed.json()["data"] == []
        # Over the limit, the 429 wins over what stage 7 or 8 would answer (an invalid body, a Prefer
        # for a response the spec does not define), as with the in-memory store.
        for body, extra in (({"to": "12345"}, {}), ({"to": LONG_CALL}, {"Prefer": "code=599"})):
            limited = client.post(make_call, json=body, headers=sent | extra)
            assert limited.status_code == 429, limited.text
            assert limited.json()["error"]["code"] == "RATE_LIMIT_EXCEEDED"
