from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.error_code import ErrorCode
from ..types import UNSET, Unset

T = TypeVar("T", bound="FailureMessage")


@_attrs_define
class FailureMessage:
    """The other error form of the vendor's pages: `success` false and a `message` (End Call's and the webhook endpoints'
    404, End Call's 409 with a `code`).

        Attributes:
            success (Literal[False]): Always `false` on error.
            message (str): What went wrong.
            code (ErrorCode | Unset): Machine-readable reason of an error, in the `error` envelope (and in `code` of End
                Call's 409). `REQUEST_TIMEOUT` and `PAYLOAD_TOO_LARGE` are this project's codes for what the vendor documents no
                answer for; `STORE_UNAVAILABLE` is this project's code for a mock whose shared store does not answer. Each error
                response lists the codes it can carry in `x-talq-error-codes`.
    """

    success: Literal[False]
    message: str
    code: ErrorCode | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        message = self.message

        code: str | Unset = UNSET
        if not isinstance(self.code, Unset):
            code = self.code.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
                "message": message,
            }
        )
        if code is not UNSET:
            field_dict["code"] = code

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        success = cast(Literal[False], d.pop("success"))
        if success != False:
            raise ValueError(f"success must match const False, got '{success}'")

        message = d.pop("message")

        _code = d.pop("code", UNSET)
        code: ErrorCode | Unset
        if isinstance(_code, Unset):
            code = UNSET
        else:
            code = ErrorCode(_code)

        failure_message = cls(
            success=success,
            message=message,
            code=code,
        )

        failure_message.additional_properties = d
        return failure_message

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
