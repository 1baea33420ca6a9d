from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.webhook_log_status import WebhookLogStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.webhook_log_request_payload import WebhookLogRequestPayload
    from ..models.webhook_log_response_headers import WebhookLogResponseHeaders


T = TypeVar("T", bound="WebhookLog")


@_attrs_define
class WebhookLog:
    """One delivery attempt. `http_status`, `response_body` and `response_headers` are there when the receiver answered;
    `error` when the attempt failed; `delivered_at` when it succeeded.

        Attributes:
            id (str):
            webhook_id (str):
            event (str): The event delivered (`webhook.test` for Test Webhook's attempts).
            attempt (int): 1 for the first attempt, then each retry.
            status (WebhookLogStatus): `success`: the receiver answered 2xx in time.
            duration_ms (int):
            created_at (datetime.datetime): An instant in RFC 3339 form, upper-case `T` and `Z`, e.g.
                `2024-01-15T10:30:00Z`.
            http_status (int | Unset):
            request_payload (WebhookLogRequestPayload | Unset): The JSON body that was sent.
            response_body (str | Unset): The receiver's body (the mock keeps its first 1,024 characters).
            response_headers (WebhookLogResponseHeaders | Unset):
            error (str | Unset): Why the attempt failed.
            delivered_at (datetime.datetime | Unset): An instant in RFC 3339 form, upper-case `T` and `Z`, e.g.
                `2024-01-15T10:30:00Z`.
    """

    id: str
    webhook_id: str
    event: str
    attempt: int
    status: WebhookLogStatus
    duration_ms: int
    created_at: datetime.datetime
    http_status: int | Unset = UNSET
    request_payload: WebhookLogRequestPayload | Unset = UNSET
    response_body: str | Unset = UNSET
    response_headers: WebhookLogResponseHeaders | Unset = UNSET
    error: str | Unset = UNSET
    delivered_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        webhook_id = self.webhook_id

        event = self.event

        attempt = self.attempt

        status = self.status.value

        duration_ms = self.duration_ms

        created_at = self.created_at.isoformat()

        http_status = self.http_status

        request_payload: dict[str, Any] | Unset = UNSET
        if not isinstance(self.request_payload, Unset):
            request_payload = self.request_payload.to_dict()

        response_body = self.response_body

        response_headers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.response_headers, Unset):
            response_headers = self.response_headers.to_dict()

        error = self.error

        delivered_at: str | Unset = UNSET
        if not isinstance(self.delivered_at, Unset):
            delivered_at = self.delivered_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "webhook_id": webhook_id,
                "event": event,
                "attempt": attempt,
                "status": status,
                "duration_ms": duration_ms,
                "created_at": created_at,
            }
        )
        if http_status is not UNSET:
            field_dict["http_status"] = http_status
        if request_payload is not UNSET:
            field_dict["request_payload"] = request_payload
        if response_body is not UNSET:
            field_dict["response_body"] = response_body
        if response_headers is not UNSET:
            field_dict["response_headers"] = response_headers
        if error is not UNSET:
            field_dict["error"] = error
        if delivered_at is not UNSET:
            field_dict["delivered_at"] = delivered_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.webhook_log_request_payload import WebhookLogRequestPayload  # noqa: PLC0415
        from ..models.webhook_log_response_headers import WebhookLogResponseHeaders  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        webhook_id = d.pop("webhook_id")

        event = d.pop("event")

        attempt = d.pop("attempt")

        status = WebhookLogStatus(d.pop("status"))

        duration_ms = d.pop("duration_ms")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        http_status = d.pop("http_status", UNSET)

        _request_payload = d.pop("request_payload", UNSET)
        request_payload: WebhookLogRequestPayload | Unset
        if isinstance(_request_payload, Unset):
            request_payload = UNSET
        else:
            request_payload = WebhookLogRequestPayload.from_dict(_request_payload)

        response_body = d.pop("response_body", UNSET)

        _response_headers = d.pop("response_headers", UNSET)
        response_headers: WebhookLogResponseHeaders | Unset
        if isinstance(_response_headers, Unset):
            response_headers = UNSET
        else:
            response_headers = WebhookLogResponseHeaders.from_dict(_response_headers)

        error = d.pop("error", UNSET)

        _delivered_at = d.pop("delivered_at", UNSET)
        delivered_at: datetime.datetime | Unset
        if isinstance(_delivered_at, Unset):
            delivered_at = UNSET
        else:
            delivered_at = datetime.datetime.fromisoformat(_delivered_at)

        webhook_log = cls(
            id=id,
            webhook_id=webhook_id,
            event=event,
            attempt=attempt,
            status=status,
            duration_ms=duration_ms,
            created_at=created_at,
            http_status=http_status,
            request_payload=request_payload,
            response_body=response_body,
            response_headers=response_headers,
            error=error,
            delivered_at=delivered_at,
        )

        webhook_log.additional_properties = d
        return webhook_log

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
