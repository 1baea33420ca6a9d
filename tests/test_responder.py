"""Forced answers (Prefer code / example / dynamic) are coherent, over many generated bodies:
the code of an error is one its status can carry, Retry-After agrees with the body, pages add up."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest

from mock_server.negotiation.select import Forced
from mock_server.responder import BodyGenerator, error_code, forced_answer
from mock_server.settings import Settings
from mock_server.spec.compiled import CompiledSpec, ResponseSpec, load_spec
from mock_server.spec.document import DEFAULT_SPEC, dereference
from mock_server.state.ratelimit import Quota
from mock_server.testing import LiveMock, serve

AUTH = {"Authorization": "Bearer talq_demo"}
DRAWS = 12  # generated bodies per (operation, status) over HTTP; the unit tests below draw many more
SEEDS = range(200)  # generators seeded each way, in process
# One valid request per operationId: only a valid request can be forced.
VALID: dict[str, tuple[str, str, dict[str, Any] | None]] = {
    "makeCall": ("POST", "/agents/agent_1/call", {"to": "+1234567890"}),
    "listCalls": ("GET", "/calls", None),
    "getAgent": ("GET", "/agents/agent_1", None),
    "listAgentCalls": ("GET", "/agents/agent_1/calls", None),
    "endCall": ("POST", "/agents/agent_1/end-call", {"call_sid": "call_1"}),
    "createWebhook": (
        "POST",
        "/agents/agent_1/webhooks",
        {"name": "n", "webhook_url": "http://127.0.0.1:9/x", "events": ["event_phone_call_started"]},
    ),
    "listWebhooks": ("GET", "/agents/agent_1/webhooks", None),
    "getWebhook": ("GET", "/agents/agent_1/webhooks/wh_1", None),
    "getActiveCall": ("GET", "/agents/agent_1/active-call/%2B15551234567", None),
    "publishAgent": ("POST", "/agents/agent_1/publish", None),
    "unpublishAgent": ("POST", "/agents/agent_1/unpublish", None),
    "updateWebhook": ("PUT", "/agents/agent_1/webhooks/wh_1", {"name": "n"}),
    "deleteWebhook": ("DELETE", "/agents/agent_1/webhooks/wh_1", None),
    "toggleWebhook": ("PATCH", "/agents/agent_1/webhooks/wh_1/toggle", None),
    "testWebhook": ("POST", "/agents/agent_1/webhooks/wh_1/test", None),
    "listWebhookLogs": ("GET", "/agents/agent_1/webhooks/wh_1/logs", None),
    "listCampaigns": ("GET", "/campaigns", None),
    "getCampaign": ("GET", "/campaigns/campaign_demo", None),
    "makeCampaignCall": ("POST", "/campaigns/campaign_demo/call", {"to": "+1234567890"}),
}


@pytest.fixture(scope="module")
def mock() -> Iterator[LiveMock]:
    with serve(Settings(seed=7, rate_limit=1_000_000)) as live:
        yield live


@pytest.fixture(scope="module")
def compiled() -> CompiledSpec:
    return load_spec(DEFAULT_SPEC)


QUOTA = Quota(admitted=True, limit=100, remaining=99, reset_epoch=2_000_000_000, retry_after=37)


def forced_bodies(response: ResponseSpec) -> Iterator[Any]:
    """The body `Prefer: code=<status>, dynamic=true` gives, once per seed."""
    for seed in SEEDS:
        answer = forced_answer(Forced(response, None, dynamic=True), QUOTA, BodyGenerator(seed))
        assert answer.status == response.status
        yield orjson.loads(answer.body)


def test_over_many_seeds_every_dynamic_error_carries_a_code_of_its_status(compiled: CompiledSpec) -> None:
    for operation in compiled.operations.values():
        for status, response in operation.responses.items():
            if status < 400:
                continue
            codes = {error_code(body) for body in forced_bodies(response)}
            assert codes == (set(response.error_codes) or {""}), (operation.operation_id, status)


def test_over_many_seeds_a_dynamic_429_has_the_headers_retry_after(compiled: CompiledSpec) -> None:
    response = compiled.operations["makeCall"].responses[429]
    for body in forced_bodies(response):
        assert body["error"]["details"]["retry_after"] == QUOTA.retry_after == 37
        assert body["error"]["details"]["limit"] == QUOTA.limit


def test_over_many_seeds_dynamic_pages_add_up(compiled: CompiledSpec) -> None:
    sizes = set()
    for operation_id in ("listCalls", "listAgentCalls"):
        for body in forced_bodies(compiled.operations[operation_id].responses[200]):
            check_page(body)
            sizes.add(len(body["data"]))
    assert sizes == {0, 1, 2, 3}  # empty and full pages were both drawn


def check_page(body: dict[str, Any]) -> None:
    page, items = body["pagination"], len(body["data"])
    assert 1 <= page["current_page"] <= page["last_page"]
    assert items <= page["per_page"] <= 100
    assert page["total"] >= items
    assert page["last_page"] == max(-(-page["total"] // page["per_page"]), 1)
    if items:
        assert page["from"] == (page["current_page"] - 1) * page["per_page"] + 1
        assert page["to"] == page["from"] + items - 1
    else:
        assert (page["from"], page["to"], page["total"]) == (None, None, 0)


def error_responses(spec: dict[str, Any]) -> list[tuple[str, int, frozenset[str]]]:
    """(operationId, status, the codes its x-talq-error-codes lists) of every error response (none for
    the vendor's bodies without a code: `{message}`, `{message, errors}`, `{success, message}`)."""
    found = []
    for item in spec["paths"].values():
        for operation in item.values():
            for status, response in operation["responses"].items():
                resolved = dereference(spec, response)
                if int(status) >= 400:
                    found.append(
                        (
                            operation["operationId"],
                            int(status),
                            frozenset(resolved.get("x-talq-error-codes", ())),
                        )
                    )
    return found


def test_every_operation_has_a_valid_request_here(spec: dict[str, Any]) -> None:
    assert {operation for operation, _, _ in error_responses(spec)} == set(VALID)


def test_a_dynamic_error_carries_a_code_its_status_can_have(spec: dict[str, Any], mock: LiveMock) -> None:
    seen: dict[tuple[str, int], set[str]] = {}
    with httpx.Client(base_url=mock.api_url, headers=AUTH) as client:
        for operation, status, codes in error_responses(spec):
            method, path, body = VALID[operation]
            for _ in range(DRAWS):
                prefer = {"Prefer": f"code={status}, dynamic=true"}
                response = client.request(method, path, json=body, headers=prefer)
                assert response.status_code == status, (operation, response.text)
                code = error_code(response.json())
                assert code in (codes or {""}), (operation, status, code)
                seen.setdefault((operation, status), set()).add(code)
    # the draws reach more than one code where a status has several
    assert seen[("makeCall", 400)] == {
        "INVALID_PHONE_NUMBER",
        "MISSING_PHONE_NUMBER",
        "AGENT_INACTIVE",
        "VALIDATION_ERROR",
    }


@pytest.mark.parametrize("dynamic", [False, True])
def test_a_forced_429_says_the_same_retry_after_in_header_and_body(mock: LiveMock, dynamic: bool) -> None:
    prefer = "code=429, dynamic=true" if dynamic else "code=429"
    with httpx.Client(base_url=mock.api_url, headers=AUTH) as client:
        for _ in range(DRAWS):
            response = client.post(
                "/agents/agent_1/call", json={"to": "+1234567890"}, headers={"Prefer": prefer}
            )
            assert response.status_code == 429
            details = response.json()["error"]["details"]
            assert details["retry_after"] == int(response.headers["Retry-After"])
            assert details["limit"] == int(response.headers["X-RateLimit-Limit"])
            assert response.json()["error"]["code"] == "RATE_LIMIT_EXCEEDED"


@pytest.mark.parametrize("path", ["/calls", "/agents/agent_1/calls"])
def test_a_dynamic_page_adds_up(mock: LiveMock, path: str) -> None:
    shapes = set()
    with httpx.Client(base_url=mock.api_url, headers=AUTH) as client:
        for _ in range(DRAWS * 4):
            response = client.get(path, headers={"Prefer": "dynamic=true"})
            assert response.status_code == 200
            check_page(response.json())
            shapes.add(len(response.json()["data"]))
    assert len(shapes) > 1  # both empty and non-empty pages were drawn
