"""The session: paced by the upstream's X-RateLimit-* (never a burst of 429s), counted against
--max-requests, and a 429 waited out once by its Retry-After."""

from __future__ import annotations

import pytest

from mock_server.settings import Settings
from mock_server.spec.document import DEFAULT_SPEC, load_document
from mock_server.verify.cli import operation_paths
from mock_server.verify.guards import Guard
from mock_server.verify.session import BudgetSpent, Pacing, Session, reset_in
from test_support.fake_vendors import faithful, recording_vendor
from tests.verify.conftest import TOKEN, Run, verdicts

DOCUMENT = load_document(DEFAULT_SPEC)
NOW = 1_800_000_000.0


def _session(url: str, pacing: Pacing, waits: list[float]) -> Session:
    return Session(
        url,
        TOKEN,
        Guard.from_document(DOCUMENT),
        operation_paths(DOCUMENT),
        pacing,
        waits.append,
        lambda: NOW,
    )


@pytest.mark.parametrize(
    ("headers", "wait"),
    [
        ({"x-ratelimit-remaining": "50", "x-ratelimit-reset": str(int(NOW) + 30)}, 0.0),
        ({"x-ratelimit-remaining": "1", "x-ratelimit-reset": str(int(NOW) + 30)}, 31.0),
        (
            {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) * 1000)},
            65.0,
        ),  # ms: a whole window
        ({"x-ratelimit-remaining": "0"}, 65.0),
        ({}, 1.0),  # no rate-limit headers: the --pace interval
    ],
)
def test_the_next_wait_follows_the_rate_limit_headers(headers: dict[str, str], wait: float) -> None:
    session = _session("http://127.0.0.1:1", Pacing(), [])
    assert session._next_wait(headers) == wait
    session.close()


def test_reset_is_read_as_unix_seconds_only() -> None:
    assert reset_in(int(NOW) + 10, NOW) == 10
    assert reset_in(int(NOW) * 1000, NOW) is None
    assert reset_in(30, NOW) is None


def test_a_real_rate_limit_is_respected_without_a_single_429(run_verify: Run) -> None:
    with faithful(Settings(seed=1, rate_limit=6, rate_window_seconds=1)) as vendor:
        status, report = run_verify(vendor.api_url)
    assert status == 0
    assert verdicts(report, "contradicted") == []
    assert report["rate_limited"] == 0
    assert report["sent_requests"] == report["planned_requests"]
    assert report["waited_seconds"] > 0


def test_max_requests_stops_sending(run_verify: Run) -> None:
    with recording_vendor() as vendor:
        status, report = run_verify(vendor.url, "--max-requests", "3", "--pace", "0")
        assert len(vendor.requests) == 3
    assert report["sent_requests"] == 3
    stopped = [item for item in report["items"] if "--max-requests 3 reached" in item["detail"]]
    assert len(stopped) >= 10
    assert all(item["verdict"] == "not probeable" for item in stopped)
    assert status == 1  # the three answers ({} to everything) contradict the spec


def test_the_budget_is_enforced_by_the_session_itself() -> None:
    with recording_vendor() as vendor:
        session = _session(vendor.url, Pacing(max_requests=1, no_header_interval=0), [])
        session.send("listCalls", {}, {}, None, True)
        with pytest.raises(BudgetSpent):
            session.send("listCalls", {}, {}, None, True)
        session.close()
        assert len(vendor.requests) == 1


def test_a_429_is_waited_out_once_by_its_retry_after() -> None:
    with faithful() as vendor:  # the mock's token talq_rate_limited: its window is always spent
        waits: list[float] = []
        session = Session(
            vendor.api_url, "talq_rate_limited", Guard.from_document(DOCUMENT), operation_paths(DOCUMENT),
            Pacing(max_wait_seconds=3), waits.append,
        )  # fmt: skip
        exchange = session.send("listCalls", {}, {}, None, True)
        session.close()
    assert exchange.status == 429
    assert session.sent == 2
    assert session.too_many == 1
    assert waits
    assert waits[0] <= 3
