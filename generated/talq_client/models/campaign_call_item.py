from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CampaignCallItem")


@_attrs_define
class CampaignCallItem:
    """A call of the campaign as Get Campaign lists it.

    Attributes:
        id (str):
        to (str):
        status (str): `queued` until it is placed, then the status of the call it became.
        retries (int):
        created_at (datetime.datetime): An instant in RFC 3339 form, upper-case `T` and `Z`, e.g.
            `2024-01-15T10:30:00Z`.
    """

    id: str
    to: str
    status: str
    retries: int
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        to = self.to

        status = self.status

        retries = self.retries

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "to": to,
                "status": status,
                "retries": retries,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        to = d.pop("to")

        status = d.pop("status")

        retries = d.pop("retries")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        campaign_call_item = cls(
            id=id,
            to=to,
            status=status,
            retries=retries,
            created_at=created_at,
        )

        campaign_call_item.additional_properties = d
        return campaign_call_item

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
