from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.agent_current_status import AgentCurrentStatus
from ..models.call_direction import CallDirection

T = TypeVar("T", bound="Agent")


@_attrs_define
class Agent:
    """A voice agent.

    Attributes:
        id (str):
        name (str):
        label (str):
        description (str):
        language (str):
        current_status (AgentCurrentStatus): A draft agent cannot place calls (Make a Call answers `AGENT_INACTIVE`).
        direction (CallDirection): Whether the agent placed the call (`outbound`) or received it (`inbound`).
        is_sandbox (bool):
        created_at (datetime.datetime): An instant in RFC 3339 form, upper-case `T` and `Z`, e.g.
            `2024-01-15T10:30:00Z`.
        updated_at (datetime.datetime):
    """

    id: str
    name: str
    label: str
    description: str
    language: str
    current_status: AgentCurrentStatus
    direction: CallDirection
    is_sandbox: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        label = self.label

        description = self.description

        language = self.language

        current_status = self.current_status.value

        direction = self.direction.value

        is_sandbox = self.is_sandbox

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "label": label,
                "description": description,
                "language": language,
                "current_status": current_status,
                "direction": direction,
                "is_sandbox": is_sandbox,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        label = d.pop("label")

        description = d.pop("description")

        language = d.pop("language")

        current_status = AgentCurrentStatus(d.pop("current_status"))

        direction = CallDirection(d.pop("direction"))

        is_sandbox = d.pop("is_sandbox")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        agent = cls(
            id=id,
            name=name,
            label=label,
            description=description,
            language=language,
            current_status=current_status,
            direction=direction,
            is_sandbox=is_sandbox,
            created_at=created_at,
            updated_at=updated_at,
        )

        agent.additional_properties = d
        return agent

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
