from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.call_direction import CallDirection
from ..models.call_status import CallStatus

T = TypeVar("T", bound="WebhookCall")


@_attrs_define
class WebhookCall:
    """The call an event is about, as it is at the event's `created_at`.

    Attributes:
        id (str): The call's id (Make a Call's `data.id`).
        agent_id (str):
        to (str):
        from_ (str):
        direction (CallDirection): Whether the agent placed the call (`outbound`) or received it (`inbound`).
        is_testing (bool):
        status (CallStatus): Where the call is in its lifecycle. A new call is `initiated`.
        created_at (datetime.datetime): An instant in RFC 3339 form, upper-case `T` and `Z`, e.g.
            `2024-01-15T10:30:00Z`.
        started_at (datetime.datetime | None): When the call was placed (it started ringing); null before.
        answered_at (datetime.datetime | None): When the call was answered; null if it was not (yet).
        ended_at (datetime.datetime | None): When the call ended; null while it is active.
        duration (int): Seconds from answer to end (or to the event); 0 if not answered.
        ended_reason (None | str): Why the call ended (`completed`, `ended_by_api`, `busy`, `no-answer`, `failed`); null
            while active.
    """

    id: str
    agent_id: str
    to: str
    from_: str
    direction: CallDirection
    is_testing: bool
    status: CallStatus
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    answered_at: datetime.datetime | None
    ended_at: datetime.datetime | None
    duration: int
    ended_reason: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        agent_id = self.agent_id

        to = self.to

        from_ = self.from_

        direction = self.direction.value

        is_testing = self.is_testing

        status = self.status.value

        created_at = self.created_at.isoformat()

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        answered_at: None | str
        if isinstance(self.answered_at, datetime.datetime):
            answered_at = self.answered_at.isoformat()
        else:
            answered_at = self.answered_at

        ended_at: None | str
        if isinstance(self.ended_at, datetime.datetime):
            ended_at = self.ended_at.isoformat()
        else:
            ended_at = self.ended_at

        duration = self.duration

        ended_reason: None | str
        ended_reason = self.ended_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "agent_id": agent_id,
                "to": to,
                "from": from_,
                "direction": direction,
                "is_testing": is_testing,
                "status": status,
                "created_at": created_at,
                "started_at": started_at,
                "answered_at": answered_at,
                "ended_at": ended_at,
                "duration": duration,
                "ended_reason": ended_reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        agent_id = d.pop("agent_id")

        to = d.pop("to")

        from_ = d.pop("from")

        direction = CallDirection(d.pop("direction"))

        is_testing = d.pop("is_testing")

        status = CallStatus(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

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

        def _parse_answered_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                answered_at_type_0 = datetime.datetime.fromisoformat(data)

                return answered_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        answered_at = _parse_answered_at(d.pop("answered_at"))

        def _parse_ended_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ended_at_type_0 = datetime.datetime.fromisoformat(data)

                return ended_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        ended_at = _parse_ended_at(d.pop("ended_at"))

        duration = d.pop("duration")

        def _parse_ended_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        ended_reason = _parse_ended_reason(d.pop("ended_reason"))

        webhook_call = cls(
            id=id,
            agent_id=agent_id,
            to=to,
            from_=from_,
            direction=direction,
            is_testing=is_testing,
            status=status,
            created_at=created_at,
            started_at=started_at,
            answered_at=answered_at,
            ended_at=ended_at,
            duration=duration,
            ended_reason=ended_reason,
        )

        webhook_call.additional_properties = d
        return webhook_call

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
