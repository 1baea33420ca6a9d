"""`make contract URL=... TOKEN=...` against a rate-limited mock: it paces itself, leaves no live webhook."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import httpx
import pytest

from contract_tests.run_contract import main, pace, rate_option, window_length
from mock_server.settings import Settings
from mock_server.testing import free_port, serve
from test_support.processes import mock_command, running


@pytest.mark.parametrize(
    ("budget", "window", "rate"),
    [
        (99, 60, "99/m"),
        (99, 2, "49/s"),
        (99, 30, "3/s"),
        (99, 3600, "99/h"),
        (1, 90, "1/h"),
        (999_999, 60, "999999/m"),
    ],
)
def test_the_rate_option_never_exceeds_the_budget_in_a_window(budget: int, window: float, rate: str) -> None:
    assert rate_option(budget, window) == rate


@pytest.mark.parametrize(
    ("seconds", "window"), [(60.4, 60), (59.9, 60), (61.9, 60), (120.5, 120), (2.3, 3), (0.2, 1)]
)
def test_the_window_length_from_a_fresh_windows_reset(seconds: float, window: float) -> None:
    assert window_length(seconds) == window


def test_pace_reads_the_limit_and_the_window_from_the_target() -> None:
    with serve(Settings(rate_limit=100)) as mock:
        assert pace(mock.api_url, "talq_demo") == "99/m"


def test_pace_waits_for_a_fresh_window_when_this_one_is_in_use() -> None:
    waits: list[float] = []
    with serve(Settings(rate_limit=10, rate_window_seconds=1)) as mock:
        for _ in range(3):
            httpx.get(mock.api_url + "/calls", headers={"Authorization": "Bearer talq_demo"})
        rate = pace(mock.api_url, "talq_demo", sleep=waits.append)
    assert len(waits) == 1
    assert 0 < waits[0] <= 2.5
    assert rate is not None
    assert rate.endswith("/s")


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_a_run_against_a_mock_with_the_default_rate_limit_passes(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # The default limit (100 requests a window); a 2 s window so that the ~900 requests take ~20 s, not 9 min.
    config = tmp_path / "mock.yaml"
    config.write_text("rate_window_seconds: 2\njournal_size: 5000\n", encoding="utf-8")
    with running(mock_command(port, "--config", str(config)), base + "/_mock/health"):
        assert main(["--url", base + "/api/v1", "--token", "talq_demo"], environ={}) == 0
        journal = httpx.get(base + "/_mock/requests").json()["requests"]
        assert len(journal) > 500
        assert [entry for entry in journal if entry["status"] == 429] == []  # paced: never over the limit
        created = Counter(
            entry["path"].rsplit("/", 1)[0]
            for entry in journal
            if entry["method"] == "POST"
            and re.fullmatch(r"/api/v1/agents/[A-Za-z0-9_.~-]+/webhooks", entry["path"])
            and entry["status"] == 201
        )
        # Delete Webhook is in the contract: the stateful phase deletes some of the webhooks it made.
        deleted = Counter(
            entry["path"].rsplit("/", 2)[0]
            for entry in journal
            if entry["method"] == "DELETE"
            and re.fullmatch(r"/api/v1/agents/[A-Za-z0-9_.~-]+/webhooks/[^/]+", entry["path"])
            and entry["status"] == 200
        )
        assert created  # the run did register webhooks...
        for agent, count in created.items():
            listed = httpx.get(f"{base}{agent}/webhooks", headers={"Authorization": "Bearer talq_checker"})
            hooks = listed.json()["data"]["webhooks"]
            assert len(hooks) == count - deleted[agent]  # every one the run made and did not delete...
            # ...disabled, even those the run updated or toggled (contract_tests/checks.py)
            assert [(hook["enabled"], hook["status"]) for hook in hooks] == [(False, "disabled")] * len(hooks)
        # Test Webhook sends its one test payload at once, whatever `enabled` says: those are the only
        # deliveries of the run...
        during_run = httpx.get(base + "/_mock/webhook-deliveries").json()["deliveries"]
        assert during_run  # (the run did test webhooks)
        assert {(delivery["event"], delivery["call_id"]) for delivery in during_run} == {
            ("webhook.test", None)
        }
        httpx.post(base + "/_mock/clock/advance", json={"seconds": 3600})  # every call of the run ends
        # ...and no call's event is delivered afterwards
        assert httpx.get(base + "/_mock/webhook-deliveries").json()["deliveries"] == during_run
