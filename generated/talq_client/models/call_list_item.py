from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.call_direction import CallDirection
from ..models.call_status import CallStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.agent_summary import AgentSummary


T = TypeVar("T", bound="CallListItem")


@_attrs_define
class CallListItem:
    """A call as List Calls shows it, with its current status and its agent.

    Attributes:
        id (str): The call's id, as Make a Call answered it.
        sid (str): The call's SID, what End Call takes. In the mock it equals `id`.
        to (str): The number called, in international format.
        to_formatted (str): `to` for people: ten national digits as `(XXX) XXX-XXXX` (the `1` of an eleven-digit `+1`
            number dropped), otherwise as `to`.
        from_ (str): The number the call came from.
        from_formatted (str): `from` for people, formatted as `to_formatted`.
        is_testing (bool): Whether it is a test call.
        direction (CallDirection): Whether the agent placed the call (`outbound`) or received it (`inbound`).
        status (CallStatus): Where the call is in its lifecycle. A new call is `initiated`.
        duration (int): Seconds from answer to end; 0 while the call is not answered.
        created_at (datetime.datetime): An instant in RFC 3339 form, upper-case `T` and `Z`, e.g.
            `2024-01-15T10:30:00Z`.
        updated_at (datetime.datetime): An instant in RFC 3339 form, upper-case `T` and `Z`, e.g.
            `2024-01-15T10:30:00Z`.
        agent (AgentSummary): The agent of a call, in brief.
        ended_reason (None | str | Unset): Why the call ended (`completed`, `ended_by_api`, `busy`, `no-answer`,
            `failed`); null while it is active.
    """

    id: str
    sid: str
    to: str
    to_formatted: str
    from_: str
    from_formatted: str
    is_testing: bool
    direction: CallDirection
    status: CallStatus
    duration: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    agent: AgentSummary
    ended_reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        sid = self.sid

        to = self.to

        to_formatted = self.to_formatted

        from_ = self.from_

        from_formatted = self.from_formatted

        is_testing = self.is_testing

        direction = self.direction.value

        status = self.status.value

        duration = self.duration

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        agent = self.agent.to_dict()

        ended_reason: None | str | Unset
        if isinstance(self.ended_reason, Unset):
            ended_reason = UNSET
        else:
            ended_reason = self.ended_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "sid": sid,
                "to": to,
                "to_formatted": to_formatted,
                "from": from_,
                "from_formatted": from_formatted,
                "is_testing": is_testing,
                "direction": direction,
                "status": status,
                "duration": duration,
                "created_at": created_at,
                "updated_at": updated_at,
                "agent": agent,
            }
        )
        if ended_reason is not UNSET:
            field_dict["ended_reason"] = ended_reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agent_summary import AgentSummary  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        sid = d.pop("sid")

        to = d.pop("to")

        to_formatted = d.pop("to_formatted")

        from_ = d.pop("from")

        from_formatted = d.pop("from_formatted")

        is_testing = d.pop("is_testing")

        direction = CallDirection(d.pop("direction"))

        status = CallStatus(d.pop("status"))

        duration = d.pop("duration")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        agent = AgentSummary.from_dict(d.pop("agent"))

        def _parse_ended_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ended_reason = _parse_ended_reason(d.pop("ended_reason", UNSET))

        call_list_item = cls(
            id=id,
            sid=sid,
            to=to,
            to_formatted=to_formatted,
            from_=from_,
            from_formatted=from_formatted,
            is_testing=is_testing,
            direction=direction,
            status=status,
            duration=duration,
            created_at=created_at,
            updated_at=updated_at,
            agent=agent,
            ended_reason=ended_reason,
        )

        call_list_item.additional_properties = d
        return call_list_item

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
