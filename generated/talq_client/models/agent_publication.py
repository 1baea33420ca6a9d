from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.agent_publication_current_status import AgentPublicationCurrentStatus

T = TypeVar("T", bound="AgentPublication")


@_attrs_define
class AgentPublication:
    """The agent after Publish or Unpublish Agent.

    Attributes:
        id (str):
        name (str):
        current_status (AgentPublicationCurrentStatus):
        is_ready_to_publish (bool): Whether the agent is configured well enough to be published.
        updated_at (datetime.datetime): An instant in RFC 3339 form, upper-case `T` and `Z`, e.g.
            `2024-01-15T10:30:00Z`.
    """

    id: str
    name: str
    current_status: AgentPublicationCurrentStatus
    is_ready_to_publish: bool
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        current_status = self.current_status.value

        is_ready_to_publish = self.is_ready_to_publish

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "current_status": current_status,
                "is_ready_to_publish": is_ready_to_publish,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        current_status = AgentPublicationCurrentStatus(d.pop("current_status"))

        is_ready_to_publish = d.pop("is_ready_to_publish")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        agent_publication = cls(
            id=id,
            name=name,
            current_status=current_status,
            is_ready_to_publish=is_ready_to_publish,
            updated_at=updated_at,
        )

        agent_publication.additional_properties = d
        return agent_publication

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
