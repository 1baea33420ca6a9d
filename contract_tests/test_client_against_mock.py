"""The generated client against the live mock, end to end over real HTTP (sync and async).

One case per row of the mock's scenario table (mock_server/scenarios.py) and per `Prefer` rule; each
runs with the client pointed at the vendor's base URL (`.../api/v1`) and at Prism's root, in both the
sync and the async API. Every answer the spec defines is also checked with the spec oracle: status,
body schema, error code for its status, and the X-RateLimit-* headers as integers.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from talq_client import AuthenticatedClient, Client, errors
from talq_client.api.calls import make_call
from talq_client.models import CallStatus, ErrorCode, ErrorResponse, MakeCallRequest, MakeCallResponse
from talq_client.types import Response

from contract_tests.oracle import MAKE_CALL, contract
from mock_server.settings import Settings
from mock_server.testing import LiveMock, serve

RATE_LIMIT = 10_000
VALID = {"to": "+1234567890", "is_testing": True}


@dataclass(frozen=True)
class Row:
    """One request through the generated client, and what the mock must answer."""

    name: str
    status: int
    code: str | None = None  # ErrorCode of an error envelope; None for a call or a non-spec answer
    token: str | None = "talq_e2e"  # None: a client without Authorization
    agent_id: str = "agent_123456"
    body: dict[str, Any] = field(default_factory=lambda: dict(VALID))
    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    drop_to: bool = False  # the client cannot leave out `to`; the transport removes it on the way


ROWS = (
    Row("valid call", 200, body={**VALID, "payload": {"n": "Ada"}, "context": {"c": 7}, "delay_seconds": 5}),
    Row("no token", 401, "INVALID_TOKEN", token=None),
    Row("garbage token", 401, "INVALID_TOKEN", token="not a token"),
    Row("revoked token", 401, "INVALID_TOKEN", token="talq_revoked"),
    Row("missing to", 400, "MISSING_PHONE_NUMBER", drop_to=True),
    Row("invalid to", 400, "INVALID_PHONE_NUMBER", body={"to": "0123"}),
    Row("other invalid field", 400, "VALIDATION_ERROR", body={**VALID, "delay_seconds": 3601}),
    Row("agent missing", 404, "AGENT_NOT_FOUND", agent_id="agent_missing"),
    Row("agent draft", 400, "AGENT_INACTIVE", agent_id="agent_draft"),
    Row("no credits", 402, "INSUFFICIENT_CREDITS", token="talq_no_credits", body={"to": "+1234567890"}),
    Row("no credits, test call is free", 200, token="talq_no_credits"),
    Row("rate limited", 429, "RATE_LIMIT_EXCEEDED", token="talq_rate_limited"),
    Row("Prefer code", 402, "INSUFFICIENT_CREDITS", headers={"Prefer": "code=402"}),
    Row("Prefer code+example", 400, "AGENT_INACTIVE", headers={"Prefer": "code=400, example=agent_inactive"}),
    Row("Prefer example", 200, headers={"Prefer": "example=call_initiated"}),
    Row("Prefer dynamic", 200, headers={"Prefer": "dynamic=true"}),
    Row("Prefer on invalid request keeps its status", 400, "INVALID_PHONE_NUMBER", body={"to": "x"},
        headers={"Prefer": "code=200"}),
    Row("__code query", 404, "AGENT_NOT_FOUND", params={"__code": "404"}),
    Row("malformed Prefer", 422, headers={"Prefer": "code=abc"}),
)  # fmt: skip
MODES = ("sync", "async")
BASES = ("api", "root")


@pytest.fixture(scope="module")
def live() -> Iterator[LiveMock]:
    with serve(Settings(rate_limit=RATE_LIMIT, seed=7)) as mock:
        yield mock


class _DropTo:
    @staticmethod
    def rewrite(request: httpx.Request) -> httpx.Request:
        body = json.loads(request.content)
        body.pop("to", None)
        headers = {name: value for name, value in request.headers.items() if name.lower() != "content-length"}
        return httpx.Request(request.method, request.url, headers=headers, json=body)


class DropToTransport(httpx.HTTPTransport, _DropTo):
    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return super().handle_request(self.rewrite(request))


class AsyncDropToTransport(httpx.AsyncHTTPTransport, _DropTo):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await super().handle_async_request(self.rewrite(request))


def make_client(row: Row, base_url: str, mode: str) -> Client | AuthenticatedClient:
    args: dict[str, Any] = {"params": row.params} if row.params else {}
    if row.drop_to:
        args["transport"] = DropToTransport() if mode == "sync" else AsyncDropToTransport()
    if row.token is None:
        return Client(base_url=base_url, headers=row.headers, httpx_args=args, max_retries=0)
    return AuthenticatedClient(
        base_url=base_url, token=row.token, headers=row.headers, httpx_args=args, max_retries=0
    )


async def send(row: Row, base_url: str, mode: str) -> Response[ErrorResponse | MakeCallResponse]:
    client = make_client(row, base_url, mode)
    body = MakeCallRequest.from_dict(row.body)
    if mode == "sync":
        with client:
            return make_call.sync_detailed(row.agent_id, client=client, body=body)
    async with client:
        return await make_call.asyncio_detailed(row.agent_id, client=client, body=body)


def assert_rate_limit_headers(response: Response[Any], limit: int) -> dict[str, int]:
    values = {
        name: int(response.headers[name])
        for name in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
    }
    assert values["X-RateLimit-Limit"] == limit
    assert 0 <= values["X-RateLimit-Remaining"] <= limit
    assert values["X-RateLimit-Reset"] >= int(time.time()) - 1  # epoch seconds, not a delay
    return values


@pytest.mark.anyio
@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
async def test_scenario_row(row: Row, mode: str, base: str, live: LiveMock) -> None:
    base_url = live.api_url if base == "api" else live.url
    response = await send(row, base_url, mode)
    assert response.status_code == row.status, response.content
    parsed = response.parsed
    if row.status not in contract(MAKE_CALL).responses:
        assert parsed is None  # undocumented for Make a Call: the client does not parse it
        assert response.headers["content-type"] == "application/problem+json"
        return
    assert contract(MAKE_CALL).problems(row.status, response.headers, json.loads(response.content)) == []
    assert_rate_limit_headers(response, RATE_LIMIT)
    if row.status == 200:
        assert isinstance(parsed, MakeCallResponse)
        call = parsed.data
        assert isinstance(call.status, CallStatus)
        assert call.created_at.tzinfo is not None
        if not row.headers:  # a real call reflects the request; forced examples are verbatim (Prism)
            assert call.to == row.body["to"]
            assert call.agent_id == row.agent_id
            assert call.status is CallStatus.INITIATED
            assert call.id.startswith("call_")
    else:
        assert isinstance(parsed, ErrorResponse)
        assert parsed.success is False
        assert row.code is not None
        assert parsed.error.code is ErrorCode(row.code)
        assert parsed.error.message
    if row.status == 429:
        assert int(response.headers["Retry-After"]) >= 0


@pytest.mark.anyio
@pytest.mark.parametrize("mode", MODES)
async def test_over_the_rate_limit_is_429_with_retry_after(mode: str) -> None:
    """A real window: the third request of a 2-a-minute token is refused until the window resets."""
    row = Row("over the limit", 429, "RATE_LIMIT_EXCEEDED")
    with serve(Settings(rate_limit=2, seed=7)) as mock:
        answers = [await send(row, mock.api_url, mode) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert [int(answer.headers["X-RateLimit-Remaining"]) for answer in answers] == [1, 0, 0]
    refused = answers[-1]
    assert isinstance(refused.parsed, ErrorResponse)
    assert refused.parsed.error.code is ErrorCode.RATE_LIMIT_EXCEEDED
    retry_after = int(refused.headers["Retry-After"])
    assert 0 < retry_after <= 60
    assert contract(MAKE_CALL).problems(429, refused.headers, json.loads(refused.content)) == []


@pytest.mark.anyio
@pytest.mark.parametrize("mode", MODES)
async def test_an_undefined_prefer_code_is_a_problem_the_client_reports(mode: str, live: LiveMock) -> None:
    """Prism's rule: `Prefer: code=N` for an N the spec lacks is 404 problem+json. 404 is a documented
    status of Make a Call, but this body is not its envelope: `sync_detailed` gives `parsed=None` (never a
    parser's KeyError) and the `*_or_raise` functions raise errors.UnexpectedResponseError with the body."""
    row = Row("undefined code", 404, headers={"Prefer": "code=599"})
    answer = await send(row, live.api_url, mode)
    assert answer.status_code == 404
    assert answer.parsed is None
    problem = errors.error_from_response(answer)
    assert type(problem) is errors.UnexpectedResponseError
    assert (problem.status, problem.code) == (404, None)
    assert isinstance(problem.body, dict)
    assert "599" in problem.body["detail"]
    assert problem.response is not None
    assert problem.response.headers["content-type"] == "application/problem+json"
    raw = httpx.post(
        live.api_url + "/agents/agent_123456/call",
        json=VALID,
        headers={"Authorization": "Bearer talq_e2e", "Prefer": "code=599"},
    )
    assert raw.status_code == 404
    assert raw.headers["content-type"] == "application/problem+json"
    assert "599" in raw.json()["detail"]


@pytest.mark.parametrize("value", ["\x7f", ["\x7f"], "\u00e9\x7f\x01"])
def test_control_characters_in_the_body_are_answered_over_http(value: Any, live: LiveMock) -> None:
    """Found by schemathesis over HTTP: a DEL in `to` went raw into the sl-violations header, uvicorn
    refused the answer and closed the connection. The answer is a 400 whose header is JSON again."""
    answer = httpx.post(
        live.api_url + "/agents/agent_123456/call",
        json={"to": value, "payload": []},
        headers={"Authorization": "Bearer talq_e2e"},
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "INVALID_PHONE_NUMBER"
    assert json.loads(answer.headers["sl-violations"])
