"""Property: for any body of any documented response of any operation, the client parses it or raises one
of the SDK's own errors (`errors.TalqError`), never a parser's KeyError / ValueError / TypeError. The spec's
examples of each answer are checked in the fast set; the generated bodies are a slow (property) run."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from talq_client import AuthenticatedClient, MakeCallRequest, errors
from talq_client.api.agents import get_agent, publish_agent, unpublish_agent
from talq_client.api.calls import end_call, get_active_call, list_agent_calls, list_calls, make_call
from talq_client.api.campaigns import get_campaign, list_campaigns, make_campaign_call
from talq_client.api.webhooks import (
    create_webhook,
    delete_webhook,
    get_webhook,
    list_webhook_logs,
    list_webhooks,
    test_webhook,
    toggle_webhook,
    update_webhook,
)
from talq_client.models import (
    CreateWebhookRequest,
    EndCallRequest,
    KnownWebhookEventName,
    MakeCampaignCallRequest,
    UpdateWebhookRequest,
)

from contract_tests.oracle import contract, operation_ids
from contract_tests.strategies import JSON_VALUES, from_schema

WEBHOOK = CreateWebhookRequest(
    name="n", webhook_url="http://127.0.0.1:1/x", events=[KnownWebhookEventName.EVENT_PHONE_CALL_ENDED]
)
# operationId -> (sync_or_raise with its arguments, sync_detailed with its arguments)
Call = Callable[[AuthenticatedClient], Any]
OPERATIONS: dict[str, tuple[Call, Call]] = {
    "makeCall": (
        lambda c: make_call.sync_or_raise("a", client=c, body=MakeCallRequest(to="+1234567890")),
        lambda c: make_call.sync_detailed("a", client=c, body=MakeCallRequest(to="+1234567890")),
    ),
    "listCalls": (lambda c: list_calls.sync_or_raise(client=c), lambda c: list_calls.sync_detailed(client=c)),
    "getAgent": (
        lambda c: get_agent.sync_or_raise("a", client=c),
        lambda c: get_agent.sync_detailed("a", client=c),
    ),
    "listAgentCalls": (
        lambda c: list_agent_calls.sync_or_raise("a", client=c),
        lambda c: list_agent_calls.sync_detailed("a", client=c),
    ),
    "endCall": (
        lambda c: end_call.sync_or_raise("a", client=c, body=EndCallRequest(call_sid="c")),
        lambda c: end_call.sync_detailed("a", client=c, body=EndCallRequest(call_sid="c")),
    ),
    "createWebhook": (
        lambda c: create_webhook.sync_or_raise("a", client=c, body=WEBHOOK),
        lambda c: create_webhook.sync_detailed("a", client=c, body=WEBHOOK),
    ),
    "listWebhooks": (
        lambda c: list_webhooks.sync_or_raise("a", client=c),
        lambda c: list_webhooks.sync_detailed("a", client=c),
    ),
    "getWebhook": (
        lambda c: get_webhook.sync_or_raise("a", "w", client=c),
        lambda c: get_webhook.sync_detailed("a", "w", client=c),
    ),
    "getActiveCall": (
        lambda c: get_active_call.sync_or_raise("a", "+15551234567", client=c),
        lambda c: get_active_call.sync_detailed("a", "+15551234567", client=c),
    ),
    "updateWebhook": (
        lambda c: update_webhook.sync_or_raise("a", "w", client=c, body=UpdateWebhookRequest(name="n")),
        lambda c: update_webhook.sync_detailed("a", "w", client=c, body=UpdateWebhookRequest(name="n")),
    ),
    "deleteWebhook": (
        lambda c: delete_webhook.sync_or_raise("a", "w", client=c),
        lambda c: delete_webhook.sync_detailed("a", "w", client=c),
    ),
    "toggleWebhook": (
        lambda c: toggle_webhook.sync_or_raise("a", "w", client=c),
        lambda c: toggle_webhook.sync_detailed("a", "w", client=c),
    ),
    "testWebhook": (
        lambda c: test_webhook.sync_or_raise("a", "w", client=c),
        lambda c: test_webhook.sync_detailed("a", "w", client=c),
    ),
    "listWebhookLogs": (
        lambda c: list_webhook_logs.sync_or_raise("a", "w", client=c),
        lambda c: list_webhook_logs.sync_detailed("a", "w", client=c),
    ),
    "listCampaigns": (
        lambda c: list_campaigns.sync_or_raise(client=c),
        lambda c: list_campaigns.sync_detailed(client=c),
    ),
    "getCampaign": (
        lambda c: get_campaign.sync_or_raise("k", client=c),
        lambda c: get_campaign.sync_detailed("k", client=c),
    ),
    "makeCampaignCall": (
        lambda c: make_campaign_call.sync_or_raise(
            "k", client=c, body=MakeCampaignCallRequest(to="+1234567890")
        ),
        lambda c: make_campaign_call.sync_detailed(
            "k", client=c, body=MakeCampaignCallRequest(to="+1234567890")
        ),
    ),
    "publishAgent": (
        lambda c: publish_agent.sync_or_raise("a", client=c),
        lambda c: publish_agent.sync_detailed("a", client=c),
    ),
    "unpublishAgent": (
        lambda c: unpublish_agent.sync_or_raise("a", client=c),
        lambda c: unpublish_agent.sync_detailed("a", client=c),
    ),
}
CASES = [
    (operation, status) for operation in operation_ids() for status in sorted(contract(operation).responses)
]
HEADERS = {"X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1705314660"}
EXAMPLES = settings(
    max_examples=40, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck)
)


def _client(status: int, content: bytes) -> AuthenticatedClient:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            status, content=content, headers={**HEADERS, "content-type": "application/json"}
        )

    client = AuthenticatedClient(base_url="http://talq.test/api/v1", token="talq_t", max_retries=0)
    client.set_httpx_client(
        httpx.Client(base_url="http://talq.test/api/v1", transport=httpx.MockTransport(answer))
    )
    return client


def test_every_operation_of_the_spec_is_covered() -> None:
    assert set(OPERATIONS) == set(operation_ids())


def _outcome(call: Call, client: AuthenticatedClient) -> Any:
    """What the call returned, or the SDK error it raised (anything else propagates and fails the test)."""
    try:
        return call(client)
    except errors.TalqError as error:
        return error


def _check(operation: str, status: int, content: bytes, documented: bool) -> None:
    or_raise, detailed = OPERATIONS[operation]
    client = _client(status, content)
    response = detailed(client)  # never raises on a body
    assert response.status_code == status
    outcome = _outcome(or_raise, client)
    if not isinstance(outcome, errors.TalqError):
        assert 200 <= status < 300
        assert type(outcome) is type(response.parsed)
        return
    assert outcome.status == status
    assert outcome.rate_limit.limit == 100
    assert not (documented and status < 300), f"a documented {status} body was refused: {content!r}"
    if documented:  # the envelope's `error.code`, or the top-level `code` of {success, message, code}
        body = json.loads(content)
        code = body["error"]["code"] if "error" in body else body.get("code")
        by_status = errors.ERRORS_BY_STATUS[status]
        by_code = errors.ERRORS_BY_CODE.get(code) if code is not None else None
        assert type(outcome) is (by_code if by_code and issubclass(by_code, by_status) else by_status)
        assert outcome.code == code
        assert outcome.message == (body["error"]["message"] if "error" in body else body["message"])


PER_CASE = pytest.mark.parametrize(
    ("operation", "status"), CASES, ids=[f"{op}-{status}" for op, status in CASES]
)


@PER_CASE
def test_every_example_of_the_spec_parses_or_raises_its_sdk_error(operation: str, status: int) -> None:
    """The spec's own examples of each answer: the quick check (the property below runs with `make test`)."""
    examples = contract(operation).responses[status].examples
    assert examples
    for body in examples.values():
        _check(operation, status, json.dumps(body).encode(), documented=True)


@pytest.mark.slow  # a property run: 120 generated, random and raw bodies for each answer (~10 s in all)
@PER_CASE
def test_any_documented_body_parses_or_raises_an_sdk_error(operation: str, status: int) -> None:
    @EXAMPLES
    @given(body=from_schema(contract(operation).responses[status].schema))
    def documented(body: Any) -> None:
        _check(operation, status, json.dumps(body).encode(), documented=True)

    @EXAMPLES
    @given(body=JSON_VALUES | st.binary(max_size=20).map(lambda raw: raw.decode("latin-1")))
    def anything(body: Any) -> None:
        _check(operation, status, json.dumps(body).encode(), documented=False)

    @EXAMPLES
    @given(content=st.binary(max_size=40))
    def raw(content: bytes) -> None:
        _check(operation, status, content, documented=False)

    documented()
    anything()
    raw()
