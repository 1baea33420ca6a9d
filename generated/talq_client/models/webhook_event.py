from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.known_webhook_event_name import KnownWebhookEventName

if TYPE_CHECKING:
    from ..models.webhook_call import WebhookCall
    from ..models.webhook_event_context import WebhookEventContext


T = TypeVar("T", bound="WebhookEvent")


@_attrs_define
class WebhookEvent:
    """The body of every webhook delivery: one event about one call. `id` is stable across retries
    (de-duplicate on it); `context` is the call's `context` from Make a Call, unchanged.

        Attributes:
            id (str): The event's id, the same in every delivery attempt.
            event (KnownWebhookEventName | str): An event a webhook can subscribe to: one of `KnownWebhookEventName`, or
                another `event_` name, since the vendor adds events (`available_events` of List Agent Webhooks is the live
                list). The SDK reads a known name as a `KnownWebhookEventName` and any other as a plain `str`; the proxy and the
                mock accept any name of this form, so a webhook with a newer event is still valid.
            created_at (datetime.datetime): An instant in RFC 3339 form, upper-case `T` and `Z`, e.g.
                `2024-01-15T10:30:00Z`.
            agent_id (str):
            call (WebhookCall): The call an event is about, as it is at the event's `created_at`.
            context (WebhookEventContext): The `context` given to Make a Call, unchanged (`{}` when none was given).
    """

    id: str
    event: KnownWebhookEventName | str
    created_at: datetime.datetime
    agent_id: str
    call: WebhookCall
    context: WebhookEventContext
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        event: str
        if isinstance(self.event, KnownWebhookEventName):
            event = self.event.value
        else:
            event = self.event

        created_at = self.created_at.isoformat()

        agent_id = self.agent_id

        call = self.call.to_dict()

        context = self.context.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "event": event,
                "created_at": created_at,
                "agent_id": agent_id,
                "call": call,
                "context": context,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.webhook_call import WebhookCall  # noqa: PLC0415
        from ..models.webhook_event_context import WebhookEventContext  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        def _parse_event(data: object) -> KnownWebhookEventName | str:
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

        event = _parse_event(d.pop("event"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        agent_id = d.pop("agent_id")

        call = WebhookCall.from_dict(d.pop("call"))

        context = WebhookEventContext.from_dict(d.pop("context"))

        webhook_event = cls(
            id=id,
            event=event,
            created_at=created_at,
            agent_id=agent_id,
            call=call,
            context=context,
        )

        webhook_event.additional_properties = d
        return webhook_event

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
