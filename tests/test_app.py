"""The mock's behaviour across requests: state, strict mode, concurrency, the admin API."""

from __future__ import annotations

import asyncio

import httpx

from mock_server.settings import Settings
from mock_server.testing import LiveMock, serve

CALL = "/agents/agent_123456/call"
BODY = {"to": "+1234567890"}


def _auth(token: str = "talq_demo") -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _post(mock: LiveMock, token: str = "talq_demo", prefer: str | None = None) -> httpx.Response:
    headers = _auth(token) | ({"Prefer": prefer} if prefer else {})
    return httpx.post(mock.api_url + CALL, json=BODY, headers=headers, timeout=5)


def test_rate_limit_headers_tell_the_truth() -> None:
    with serve(Settings(rate_limit=3)) as mock:
        answers = [_post(mock) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [int(a.headers["X-RateLimit-Remaining"]) for a in answers] == [2, 1, 0, 0]
    assert {int(a.headers["X-RateLimit-Limit"]) for a in answers} == {3}
    resets = {int(a.headers["X-RateLimit-Reset"]) for a in answers}
    assert len(resets) == 1
    assert 0 < int(answers[-1].headers["Retry-After"]) <= 60


def test_a_forced_response_changes_no_state() -> None:
    settings = Settings(tokens={"talq_one": 1}, agents={"agent_123456": "published"})
    with serve(settings) as mock:
        forced = _post(mock, "talq_one", prefer="code=200")
        assert forced.status_code == 200
        assert forced.json()["data"]["id"] == "call_789012"  # the spec's example, verbatim
        assert mock.app.state.calls.all() == []
        real = _post(mock, "talq_one")
        assert real.status_code == 200
        assert real.json()["data"]["id"] != "call_789012"
        spent = _post(mock, "talq_one")
        assert (spent.status_code, spent.json()["error"]["code"]) == (402, "INSUFFICIENT_CREDITS")


def test_strict_mode_knows_only_the_configured_tokens_and_agents() -> None:
    settings = Settings(tokens={"talq_known": 5}, agents={"agent_live": "published", "agent_wip": "draft"})
    with serve(settings) as mock:

        def call(agent: str, token: str) -> tuple[int, str | None]:
            answer = httpx.post(
                f"{mock.api_url}/agents/{agent}/call", json=BODY, headers=_auth(token), timeout=5
            )
            return answer.status_code, answer.json().get("error", {}).get("code")

        assert call("agent_live", "talq_known") == (200, None)
        assert call("agent_live", "talq_other") == (401, "INVALID_TOKEN")
        assert call("agent_wip", "talq_known") == (400, "AGENT_INACTIVE")
        assert call("agent_123456", "talq_known") == (404, "AGENT_NOT_FOUND")


def test_concurrent_calls_spend_each_credit_exactly_once() -> None:
    credits, attempts = 7, 40
    settings = Settings(tokens={"talq_shared": credits}, rate_limit=1000)

    async def burst(mock: LiveMock) -> list[int]:
        async with httpx.AsyncClient(timeout=10) as client:
            answers = await asyncio.gather(
                *[
                    client.post(mock.api_url + CALL, json=BODY, headers=_auth("talq_shared"))
                    for _ in range(attempts)
                ]
            )
        return [answer.status_code for answer in answers]

    with serve(settings) as mock:
        statuses = asyncio.run(burst(mock))
        stored = len(mock.app.state.calls)
    assert statuses.count(200) == credits
    assert statuses.count(402) == attempts - credits
    assert stored == credits


def test_concurrent_requests_admit_exactly_the_rate_limit() -> None:
    limit, attempts = 10, 30

    async def burst(mock: LiveMock) -> list[int]:
        async with httpx.AsyncClient(timeout=10) as client:
            answers = await asyncio.gather(
                *[
                    client.post(mock.api_url + CALL, json=BODY | {"is_testing": True}, headers=_auth())
                    for _ in range(attempts)
                ]
            )
        return [answer.status_code for answer in answers]

    with serve(Settings(rate_limit=limit)) as mock:
        statuses = asyncio.run(burst(mock))
    assert statuses.count(200) == limit
    assert statuses.count(429) == attempts - limit


def test_call_ids_are_unique_and_reproducible_with_a_seed() -> None:
    def ids() -> list[str]:
        with serve(Settings(seed=42)) as mock:
            return [_post(mock).json()["data"]["id"] for _ in range(5)]

    first = ids()
    assert len(set(first)) == 5
    assert first == ids()


def test_admin_reset_forgets_calls_credits_and_windows() -> None:
    with serve(Settings(rate_limit=1, tokens={"talq_t": 1})) as mock:
        assert _post(mock, "talq_t").status_code == 200
        assert _post(mock, "talq_t").status_code == 429
        health = httpx.get(mock.url + "/_mock/health", timeout=5).json()
        assert health == {"status": "ok", "calls": 1}
        assert httpx.post(mock.url + "/_mock/reset", timeout=5).json() == {"status": "reset"}
        assert _post(mock, "talq_t").status_code == 200
        assert len(mock.app.state.calls) == 1


def test_a_page_beyond_64_bits_is_answered_not_a_500() -> None:
    """`page` has no maximum in the spec; its value is echoed as `current_page` (found by make contract)."""
    page = 474797351001582649475072  # > 2**64: orjson cannot encode it
    with serve(Settings()) as mock:
        answer = httpx.get(mock.api_url + "/calls", params={"page": page}, headers=_auth(), timeout=5)
    assert answer.status_code == 200, answer.text
    assert answer.json()["pagination"]["current_page"] == page
    assert answer.json()["data"] == []
