"""The mock's pipeline stages the proxy reuses, imported in this one place.

The request pipeline (`mock_server/pipeline.py`) is being cut into stage modules; when it is, only the
imports below change. Nothing else in `mock_server/proxy/` imports from the pipeline.
"""

from __future__ import annotations

from typing import Any, cast

from mock_server.operations.base import field_details
from mock_server.pipeline import BodyTooLarge, Pipeline, _acceptable, _declared_length, read_body
from mock_server.spec.compiled import Operation
from mock_server.spec.document import JSON
from mock_server.validation.violations import Violation

__all__ = [
    "BodyTooLarge",
    "acceptable",
    "declared_length",
    "field_details",
    "read_body",
    "validate_request",
]


def acceptable(accept: str | None) -> bool:
    """Whether an `Accept` header lets the operation answer JSON (the mock's 406 check)."""
    return _acceptable(accept)


def declared_length(headers: dict[str, str]) -> int:
    """The request's Content-Length (0 when absent or not a number)."""
    return _declared_length(headers)


def validate_request(
    operation: Operation,
    path_params: dict[str, str],
    query: dict[str, Any],
    content_type: str | None,
    raw: bytes,
) -> tuple[JSON, list[Violation]]:
    """Parameters and body of a request, every problem collected: the mock's stage 7, which uses no
    state of the pipeline (hence no pipeline object is needed to call it)."""
    return Pipeline._validate(cast(Pipeline, None), operation, path_params, query, content_type, raw)
