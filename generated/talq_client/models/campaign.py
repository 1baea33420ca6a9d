from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.campaign_status import CampaignStatus
from ..models.campaign_type import CampaignType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.agent_summary import AgentSummary
    from ..models.campaign_call_item import CampaignCallItem
    from ..models.campaign_stats import CampaignStats


T = TypeVar("T", bound="Campaign")


@_attrs_define
class Campaign:
    """A campaign as List Campaigns shows it (Get Campaign adds its calls). The vendor's answers carry more settings
    (cooldowns, do-not-call lists, files); the mock shows these.

        Attributes:
            id (str):
            name (str):
            description (str):
            status (CampaignStatus): A campaign's status; the mock places calls only for `active` campaigns.
            campaign_type (CampaignType):
            start_date (datetime.date):
            days_of_week (list[int]): The days calls are placed on, 1 (Monday) to 7 (Sunday).
            earliest_call_time (str): The start of the daily calling window, in `timezone`.
            latest_call_time (str): The end of the daily calling window, in `timezone`.
            timezone (str):
            agent_id (str):
            initial_call_delay (int): Seconds from queueing a call to its first attempt.
            max_retries (int):
            retry_cooldown_hours (float):
            agent (AgentSummary): The agent of a call, in brief.
            stats (CampaignStats): How the campaign's calls went.
            created_at (datetime.datetime): An instant in RFC 3339 form, upper-case `T` and `Z`, e.g.
                `2024-01-15T10:30:00Z`.
            updated_at (datetime.datetime): An instant in RFC 3339 form, upper-case `T` and `Z`, e.g.
                `2024-01-15T10:30:00Z`.
            calls (list[CampaignCallItem] | Unset):
    """

    id: str
    name: str
    description: str
    status: CampaignStatus
    campaign_type: CampaignType
    start_date: datetime.date
    days_of_week: list[int]
    earliest_call_time: str
    latest_call_time: str
    timezone: str
    agent_id: str
    initial_call_delay: int
    max_retries: int
    retry_cooldown_hours: float
    agent: AgentSummary
    stats: CampaignStats
    created_at: datetime.datetime
    updated_at: datetime.datetime
    calls: list[CampaignCallItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        description = self.description

        status = self.status.value

        campaign_type = self.campaign_type.value

        start_date = self.start_date.isoformat()

        days_of_week = self.days_of_week

        earliest_call_time = self.earliest_call_time

        latest_call_time = self.latest_call_time

        timezone = self.timezone

        agent_id = self.agent_id

        initial_call_delay = self.initial_call_delay

        max_retries = self.max_retries

        retry_cooldown_hours = self.retry_cooldown_hours

        agent = self.agent.to_dict()

        stats = self.stats.to_dict()

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        calls: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.calls, Unset):
            calls = []
            for calls_item_data in self.calls:
                calls_item = calls_item_data.to_dict()
                calls.append(calls_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "description": description,
                "status": status,
                "campaign_type": campaign_type,
                "start_date": start_date,
                "days_of_week": days_of_week,
                "earliest_call_time": earliest_call_time,
                "latest_call_time": latest_call_time,
                "timezone": timezone,
                "agent_id": agent_id,
                "initial_call_delay": initial_call_delay,
                "max_retries": max_retries,
                "retry_cooldown_hours": retry_cooldown_hours,
                "agent": agent,
                "stats": stats,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if calls is not UNSET:
            field_dict["calls"] = calls

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agent_summary import AgentSummary  # noqa: PLC0415
        from ..models.campaign_call_item import CampaignCallItem  # noqa: PLC0415
        from ..models.campaign_stats import CampaignStats  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        description = d.pop("description")

        status = CampaignStatus(d.pop("status"))

        campaign_type = CampaignType(d.pop("campaign_type"))

        start_date = datetime.date.fromisoformat(d.pop("start_date"))

        days_of_week = cast(list[int], d.pop("days_of_week"))

        earliest_call_time = d.pop("earliest_call_time")

        latest_call_time = d.pop("latest_call_time")

        timezone = d.pop("timezone")

        agent_id = d.pop("agent_id")

        initial_call_delay = d.pop("initial_call_delay")

        max_retries = d.pop("max_retries")

        retry_cooldown_hours = d.pop("retry_cooldown_hours")

        agent = AgentSummary.from_dict(d.pop("agent"))

        stats = CampaignStats.from_dict(d.pop("stats"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        _calls = d.pop("calls", UNSET)
        calls: list[CampaignCallItem] | Unset = UNSET
        if _calls is not UNSET:
            calls = []
            for calls_item_data in _calls:
                calls_item = CampaignCallItem.from_dict(calls_item_data)

                calls.append(calls_item)

        campaign = cls(
            id=id,
            name=name,
            description=description,
            status=status,
            campaign_type=campaign_type,
            start_date=start_date,
            days_of_week=days_of_week,
            earliest_call_time=earliest_call_time,
            latest_call_time=latest_call_time,
            timezone=timezone,
            agent_id=agent_id,
            initial_call_delay=initial_call_delay,
            max_retries=max_retries,
            retry_cooldown_hours=retry_cooldown_hours,
            agent=agent,
            stats=stats,
            created_at=created_at,
            updated_at=updated_at,
            calls=calls,
        )

        campaign.additional_properties = d
        return campaign

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
