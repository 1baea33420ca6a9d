"""The campaign endpoints: List Campaigns, Get Campaign, Make Campaign Call (listCampaigns,
getCampaign, makeCampaignCall). Campaigns come from the settings; their calls are placed on the mock
clock by `MockState.dispatch_campaign_calls` (see `state/campaigns.py`)."""

from __future__ import annotations

from typing import Any

from mock_server import scenarios
from mock_server.operations.agents import agent_summary
from mock_server.operations.base import Context, Failure, Result, Success, page_of_rows
from mock_server.settings import CampaignEntry
from mock_server.state.campaigns import QUEUED, CampaignCall, next_slot
from mock_server.state.lifecycle import FINAL_STATUSES, view_at
from mock_server.state.store import MockState

CREATED_AT = "2024-01-01T00:00:00Z"  # campaigns have no creation time in the mock: a fixed one
DUPLICATE_MESSAGE = (
    "A call to this number is already active or queued in this campaign. "
    'Send "allow_duplicates": true to place another.'
)


def call_status(state: MockState, campaign_call: CampaignCall) -> str:
    """`queued` until it is placed (and while a retry waits), then its call's current status."""
    call = state.calls.get(campaign_call.call_id or "")
    if call is None or state.campaigns.is_queued(campaign_call):
        return QUEUED
    return view_at(call, state.durations, state.clock.time()).status


def stats(statuses: list[str]) -> dict[str, Any]:
    ended = [status for status in statuses if status in FINAL_STATUSES]
    completed = ended.count("completed")
    return {
        "total_calls": len(statuses),
        "completed_calls": completed,
        "failed_calls": len(ended) - completed,
        "success_rate": round(100 * completed / len(ended), 1) if ended else 0.0,
    }


def campaign_data(state: MockState, campaign: CampaignEntry, with_calls: bool) -> dict[str, Any]:
    """The spec's `Campaign` (Get Campaign adds `calls`)."""
    calls = state.campaigns.of_campaign(campaign.id)
    statuses = [call_status(state, call) for call in calls]
    data: dict[str, Any] = {
        **campaign.model_dump(),
        "agent": agent_summary(campaign.agent_id),
        "stats": stats(statuses),
        "created_at": CREATED_AT,
        "updated_at": CREATED_AT,
    }
    if with_calls:
        data["calls"] = [
            {
                "id": call.id,
                "to": call.to,
                "status": status,
                "retries": call.retries,
                "created_at": call.as_data(status)["created_at"],
            }
            for call, status in zip(calls, statuses, strict=True)
        ]
    return data


def campaign_of(context: Context) -> CampaignEntry | Failure:
    campaign_id = context.path_params["campaign_id"]
    campaign = context.store.local.campaigns.campaigns.get(campaign_id)
    if campaign is None:
        return Failure(scenarios.CAMPAIGN_NOT_FOUND, {"campaign_id": campaign_id})
    return campaign


def list_all(context: Context) -> Result:
    query, state = context.query, context.store.local
    search = query.get("search")
    rows = [
        campaign_data(state, campaign, with_calls=False)
        for campaign in state.campaigns.campaigns.values()
        if query.get("status") in {None, campaign.status}
        and query.get("campaign_type") in {None, campaign.campaign_type}
        and query.get("agent_id") in {None, campaign.agent_id}
        and (search is None or search in campaign.name or search in campaign.description)
    ]
    return page_of_rows(rows, query)


def get_one(context: Context) -> Result:
    campaign = campaign_of(context)
    if isinstance(campaign, Failure):
        return campaign
    return Success(
        200, {"success": True, "data": campaign_data(context.store.local, campaign, with_calls=True)}
    )


def make_call(context: Context) -> Result:
    campaign = campaign_of(context)
    if isinstance(campaign, Failure):
        return campaign
    state, body = context.store.local, context.body
    to = str(body["to"])
    if body["allow_duplicates"] is not True:
        for existing in state.campaigns.of_campaign(campaign.id):
            status = call_status(state, existing)
            if existing.to == to and status not in FINAL_STATUSES:
                duplicate = {
                    "success": False,
                    "message": DUPLICATE_MESSAGE,
                    "existing_call": existing.as_data(status),
                }
                return Success(scenarios.DUPLICATE_CAMPAIGN_CALL.status, duplicate)
    now = state.clock.time()
    queued = CampaignCall(
        id=state.campaigns.new_id(),
        campaign_id=campaign.id,
        to=to,
        payload=body.get("payload") or {},
        context=body.get("context") or {},
        is_testing=body["is_testing"] is True,
        created_at=now,
        scheduled_at=next_slot(campaign, now + campaign.initial_call_delay),
    )
    state.campaigns.queue(queued)
    summary = {"id": campaign.id, "name": campaign.name, "status": campaign.status}
    return Success(201, {"campaign_call": queued.as_data(QUEUED), "campaign": summary})
