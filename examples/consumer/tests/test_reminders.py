"""The app against the talq mock (the talq_mock fixture of the talq-mock wheel's pytest plugin)."""

import pytest
from consumer_app.reminders import CallRefused, connect, remind_by_phone

from mock_server.fixture import TalqMock


def test_a_reminder_places_a_call(talq_mock: TalqMock) -> None:
    call = remind_by_phone(talq_mock.client(), "agent_123456", "+1234567890")
    assert call.id.startswith("call_")
    assert call.status == "initiated"
    (request,) = talq_mock.requests()
    assert (request["method"], request["path"], request["status"]) == (
        "POST",
        "/api/v1/agents/agent_123456/call",
        200,
    )


def test_the_app_can_build_its_own_client(talq_mock: TalqMock) -> None:
    call = remind_by_phone(connect(talq_mock.base_url, talq_mock.token), "agent_123456", "+1234567890")
    assert call.status == "initiated"


def test_a_bad_number_is_refused(talq_mock: TalqMock) -> None:
    with pytest.raises(CallRefused) as refused:
        remind_by_phone(talq_mock.client(), "agent_123456", "12345")
    assert (refused.value.status, refused.value.code) == (400, "INVALID_PHONE_NUMBER")


@pytest.mark.talq_mock(tokens={"talq_broke": 0}, agents={"agent_reminders": "published"})
def test_no_credits_is_refused_but_a_test_call_goes_through(talq_mock: TalqMock) -> None:
    client = talq_mock.client()
    with pytest.raises(CallRefused) as refused:
        remind_by_phone(client, "agent_reminders", "+1234567890")
    assert (refused.value.status, refused.value.code) == (402, "INSUFFICIENT_CREDITS")
    assert remind_by_phone(client, "agent_reminders", "+1234567890", test=True).status == "initiated"


@pytest.mark.talq_mock(rate_limit=1)
def test_the_rate_limit_is_refused(talq_mock: TalqMock) -> None:
    client = talq_mock.client()
    remind_by_phone(client, "agent_123456", "+1234567890")
    with pytest.raises(CallRefused) as refused:
        remind_by_phone(client, "agent_123456", "+1234567890")
    assert (refused.value.status, refused.value.code) == (429, "RATE_LIMIT_EXCEEDED")


def test_the_call_completes_once_the_mock_clock_moves(talq_mock: TalqMock) -> None:
    client = talq_mock.client()
    call = remind_by_phone(client, "agent_123456", "+1234567890")
    talq_mock.advance_clock(60)
    listed = client.get_httpx_client().get("/agents/agent_123456/calls").json()["data"]
    assert [(item["id"], item["status"]) for item in listed] == [(call.id, "completed")]
