"""The shared store (`--store redis://...`) against a real Debian redis-server (AOF on, a free port of
127.0.0.1): several mock processes behave as one mock; namespaces; restarts; Redis down is a 503.

Every mock here is a real `python -m mock_server` process talking HTTP on 127.0.0.1; no fake Redis.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import orjson
import pytest

from mock_server.testing import free_port
from mock_server.waiting import wait_until
from mock_server.webhooks.events import event_id
from mock_server.webhooks.receiver import Receiver, receiving
from test_support.processes import mock_command, running
from test_support.redis_server import RedisServer, redis_server

AGENT = "agent_123456"
MAKE_CALL = f"/api/v1/agents/{AGENT}/call"


@pytest.fixture(scope="module")
def redis() -> Iterator[RedisServer]:
    with redis_server() as server:
        yield server


def auth(token: str = "talq_demo", namespace: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"}
    if namespace is not None:
        headers["X-Talq-Namespace"] = namespace
    return headers


def fresh(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


@contextlib.contextmanager
def mock_process(
    redis: RedisServer, namespace: str, *options: str, port: int | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A mock process on the shared store; yields its root URL and the process."""
    port = port or free_port()
    command = mock_command(port, "--store", redis.url, "--namespace", namespace, *options)
    with running(command, f"http://127.0.0.1:{port}/_mock/health") as process:
        yield f"http://127.0.0.1:{port}", process


@contextlib.contextmanager
def mock(redis: RedisServer, namespace: str, *options: str, port: int | None = None) -> Iterator[str]:
    """A mock process on the shared store; yields its root URL."""
    with mock_process(redis, namespace, *options, port=port) as (base, _process):
        yield base


def make_call(client: httpx.Client, base: str, headers: dict[str, str], to: str = "+15005550004") -> str:
    answer = client.post(base + MAKE_CALL, json={"to": to}, headers=headers)
    assert answer.status_code == 200, answer.text
    call_id: str = answer.json()["data"]["id"]
    return call_id


def listed_ids(client: httpx.Client, base: str, headers: dict[str, str]) -> list[str]:
    answer = client.get(base + "/api/v1/calls", params={"per_page": 100}, headers=headers)
    assert answer.status_code == 200, answer.text
    return [row["id"] for row in answer.json()["data"]]


@pytest.mark.slow
def test_a_call_made_on_one_worker_is_listed_and_ended_on_the_other(redis: RedisServer) -> None:
    namespace = fresh("two")
    with mock(redis, namespace) as first, mock(redis, namespace) as second, httpx.Client() as client:
        call_id = make_call(client, first, auth())
        assert listed_ids(client, second, auth()) == [call_id]
        ended = client.post(
            second + f"/api/v1/agents/{AGENT}/end-call", json={"call_sid": call_id}, headers=auth()
        )
        assert ended.status_code == 200, ended.text
        assert ended.json()["data"]["status"] == "completed"
        assert ended.json()["data"]["ended_reason"] == "ended_by_api"
        again = client.post(
            first + f"/api/v1/agents/{AGENT}/end-call", json={"call_sid": call_id}, headers=auth()
        )
        assert again.status_code == 409
        assert again.json()["code"] == "CALL_NOT_ACTIVE"
        rows = client.get(first + "/api/v1/calls", headers=auth()).json()["data"]
        assert [(row["id"], row["status"], row["ended_reason"]) for row in rows] == [
            (call_id, "completed", "ended_by_api")
        ]
        # The webhook registry is shared too.
        body = {
            "name": "hook",
            "webhook_url": "http://127.0.0.1:9/hook",
            "events": ["event_phone_call_ended"],
        }
        created = client.post(first + f"/api/v1/agents/{AGENT}/webhooks", json=body, headers=auth())
        assert created.status_code == 201, created.text
        webhook_id = created.json()["data"]["id"]
        got = client.get(second + f"/api/v1/agents/{AGENT}/webhooks/{webhook_id}", headers=auth())
        assert got.status_code == 200
        assert got.json()["data"] == created.json()["data"]


@pytest.mark.slow
def test_101_requests_on_one_token_spread_over_two_workers_get_exactly_one_429(redis: RedisServer) -> None:
    namespace, token = fresh("rate"), fresh("talq")
    with mock(redis, namespace) as first, mock(redis, namespace) as second, httpx.Client() as client:
        bases = [first, second] * 51

        def send(index: int) -> tuple[int, str]:
            answer = client.post(
                bases[index] + MAKE_CALL, json={"to": "+1234567890", "is_testing": True}, headers=auth(token)
            )
            return answer.status_code, answer.headers.get("X-RateLimit-Remaining", "")

        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(send, range(101)))
    statuses = [status for status, _ in answers]
    assert statuses.count(429) == 1, statuses
    assert statuses.count(200) == 100
    remaining = sorted(int(value) for status, value in answers if status == 200)
    assert remaining == list(range(100))  # each admitted request counted once, across both workers


@pytest.mark.slow
def test_the_clock_and_the_journal_are_one_for_every_worker(redis: RedisServer) -> None:
    namespace = fresh("clock")
    with mock(redis, namespace) as first, mock(redis, namespace) as second, httpx.Client() as client:
        call_id = make_call(client, first, auth(), to="+1234567890")
        advanced = client.post(second + "/_mock/clock/advance", json={"seconds": 3600})
        assert advanced.status_code == 200
        assert client.get(first + "/_mock/clock").json()["offset_seconds"] == 3600
        rows = client.get(first + "/api/v1/calls", headers=auth()).json()["data"]
        assert [(row["id"], row["status"]) for row in rows] == [(call_id, "completed")]
        # Each worker writes its journal in batches, within 0.05 s: the other sees it as soon as that.
        wait_until(lambda: len(client.get(second + "/_mock/requests").json()["requests"]) >= 2, 5)
        journal = client.get(second + "/_mock/requests").json()["requests"]
        assert [(entry["method"], entry["path"], entry["status"]) for entry in journal] == [
            ("POST", MAKE_CALL, 200),
            ("GET", "/api/v1/calls", 200),
        ]
        assert client.get(second + "/_mock/health").json() == {"status": "ok", "calls": 1}


def test_the_inspector_on_a_shared_store_says_it_shows_the_in_memory_store_only(redis: RedisServer) -> None:
    with mock(redis, fresh("inspector")) as base, httpx.Client() as client:
        for path in ("/_mock/", "/_mock/ui/calls"):
            page = client.get(base + path)
            assert page.status_code == 501
            assert page.headers["content-type"].startswith("application/problem+json")
            assert "run the mock without --store to use the inspector" in page.json()["detail"]
        assert client.get(base + "/_mock/requests").status_code == 200  # the admin API still reads the store


def test_namespaces_do_not_see_each_other_and_reset_clears_only_its_own(redis: RedisServer) -> None:
    mine, theirs = fresh("ci_job_a"), fresh("ci_job_b")
    with mock(redis, mine) as base, httpx.Client() as client:
        kept = make_call(client, base, auth())  # the mock's own namespace (--namespace)
        other = make_call(client, base, auth(namespace=theirs))  # another, named per request
        assert listed_ids(client, base, auth()) == [kept]
        assert listed_ids(client, base, auth(namespace=theirs)) == [other]
        reset = client.post(base + "/_mock/reset", headers={"X-Talq-Namespace": theirs})
        assert reset.status_code == 200
        assert listed_ids(client, base, auth(namespace=theirs)) == []
        assert listed_ids(client, base, auth()) == [kept]
        bad = client.get(base + "/api/v1/calls", headers=auth(namespace="no spaces"))
        assert bad.status_code == 400
        assert "X-Talq-Namespace" in bad.json()["detail"]


@pytest.mark.slow
def test_a_restart_of_the_mock_keeps_every_call(redis: RedisServer) -> None:
    namespace, port = fresh("restart"), free_port()
    with httpx.Client() as client:
        with mock(redis, namespace, port=port) as base:
            made = [make_call(client, base, auth()) for _ in range(20)]
        with mock(redis, namespace, port=port) as base:
            assert listed_ids(client, base, auth()) == made[::-1]


def _children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="utf-8").split()
    return [int(child) for child in found]


@pytest.mark.slow
def test_two_workers_on_one_port_lose_no_call_when_one_is_killed_under_load(redis: RedisServer) -> None:
    namespace, port = fresh("workers"), free_port()
    command = mock_command(port, "--store", redis.url, "--namespace", namespace, "--workers", "2")
    base = f"http://127.0.0.1:{port}"
    with running(command, base + "/_mock/health") as parent, httpx.Client() as client:
        wait_until(lambda: len(_children(parent.pid)) == 2, 10)
        victim = _children(parent.pid)[0]
        made: list[str] = []
        refused = 0
        for number in range(300):
            if number == 100:
                os.kill(victim, signal.SIGKILL)
            try:
                answer = httpx.post(
                    base + MAKE_CALL, json={"to": "+15005550004"}, headers=auth(fresh("talq")), timeout=5
                )  # a new connection each time: the kernel spreads them over both workers
            except httpx.TransportError:
                refused += 1  # a connection the killed worker held: the client sees it fail, never a lie
                continue
            assert answer.status_code == 200, answer.text
            made.append(answer.json()["data"]["id"])
        wait_until(lambda: len(_children(parent.pid)) == 2 and victim not in _children(parent.pid), 10)
        listed: list[str] = []
        page = 1
        while True:
            rows = client.get(
                base + "/api/v1/calls", params={"per_page": 100, "page": page}, headers=auth()
            ).json()["data"]
            listed += [row["id"] for row in rows]
            if len(rows) < 100:
                break
            page += 1
    assert refused <= 1
    assert sorted(listed) == sorted(made)  # every call answered 200 is kept, none twice
    assert len(made) >= 299


def test_redis_down_gives_503_in_the_envelope_then_the_mock_recovers_with_every_call(tmp_path: Path) -> None:
    server = RedisServer(tmp_path)
    server.start()
    try:
        with mock(server, "outage") as base, httpx.Client() as client:
            made = [make_call(client, base, auth()) for _ in range(5)]
            server.stop()
            started = time.perf_counter()
            down = client.post(base + MAKE_CALL, json={"to": "+1234567890"}, headers=auth())
            assert time.perf_counter() - started < 5  # an answer, not a hang
            assert down.status_code == 503
            assert down.headers["Retry-After"] == "1"
            assert "X-RateLimit-Remaining" not in down.headers
            error = down.json()["error"]
            assert error["code"] == "STORE_UNAVAILABLE"
            assert f"redis://127.0.0.1:{server.port}/0 does not answer" in error["details"]["reason"]
            admin = client.get(base + "/_mock/health")
            assert admin.status_code == 503
            assert "start Redis" in admin.json()["detail"]
            server.start()  # the same port and data dir: AOF brings the calls back
            assert listed_ids(client, base, auth()) == made[::-1]
            assert make_call(client, base, auth()) not in made
    finally:
        server.stop()


def test_workers_without_a_shared_store_are_refused_with_what_to_do() -> None:
    result = subprocess.run(
        mock_command(free_port(), "--workers", "2"), capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 2
    assert "--workers 2 needs a shared store" in result.stderr
    assert "--store redis://" in result.stderr


def complete(receiver: Receiver) -> list[bytes]:
    """The bodies the receiver got whole (a sender killed mid-request leaves a cut one)."""
    bodies = []
    for item in receiver.accepted():
        with contextlib.suppress(orjson.JSONDecodeError):
            orjson.loads(item.body)
            bodies.append(item.body)
    return bodies


def whole(receiver: Receiver, count: int) -> bool:
    return len(complete(receiver)) >= count


@pytest.mark.slow
def test_every_event_of_200_calls_arrives_once_but_the_one_in_flight_when_a_worker_is_killed_mid_run(
    redis: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TALQ_MOCK_TIME_SCALE", "0")  # frozen: the admin API moves every worker's clock
    monkeypatch.setenv("TALQ_MOCK_RATE_LIMIT", "100000")
    namespace = fresh("events")
    events = ["event_phone_call_started", "event_phone_call_connected", "event_phone_call_ended"]
    with (
        receiving() as one,
        receiving() as two,
        mock(redis, namespace) as first,
        mock_process(redis, namespace) as (second, second_process),
        httpx.Client() as client,
    ):
        for receiver in (one, two):
            body = {"name": "hook", "webhook_url": receiver.url, "events": events}
            created = client.post(first + f"/api/v1/agents/{AGENT}/webhooks", json=body, headers=auth())
            assert created.status_code == 201, created.text
        made = [make_call(client, (first, second)[n % 2], auth(), to="+1234567890") for n in range(100)]
        client.post(second + "/_mock/clock/advance", json={"seconds": 10}).raise_for_status()
        wait_until(lambda: len(one.accepted()) + len(two.accepted()) >= 100, 30)  # delivering now
        second_process.kill()  # kill -9 of a worker while deliveries are in flight
        second_process.wait()
        made += [make_call(client, first, auth(), to="+1234567890") for _ in range(100)]
        client.post(first + "/_mock/clock/advance", json={"seconds": 10}).raise_for_status()
        expected = {event_id(call_id, index, name) for call_id in made for index, name in enumerate(events)}
        for receiver in (one, two):
            wait_until(functools.partial(whole, receiver, 600), 90)
            time.sleep(1.0)  # anything doubled would arrive by now
            got = [orjson.loads(body)["id"] for body in complete(receiver)]
            assert set(got) == expected  # every event
            # Each once, but for the one the killed worker may have been sending to this receiver as it
            # died: answered by the receiver and not yet recorded, it is sent again by the next lease
            # holder, with the same event id (what the receiver dedupes on).
            twice = [event for event, times in collections.Counter(got).items() if times > 1]
            assert len(got) - len(expected) == len(twice) <= 1, twice
            # A POST the killed worker had not finished sending is no delivery (at most one per queue).
            assert len(receiver.accepted()) - len(got) <= 1
        deliveries = client.get(first + "/_mock/webhook-deliveries").json()["deliveries"]
        assert len(deliveries) == 1200
        assert {delivery["status"] for delivery in deliveries} == {"delivered"}


@pytest.mark.slow
def test_a_configured_webhook_gets_its_events_on_the_shared_store_and_a_later_webhook_the_next_ones(
    redis: RedisServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TALQ_MOCK_TIME_SCALE", "0")  # frozen: the admin API moves the clock
    events = ["event_phone_call_started", "event_phone_call_connected", "event_phone_call_ended"]
    with receiving() as configured, receiving() as later, httpx.Client() as client:
        config = tmp_path / "mock.yaml"
        hook = {"agent_id": AGENT, "webhook_url": configured.url, "events": events}
        config.write_text(orjson.dumps({"webhooks": [hook]}).decode())  # JSON is YAML
        with mock(redis, fresh("configured"), "--config", str(config)) as base:
            call_id = make_call(client, base, auth(), to="+1234567890")
            client.post(base + "/_mock/clock/advance", json={"seconds": 10}).raise_for_status()
            got = [orjson.loads(body.body)["id"] for body in configured.wait_for(3, 10)]
            assert sorted(got) == sorted(event_id(call_id, index, name) for index, name in enumerate(events))
        # An agent with no webhook yet: its call waits, and a webhook created later gets what follows.
        with mock(redis, fresh("later")) as base:
            call_id = make_call(client, base, auth(), to="+1234567890")
            body = {"name": "later", "webhook_url": later.url, "events": events}
            created = client.post(base + f"/api/v1/agents/{AGENT}/webhooks", json=body, headers=auth())
            assert created.status_code == 201, created.text
            client.post(base + "/_mock/clock/advance", json={"seconds": 10}).raise_for_status()
            got = [orjson.loads(body.body)["id"] for body in later.wait_for(3, 10)]
            assert sorted(got) == sorted(event_id(call_id, index, name) for index, name in enumerate(events))
            time.sleep(0.5)
            assert len(later.accepted()) == 3  # none twice


@pytest.mark.slow
def test_a_namespace_named_per_request_gets_its_events_and_an_outage_is_logged_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TALQ_MOCK_TIME_SCALE", "20")  # a call's 8 mock seconds pass in 0.4 s: no admin API
    events = ["event_phone_call_started", "event_phone_call_connected", "event_phone_call_ended"]
    log = tmp_path / "mock.log"
    (tmp_path / "redis").mkdir()
    server = RedisServer(tmp_path / "redis")
    server.start()
    try:
        port = free_port()
        command = mock_command(port, "--store", server.url)  # its own namespace: `default`
        with (
            log.open("wb") as stderr,
            running(command, f"http://127.0.0.1:{port}/_mock/health", stderr=stderr.fileno()),
            receiving() as receiver,
            httpx.Client() as client,
        ):
            base, headers = f"http://127.0.0.1:{port}", auth(namespace=fresh("job"))
            body = {"name": "job", "webhook_url": receiver.url, "events": events}
            created = client.post(base + f"/api/v1/agents/{AGENT}/webhooks", json=body, headers=headers)
            assert created.status_code == 201, created.text
            call_id = make_call(client, base, headers, to="+1234567890")
            got = [orjson.loads(item.body)["id"] for item in receiver.wait_for(3, 10)]
            assert sorted(got) == sorted(event_id(call_id, index, name) for index, name in enumerate(events))
            server.stop()
            time.sleep(1.0)  # about 20 polls of the pump with Redis down
            server.start()
            wait_until(lambda: "is back" in log.read_text(), 10)
        pump = [line for line in log.read_text().splitlines() if "mock_server.webhooks" in line]
        assert len([line for line in pump if "does not answer" in line]) == 1, pump
        assert len([line for line in pump if "is back;" in line]) == 1, pump
    finally:
        server.stop()
