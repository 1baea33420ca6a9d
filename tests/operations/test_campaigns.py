"""Campaigns over real HTTP, the mock clock frozen and advanced: the demo campaign, a campaign call
placed as a real call of the campaign's agent when its schedule allows, the 409 duplicate rule and
`allow_duplicates`, a paused campaign, the retry policy, and the campaign endpoints' errors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from talq_client import AuthenticatedClient, errors
from talq_client.api.calls import end_call, list_calls
from talq_client.api.campaigns import get_campaign, list_campaigns, make_campaign_call
from talq_client.models import (
    CampaignCallCreated,
    CampaignCallItem,
    CampaignStatus,
    DuplicateCampaignCall,
    EndCallRequest,
    MakeCampaignCallRequest,
)

from mock_server.settings import Settings
from mock_server.testing import LiveMock, serve
from mock_server.webhooks.receiver import receiving

DEMO = "campaign_demo"
NUMBER = "+15551230000"
BUSY = "+15005550001"  # busy after ringing


def queue(
    client: AuthenticatedClient, campaign: str, to: str, allow_duplicates: bool = False
) -> CampaignCallCreated:
    body = MakeCampaignCallRequest(to=to, is_testing=True, allow_duplicates=allow_duplicates)
    created = make_campaign_call.sync_or_raise(campaign, client=client, body=body)
    assert isinstance(created, CampaignCallCreated)
    return created


def calls_of(client: AuthenticatedClient, campaign: str) -> list[CampaignCallItem]:
    """Get Campaign's `calls` (always there: Get Campaign adds them)."""
    calls = get_campaign.sync_or_raise(campaign, client=client).data.calls
    assert isinstance(calls, list)
    return calls


def call_ids(client: AuthenticatedClient) -> list[str]:
    return [call.id for call in list_calls.sync_or_raise(client=client).data]


def mock_now(mock: LiveMock) -> datetime:
    return datetime.fromtimestamp(httpx.get(mock.url + "/_mock/clock").json()["epoch"], UTC)


def test_the_demo_campaign_is_listed_and_readable(client: AuthenticatedClient) -> None:
    listed = list_campaigns.sync_or_raise(client=client)
    assert [campaign.id for campaign in listed.data] == [DEMO]
    assert listed.pagination.total == 1
    demo = get_campaign.sync_or_raise(DEMO, client=client).data
    assert (demo.name, demo.status, demo.agent_id, demo.timezone) == (
        "Demo campaign",
        CampaignStatus.ACTIVE,
        "agent_123456",
        "UTC",
    )
    assert demo.days_of_week == [1, 2, 3, 4, 5, 6, 7]
    assert calls_of(client, DEMO) == []
    assert list_campaigns.sync_or_raise(client=client, status=CampaignStatus.PAUSED).data == []


def test_a_campaign_call_becomes_a_call_of_the_campaigns_agent_with_its_events(
    mock: LiveMock, client: AuthenticatedClient, advance: Callable[[float], None]
) -> None:
    with receiving() as receiver:
        hook = httpx.post(
            f"{mock.api_url}/agents/agent_123456/webhooks",
            json={
                "name": "c",
                "webhook_url": receiver.url,
                "events": ["event_phone_call_started", "event_phone_call_ended"],
            },
            headers={"Authorization": "Bearer talq_demo"},
        )
        assert hook.status_code == 201
        created = queue(client, DEMO, NUMBER)
        assert created.campaign_call.status == "queued"
        assert (
            created.campaign_call.scheduled_at == created.campaign_call.created_at
        )  # the demo calls at once
        assert (created.campaign.id, created.campaign.status) == (DEMO, CampaignStatus.ACTIVE)
        # the next request sees it placed: a call of agent_123456 in List Calls
        [item] = calls_of(client, DEMO)
        assert item.status == "initiated"
        [listed] = list_calls.sync_or_raise(client=client).data
        assert (listed.to, listed.agent.id, listed.status.value) == (NUMBER, "agent_123456", "initiated")
        advance(8)  # setup, ring, talk
        receiver.wait_for(2)
    campaign = get_campaign.sync_or_raise(DEMO, client=client).data
    assert calls_of(client, DEMO)[0].status == "completed"
    assert (campaign.stats.total_calls, campaign.stats.completed_calls, campaign.stats.success_rate) == (
        1,
        1,
        100.0,
    )


def test_a_second_call_to_the_number_is_409_unless_duplicates_are_allowed(
    client: AuthenticatedClient, advance: Callable[[float], None]
) -> None:
    first = queue(client, DEMO, "+15005550004")  # a long call: active until End Call
    refused = make_campaign_call.sync_detailed(
        DEMO, client=client, body=MakeCampaignCallRequest(to="+15005550004")
    )
    assert refused.status_code == 409
    assert isinstance(refused.parsed, DuplicateCampaignCall)
    assert refused.parsed.existing_call.id == first.campaign_call.id
    assert "allow_duplicates" in refused.parsed.message
    with pytest.raises(errors.Conflict):
        make_campaign_call.sync_or_raise(DEMO, client=client, body=MakeCampaignCallRequest(to="+15005550004"))
    second = queue(client, DEMO, "+15005550004", allow_duplicates=True)
    assert second.campaign_call.id != first.campaign_call.id
    # once the first has ended (End Call on the call it became), the number is free again
    advance(30)
    placed = calls_of(client, DEMO)
    assert {call.status for call in placed} == {"answered"}
    existing = refused.parsed.existing_call
    assert existing.status == "initiated"  # placed by the time of the second request (the demo calls at once)
    assert isinstance(existing.call_id, str)
    assert existing.call_id in call_ids(client)
    for call_id in call_ids(client):  # End Call takes the calls they became
        end_call.sync_or_raise("agent_123456", client=client, body=EndCallRequest(call_sid=call_id))
    assert queue(client, DEMO, "+15005550004").campaign_call.status == "queued"


@pytest.fixture
def scheduled() -> Iterator[LiveMock]:
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoweekday()
    campaigns = (
        {
            "id": "c_tomorrow",
            "agent_id": "agent_1",
            "days_of_week": [tomorrow],
            "earliest_call_time": "10:00:00",
            "latest_call_time": "11:00:00",
            "timezone": "UTC",
        },
        {"id": "c_paused", "agent_id": "agent_1", "status": "paused"},
        {"id": "c_retry", "agent_id": "agent_1", "max_retries": 1, "retry_cooldown_hours": 1.0},
    )
    with serve(Settings(time_scale=0, campaigns=campaigns)) as live:
        yield live


def test_a_call_waits_for_its_campaigns_day_and_hours(scheduled: LiveMock) -> None:
    client = AuthenticatedClient(base_url=scheduled.api_url, token="talq_demo")
    now = mock_now(scheduled)
    created = queue(client, "c_tomorrow", NUMBER).campaign_call
    expected = datetime.combine((now + timedelta(days=1)).date(), datetime.min.time(), UTC) + timedelta(
        hours=10
    )
    assert created.scheduled_at == expected
    assert call_ids(client) == []
    waited = (expected - now).total_seconds()
    httpx.post(scheduled.url + "/_mock/clock/advance", json={"seconds": waited - 1})
    assert call_ids(client) == []
    httpx.post(scheduled.url + "/_mock/clock/advance", json={"seconds": 1})
    [call] = list_calls.sync_or_raise(client=client).data
    assert call.created_at == expected
    assert call.agent.id == "agent_1"


def test_a_paused_campaign_queues_but_places_nothing(scheduled: LiveMock) -> None:
    client = AuthenticatedClient(base_url=scheduled.api_url, token="talq_demo")
    created = queue(client, "c_paused", NUMBER)
    assert created.campaign.status is CampaignStatus.PAUSED
    httpx.post(scheduled.url + "/_mock/clock/advance", json={"seconds": 3 * 86400})
    assert call_ids(client) == []
    assert calls_of(client, "c_paused")[0].status == "queued"


def test_a_busy_call_is_retried_after_the_cooldown_as_often_as_the_policy_says(scheduled: LiveMock) -> None:
    client = AuthenticatedClient(base_url=scheduled.api_url, token="talq_demo")
    queue(client, "c_retry", BUSY)
    assert len(call_ids(client)) == 1
    httpx.post(scheduled.url + "/_mock/clock/advance", json={"seconds": 10})  # busy after ringing
    [item] = calls_of(client, "c_retry")
    assert (item.status, item.retries) == ("queued", 1)
    httpx.post(scheduled.url + "/_mock/clock/advance", json={"seconds": 3600})
    assert len(call_ids(client)) == 2
    httpx.post(scheduled.url + "/_mock/clock/advance", json={"seconds": 7200})
    [item] = calls_of(client, "c_retry")
    assert (item.status, item.retries) == ("busy", 1)  # max_retries 1: no third attempt
    assert len(call_ids(client)) == 2


def test_unknown_campaign_and_invalid_input(mock: LiveMock, client: AuthenticatedClient) -> None:
    with pytest.raises(errors.NotFound) as missing:
        get_campaign.sync_or_raise("campaign_missing", client=client)
    assert missing.value.code == "CAMPAIGN_NOT_FOUND"
    answer = httpx.post(
        f"{mock.api_url}/campaigns/campaign_missing/call",
        json={"to": NUMBER},
        headers={"Authorization": "Bearer talq_demo"},
    )
    assert (answer.status_code, answer.json()["error"]["code"]) == (404, "CAMPAIGN_NOT_FOUND")
    invalid = httpx.post(
        f"{mock.api_url}/campaigns/{DEMO}/call",
        json={"to": "555"},
        headers={"Authorization": "Bearer talq_demo"},
    )
    assert invalid.status_code == 422
    assert invalid.json()["error"]["code"] == "VALIDATION_ERROR"
