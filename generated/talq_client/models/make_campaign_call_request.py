from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.make_campaign_call_request_context import (
        MakeCampaignCallRequestContext,
    )
    from ..models.make_campaign_call_request_payload import (
        MakeCampaignCallRequestPayload,
    )


T = TypeVar("T", bound="MakeCampaignCallRequest")


@_attrs_define
class MakeCampaignCallRequest:
    """The call to queue under the campaign.

    Attributes:
        to (str): The number to call, in E.164 format.
        payload (MakeCampaignCallRequestPayload | Unset): Replacement variables for the campaign agent's prompt.
        context (MakeCampaignCallRequestContext | Unset): Your own data, echoed in every webhook event of this call.
        is_testing (bool | Unset): A test call spends no credits and is left out of analytics. Default: False.
        allow_duplicates (bool | Unset): Queue the call even when the number has an active or queued call in this
            campaign. Default: False.
    """

    to: str
    payload: MakeCampaignCallRequestPayload | Unset = UNSET
    context: MakeCampaignCallRequestContext | Unset = UNSET
    is_testing: bool | Unset = False
    allow_duplicates: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        to = self.to

        payload: dict[str, Any] | Unset = UNSET
        if not isinstance(self.payload, Unset):
            payload = self.payload.to_dict()

        context: dict[str, Any] | Unset = UNSET
        if not isinstance(self.context, Unset):
            context = self.context.to_dict()

        is_testing = self.is_testing

        allow_duplicates = self.allow_duplicates

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "to": to,
            }
        )
        if payload is not UNSET:
            field_dict["payload"] = payload
        if context is not UNSET:
            field_dict["context"] = context
        if is_testing is not UNSET:
            field_dict["is_testing"] = is_testing
        if allow_duplicates is not UNSET:
            field_dict["allow_duplicates"] = allow_duplicates

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.make_campaign_call_request_context import (
            MakeCampaignCallRequestContext,  # noqa: PLC0415
        )
        from ..models.make_campaign_call_request_payload import (
            MakeCampaignCallRequestPayload,  # noqa: PLC0415
        )

        d = dict(src_dict)
        to = d.pop("to")

        _payload = d.pop("payload", UNSET)
        payload: MakeCampaignCallRequestPayload | Unset
        if isinstance(_payload, Unset):
            payload = UNSET
        else:
            payload = MakeCampaignCallRequestPayload.from_dict(_payload)

        _context = d.pop("context", UNSET)
        context: MakeCampaignCallRequestContext | Unset
        if isinstance(_context, Unset):
            context = UNSET
        else:
            context = MakeCampaignCallRequestContext.from_dict(_context)

        is_testing = d.pop("is_testing", UNSET)

        allow_duplicates = d.pop("allow_duplicates", UNSET)

        make_campaign_call_request = cls(
            to=to,
            payload=payload,
            context=context,
            is_testing=is_testing,
            allow_duplicates=allow_duplicates,
        )

        make_campaign_call_request.additional_properties = d
        return make_campaign_call_request

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
