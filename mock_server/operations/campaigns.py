"""The campaign endpoints: List Campaigns, Get Campaign, Make Campaign Call (listCampaigns,
getCampaign, makeCampaignCall). Campaigns come from the settings; their calls are placed on the mock
clock by the store's `campaigns.dispatch` (see `state/campaigns.py`), which each of them runs first:
on the shared store, that is what places the calls due since the last background pass."""

from __future__ import annotations

from typing import Any

from mock_server import scenarios
from mock_server.operations.agents import agent_summary
from mock_server.operations.base import Context, Failure, Result, Success, page_of_rows
from mock_server.settings import CampaignEntry
from mock_server.state.campaigns import QUEUED, CampaignCall, CampaignCallView, next_slot
from mock_server.state.lifecycle import FINAL_STATUSES

CREATED_AT = "2024-01-01T00:00:00Z"  # campaigns have no creation time in the mock: a fixed one
DUPLICATE_MESSAGE = (
    "A call to this number is already active or queued in this campaign. "
    'Send "allow_duplicates": true to place another.'
)


def stats(statuses: list[str]) -> dict[str, Any]:
    ended = [status for status in statuses if status in FINAL_STATUSES]
    completed = ended.count("completed")
    return {
        "total_calls": len(statuses),
        "completed_calls": completed,
        "failed_calls": len(ended) - completed,
        "success_rate": round(100 * completed / len(ended), 1) if ended else 0.0,
    }


def campaign_data(campaign: CampaignEntry, calls: list[CampaignCallView], with_calls: bool) -> dict[str, Any]:
    """The spec's `Campaign` (Get Campaign adds `calls`), from the campaign's calls."""
    data: dict[str, Any] = {
        **campaign.model_dump(),
        "agent": agent_summary(campaign.agent_id),
        "stats": stats([view.status for view in calls]),
        "created_at": CREATED_AT,
        "updated_at": CREATED_AT,
    }
    if with_calls:
        data["calls"] = [
            {
                "id": view.call.id,
                "to": view.call.to,
                "status": view.status,
                "retries": view.call.retries,
                "created_at": view.call.as_data(view.status)["created_at"],
            }
            for view in calls
        ]
    return data


async def campaign_of(context: Context) -> CampaignEntry | Failure:
    """The path's campaign (or CAMPAIGN_NOT_FOUND), once the campaign calls due by now are placed."""
    campaign_id = context.path_params["campaign_id"]
    campaign = context.store.campaigns.campaigns.get(campaign_id)
    if campaign is None:
        return Failure(scenarios.CAMPAIGN_NOT_FOUND, {"campaign_id": campaign_id})
    await context.store.campaigns.dispatch(context.now)
    return campaign


async def list_all(context: Context) -> Result:
    query, campaigns = context.query, context.store.campaigns
    await campaigns.dispatch(context.now)
    of: dict[str, list[CampaignCallView]] = {}
    for view in await campaigns.calls(context.now):
        of.setdefault(view.call.campaign_id, []).append(view)
    search = query.get("search")
    rows = [
        campaign_data(campaign, of.get(campaign.id, []), with_calls=False)
        for campaign in campaigns.campaigns.values()
        if query.get("status") in {None, campaign.status}
        and query.get("campaign_type") in {None, campaign.campaign_type}
        and query.get("agent_id") in {None, campaign.agent_id}
        and (search is None or search in campaign.name or search in campaign.description)
    ]
    return page_of_rows(rows, query)


async def get_one(context: Context) -> Result:
    campaign = await campaign_of(context)
    if isinstance(campaign, Failure):
        return campaign
    calls = await context.store.campaigns.calls(context.now, campaign.id)
    return Success(200, {"success": True, "data": campaign_data(campaign, calls, with_calls=True)})


async def make_call(context: Context) -> Result:
    campaign = await campaign_of(context)
    if isinstance(campaign, Failure):
        return campaign
    body, now = context.body, context.now
    wanted = CampaignCall(
        id="",
        campaign_id=campaign.id,
        to=str(body["to"]),
        payload=body.get("payload") or {},
        context=body.get("context") or {},
        is_testing=body["is_testing"] is True,
        created_at=now,
        scheduled_at=next_slot(campaign, now + campaign.initial_call_delay),
    )
    queued = await context.store.campaigns.queue(wanted, body["allow_duplicates"] is True, now)
    if isinstance(queued, CampaignCallView):
        duplicate = {
            "success": False,
            "message": DUPLICATE_MESSAGE,
            "existing_call": queued.call.as_data(queued.status),
        }
        return Success(scenarios.DUPLICATE_CAMPAIGN_CALL.status, duplicate)
    summary = {"id": campaign.id, "name": campaign.name, "status": campaign.status}
    return Success(201, {"campaign_call": queued.as_data(QUEUED), "campaign": summary})
