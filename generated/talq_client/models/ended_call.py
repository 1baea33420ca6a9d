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
        sid (str):
        agent_id (str):
        to (str):
        status (CallStatus): Where the call is in its lifecycle. A new call is `initiated`.
        ended_reason (str): `ended_by_api`.
        ended_at (datetime.datetime): An instant in RFC 3339 form, upper-case `T` and `Z`, e.g. `2024-01-15T10:30:00Z`.
    """

    id: str
    sid: str
    agent_id: str
    to: str
    status: CallStatus
    ended_reason: str
    ended_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        sid = self.sid

        agent_id = self.agent_id

        to = self.to

        status = self.status.value

        ended_reason = self.ended_reason

        ended_at = self.ended_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "sid": sid,
                "agent_id": agent_id,
                "to": to,
                "status": status,
                "ended_reason": ended_reason,
                "ended_at": ended_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        sid = d.pop("sid")

        agent_id = d.pop("agent_id")

        to = d.pop("to")

        status = CallStatus(d.pop("status"))

        ended_reason = d.pop("ended_reason")

        ended_at = datetime.datetime.fromisoformat(d.pop("ended_at"))

        ended_call = cls(
            id=id,
            sid=sid,
            agent_id=agent_id,
            to=to,
            status=status,
            ended_reason=ended_reason,
            ended_at=ended_at,
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
