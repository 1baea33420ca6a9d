"""The mock's stages the proxy reuses, imported in this one place: the bounded body reader (413/408),
the Accept check (406), parameter and body validation, and the envelope's `details` for violations."""

from __future__ import annotations

from mock_server.http import BodyTimedOut, BodyTooLarge, read_bounded_body
from mock_server.negotiation.accept import acceptable
from mock_server.operations.base import field_details
from mock_server.spec.compiled import Operation
from mock_server.spec.document import JSON
from mock_server.validation.body import request_body
from mock_server.validation.parameters import parameter_values
from mock_server.validation.violations import Violation

__all__ = [
    "BodyTimedOut",
    "BodyTooLarge",
    "acceptable",
    "field_details",
    "read_bounded_body",
    "validate_request",
]


def validate_request(
    operation: Operation, path_params: dict[str, str], query_string: str, content_type: str | None, raw: bytes
) -> tuple[JSON, list[Violation]]:
    """Parameters and body of a request, every problem collected: the mock's stage 7."""
    _, _, violations = parameter_values(operation, path_params, query_string)
    body, body_violations = request_body(operation, content_type, raw)
    return body, violations + body_violations
