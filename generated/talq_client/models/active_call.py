from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.active_call_status import ActiveCallStatus

T = TypeVar("T", bound="ActiveCall")


@_attrs_define
class ActiveCall:
    """An active call of the agent with the number.

    Attributes:
        id (str): The call's id (Make a Call's `data.id`; End Call's `call_sid`).
        agent_id (str):
        to (str):
        status (ActiveCallStatus): Only active statuses.
        started_at (datetime.datetime | None): When the call was placed (it started ringing); null while it is
            `initiated`.
        duration_seconds (int): Seconds since the call was answered; 0 before.
    """

    id: str
    agent_id: str
    to: str
    status: ActiveCallStatus
    started_at: datetime.datetime | None
    duration_seconds: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        agent_id = self.agent_id

        to = self.to

        status = self.status.value

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        duration_seconds = self.duration_seconds

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "agent_id": agent_id,
                "to": to,
                "status": status,
                "started_at": started_at,
                "duration_seconds": duration_seconds,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        agent_id = d.pop("agent_id")

        to = d.pop("to")

        status = ActiveCallStatus(d.pop("status"))

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))

        duration_seconds = d.pop("duration_seconds")

        active_call = cls(
            id=id,
            agent_id=agent_id,
            to=to,
            status=status,
            started_at=started_at,
            duration_seconds=duration_seconds,
        )

        active_call.additional_properties = d
        return active_call

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
