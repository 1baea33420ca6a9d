"""Short versions of `make soak` and `make fuzz`, and proof that their answer check can fail."""

from __future__ import annotations

import asyncio

import orjson
import pytest

from mock_server.spec.compiled import load_spec
from mock_server.spec.document import DEFAULT_SPEC
from tools import fuzz, soak
from tools.spec_responses import AnswerChecker

CALL = "/api/v1/agents/agent_1/call"
HEADERS = {
    "content-type": "application/json",
    "x-ratelimit-limit": "100",
    "x-ratelimit-remaining": "9",
    "x-ratelimit-reset": "1705314660",
}
OK_BODY = orjson.dumps(
    {
        "success": True,
        "data": {
            "id": "call_1",
            "agent_id": "agent_1",
            "to": "+1234567890",
            "status": "initiated",
            "created_at": "2024-01-15T10:30:00Z",
        },
    }
)


def test_the_answer_check_catches_what_breaks_the_spec() -> None:
    checker = AnswerChecker(load_spec(DEFAULT_SPEC))
    assert checker.problems(CALL, "POST", 200, HEADERS, OK_BODY) == []
    assert checker.problems(CALL, "POST", 500, HEADERS, OK_BODY) == ["status 500"]
    assert checker.problems(CALL, "POST", 418, HEADERS, OK_BODY) == [
        "status 418 is not documented for makeCall"
    ]
    no_remaining = {k: v for k, v in HEADERS.items() if k != "x-ratelimit-remaining"}
    assert checker.problems(CALL, "POST", 200, no_remaining, OK_BODY) == [
        "missing header X-RateLimit-Remaining"
    ]
    wrong_code = orjson.dumps({"success": False, "error": {"code": "OOPS", "message": "x"}})
    assert checker.problems(CALL, "POST", 404, HEADERS, wrong_code)[0].startswith("body:")
    other_status = orjson.dumps({"success": False, "error": {"code": "INVALID_TOKEN", "message": "x"}})
    assert checker.problems(CALL, "POST", 404, HEADERS, other_status) == [
        "error code 'INVALID_TOKEN' is not one 404 can carry ['AGENT_NOT_FOUND']"
    ]


@pytest.mark.slow  # a fuzz run
def test_short_fuzz_run_finds_nothing() -> None:
    report = asyncio.run(fuzz.fuzz(inputs=3000, seed=7))
    assert report.failures == []
    assert report.inputs == 3000
    assert {200, 400, 401, 404, 405, 422}.issubset(report.statuses)


@pytest.mark.slow  # a soak run over HTTP
def test_short_soak_run_passes() -> None:
    tally, figures = soak.soak(seconds=4, concurrency=16, seed=3)
    assert soak.verdict(tally, figures) == []
    assert tally.requests > 1000
    assert {200, 400, 401, 429}.issubset(tally.statuses)
