from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CampaignCall")


@_attrs_define
class CampaignCall:
    """A call queued under a campaign. `status` is `queued` until `scheduled_at`, then the status of the call it became
    (`call_id`, the id List Calls, End Call and the webhook events use).

        Attributes:
            id (str):
            campaign_id (str):
            to (str):
            status (str):
            scheduled_at (datetime.datetime): An instant in RFC 3339 form, upper-case `T` and `Z`, e.g.
                `2024-01-15T10:30:00Z`.
            created_at (datetime.datetime): An instant in RFC 3339 form, upper-case `T` and `Z`, e.g.
                `2024-01-15T10:30:00Z`.
            call_id (None | str | Unset): The call it became (null while queued).
            retries (int | Unset):
    """

    id: str
    campaign_id: str
    to: str
    status: str
    scheduled_at: datetime.datetime
    created_at: datetime.datetime
    call_id: None | str | Unset = UNSET
    retries: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        campaign_id = self.campaign_id

        to = self.to

        status = self.status

        scheduled_at = self.scheduled_at.isoformat()

        created_at = self.created_at.isoformat()

        call_id: None | str | Unset
        if isinstance(self.call_id, Unset):
            call_id = UNSET
        else:
            call_id = self.call_id

        retries = self.retries

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "campaign_id": campaign_id,
                "to": to,
                "status": status,
                "scheduled_at": scheduled_at,
                "created_at": created_at,
            }
        )
        if call_id is not UNSET:
            field_dict["call_id"] = call_id
        if retries is not UNSET:
            field_dict["retries"] = retries

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        campaign_id = d.pop("campaign_id")

        to = d.pop("to")

        status = d.pop("status")

        scheduled_at = datetime.datetime.fromisoformat(d.pop("scheduled_at"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_call_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        call_id = _parse_call_id(d.pop("call_id", UNSET))

        retries = d.pop("retries", UNSET)

        campaign_call = cls(
            id=id,
            campaign_id=campaign_id,
            to=to,
            status=status,
            scheduled_at=scheduled_at,
            created_at=created_at,
            call_id=call_id,
            retries=retries,
        )

        campaign_call.additional_properties = d
        return campaign_call

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
