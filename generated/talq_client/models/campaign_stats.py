from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CampaignStats")


@_attrs_define
class CampaignStats:
    """How the campaign's calls went.

    Attributes:
        total_calls (int):
        completed_calls (int):
        failed_calls (int):
        success_rate (float): Percent of the ended calls that completed.
        average_duration (int | Unset):
    """

    total_calls: int
    completed_calls: int
    failed_calls: int
    success_rate: float
    average_duration: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        total_calls = self.total_calls

        completed_calls = self.completed_calls

        failed_calls = self.failed_calls

        success_rate = self.success_rate

        average_duration = self.average_duration

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "total_calls": total_calls,
                "completed_calls": completed_calls,
                "failed_calls": failed_calls,
                "success_rate": success_rate,
            }
        )
        if average_duration is not UNSET:
            field_dict["average_duration"] = average_duration

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        total_calls = d.pop("total_calls")

        completed_calls = d.pop("completed_calls")

        failed_calls = d.pop("failed_calls")

        success_rate = d.pop("success_rate")

        average_duration = d.pop("average_duration", UNSET)

        campaign_stats = cls(
            total_calls=total_calls,
            completed_calls=completed_calls,
            failed_calls=failed_calls,
            success_rate=success_rate,
            average_duration=average_duration,
        )

        campaign_stats.additional_properties = d
        return campaign_stats

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
