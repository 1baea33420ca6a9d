"""Issue 5 end to end: the generated client, the live mock (clock frozen, advanced by the admin API)
and a webhook receiver on 127.0.0.1. No test sleeps for a lifecycle; only bounded polling waits for
the asynchronous deliveries."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jsonschema
import pytest
from talq_client import AuthenticatedClient
from talq_client.api.agents import get_agent
from talq_client.api.calls import end_call, list_agent_calls, list_calls, make_call
from talq_client.api.webhooks import create_webhook, get_webhook, list_webhooks
from talq_client.models import (
    AgentCallListResponse,
    AgentResponse,
    CallListResponse,
    CallStatus,
    CreateWebhookRequest,
    EndCallRequest,
    EndCallResponse,
    ErrorCode,
    ErrorResponse,
    FailureMessage,
    KnownWebhookEventName,
    MakeCallRequest,
    MakeCallRequestContext,
    MakeCallResponse,
    ValidationFailure,
    WebhookCreatedResponse,
    WebhookListResponse,
    WebhookResponse,
    WebhookStatus,
)
from talq_client.types import UNSET

from mock_server.settings import Settings
from mock_server.spec.document import dereference
from mock_server.testing import LiveMock, serve
from mock_server.waiting import wait_until
from mock_server.webhooks.receiver import Receiver, receiving
from mock_server.webhooks.signing import verify_signature

AGENT = "agent_123456"
SECRET = "whsec_test"
CONTEXT = {"crm_id": "12345", "campaign": "winter_promo", "nested": {"tags": ["a", "b"], "n": 1.5}}
EVENTS: list[KnownWebhookEventName | str] = [
    KnownWebhookEventName.EVENT_PHONE_CALL_STARTED,
    KnownWebhookEventName.EVENT_PHONE_CALL_CONNECTED,
    KnownWebhookEventName.EVENT_PHONE_CALL_ENDED,
    KnownWebhookEventName.EVENT_PHONE_CALL_DID_NOT_CONNECT,
]
FAST = Settings(time_scale=0, webhook_backoff_seconds=0.01, webhook_poll_seconds=0.01, seed=7)


@pytest.fixture
def mock() -> Iterator[LiveMock]:
    with serve(FAST) as live:
        yield live


@pytest.fixture
def client(mock: LiveMock) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=mock.api_url, token="talq_demo")


@pytest.fixture
def event_validator(spec: dict[str, Any]) -> jsonschema.Draft202012Validator:
    schema = dereference(spec, spec["webhooks"]["callEvent"]["post"]["requestBody"])
    return jsonschema.Draft202012Validator(
        schema["content"]["application/json"]["schema"], format_checker=jsonschema.FormatChecker()
    )


def advance(mock: LiveMock, seconds: float) -> None:
    response = httpx.post(mock.url + "/_mock/clock/advance", json={"seconds": seconds})
    assert response.status_code == 200, response.text


def register(client: AuthenticatedClient, receiver: Receiver, max_retries: int = 3) -> str:
    body = CreateWebhookRequest(
        name="test", webhook_url=receiver.url, events=EVENTS, webhook_secret=SECRET, max_retries=max_retries
    )
    created = create_webhook.sync_detailed(AGENT, client=client, body=body)
    assert created.status_code == 201
    assert isinstance(created.parsed, WebhookCreatedResponse)
    assert created.parsed.message == "Webhook created successfully"
    assert created.parsed.data.events_count == len(EVENTS)
    assert created.parsed.data.status is WebhookStatus.ACTIVE
    assert "webhook_secret" not in created.content.decode()
    stored = json.loads(created.content)["data"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", stored["created_at"])  # as the pages
    return created.parsed.data.id


def place(client: AuthenticatedClient, to: str = "+1234567890", **extra: Any) -> str:
    body = MakeCallRequest(to=to, is_testing=True, **extra)
    placed = make_call.sync_detailed(AGENT, client=client, body=body)
    assert isinstance(placed.parsed, MakeCallResponse), placed.content
    assert placed.parsed.data.status is CallStatus.INITIATED
    return placed.parsed.data.id


def status_in_list(client: AuthenticatedClient, call_id: str) -> str:
    listed = list_calls.sync_detailed(client=client, search=call_id)
    assert isinstance(listed.parsed, CallListResponse), listed.content
    assert [item.id for item in listed.parsed.data] == [call_id]
    return listed.parsed.data[0].status.value


def events_of(received: list[Any]) -> list[dict[str, Any]]:
    return [json.loads(item.body) for item in received]


def test_a_call_lives_through_each_status_and_each_signed_event_carries_its_context(
    mock: LiveMock, client: AuthenticatedClient, event_validator: jsonschema.Draft202012Validator
) -> None:
    with receiving() as receiver:
        register(client, receiver)
        call_id = place(client, context=MakeCallRequestContext.from_dict(CONTEXT))
        seen = [status_in_list(client, call_id)]
        for seconds in (1, 2, 5):  # setup, ring, talk (the defaults)
            advance(mock, seconds)
            seen.append(status_in_list(client, call_id))
        assert seen == ["initiated", "ringing", "answered", "completed"]

        received = receiver.wait_for(3)
        events = events_of(received)
        assert [event["event"] for event in events] == [
            "event_phone_call_started",
            "event_phone_call_connected",
            "event_phone_call_ended",
        ]
        assert [event["call"]["status"] for event in events] == ["ringing", "answered", "completed"]
        for item, event in zip(received, events, strict=True):
            verify_signature(SECRET, item.headers.get("x-talq-signature"), item.body)
            assert list(event_validator.iter_errors(event)) == []
            assert event["call"]["id"] == call_id
            assert event["context"] == CONTEXT
        assert len({event["id"] for event in events}) == 3
        assert events[-1]["call"]["duration"] == 5
        assert events[-1]["call"]["ended_reason"] == "completed"


@pytest.mark.parametrize(
    ("number", "final", "last_event"),
    [
        ("+15005550001", "busy", "event_phone_call_did_not_connect"),
        ("+15005550002", "no-answer", "event_phone_call_did_not_connect"),
        ("+15005550003", "failed", "event_phone_call_did_not_connect"),
        ("+15005550004", "answered", "event_phone_call_connected"),
    ],
)
def test_each_magic_number_reaches_its_outcome(
    mock: LiveMock, client: AuthenticatedClient, number: str, final: str, last_event: str
) -> None:
    with receiving() as receiver:
        register(client, receiver)
        call_id = place(client, to=number)
        advance(mock, 3600)
        assert status_in_list(client, call_id) == final
        expected = 1 if final == "failed" else 2
        events = events_of(receiver.wait_for(expected))
        assert events[-1]["event"] == last_event
        assert events[-1]["call"]["status"] == final


def test_end_call_ends_an_active_call_and_answers_409_when_it_has_ended(
    mock: LiveMock, client: AuthenticatedClient
) -> None:
    with receiving() as receiver:
        register(client, receiver)
        call_id = place(client, to="+15005550004")
        advance(mock, 60)
        assert status_in_list(client, call_id) == "answered"
        ended = end_call.sync_detailed(AGENT, client=client, body=EndCallRequest(call_sid=call_id))
        assert isinstance(ended.parsed, EndCallResponse), ended.content
        assert ended.parsed.data.status is CallStatus.COMPLETED
        assert ended.parsed.data.ended_reason == "ended_by_api"
        assert status_in_list(client, call_id) == "completed"
        events = events_of(receiver.wait_for(3))
        assert events[-1]["event"] == "event_phone_call_ended"
        assert events[-1]["call"]["ended_reason"] == "ended_by_api"
        assert events[-1]["call"]["duration"] == 57

        again = end_call.sync_detailed(AGENT, client=client, body=EndCallRequest(call_sid=call_id))
        assert again.status_code == 409
        assert isinstance(again.parsed, FailureMessage)
        assert again.parsed.code is ErrorCode.CALL_NOT_ACTIVE
        assert again.parsed.message == "Call is not active"
        assert "X-RateLimit-Remaining" in again.headers

        unknown = end_call.sync_detailed(AGENT, client=client, body=EndCallRequest(call_sid="call_nope"))
        assert unknown.status_code == 404
        assert isinstance(unknown.parsed, FailureMessage)
        assert unknown.parsed.message == "Call not found for this agent"
        assert unknown.parsed.code is UNSET
        other_agent = end_call.sync_detailed(
            "agent_other", client=client, body=EndCallRequest(call_sid=call_id)
        )
        assert other_agent.status_code == 404


def test_a_receiver_that_fails_its_first_two_deliveries_still_gets_every_event_in_order(
    mock: LiveMock, client: AuthenticatedClient
) -> None:
    with receiving(fail_first=2) as receiver:
        webhook_id = register(client, receiver, max_retries=3)
        first = place(client)
        second = place(client, to="+15005550001")
        advance(mock, 100)
        events = events_of(receiver.wait_for(5))
        by_call = {
            call: [event["event"] for event in events if event["call"]["id"] == call]
            for call in (first, second)
        }
        assert by_call[first] == [
            "event_phone_call_started",
            "event_phone_call_connected",
            "event_phone_call_ended",
        ]
        assert by_call[second] == ["event_phone_call_started", "event_phone_call_did_not_connect"]
        failed = [json.loads(item.body)["id"] for item in receiver.received if item.answered == 500]
        assert failed == [events[0]["id"], events[0]["id"]]  # the same event id on every attempt
        deliveries = httpx.get(
            mock.url + "/_mock/webhook-deliveries", params={"webhook_id": webhook_id}
        ).json()
        attempts = [len(delivery["attempts"]) for delivery in deliveries["deliveries"]]
        assert attempts == [3, 1, 1, 1, 1]
        assert [attempt["status_code"] for attempt in deliveries["deliveries"][0]["attempts"]] == [
            500,
            500,
            200,
        ]
        assert {delivery["status"] for delivery in deliveries["deliveries"]} == {"delivered"}


def test_a_receiver_down_for_longer_than_its_retries_is_logged_as_failed(
    mock: LiveMock, client: AuthenticatedClient
) -> None:
    with receiving(fail_first=100) as receiver:
        webhook_id = register(client, receiver, max_retries=1)
        place(client, to="+15005550003")
        advance(mock, 10)

        def settled() -> dict[str, Any] | None:
            found = httpx.get(mock.url + "/_mock/webhook-deliveries", params={"webhook_id": webhook_id})
            delivery: dict[str, Any] = found.json()["deliveries"][0]
            return delivery if delivery["status"] != "pending" else None

        delivery = wait_until(settled, what="the delivery to give up")
        assert delivery["status"] == "failed"
        assert [attempt["status_code"] for attempt in delivery["attempts"]] == [500, 500]


def test_list_calls_filters_and_paginates(mock: LiveMock, client: AuthenticatedClient) -> None:
    ids = [place(client, to=f"+1415555{index:04d}") for index in range(5)]
    other = make_call.sync_detailed(
        "agent_other", client=client, body=MakeCallRequest(to="+15005550003", is_testing=True)
    )
    assert isinstance(other.parsed, MakeCallResponse)
    advance(mock, 1)

    page = list_calls.sync_detailed(client=client, per_page=2, page=2, agent_id=AGENT)
    assert isinstance(page.parsed, CallListResponse)
    assert [item.id for item in page.parsed.data] == [ids[2], ids[1]]  # newest first
    p = page.parsed.pagination
    for item in json.loads(page.content)["data"]:  # whole seconds, as List Calls' page shows them
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", item["created_at"])
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", item["updated_at"])
    assert (p.current_page, p.last_page, p.per_page, p.total, p.from_, p.to) == (2, 3, 2, 5, 3, 4)

    empty = list_calls.sync_detailed(client=client, page=9)
    assert isinstance(empty.parsed, CallListResponse)
    assert empty.parsed.data == []
    assert (empty.parsed.pagination.from_, empty.parsed.pagination.to) == (None, None)

    failed = list_calls.sync_detailed(client=client, status=CallStatus.FAILED)
    assert isinstance(failed.parsed, CallListResponse)
    assert [item.agent.id for item in failed.parsed.data] == ["agent_other"]
    ringing = list_agent_calls.sync_detailed(AGENT, client=client, status=CallStatus.RINGING)
    assert isinstance(ringing.parsed, AgentCallListResponse)
    assert ringing.parsed.pagination.total == 5
    assert ringing.parsed.data[0].to_formatted == "(415) 555-0004"
    assert all("agent" not in item for item in json.loads(ringing.content)["data"])

    found = list_calls.sync_detailed(client=client, search="5550002")
    assert isinstance(found.parsed, CallListResponse)
    assert [item.id for item in found.parsed.data] == [ids[2]]

    today = datetime.now(UTC).date()
    tomorrow = today + timedelta(days=1)
    assert isinstance(
        (r := list_calls.sync_detailed(client=client, date_from=today)).parsed, CallListResponse
    )
    assert r.parsed.pagination.total == 6
    assert isinstance(
        (r := list_calls.sync_detailed(client=client, date_from=tomorrow)).parsed, CallListResponse
    )
    assert r.parsed.pagination.total == 0

    too_many = list_calls.sync_detailed(client=client, per_page=101)
    assert too_many.status_code == 422
    assert isinstance(too_many.parsed, ErrorResponse)
    assert too_many.parsed.error.code is ErrorCode.VALIDATION_ERROR
    missing_agent = list_agent_calls.sync_detailed("agent_missing", client=client)
    assert missing_agent.status_code == 404


def test_get_agent_answers_published_draft_and_missing_agents(client: AuthenticatedClient) -> None:
    published = get_agent.sync_detailed(AGENT, client=client)
    assert isinstance(published.parsed, AgentResponse)
    assert published.parsed.data.current_status.value == "published"
    draft = get_agent.sync_detailed("agent_draft", client=client)
    assert isinstance(draft.parsed, AgentResponse)
    assert draft.parsed.data.current_status.value == "draft"
    missing = get_agent.sync_detailed("agent_missing", client=client)
    assert isinstance(missing.parsed, ErrorResponse)
    assert missing.parsed.error.code is ErrorCode.AGENT_NOT_FOUND


def test_get_agent_in_strict_mode_knows_only_the_configured_agents() -> None:
    settings = Settings(agents={"agent_a": "published", "agent_b": "draft"}, time_scale=0)
    with serve(settings) as live:
        client = AuthenticatedClient(base_url=live.api_url, token="talq_demo")
        b = get_agent.sync_detailed("agent_b", client=client)
        assert isinstance(b.parsed, AgentResponse)
        assert b.parsed.data.current_status.value == "draft"
        assert get_agent.sync_detailed("agent_123456", client=client).status_code == 404


def test_webhook_endpoints_register_list_get_and_refuse_other_hosts(client: AuthenticatedClient) -> None:
    with receiving() as receiver:
        webhook_id = register(client, receiver)
    listed = list_webhooks.sync_detailed(AGENT, client=client)
    assert isinstance(listed.parsed, WebhookListResponse)
    assert [webhook.id for webhook in listed.parsed.data.webhooks] == [webhook_id]
    assert "event_voicemail_message_left" in listed.parsed.data.available_events.additional_properties
    one = get_webhook.sync_detailed(AGENT, webhook_id, client=client)
    assert isinstance(one.parsed, WebhookResponse)
    assert one.parsed.data.webhook_url == receiver.url
    assert "webhook_secret" not in one.content.decode()
    unknown = get_webhook.sync_detailed(AGENT, "wh_nope", client=client)
    assert isinstance(unknown.parsed, FailureMessage)
    assert unknown.parsed.message == "Webhook not found."

    remote = CreateWebhookRequest(name="remote", webhook_url="https://example.com/hook", events=EVENTS)
    refused = create_webhook.sync_detailed(AGENT, client=client, body=remote)
    assert refused.status_code == 422
    assert isinstance(refused.parsed, ValidationFailure)
    assert list(refused.parsed.errors.additional_properties) == ["webhook_url"]
    assert refused.parsed.message == "The given data was invalid."
    bad_timeout = create_webhook.sync_detailed(
        AGENT,
        client=client,
        body=CreateWebhookRequest(name="x", webhook_url=receiver.url, events=EVENTS, timeout=1),
    )
    assert bad_timeout.status_code == 422
    assert isinstance(bad_timeout.parsed, ValidationFailure)
    assert list(bad_timeout.parsed.errors.additional_properties) == ["timeout"]


def test_webhooks_from_the_config_file_receive_events_and_survive_reset(mock: LiveMock) -> None:
    with receiving() as receiver:
        settings = Settings(
            time_scale=0,
            webhook_poll_seconds=0.01,
            webhooks=({"agent_id": AGENT, "webhook_url": receiver.url, "webhook_secret": SECRET},),
        )
        with serve(settings) as live:
            assert httpx.post(live.url + "/_mock/reset").status_code == 200
            client = AuthenticatedClient(base_url=live.api_url, token="talq_demo")
            listed = list_webhooks.sync_detailed(AGENT, client=client)
            assert isinstance(listed.parsed, WebhookListResponse)
            assert len(listed.parsed.data.webhooks) == 1
            place(client, to="+15005550003")
            advance(live, 5)
            item = receiver.wait_for(1)[0]
            verify_signature(SECRET, item.headers["x-talq-signature"], item.body)
