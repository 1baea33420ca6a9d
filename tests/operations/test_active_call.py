"""Get Active Call by Phone over real HTTP, the mock clock frozen and advanced by the admin API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import httpx
from talq_client import AuthenticatedClient, MakeCallRequest
from talq_client.api.calls import end_call, get_active_call, make_call
from talq_client.models import ActiveCallResponse, ActiveCallStatus, EndCallRequest, FailureMessage

from mock_server.testing import LiveMock

AGENT = "agent_123456"
LONG_CALL = "+15005550004"  # stays answered until End Call
NUMBER = "+15551234567"


def call(client: AuthenticatedClient, to: str, agent: str = AGENT) -> str:
    return make_call.sync_or_raise(agent, client=client, body=MakeCallRequest(to=to, is_testing=True)).data.id


def active(client: AuthenticatedClient, phone: str, agent: str = AGENT) -> ActiveCallResponse | None:
    response = get_active_call.sync_detailed(agent, phone, client=client)
    if response.status_code == 404:
        assert isinstance(response.parsed, FailureMessage)
        assert response.parsed.message == "No active call found for this phone number"
        return None
    assert response.status_code == 200, response.content
    assert isinstance(response.parsed, ActiveCallResponse)
    return response.parsed


def test_a_call_is_active_from_initiated_to_answered_and_not_after_end_call(
    client: AuthenticatedClient, advance: Callable[[float], None]
) -> None:
    assert active(client, LONG_CALL) is None
    call_id = call(client, LONG_CALL)
    found = active(client, LONG_CALL)
    assert found is not None
    [item] = found.data
    assert (item.id, item.agent_id, item.to) == (call_id, AGENT, LONG_CALL)
    assert item.status is ActiveCallStatus.INITIATED
    assert item.started_at is None
    assert item.duration_seconds == 0
    advance(1)  # placed after setup_seconds (1): ringing
    ringing = active(client, LONG_CALL)
    assert ringing is not None
    assert ringing.data[0].status is ActiveCallStatus.RINGING
    assert isinstance(ringing.data[0].started_at, datetime)
    advance(2 + 30)  # answered after ring_seconds (2), then 30 s of conversation
    answered = active(client, LONG_CALL)
    assert answered is not None
    assert answered.data[0].status is ActiveCallStatus.ANSWERED
    assert answered.data[0].duration_seconds == 30
    end_call.sync_or_raise(AGENT, client=client, body=EndCallRequest(call_sid=call_id))
    assert active(client, LONG_CALL) is None


def test_a_completed_call_is_not_active(
    client: AuthenticatedClient, advance: Callable[[float], None]
) -> None:
    call(client, NUMBER)
    assert active(client, NUMBER) is not None
    advance(8)  # 1 + 2 + 5: completed
    assert active(client, NUMBER) is None


def test_only_the_agents_calls_with_that_number_and_all_of_them(client: AuthenticatedClient) -> None:
    first, second = call(client, NUMBER), call(client, NUMBER)
    call(client, NUMBER, agent="agent_other")
    call(client, "+15551234568")
    found = active(client, NUMBER)
    assert found is not None
    assert {item.id for item in found.data} == {first, second}
    other = active(client, NUMBER, agent="agent_other")
    assert other is not None
    assert len(other.data) == 1


def test_the_plus_sign_url_encoded_or_not(mock: LiveMock) -> None:
    headers = {"Authorization": "Bearer talq_demo"}
    made = httpx.post(f"{mock.api_url}/agents/{AGENT}/call", json={"to": NUMBER}, headers=headers)
    assert made.status_code == 200
    for phone in ("%2B15551234567", "+15551234567"):
        answer = httpx.get(f"{mock.api_url}/agents/{AGENT}/active-call/{phone}", headers=headers)
        assert answer.status_code == 200, answer.text
        assert answer.json()["data"][0]["id"] == made.json()["data"]["id"]
