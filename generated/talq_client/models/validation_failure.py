from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.validation_failure_errors import ValidationFailureErrors


T = TypeVar("T", bound="ValidationFailure")


@_attrs_define
class ValidationFailure:
    """The webhook endpoints' 422 (Laravel's form), a `message` and, per invalid field, what is wrong.

    Attributes:
        message (str):
        errors (ValidationFailureErrors): Each invalid field's name → its messages.
    """

    message: str
    errors: ValidationFailureErrors
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message = self.message

        errors = self.errors.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "message": message,
                "errors": errors,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.validation_failure_errors import ValidationFailureErrors  # noqa: PLC0415

        d = dict(src_dict)
        message = d.pop("message")

        errors = ValidationFailureErrors.from_dict(d.pop("errors"))

        validation_failure = cls(
            message=message,
            errors=errors,
        )

        validation_failure.additional_properties = d
        return validation_failure

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
