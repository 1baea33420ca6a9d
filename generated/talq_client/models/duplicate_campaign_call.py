from __future__ import annotations

from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.campaign_call import CampaignCall


T = TypeVar("T", bound="DuplicateCampaignCall")


@_attrs_define
class DuplicateCampaignCall:
    """The 409 of Make Campaign Call; `existing_call` is the active or queued call to the number.

    Attributes:
        success (Literal[False]):
        message (str):
        existing_call (CampaignCall): A call queued under a campaign. `status` is `queued` until `scheduled_at`, then
            the status of the call it became (`call_id`, the id List Calls, End Call and the webhook events use).
    """

    success: Literal[False]
    message: str
    existing_call: CampaignCall
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        message = self.message

        existing_call = self.existing_call.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
                "message": message,
                "existing_call": existing_call,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.campaign_call import CampaignCall  # noqa: PLC0415

        d = dict(src_dict)
        success = cast(Literal[False], d.pop("success"))
        if success != False:
            raise ValueError(f"success must match const False, got '{success}'")

        message = d.pop("message")

        existing_call = CampaignCall.from_dict(d.pop("existing_call"))

        duplicate_campaign_call = cls(
            success=success,
            message=message,
            existing_call=existing_call,
        )

        duplicate_campaign_call.additional_properties = d
        return duplicate_campaign_call

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
