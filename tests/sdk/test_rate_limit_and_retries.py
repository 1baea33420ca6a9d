"""Rate limit as typed values on every answer and error; retries that honour Retry-After (no sleeping)."""

from __future__ import annotations

import datetime
import json
import logging
import time
from typing import Any

import httpx
import pytest
from talq_client import AuthenticatedClient, MakeCallRequest, RateLimit, errors
from talq_client.api.agents import get_agent
from talq_client.api.calls import end_call, list_calls, make_call
from talq_client.api.webhooks import create_webhook
from talq_client.models import CreateWebhookRequest, EndCallRequest, KnownWebhookEventName
from talq_client.retries import backoff

from mock_server.settings import Settings
from mock_server.testing import LiveMock, free_port, serve
from tests.sdk.conftest import DROP, advance, journal, scripted

CALL = MakeCallRequest(to="+1234567890", is_testing=True)
AGENT_JSON = json.dumps(
    {
        "success": True,
        "data": {
            "id": "agent_123456",
            "name": "n",
            "label": "l",
            "description": "d",
            "language": "en-US",
            "current_status": "published",
            "direction": "outbound",
            "is_sandbox": False,
            "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-01T00:00:00Z",
        },
    }
).encode()
JSON = {"content-type": "application/json"}


class Sleeps(list[float]):
    """An injected `sleep`: records the waits instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def test_rate_limit_headers_as_typed_values() -> None:
    limit = RateLimit.from_headers(
        httpx.Headers(
            {
                "x-ratelimit-limit": "100",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": "1705314660",
                "Retry-After": "42",
            }
        )
    )
    assert limit == RateLimit(
        limit=100,
        remaining=0,
        reset=datetime.datetime(2024, 1, 15, 10, 31, tzinfo=datetime.UTC),
        retry_after=42,
    )
    assert limit.seconds_until_reset(now=1705314600) == 60
    assert RateLimit.from_headers({}) == RateLimit(None, None, None, None)
    garbage = {
        "X-RateLimit-Limit": "-1",
        "X-RateLimit-Remaining": "x",
        "X-RateLimit-Reset": "9" * 30,
        "Retry-After": "soon",
    }
    assert RateLimit.from_headers(garbage) == RateLimit(None, None, None, None)
    http_date = RateLimit.from_headers({"Retry-After": "Mon, 15 Jan 2024 10:31:00 GMT"}, now=1705314600)
    assert http_date.retry_after == 60


def test_every_answer_and_error_carries_the_rate_limit(mock: LiveMock) -> None:
    client = AuthenticatedClient(base_url=mock.api_url, token="talq_demo", max_retries=0)
    assert client.rate_limit == RateLimit()
    detailed = make_call.sync_detailed("agent_123456", client=client, body=CALL)
    assert detailed.rate_limit.limit == 100
    assert detailed.rate_limit.remaining == 99
    assert detailed.rate_limit.reset is not None
    assert detailed.rate_limit.reset.tzinfo is datetime.UTC
    assert detailed.rate_limit.retry_after is None
    assert client.rate_limit == detailed.rate_limit
    make_call.sync_or_raise("agent_123456", client=client, body=CALL)
    assert client.rate_limit.remaining == 98
    with pytest.raises(errors.AgentNotFoundError) as raised:
        get_agent.sync_or_raise("agent_missing", client=client)
    assert raised.value.rate_limit.remaining == 97
    assert client.rate_limit.remaining == 97


def test_429_waits_retry_after_then_succeeds(caplog: pytest.LogCaptureFixture) -> None:
    """A real window of 2 requests on a frozen clock: the injected sleep moves the mock clock."""
    with serve(Settings(rate_limit=2, time_scale=0, seed=1)) as mock:
        sleeps = Sleeps()

        def sleep(seconds: float) -> None:
            sleeps(seconds)
            advance(mock, seconds)

        client = AuthenticatedClient(base_url=mock.api_url, token="talq_demo", sleep=sleep)
        for _ in range(2):
            make_call.sync_or_raise("agent_123456", client=client, body=CALL)
        with caplog.at_level(logging.INFO, logger="talq_client"):
            call = make_call.sync_or_raise("agent_123456", client=client, body=CALL)
        statuses = [entry["status"] for entry in journal(mock)]
    assert call.data.status.value == "initiated"
    assert sleeps == [60.0]  # the window is 60 s and the clock is frozen: Retry-After is 60
    assert statuses == [200, 200, 429, 200]
    assert client.rate_limit.remaining == 1
    [record] = caplog.records
    assert (
        "retrying POST /agents/agent_123456/call in 60.00 s (retry 1 of 2): status 429" in record.getMessage()
    )


def test_429_over_the_retries_raises_the_rate_limit_error(mock: LiveMock) -> None:
    sleeps = Sleeps()
    client = AuthenticatedClient(base_url=mock.api_url, token="talq_rate_limited", sleep=sleeps)
    with pytest.raises(errors.RateLimitExceededError) as raised:
        make_call.sync_or_raise("agent_123456", client=client, body=CALL)
    assert sleeps == [60.0, 60.0]  # default: 2 retries
    assert [entry["status"] for entry in journal(mock)] == [429, 429, 429]
    assert raised.value.rate_limit.retry_after == 60
    assert raised.value.rate_limit.remaining == 0


def test_a_wait_over_the_cap_raises_at_once(mock: LiveMock) -> None:
    sleeps = Sleeps()
    client = AuthenticatedClient(
        base_url=mock.api_url, token="talq_rate_limited", sleep=sleeps, max_retry_wait=10
    )
    with pytest.raises(errors.RateLimitExceededError):
        list_calls.sync_or_raise(client=client)
    assert sleeps == []
    assert len(journal(mock)) == 1


@pytest.mark.parametrize(
    ("client_retries", "call_retries", "sent"), [(0, None, 1), (5, None, 6), (5, 1, 2), (0, 3, 4)]
)
def test_retries_per_client_and_per_call(
    mock: LiveMock, client_retries: int, call_retries: int | None, sent: int
) -> None:
    sleeps = Sleeps()
    client = AuthenticatedClient(
        base_url=mock.api_url, token="talq_rate_limited", sleep=sleeps, max_retries=client_retries
    )
    answer = get_agent.sync_detailed("agent_123456", client=client, max_retries=call_retries)
    assert answer.status_code == 429
    assert len(journal(mock)) == sent
    assert len(sleeps) == sent - 1


def test_429_without_retry_after_waits_until_the_reset_when_nothing_remains() -> None:
    reset = int(time.time()) + 30
    headers = {**JSON, "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)}
    with scripted((429, headers, b"{}"), (200, JSON, AGENT_JSON)) as server:
        sleeps = Sleeps()
        client = AuthenticatedClient(base_url=server.url, token="talq_demo", sleep=sleeps)
        agent = get_agent.sync_or_raise("agent_123456", client=client)
    assert agent.data.id == "agent_123456"
    assert len(sleeps) == 1
    assert 27 <= sleeps[0] <= 30


def test_429_with_neither_backs_off() -> None:
    with scripted((429, {**JSON, "X-RateLimit-Remaining": "3"}, b"{}"), (200, JSON, AGENT_JSON)) as server:
        sleeps = Sleeps()
        client = AuthenticatedClient(base_url=server.url, token="talq_demo", sleep=sleeps)
        get_agent.sync_or_raise("agent_123456", client=client)
    assert len(sleeps) == 1
    assert 0.375 <= sleeps[0] <= 0.5


def test_backoff_is_exponential_with_jitter_and_capped() -> None:
    for attempt, nominal in enumerate([0.5, 1, 2, 4, 8, 8, 8]):
        waits = {backoff(attempt, 0.5, 8.0) for _ in range(50)}
        assert all(nominal * 0.75 <= wait <= nominal for wait in waits)
        assert len(waits) > 1  # jittered


@pytest.mark.parametrize("status", [408, 502, 503, 504])
def test_a_gateway_error_is_retried_for_a_get_only(status: int) -> None:
    with scripted((status, JSON, b"{}"), (200, JSON, AGENT_JSON)) as server:
        sleeps = Sleeps()
        client = AuthenticatedClient(base_url=server.url, token="talq_demo", sleep=sleeps)
        assert get_agent.sync_or_raise("agent_123456", client=client).data.id == "agent_123456"
        seen_get = list(server.seen)
    assert seen_get == ["GET /api/v1/agents/agent_123456"] * 2
    assert len(sleeps) == 1
    for send in _non_idempotent_calls():
        with scripted((status, JSON, b"{}"), (200, JSON, b"{}")) as server:
            sleeps = Sleeps()
            client = AuthenticatedClient(base_url=server.url, token="talq_demo", sleep=sleeps)
            with pytest.raises(errors.UnexpectedResponseError):
                send(client)
            assert len(server.seen) == 1, server.seen
            assert sleeps == []


def _non_idempotent_calls() -> list[Any]:
    webhook = CreateWebhookRequest(
        name="n", webhook_url="http://127.0.0.1:1/x", events=[KnownWebhookEventName.EVENT_PHONE_CALL_ENDED]
    )
    return [
        lambda client: make_call.sync_or_raise("agent_123456", client=client, body=CALL),
        lambda client: end_call.sync_or_raise(
            "agent_123456", client=client, body=EndCallRequest(call_sid="c")
        ),
        lambda client: create_webhook.sync_or_raise("agent_123456", client=client, body=webhook),
    ]


def test_a_connection_lost_after_sending_is_retried_for_a_get_only() -> None:
    with scripted(DROP, (200, JSON, AGENT_JSON)) as server:
        sleeps = Sleeps()
        client = AuthenticatedClient(base_url=server.url, token="talq_demo", sleep=sleeps)
        assert get_agent.sync_or_raise("agent_123456", client=client).data.id == "agent_123456"
        assert len(server.seen) == 2
    for send in _non_idempotent_calls():
        with scripted(DROP, (200, JSON, b"{}")) as server:
            sleeps = Sleeps()
            client = AuthenticatedClient(base_url=server.url, token="talq_demo", sleep=sleeps)
            with pytest.raises(httpx.RemoteProtocolError):
                send(client)
            assert len(server.seen) == 1  # Make a Call / End Call / Create webhook: never sent twice
            assert sleeps == []


def test_a_connection_never_made_is_retried_for_every_operation(caplog: pytest.LogCaptureFixture) -> None:
    sleeps = Sleeps()
    client = AuthenticatedClient(
        base_url=f"http://127.0.0.1:{free_port()}/api/v1", token="talq_demo", sleep=sleeps
    )
    with caplog.at_level(logging.INFO, logger="talq_client"), pytest.raises(httpx.ConnectError):
        make_call.sync_or_raise("agent_123456", client=client, body=CALL)
    assert len(sleeps) == 2
    assert len(caplog.records) == 2
    assert all("ConnectError" in record.getMessage() for record in caplog.records)


@pytest.mark.anyio
async def test_async_retries_use_async_sleep() -> None:
    with serve(Settings(rate_limit=1, time_scale=0, seed=1)) as mock:
        waits: list[float] = []

        async def async_sleep(seconds: float) -> None:
            waits.append(seconds)
            advance(mock, seconds)

        async with AuthenticatedClient(
            base_url=mock.api_url, token="talq_demo", async_sleep=async_sleep
        ) as client:
            await make_call.asyncio_or_raise("agent_123456", client=client, body=CALL)
            second = await make_call.asyncio_or_raise("agent_123456", client=client, body=CALL)
            assert second.data.status.value == "initiated"
        assert waits == [60.0]
        assert [entry["status"] for entry in journal(mock)] == [200, 429, 200]


@pytest.mark.anyio
async def test_async_never_resends_a_call_after_an_ambiguous_failure() -> None:
    with scripted(DROP, (200, JSON, b"{}")) as server:
        waits: list[float] = []

        async def async_sleep(seconds: float) -> None:
            waits.append(seconds)

        client = AuthenticatedClient(base_url=server.url, token="talq_demo", async_sleep=async_sleep)
        with pytest.raises(httpx.RemoteProtocolError):
            await make_call.asyncio_or_raise("agent_123456", client=client, body=CALL)
        assert len(server.seen) == 1
        assert waits == []
