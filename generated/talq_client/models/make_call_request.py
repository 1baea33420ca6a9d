from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.make_call_request_context import MakeCallRequestContext
    from ..models.make_call_request_payload import MakeCallRequestPayload


T = TypeVar("T", bound="MakeCallRequest")


@_attrs_define
class MakeCallRequest:
    """What to call and how. Unknown extra properties are accepted and ignored.

    Attributes:
        to (str): The number to call, in international E.164 format (`+`, then 2–15 digits, first digit 1–9).
        payload (MakeCallRequestPayload | Unset): Prompt replacement variables: each key matches a placeholder in the
            agent's prompt and its value replaces it for this call.
        context (MakeCallRequestContext | Unset): Custom data of the caller's own (a CRM id, say). It is not used in the
            conversation and is echoed unchanged in every webhook event of this call.
        delay_seconds (int | Unset): How many seconds to wait before placing the call. Default: 0.
        is_testing (bool | Unset): A test call spends no credits and is left out of analytics. Default: False.
    """

    to: str
    payload: MakeCallRequestPayload | Unset = UNSET
    context: MakeCallRequestContext | Unset = UNSET
    delay_seconds: int | Unset = 0
    is_testing: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        to = self.to

        payload: dict[str, Any] | Unset = UNSET
        if not isinstance(self.payload, Unset):
            payload = self.payload.to_dict()

        context: dict[str, Any] | Unset = UNSET
        if not isinstance(self.context, Unset):
            context = self.context.to_dict()

        delay_seconds = self.delay_seconds

        is_testing = self.is_testing

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "to": to,
            }
        )
        if payload is not UNSET:
            field_dict["payload"] = payload
        if context is not UNSET:
            field_dict["context"] = context
        if delay_seconds is not UNSET:
            field_dict["delay_seconds"] = delay_seconds
        if is_testing is not UNSET:
            field_dict["is_testing"] = is_testing

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.make_call_request_context import MakeCallRequestContext  # noqa: PLC0415
        from ..models.make_call_request_payload import MakeCallRequestPayload  # noqa: PLC0415

        d = dict(src_dict)
        to = d.pop("to")

        _payload = d.pop("payload", UNSET)
        payload: MakeCallRequestPayload | Unset
        if isinstance(_payload, Unset):
            payload = UNSET
        else:
            payload = MakeCallRequestPayload.from_dict(_payload)

        _context = d.pop("context", UNSET)
        context: MakeCallRequestContext | Unset
        if isinstance(_context, Unset):
            context = UNSET
        else:
            context = MakeCallRequestContext.from_dict(_context)

        delay_seconds = d.pop("delay_seconds", UNSET)

        is_testing = d.pop("is_testing", UNSET)

        make_call_request = cls(
            to=to,
            payload=payload,
            context=context,
            delay_seconds=delay_seconds,
            is_testing=is_testing,
        )

        make_call_request.additional_properties = d
        return make_call_request

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
