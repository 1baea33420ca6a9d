"""Campaigns and agent statuses on the shared store (`state.redis_campaigns`), against a real Debian
redis-server and real `python -m mock_server` processes over HTTP on 127.0.0.1 (no fake Redis): a
campaign call queued on one process is placed once and listed on the other, retries, two processes
dispatching at once place each campaign call exactly once, reset clears one namespace, an unpublish
on one process is seen by the other within the background pass's interval."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from mock_server.state.redis_campaigns import SETTLE_SECONDS
from mock_server.waiting import wait_until
from mock_server.webhooks.events import event_id
from mock_server.webhooks.receiver import receiving
from test_support.redis_server import RedisServer, redis_server
from tests.state.test_redis_store import auth, fresh, mock

AGENT = "agent_123456"
BUSY = "+15005550001"  # busy after ringing (setup 1 s + ring 2 s of the mock clock)
LONG = "+15005550004"  # answered, active until End Call
CAMPAIGNS = (
    {"id": "c_later", "agent_id": AGENT, "initial_call_delay": 60},
    {"id": "c_retry", "agent_id": AGENT, "max_retries": 1, "retry_cooldown_hours": 1.0},
    {
        "id": "c_retry2",
        "agent_id": AGENT,
        "max_retries": 2,
        "retry_cooldown_hours": 1.0,
        "initial_call_delay": 60,
    },
    {"id": "c_paused", "agent_id": AGENT, "status": "paused"},
)
pytestmark = pytest.mark.slow  # real processes on a real Redis: seconds each


@pytest.fixture(scope="module")
def redis() -> Iterator[RedisServer]:
    with redis_server() as server:
        yield server


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A config file: the mock clock frozen (the tests move it), the campaigns above."""
    path = Path(tmp_path_factory.mktemp("campaigns")) / "mock.yaml"
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoweekday()
    window = {
        "id": "c_window",
        "agent_id": AGENT,
        "days_of_week": [tomorrow],
        "earliest_call_time": "10:00:00",
        "latest_call_time": "11:00:00",
        "timezone": "UTC",
    }
    path.write_text(json.dumps({"time_scale": 0, "campaigns": [*CAMPAIGNS, window]}))  # JSON is YAML
    return str(path)


class Mock:
    """One mock process's vendor API and admin API, in one namespace."""

    def __init__(self, client: httpx.Client, base: str, namespace: str | None) -> None:
        self.client, self.base, self.headers = client, base, auth(namespace=namespace)

    def queue(self, campaign: str, to: str, allow_duplicates: bool = False) -> httpx.Response:
        body = {"to": to, "is_testing": True, "allow_duplicates": allow_duplicates}
        return self.client.post(
            f"{self.base}/api/v1/campaigns/{campaign}/call", json=body, headers=self.headers
        )

    def queued(self, campaign: str, to: str, allow_duplicates: bool = False) -> dict[str, Any]:
        answer = self.queue(campaign, to, allow_duplicates)
        assert answer.status_code == 201, answer.text
        created: dict[str, Any] = answer.json()["campaign_call"]
        assert created["status"] == "queued"
        return created

    def campaign(self, campaign: str) -> dict[str, Any]:
        answer = self.client.get(f"{self.base}/api/v1/campaigns/{campaign}", headers=self.headers)
        assert answer.status_code == 200, answer.text
        data: dict[str, Any] = answer.json()["data"]
        return data

    def calls(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for page in range(1, 100):
            answer = self.client.get(
                f"{self.base}/api/v1/calls", params={"per_page": 100, "page": page}, headers=self.headers
            )
            assert answer.status_code == 200, answer.text
            rows += answer.json()["data"]
            if page >= answer.json()["pagination"]["last_page"]:
                return rows
        raise AssertionError("more than 99 pages of calls")

    def advance(self, seconds: float) -> None:
        answer = self.client.post(
            f"{self.base}/_mock/clock/advance", json={"seconds": seconds}, headers=self.headers
        )
        assert answer.status_code == 200, answer.text

    def publication(self, action: str) -> None:
        answer = self.client.post(f"{self.base}/api/v1/agents/{AGENT}/{action}", headers=self.headers)
        assert answer.status_code == 200, answer.text

    def agent_status(self) -> str:
        answer = self.client.get(f"{self.base}/api/v1/agents/{AGENT}", headers=self.headers)
        assert answer.status_code == 200, answer.text
        status: str = answer.json()["data"]["current_status"]
        return status


@pytest.fixture
def pair(redis: RedisServer, config: str) -> Iterator[Callable[[str | None], tuple[Mock, Mock]]]:
    """Two mock processes on the one Redis; `pair(namespace)` gives both, in that namespace (None:
    their own, by no header)."""
    namespace = fresh("camp")
    with (
        mock(redis, namespace, "--config", config) as first,
        mock(redis, namespace, "--config", config) as second,
        httpx.Client(timeout=10) as client,
    ):
        yield lambda name: (Mock(client, first, name), Mock(client, second, name))


def test_a_campaign_call_queued_on_one_process_is_placed_once_and_listed_on_the_other(
    pair: Callable[[str | None], tuple[Mock, Mock]],
) -> None:
    first, second = pair(fresh("ns"))
    created = first.queued("c_later", LONG)
    assert second.calls() == []
    second.advance(59)
    assert second.calls() == []
    assert second.campaign("c_later")["calls"][0]["status"] == "queued"
    first.advance(1)  # due now: placed by the process that moved the clock, seen by the other at once
    [call] = second.calls()
    assert (call["to"], call["agent"]["id"], call["status"]) == (LONG, AGENT, "initiated")
    time.sleep(5 * SETTLE_SECONDS)  # both background passes run meanwhile: nothing placed twice
    assert [row["id"] for row in first.calls()] == [call["id"]]
    [item] = first.campaign("c_later")["calls"]
    assert (item["id"], item["status"], item["retries"]) == (created["id"], "initiated", 0)
    stats = second.campaign("c_later")["stats"]
    assert (stats["total_calls"], stats["completed_calls"], stats["failed_calls"]) == (1, 0, 0)
    # the duplicate rule holds across processes: the number is in progress
    refused = second.queue("c_later", LONG)
    assert refused.status_code == 409, refused.text
    assert refused.json()["existing_call"]["id"] == created["id"]
    assert refused.json()["existing_call"]["call_id"] == call["id"]


def test_a_campaign_call_waits_for_its_window_and_its_call_is_created_at_the_scheduled_instant(
    pair: Callable[[str | None], tuple[Mock, Mock]],
) -> None:
    first, second = pair(fresh("ns"))
    created = first.queued("c_window", LONG)
    scheduled = datetime.fromisoformat(created["scheduled_at"])
    assert (scheduled.hour, scheduled.minute, scheduled.second) == (10, 0, 0)
    now = datetime.fromtimestamp(
        second.client.get(second.base + "/_mock/clock", headers=second.headers).json()["epoch"], UTC
    )
    second.advance((scheduled - now).total_seconds() - 1)
    time.sleep(3 * SETTLE_SECONDS)
    assert first.calls() == []
    first.advance(1)
    [call] = second.calls()
    assert datetime.fromisoformat(call["created_at"]) == scheduled  # as the in-memory store does


def test_a_due_campaign_call_is_placed_by_the_background_pass_without_any_request(
    pair: Callable[[str | None], tuple[Mock, Mock]],
) -> None:
    first, second = pair(fresh("ns"))
    first.queued("c_retry", LONG)  # no initial delay: due at once
    started = time.monotonic()
    wait_until(lambda: len(second.calls()) == 1, timeout=5, interval=0.02)
    assert (
        time.monotonic() - started < 1.0
    )  # within the pass's interval (0.1 s), with slack for a busy machine


def test_a_busy_campaign_call_is_retried_after_the_cooldown_across_processes(
    pair: Callable[[str | None], tuple[Mock, Mock]],
) -> None:
    first, second = pair(fresh("ns"))
    first.queued("c_retry", BUSY)
    [item] = second.campaign("c_retry")["calls"]  # Get Campaign dispatches first: placed
    assert (item["status"], item["retries"]) == ("initiated", 0)
    assert len(first.calls()) == 1
    second.advance(10)  # busy after ringing: queued again for one hour later
    [item] = first.campaign("c_retry")["calls"]
    assert (item["status"], item["retries"]) == ("queued", 1)
    assert len(second.calls()) == 1
    first.advance(3600)
    assert len(second.calls()) == 2
    second.advance(7200)
    [item] = first.campaign("c_retry")["calls"]
    assert (item["status"], item["retries"]) == ("busy", 1)  # max_retries 1: no third attempt
    time.sleep(5 * SETTLE_SECONDS)
    assert [row["status"] for row in first.calls()] == ["busy", "busy"]
    stats = second.campaign("c_retry")["stats"]
    assert (stats["total_calls"], stats["failed_calls"], stats["success_rate"]) == (1, 1, 0.0)


def test_two_processes_dispatching_at_once_place_each_campaign_call_exactly_once(
    pair: Callable[[str | None], tuple[Mock, Mock]],
) -> None:
    first, second = pair(fresh("ns"))
    numbers = [f"+1500555{2000 + number:04d}" for number in range(30)] + [BUSY] * 10
    with ThreadPoolExecutor(8) as pool:  # queued through both processes at once
        created = list(
            pool.map(
                lambda pair: pair[0].queued("c_retry2", pair[1], allow_duplicates=True),
                [(first if index % 2 else second, to) for index, to in enumerate(numbers)],
            )
        )
    assert len({item["id"] for item in created}) == 40
    assert first.calls() == []

    def hammer(process: Mock) -> None:  # Get Campaign dispatches: both processes at the same time
        for _ in range(15):
            process.campaign("c_retry2")

    # Each step reaches the next attempts: 40 first ones, then the 10 busy ones' 2 retries.
    steps = ((60, 40), (3600 + 10, 50), (3600 + 10, 60), (3600 + 10, 60))
    for index, (step, expected) in enumerate(steps):
        with ThreadPoolExecutor(4) as pool:
            running = [pool.submit(hammer, process) for process in (first, second, first, second)]
            (first, second)[index % 2].advance(step)
            for future in running:
                future.result()
        time.sleep(3 * SETTLE_SECONDS)
        listed = second.calls()
        assert len(listed) == expected
        assert len({row["id"] for row in listed}) == expected
    by_number: dict[str, int] = {}
    for row in first.calls():
        by_number[row["to"]] = by_number.get(row["to"], 0) + 1
    assert by_number[BUSY] == 30  # 10 campaign calls, 3 attempts each (max_retries 2)
    assert all(count == 1 for to, count in by_number.items() if to != BUSY)
    items = first.campaign("c_retry2")["calls"]
    assert sorted(item["retries"] for item in items) == [0] * 30 + [2] * 10
    assert {item["status"] for item in items} == {"completed", "busy"}


def test_reset_clears_the_campaign_calls_and_agent_statuses_of_its_namespace_only(
    pair: Callable[[str | None], tuple[Mock, Mock]],
) -> None:
    name, other = fresh("ns"), fresh("ns")
    first, second = pair(name)
    first_other, second_other = pair(other)
    for each in (first, first_other):
        each.queued("c_paused", LONG)
        each.publication("unpublish")
    reset = second.client.post(second.base + "/_mock/reset", headers=second.headers)
    assert reset.status_code == 200, reset.text
    assert second.campaign("c_paused")["calls"] == []
    assert second.agent_status() == "published"
    wait_until(lambda: first.agent_status() == "published", timeout=5, interval=0.02)
    assert first.campaign("c_paused")["calls"] == []
    [kept] = second_other.campaign("c_paused")["calls"]
    assert kept["status"] == "queued"
    assert second_other.agent_status() == "draft"  # read with the dispatch of Get Campaign just now
    assert first_other.agent_status() == "draft"
    assert first.queued("c_paused", LONG)["status"] == "queued"  # the number is free again in `name`
    assert len(second_other.campaign("c_paused")["calls"]) == 1
    # published again, a paused campaign still places nothing, however far the clock moves
    second_other.publication("publish")
    second_other.advance(3 * 86400)
    time.sleep(3 * SETTLE_SECONDS)
    assert second_other.campaign("c_paused")["calls"][0]["status"] == "queued"
    assert first_other.calls() == []


def test_an_unpublish_on_one_process_is_seen_by_the_other_within_the_interval(
    pair: Callable[[str | None], tuple[Mock, Mock]],
) -> None:
    first, second = pair(fresh("ns"))
    assert second.agent_status() == "published"  # the namespace is known to both processes
    first.publication("unpublish")
    assert first.agent_status() == "draft"  # its own change at once
    started = time.monotonic()
    wait_until(lambda: second.agent_status() == "draft", timeout=5, interval=0.01)
    seen = time.monotonic() - started
    assert seen < 1.0  # the background pass's 0.1 s, with slack for a busy machine
    refused = second.client.post(
        f"{second.base}/api/v1/agents/{AGENT}/call", json={"to": LONG}, headers=second.headers
    )
    assert refused.status_code == 400, refused.text
    assert refused.json()["error"]["code"] == "AGENT_INACTIVE"
    # a campaign call of an unpublished agent waits; published again (on the other process), it is placed
    second.queued("c_retry", LONG)
    time.sleep(3 * SETTLE_SECONDS)
    assert first.calls() == []
    assert first.campaign("c_retry")["calls"][0]["status"] == "queued"
    second.publication("publish")
    wait_until(lambda: len(first.calls()) == 1, timeout=5, interval=0.02)
    assert first.campaign("c_retry")["calls"][0]["status"] == "initiated"


def test_the_events_of_campaign_calls_are_delivered_once_across_processes(
    pair: Callable[[str | None], tuple[Mock, Mock]],
) -> None:
    first, second = pair(None)  # the processes' own namespace: the one their webhook pumps deliver
    events = ["event_phone_call_started", "event_phone_call_connected", "event_phone_call_ended"]
    with receiving() as receiver:
        body = {"name": "hook", "webhook_url": receiver.url, "events": events}
        created = first.client.post(
            f"{first.base}/api/v1/agents/{AGENT}/webhooks", json=body, headers=first.headers
        )
        assert created.status_code == 201, created.text
        for number in range(10):
            (first, second)[number % 2].queued("c_later", f"+1500555{3000 + number:04d}")
        second.advance(60)  # due: placed
        placed = [row["id"] for row in first.calls()]
        assert len(placed) == 10
        first.advance(10)  # setup, ring, talk: each call completed
        receiver.wait_for(30, timeout=30)
        time.sleep(1.0)  # anything doubled would arrive by now
        got = sorted(json.loads(item.body)["id"] for item in receiver.accepted())
    expected = sorted(
        event_id(call_id, index, name) for call_id in placed for index, name in enumerate(events)
    )
    assert got == expected


def test_redis_down_the_campaign_endpoints_answer_503_and_the_background_pass_recovers(
    tmp_path: Path, config: str
) -> None:
    server = RedisServer(tmp_path)
    server.start()
    try:
        with mock(server, fresh("outage"), "--config", config) as base, httpx.Client(timeout=10) as client:
            process = Mock(client, base, None)
            created = process.queued("c_later", LONG)
            server.stop()
            down = process.queue("c_later", "+15005552999")
            assert down.status_code == 503, down.text
            assert down.json()["error"]["code"] == "STORE_UNAVAILABLE"
            assert "does not answer" in down.json()["error"]["details"]["reason"]
            advanced = client.post(base + "/_mock/clock/advance", json={"seconds": 60})
            assert advanced.status_code == 503  # the clock did not move: the campaign call waits
            time.sleep(5 * SETTLE_SECONDS)  # background passes meet a Redis that is down
            server.start()  # the same data dir: AOF brings the queued campaign call back
            [item] = process.campaign("c_later")["calls"]
            assert (item["id"], item["status"]) == (created["id"], "queued")
            process.advance(60)
            wait_until(lambda: len(process.calls()) == 1, timeout=5, interval=0.02)
            assert process.campaign("c_later")["calls"][0]["status"] == "initiated"
            assert process.calls()[0]["to"] == LONG
            # and the pass goes on: a campaign call due without any clock move or campaign request
            process.queued("c_retry", "+15005552998")
            wait_until(lambda: len(process.calls()) == 2, timeout=5, interval=0.02)
    finally:
        server.stop()
