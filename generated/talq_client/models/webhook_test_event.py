from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="WebhookTestEvent")


@_attrs_define
class WebhookTestEvent:
    """The payload Test Webhook sends to the webhook's URL.

    Attributes:
        event (Literal['webhook.test']):
        agent_id (str):
        agent_name (str):
        webhook_id (str):
        webhook_name (str):
        timestamp (datetime.datetime): An instant in RFC 3339 form, upper-case `T` and `Z`, e.g. `2024-01-15T10:30:00Z`.
        test (Literal[True]):
    """

    event: Literal["webhook.test"]
    agent_id: str
    agent_name: str
    webhook_id: str
    webhook_name: str
    timestamp: datetime.datetime
    test: Literal[True]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event = self.event

        agent_id = self.agent_id

        agent_name = self.agent_name

        webhook_id = self.webhook_id

        webhook_name = self.webhook_name

        timestamp = self.timestamp.isoformat()

        test = self.test

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event": event,
                "agent_id": agent_id,
                "agent_name": agent_name,
                "webhook_id": webhook_id,
                "webhook_name": webhook_name,
                "timestamp": timestamp,
                "test": test,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event = cast(Literal["webhook.test"], d.pop("event"))
        if event != "webhook.test":
            raise ValueError(f"event must match const 'webhook.test', got '{event}'")

        agent_id = d.pop("agent_id")

        agent_name = d.pop("agent_name")

        webhook_id = d.pop("webhook_id")

        webhook_name = d.pop("webhook_name")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        test = cast(Literal[True], d.pop("test"))
        if test != True:
            raise ValueError(f"test must match const True, got '{test}'")

        webhook_test_event = cls(
            event=event,
            agent_id=agent_id,
            agent_name=agent_name,
            webhook_id=webhook_id,
            webhook_name=webhook_name,
            timestamp=timestamp,
            test=test,
        )

        webhook_test_event.additional_properties = d
        return webhook_test_event

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
