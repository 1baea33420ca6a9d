from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.known_webhook_event_name import KnownWebhookEventName
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateWebhookRequest")


@_attrs_define
class CreateWebhookRequest:
    """A webhook to register for the agent.

    Attributes:
        name (str):
        webhook_url (str): Where the events are sent (at most 500 characters).
        events (list[KnownWebhookEventName | str]):
        webhook_secret (str | Unset): When given, each delivery is signed with HMAC-SHA256 (header `X-Talq-Signature`).
        timeout (int | Unset): Seconds to wait for the receiver's answer to one delivery attempt. Default: 30.
        max_retries (int | Unset): Attempts after the first when the receiver fails (no 2xx in time), with exponential
            backoff. Default: 3.
        enabled (bool | Unset):  Default: True.
    """

    name: str
    webhook_url: str
    events: list[KnownWebhookEventName | str]
    webhook_secret: str | Unset = UNSET
    timeout: int | Unset = 30
    max_retries: int | Unset = 3
    enabled: bool | Unset = True
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
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

        webhook_secret = self.webhook_secret

        timeout = self.timeout

        max_retries = self.max_retries

        enabled = self.enabled

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "webhook_url": webhook_url,
                "events": events,
            }
        )
        if webhook_secret is not UNSET:
            field_dict["webhook_secret"] = webhook_secret
        if timeout is not UNSET:
            field_dict["timeout"] = timeout
        if max_retries is not UNSET:
            field_dict["max_retries"] = max_retries
        if enabled is not UNSET:
            field_dict["enabled"] = enabled

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
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

        webhook_secret = d.pop("webhook_secret", UNSET)

        timeout = d.pop("timeout", UNSET)

        max_retries = d.pop("max_retries", UNSET)

        enabled = d.pop("enabled", UNSET)

        create_webhook_request = cls(
            name=name,
            webhook_url=webhook_url,
            events=events,
            webhook_secret=webhook_secret,
            timeout=timeout,
            max_retries=max_retries,
            enabled=enabled,
        )

        create_webhook_request.additional_properties = d
        return create_webhook_request

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
