from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.webhook_event_name import WebhookEventName

T = TypeVar("T", bound="Webhook")


@_attrs_define
class Webhook:
    """A registered webhook. Its secret is never shown again.

    Attributes:
        id (str):
        agent_id (str):
        name (str):
        webhook_url (str):
        events (list[WebhookEventName]):
        timeout (int):
        max_retries (int):
        enabled (bool):
        has_secret (bool): Whether deliveries are signed.
        created_at (datetime.datetime): An instant in RFC 3339 form, upper-case `T` and `Z`, e.g.
            `2024-01-15T10:30:00Z`.
        updated_at (datetime.datetime):
    """

    id: str
    agent_id: str
    name: str
    webhook_url: str
    events: list[WebhookEventName]
    timeout: int
    max_retries: int
    enabled: bool
    has_secret: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        agent_id = self.agent_id

        name = self.name

        webhook_url = self.webhook_url

        events = []
        for events_item_data in self.events:
            events_item = events_item_data.value
            events.append(events_item)

        timeout = self.timeout

        max_retries = self.max_retries

        enabled = self.enabled

        has_secret = self.has_secret

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "agent_id": agent_id,
                "name": name,
                "webhook_url": webhook_url,
                "events": events,
                "timeout": timeout,
                "max_retries": max_retries,
                "enabled": enabled,
                "has_secret": has_secret,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        agent_id = d.pop("agent_id")

        name = d.pop("name")

        webhook_url = d.pop("webhook_url")

        events = []
        _events = d.pop("events")
        for events_item_data in _events:
            events_item = WebhookEventName(events_item_data)

            events.append(events_item)

        timeout = d.pop("timeout")

        max_retries = d.pop("max_retries")

        enabled = d.pop("enabled")

        has_secret = d.pop("has_secret")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        webhook = cls(
            id=id,
            agent_id=agent_id,
            name=name,
            webhook_url=webhook_url,
            events=events,
            timeout=timeout,
            max_retries=max_retries,
            enabled=enabled,
            has_secret=has_secret,
            created_at=created_at,
            updated_at=updated_at,
        )

        webhook.additional_properties = d
        return webhook

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
