from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.known_webhook_event_name import KnownWebhookEventName
from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateWebhookRequest")


@_attrs_define
class UpdateWebhookRequest:
    """What to change in a webhook; every field is optional and only those sent change.

    Attributes:
        name (str | Unset):
        webhook_url (str | Unset): Where the events are POSTed (at most 500 characters).
        webhook_secret (str | Unset):
        events (list[KnownWebhookEventName | str] | Unset):
        timeout (int | Unset):
        max_retries (int | Unset):
        enabled (bool | Unset):
    """

    name: str | Unset = UNSET
    webhook_url: str | Unset = UNSET
    webhook_secret: str | Unset = UNSET
    events: list[KnownWebhookEventName | str] | Unset = UNSET
    timeout: int | Unset = UNSET
    max_retries: int | Unset = UNSET
    enabled: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        webhook_url = self.webhook_url

        webhook_secret = self.webhook_secret

        events: list[str] | Unset = UNSET
        if not isinstance(self.events, Unset):
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

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if webhook_url is not UNSET:
            field_dict["webhook_url"] = webhook_url
        if webhook_secret is not UNSET:
            field_dict["webhook_secret"] = webhook_secret
        if events is not UNSET:
            field_dict["events"] = events
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
        name = d.pop("name", UNSET)

        webhook_url = d.pop("webhook_url", UNSET)

        webhook_secret = d.pop("webhook_secret", UNSET)

        _events = d.pop("events", UNSET)
        events: list[KnownWebhookEventName | str] | Unset = UNSET
        if _events is not UNSET:
            events = []
            for events_item_data in _events:

                def _parse_events_item(data: object) -> KnownWebhookEventName | str:
                    try:
                        if not isinstance(data, str):
                            raise TypeError()
                        componentsschemas_webhook_event_name_type_0 = (
                            KnownWebhookEventName(data)
                        )

                        return componentsschemas_webhook_event_name_type_0
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    return cast(KnownWebhookEventName | str, data)

                events_item = _parse_events_item(events_item_data)

                events.append(events_item)

        timeout = d.pop("timeout", UNSET)

        max_retries = d.pop("max_retries", UNSET)

        enabled = d.pop("enabled", UNSET)

        update_webhook_request = cls(
            name=name,
            webhook_url=webhook_url,
            webhook_secret=webhook_secret,
            events=events,
            timeout=timeout,
            max_retries=max_retries,
            enabled=enabled,
        )

        update_webhook_request.additional_properties = d
        return update_webhook_request

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
