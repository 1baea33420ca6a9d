from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.known_webhook_event_name import KnownWebhookEventName
from ..models.webhook_status import WebhookStatus

T = TypeVar("T", bound="Webhook")


@_attrs_define
class Webhook:
    """A registered webhook. Its secret is never shown.

    Attributes:
        id (str):
        agent_id (str):
        name (str):
        webhook_url (str):
        events (list[KnownWebhookEventName | str]):
        timeout (int):
        max_retries (int):
        enabled (bool):
        created_at (datetime.datetime): An instant as the webhook endpoints write it, with six fraction digits, e.g.
            `2025-09-03T23:19:51.000000Z`.
        updated_at (datetime.datetime): An instant as the webhook endpoints write it, with six fraction digits, e.g.
            `2025-09-03T23:19:51.000000Z`.
        events_count (int): How many events the webhook subscribes to.
        status (WebhookStatus): Whether the webhook delivers (`active`), is switched off (`disabled`) or is failing
            (`error`).
    """

    id: str
    agent_id: str
    name: str
    webhook_url: str
    events: list[KnownWebhookEventName | str]
    timeout: int
    max_retries: int
    enabled: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    events_count: int
    status: WebhookStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        agent_id = self.agent_id

        name = self.name

        webhook_url = self.webhook_url

        events = []
        for events_item_data in self.events:
            events_item: str
            if isinstance(events_item_data, KnownWebhookEventName):
                events_item = events_item_data.value
            else:
                events_item = events_item_data
            events.append(events_item)

        timeout = self.timeout

        max_retries = self.max_retries

        enabled = self.enabled

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        events_count = self.events_count

        status = self.status.value

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
                "created_at": created_at,
                "updated_at": updated_at,
                "events_count": events_count,
                "status": status,
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

            def _parse_events_item(data: object) -> KnownWebhookEventName | str:
                try:
                    if not isinstance(data, str):
                        raise TypeError()
                    componentsschemas_webhook_event_name_type_0 = KnownWebhookEventName(
                        data
                    )

                    return componentsschemas_webhook_event_name_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast(KnownWebhookEventName | str, data)

            events_item = _parse_events_item(events_item_data)

            events.append(events_item)

        timeout = d.pop("timeout")

        max_retries = d.pop("max_retries")

        enabled = d.pop("enabled")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        events_count = d.pop("events_count")

        status = WebhookStatus(d.pop("status"))

        webhook = cls(
            id=id,
            agent_id=agent_id,
            name=name,
            webhook_url=webhook_url,
            events=events,
            timeout=timeout,
            max_retries=max_retries,
            enabled=enabled,
            created_at=created_at,
            updated_at=updated_at,
            events_count=events_count,
            status=status,
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
