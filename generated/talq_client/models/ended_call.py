from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.call_status import CallStatus

T = TypeVar("T", bound="EndedCall")


@_attrs_define
class EndedCall:
    """The call End Call ended.

    Attributes:
        id (str):
        status (CallStatus): Where the call is in its lifecycle. A new call is `initiated`.
        ended_at (datetime.datetime): An instant in RFC 3339 form, upper-case `T` and `Z`, e.g. `2024-01-15T10:30:00Z`.
        ended_reason (str): `ended_by_api`, to tell it from a natural hang-up.
    """

    id: str
    status: CallStatus
    ended_at: datetime.datetime
    ended_reason: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        status = self.status.value

        ended_at = self.ended_at.isoformat()

        ended_reason = self.ended_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
                "ended_at": ended_at,
                "ended_reason": ended_reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        status = CallStatus(d.pop("status"))

        ended_at = datetime.datetime.fromisoformat(d.pop("ended_at"))

        ended_reason = d.pop("ended_reason")

        ended_call = cls(
            id=id,
            status=status,
            ended_at=ended_at,
            ended_reason=ended_reason,
        )

        ended_call.additional_properties = d
        return ended_call

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
