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
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import httpx
import orjson
import pytest
import redis as sync_redis

from mock_server.settings import Settings
from mock_server.state.redis_store import RedisStore
from mock_server.testing import free_port, serve
from mock_server.waiting import wait_until
from mock_server.webhooks.events import event_id
from mock_server.webhooks.receiver import Receiver, receiving
from test_support.processes import children_of, mock_command, running
from test_support.redis_server import RedisServer, redis_server

AGENT = "agent_123456"
README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
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


def create_webhook(
    client: httpx.Client, base: str, url: str = "http://127.0.0.1:9/hook", **fields: object
) -> dict[str, object]:
    """Create a webhook (of the call-ended event, unless `fields` say otherwise); its data."""
    body = {"name": "hook", "webhook_url": url, "events": ["event_phone_call_ended"], **fields}
    created = client.post(base + f"/api/v1/agents/{AGENT}/webhooks", json=body, headers=auth())
    assert created.status_code == 201, created.text
    data: dict[str, object] = created.json()["data"]
    return data


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
        created = create_webhook(client, first)
        got = client.get(second + f"/api/v1/agents/{AGENT}/webhooks/{created['id']}", headers=auth())
        assert got.status_code == 200
        assert got.json()["data"] == created


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


@pytest.mark.slow
def test_two_workers_on_one_port_lose_no_call_when_one_is_killed_under_load(redis: RedisServer) -> None:
    namespace, port = fresh("workers"), free_port()
    command = mock_command(port, "--store", redis.url, "--namespace", namespace, "--workers", "2")
    base = f"http://127.0.0.1:{port}"
    with running(command, base + "/_mock/health") as parent, httpx.Client() as client:
        wait_until(lambda: len(children_of(parent.pid)) == 2, 10)
        victim = children_of(parent.pid)[0]
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
        wait_until(lambda: len(children_of(parent.pid)) == 2 and victim not in children_of(parent.pid), 10)
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


class Load:
    """Make a Call from `threads` threads, each on new connections (both workers serve them), every
    answer kept as (status, error code, call id, seconds, phase); bounded: `per_thread` requests each."""

    def __init__(self, base: str, threads: int = 4, per_thread: int = 1500) -> None:
        self.base, self.per_thread = base, per_thread
        self.phase = "before"
        self.answers: list[tuple[int, str | None, str | None, float, str]] = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._send) for _ in range(threads)]

    def _send(self) -> None:
        for _ in range(self.per_thread):
            if self.stop.is_set():
                return
            phase, started = self.phase, time.perf_counter()
            try:
                answer = httpx.post(
                    self.base + MAKE_CALL, json={"to": "+15005550004"}, headers=auth(), timeout=10
                )
            except httpx.TransportError:
                self.answers.append((0, None, None, time.perf_counter() - started, phase))
                continue
            body = answer.json()
            error = body.get("error") if answer.status_code != 200 else None
            call_id = body["data"]["id"] if answer.status_code == 200 else None
            code = error.get("code") if isinstance(error, dict) else None
            self.answers.append((answer.status_code, code, call_id, time.perf_counter() - started, phase))

    def count(self, status: int, phase: str) -> int:
        return sum(1 for answer in self.answers if answer[0] == status and answer[4] == phase)

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)


def every_listed(client: httpx.Client, base: str) -> list[str]:
    listed: list[str] = []
    for page in range(1, 1000):  # bounded: at most 99,900 calls
        answer = client.get(base + "/api/v1/calls", params={"per_page": 100, "page": page}, headers=auth())
        assert answer.status_code == 200, answer.text
        rows = answer.json()["data"]
        listed += [row["id"] for row in rows]
        if len(rows) < 100:
            break
    return listed


@pytest.mark.slow
@pytest.mark.parametrize("how", ["stopped", "killed", "frozen"])
def test_a_redis_restart_under_load_gives_200_or_503_and_loses_no_answered_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """Two workers on one port, Make a Call from 4 threads, Redis stopped (SIGTERM) or killed
    (kill -9: AOF with `appendfsync always`, the README's configuration) and started again on the same
    port and data dir mid-load, or frozen (SIGSTOP: it accepts connections but answers nothing) and
    resumed: every answer is 200 or 503 STORE_UNAVAILABLE in the envelope, within bounded time; the
    mock serves again by itself; every call answered 200 is listed."""
    monkeypatch.setenv("TALQ_MOCK_RATE_LIMIT", "1000000")
    server = RedisServer(tmp_path)
    assert "--appendfsync always" in README  # the configuration this test holds to
    server.start()
    port = free_port()
    command = mock_command(port, "--store", server.url, "--namespace", fresh("restart"), "--workers", "2")
    base = f"http://127.0.0.1:{port}"
    try:
        with running(command, base + "/_mock/health") as parent, httpx.Client() as client:
            wait_until(lambda: len(children_of(parent.pid)) == 2, 10)
            with Load(base) as load:
                wait_until(lambda: load.count(200, "before") >= 100, 30)
                load.phase = "down"
                process = server.process
                assert process is not None
                if how == "frozen":
                    process.send_signal(signal.SIGSTOP)
                    wait_until(lambda: load.count(503, "down") >= 8, 30)  # each after the 2 s timeout
                    process.send_signal(signal.SIGCONT)
                else:
                    if how == "killed":
                        process.kill()
                        process.wait()
                        server.process = None
                    else:
                        server.stop()
                    wait_until(lambda: load.count(503, "down") >= 50, 30)
                    server.start()  # same port, same data dir
                load.phase = "back"
                wait_until(lambda: load.count(200, "back") >= 100, 30)  # recovered, nothing restarted it
            listed = every_listed(client, base)
    finally:
        server.stop()
    statuses = {(status, code) for status, code, _id, _took, _phase in load.answers}
    assert statuses == {(200, None), (503, "STORE_UNAVAILABLE")}  # never a 500, never a dropped connection
    assert max(took for *_rest, took, _phase in load.answers) < 4  # never a hang (the README: 2.25 s)
    answered = [call_id for _s, _c, call_id, _t, _p in load.answers if call_id is not None]
    assert len(set(answered)) == len(answered)
    assert set(answered) <= set(listed)  # every call answered 200 survived the restart
    placed_anyway = set(listed) - set(answered)
    if how == "frozen":  # a 503 after the timeout: Redis may run the script once it resumes
        assert len(placed_anyway) <= sum(1 for status, *_rest in load.answers if status == 503)
    else:  # at most the calls in flight when Redis went away (one per thread) were placed, yet 503
        assert len(placed_anyway) <= len(load.threads)


@dataclass
class Takeover:
    """A mock killed while it held a webhook's lease, and the mock started after it."""

    base: str  # the second mock
    webhook_id: str
    expected: set[str]  # the event ids to deliver
    holder: str  # the lease's token at the kill
    lease_left: float  # seconds
    killed_at: float  # time.monotonic()


def deliveries(store: sync_redis.Redis, namespace: str) -> list[str]:
    return cast(list[str], store.hvals(f"talq:{namespace}:deliveries"))


@contextlib.contextmanager
def killed_while_holding_a_lease(
    redis: RedisServer, receiver: Receiver, monkeypatch: pytest.MonkeyPatch, when: str
) -> Iterator[Takeover]:
    """One mock delivers 5 calls' events (15) to `receiver` and is killed (kill -9) `when` its first
    attempt is recorded ("recorded"), or while its first POST waits for the receiver ("posting");
    yields once a second mock is started after the kill."""
    monkeypatch.setenv("TALQ_MOCK_TIME_SCALE", "0")
    monkeypatch.setenv("TALQ_MOCK_RATE_LIMIT", "100000")
    monkeypatch.setenv("TALQ_MOCK_WEBHOOK_BACKOFF_SECONDS", "10")  # a failed attempt: the holder waits
    namespace = fresh("lease")
    events = ["event_phone_call_started", "event_phone_call_connected", "event_phone_call_ended"]
    store = sync_redis.Redis.from_url(redis.url, decode_responses=True)
    with mock_process(redis, namespace) as (first, first_process), httpx.Client() as client:
        webhook_id = str(create_webhook(client, first, receiver.url, events=events, timeout=5)["id"])
        made = [make_call(client, first, auth(), to="+1234567890") for _ in range(5)]
        client.post(first + "/_mock/clock/advance", json={"seconds": 10}).raise_for_status()
        lease = f"talq:{namespace}:lease:{webhook_id}"
        if when == "recorded":
            wait_until(lambda: any('"attempts":[{' in text for text in deliveries(store, namespace)), 10)
        else:
            wait_until(lambda: store.exists(lease), 10)
            time.sleep(0.5)  # the POST is at the receiver, which answers after 2 s
            assert not receiver.received
        holder, left_ms = store.get(lease), cast(int, store.pttl(lease))
        first_process.kill()  # kill -9 while it holds the lease, its first delivery not done
        killed_at = time.monotonic()
        first_process.wait()
    expected = {event_id(call_id, index, name) for call_id in made for index, name in enumerate(events)}
    with mock(redis, namespace) as second:
        yield Takeover(second, webhook_id, expected, str(holder), left_ms / 1000, killed_at)
        assert store.get(lease) not in (None, holder)  # the second mock's token now
    store.close()


@pytest.mark.slow
def test_a_worker_killed_between_attempts_has_its_lease_taken_over_and_every_event_sent_once(
    redis: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with (
        receiving(fail_first=1) as receiver,
        killed_while_holding_a_lease(redis, receiver, monkeypatch, "recorded") as taken,
        httpx.Client() as client,
    ):
        assert 4 < taken.lease_left <= 6  # the lease (timeout 5 s + 1), renewed when attempt 1 was recorded
        wait_until(lambda: len(receiver.received) >= 2, 30, interval=0.01)
        took_over = time.monotonic() - taken.killed_at
        wait_until(lambda: len(receiver.accepted()) >= len(taken.expected), 30)
        time.sleep(0.5)  # anything doubled would arrive by now
        got = [orjson.loads(item.body)["id"] for item in receiver.accepted()]
        assert sorted(got) == sorted(taken.expected)  # every event exactly once: nothing to dedupe
        assert [item.answered for item in receiver.received] == [500] + [200] * len(taken.expected)
        assert took_over > taken.lease_left - 0.2  # nobody delivered while the dead worker's lease lasted
        first = orjson.loads(receiver.received[0].body)["id"]
        kept = client.get(taken.base + "/_mock/webhook-deliveries").json()["deliveries"]
        resumed = [delivery for delivery in kept if delivery["event_id"] == first]
        assert [(a["number"], a["status_code"]) for a in resumed[0]["attempts"]] == [(1, 500), (2, 200)]
        assert len(kept) == len(taken.expected)
        assert {delivery["status"] for delivery in kept} == {"delivered"}


@pytest.mark.slow
def test_a_worker_killed_mid_post_has_that_one_event_sent_again_by_the_next_lease_holder(
    redis: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The limit of leases, shown: a POST the receiver answered 2xx but whose sender died before it
    recorded the answer is sent again (same event id: the receiver dedupes it); every other event once."""
    with (
        receiving(slow_first=1, slow_seconds=2.0) as receiver,
        killed_while_holding_a_lease(redis, receiver, monkeypatch, "posting") as taken,
    ):
        wait_until(lambda: len(receiver.accepted()) >= len(taken.expected) + 1, 30)
        time.sleep(0.5)
        got = [orjson.loads(item.body)["id"] for item in receiver.accepted()]
        assert set(got) == taken.expected
        assert len(got) == len(taken.expected) + 1
        assert got[0] == got[1]  # the one the dead worker was sending, then again by the next holder


def test_the_delivery_log_on_redis_keeps_its_cap_dropping_the_oldest_finished_never_a_queued_one(
    redis: RedisServer,
) -> None:
    """In-process (a real server thread, a real redis-server, a real receiver), the cap made 3."""
    up = threading.Event()
    settings = Settings(store=redis.url, namespace=fresh("cap"), time_scale=0, webhook_backoff_seconds=2)
    with receiving(up=up) as receiver, serve(settings) as live, httpx.Client(base_url=live.url) as client:
        store = live.app.store
        assert isinstance(store, RedisStore)
        store.webhooks.max_deliveries = 3
        body = {"name": "hook", "webhook_url": receiver.url, "events": ["event_phone_call_ended"]}
        created = client.post(
            f"/api/v1/agents/{AGENT}/webhooks", json={**body, "max_retries": 10}, headers=auth()
        )
        webhook_id = created.json()["data"]["id"]

        def log() -> list[tuple[str, str, str]]:
            kept = client.get("/_mock/webhook-deliveries").json()["deliveries"]
            return [(row["id"], row["event"], row["status"]) for row in kept]

        for _ in range(5):  # Test Webhook: each a finished delivery (failed: the receiver is down)
            tested = client.post(f"/api/v1/agents/{AGENT}/webhooks/{webhook_id}/test", headers=auth())
            assert tested.status_code == 502, tested.text  # Test Webhook's answer for a receiver down
        assert log() == [(f"dlv_{n:06d}", "webhook.test", "failed") for n in (3, 4, 5)]  # oldest out first
        logs = client.get(f"/api/v1/agents/{AGENT}/webhooks/{webhook_id}/logs", headers=auth())
        assert len(logs.json()["data"]) == 3
        for _ in range(5):
            make_call(client, live.url, auth(), to="+1234567890")
        client.post("/_mock/clock/advance", json={"seconds": 60}).raise_for_status()  # 5 events queued
        ended = [(f"dlv_{n:06d}", "event_phone_call_ended", "pending") for n in range(6, 11)]
        # Over the cap: every queued one kept, the finished ones dropped (the pump commits them call
        # by call, the admin's and the background one's: all five within a moment).
        wait_until(lambda: log() == ended, 5)
        up.set()  # the receiver answers: the queue drains, and the log is back to its cap
        wait_until(lambda: len(receiver.accepted()) == 5, 30)
        wait_until(lambda: [status for *_rest, status in log()] == ["delivered"] * 3, 10)
        assert [row[0] for row in log()] == ["dlv_000008", "dlv_000009", "dlv_000010"]
        kept = sync_redis.Redis.from_url(redis.url, decode_responses=True)
        assert kept.zcard(store.keys.finished) == 3  # the finished index keeps no dropped id
        kept.close()


@pytest.mark.slow
def test_toggles_and_updates_of_one_webhook_from_two_workers_at_once_lose_none(
    redis: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """41 Toggle Webhooks and 40 Update Webhooks (its name), 8 at a time, spread over two mock
    processes: the webhook ends in the state parity says, every toggle answered a different step."""
    monkeypatch.setenv("TALQ_MOCK_RATE_LIMIT", "100000")
    namespace = fresh("toggle")
    with mock(redis, namespace) as first, mock(redis, namespace) as second, httpx.Client() as client:
        created = create_webhook(client, first)
        assert created["enabled"] is True
        path = f"/api/v1/agents/{AGENT}/webhooks/{created['id']}"

        def change(number: int) -> tuple[str, int, object]:
            """Even numbers toggle (41 of 0..80), odd ones update; each kind on both processes."""
            base = (first, second)[(number // 2) % 2]
            if number % 2 == 0:
                answer = client.patch(base + path + "/toggle", headers=auth())
                return "toggle", answer.status_code, answer.json()["data"]["enabled"]
            answer = client.put(base + path, json={"name": f"hook {number}"}, headers=auth())
            return "update", answer.status_code, answer.json()["data"]["name"]

        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(change, range(81)))
        final = client.get(second + path, headers=auth()).json()["data"]
    toggles = [enabled for kind, _status, enabled in answers if kind == "toggle"]
    assert {status for _kind, status, _value in answers} == {200}
    assert len(toggles) == 41
    assert final["enabled"] is False  # enabled, then toggled 41 times
    assert (toggles.count(False), toggles.count(True)) == (21, 20)  # each toggle saw the one before it
    assert final["name"] in {value for kind, _status, value in answers if kind == "update"}


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
            wait_until(lambda: "the shared store is back" in log.read_text(), 10)
        pump = [line for line in log.read_text().splitlines() if "mock_server.webhooks" in line]
        assert len([line for line in pump if "does not answer" in line]) == 1, pump
        assert len([line for line in pump if "the shared store is back" in line]) == 1, pump
    finally:
        server.stop()
