from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.campaign_call import CampaignCall
    from ..models.campaign_summary import CampaignSummary


T = TypeVar("T", bound="CampaignCallCreated")


@_attrs_define
class CampaignCallCreated:
    """The answer of Make Campaign Call: the queued call and its campaign (no success/data wrapper).

    Attributes:
        campaign_call (CampaignCall): A call queued under a campaign. `status` is `queued` until `scheduled_at`, then
            the status of the call it became (`call_id`, the id List Calls, End Call and the webhook events use).
        campaign (CampaignSummary): The campaign a call was queued under, at that moment.
    """

    campaign_call: CampaignCall
    campaign: CampaignSummary
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        campaign_call = self.campaign_call.to_dict()

        campaign = self.campaign.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "campaign_call": campaign_call,
                "campaign": campaign,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.campaign_call import CampaignCall  # noqa: PLC0415
        from ..models.campaign_summary import CampaignSummary  # noqa: PLC0415

        d = dict(src_dict)
        campaign_call = CampaignCall.from_dict(d.pop("campaign_call"))

        campaign = CampaignSummary.from_dict(d.pop("campaign"))

        campaign_call_created = cls(
            campaign_call=campaign_call,
            campaign=campaign,
        )

        campaign_call_created.additional_properties = d
        return campaign_call_created

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
