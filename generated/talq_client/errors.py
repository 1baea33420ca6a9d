"""The exceptions the `*_or_raise` functions raise: one class per `ErrorCode` of the spec, all `TalqError`.

`TalqError` carries the HTTP status, the error `code`, `message` and `details` of the envelope
`{"success": false, "error": {...}}`, the `rate_limit` of the answer, its raw `body` and the
`httpx.Response`. An answer that is not that envelope (a problem+json body, a body that is not JSON,
a success body that does not match the spec, a status the spec does not list) raises
`UnexpectedResponseError`; an envelope with a code this client does not know raises `TalqError` itself
with that code. Generated from the spec's `ErrorCode` by `make generate`.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

import httpx

from .models.error_code import ErrorCode
from .ratelimit import RateLimit
from .types import Response


class UnexpectedStatus(Exception):
    """Raised by api functions when the response status an undocumented status and Client.raise_on_unexpected_status is True"""

    def __init__(self, status_code: int, content: bytes):
        self.status_code = status_code
        self.content = content

        super().__init__(
            f"Unexpected status code: {status_code}\n\nResponse content:\n{content.decode(errors='ignore')}"
        )


class TalqError(Exception):
    """An error answer of the Talq API.

    Attributes:
        status: the HTTP status code.
        code: the envelope's `error.code` (an `ErrorCode` when this client knows it), or None.
        message: the envelope's `error.message` (or a description of the unexpected answer).
        details: the envelope's `error.details` ({} when absent).
        rate_limit: the answer's `X-RateLimit-*` and `Retry-After` headers.
        body: the answer's body, parsed from JSON when it is JSON, else the text.
        response: the raw `httpx.Response`, when there is one.
    """

    error_code: ClassVar[ErrorCode | None] = None

    def __init__(
        self,
        message: str,
        *,
        status: int,
        code: str | None = None,
        details: dict[str, Any] | None = None,
        rate_limit: RateLimit | None = None,
        body: Any = None,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(f"{status} {code or 'error'}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details: dict[str, Any] = details if details is not None else {}
        self.rate_limit = rate_limit if rate_limit is not None else RateLimit()
        self.body = body
        self.response = response


class UnexpectedResponseError(TalqError):
    """An answer that is not what the spec documents for the operation: a problem+json or non-JSON
    body, a body that does not match the documented schema, or an undocumented status. `body` has it."""


class AgentInactiveError(TalqError):
    """`AGENT_INACTIVE`."""

    error_code = ErrorCode.AGENT_INACTIVE


class AgentNotFoundError(TalqError):
    """`AGENT_NOT_FOUND`."""

    error_code = ErrorCode.AGENT_NOT_FOUND


class CallNotActiveError(TalqError):
    """`CALL_NOT_ACTIVE`."""

    error_code = ErrorCode.CALL_NOT_ACTIVE


class CallNotFoundError(TalqError):
    """`CALL_NOT_FOUND`."""

    error_code = ErrorCode.CALL_NOT_FOUND


class InsufficientCreditsError(TalqError):
    """`INSUFFICIENT_CREDITS`."""

    error_code = ErrorCode.INSUFFICIENT_CREDITS


class InvalidPhoneNumberError(TalqError):
    """`INVALID_PHONE_NUMBER`."""

    error_code = ErrorCode.INVALID_PHONE_NUMBER


class InvalidTokenError(TalqError):
    """`INVALID_TOKEN`."""

    error_code = ErrorCode.INVALID_TOKEN


class MissingPhoneNumberError(TalqError):
    """`MISSING_PHONE_NUMBER`."""

    error_code = ErrorCode.MISSING_PHONE_NUMBER


class PayloadTooLargeError(TalqError):
    """`PAYLOAD_TOO_LARGE`."""

    error_code = ErrorCode.PAYLOAD_TOO_LARGE


class RateLimitExceededError(TalqError):
    """`RATE_LIMIT_EXCEEDED`."""

    error_code = ErrorCode.RATE_LIMIT_EXCEEDED


class RequestTimeoutError(TalqError):
    """`REQUEST_TIMEOUT`."""

    error_code = ErrorCode.REQUEST_TIMEOUT


class StoreUnavailableError(TalqError):
    """`STORE_UNAVAILABLE`."""

    error_code = ErrorCode.STORE_UNAVAILABLE


class ValidationError(TalqError):
    """`VALIDATION_ERROR`."""

    error_code = ErrorCode.VALIDATION_ERROR


class WebhookNotFoundError(TalqError):
    """`WEBHOOK_NOT_FOUND`."""

    error_code = ErrorCode.WEBHOOK_NOT_FOUND


ERRORS_BY_CODE: dict[str, type[TalqError]] = {
    "AGENT_INACTIVE": AgentInactiveError,
    "AGENT_NOT_FOUND": AgentNotFoundError,
    "CALL_NOT_ACTIVE": CallNotActiveError,
    "CALL_NOT_FOUND": CallNotFoundError,
    "INSUFFICIENT_CREDITS": InsufficientCreditsError,
    "INVALID_PHONE_NUMBER": InvalidPhoneNumberError,
    "INVALID_TOKEN": InvalidTokenError,
    "MISSING_PHONE_NUMBER": MissingPhoneNumberError,
    "PAYLOAD_TOO_LARGE": PayloadTooLargeError,
    "RATE_LIMIT_EXCEEDED": RateLimitExceededError,
    "REQUEST_TIMEOUT": RequestTimeoutError,
    "STORE_UNAVAILABLE": StoreUnavailableError,
    "VALIDATION_ERROR": ValidationError,
    "WEBHOOK_NOT_FOUND": WebhookNotFoundError,
}


def _body(content: bytes) -> Any:
    try:
        return json.loads(content)
    except ValueError:
        return content.decode("utf-8", errors="replace")


def error_from_response(
    response: Response[Any], description: str | None = None
) -> TalqError:
    """The exception for an answer that is not the operation's success: never raises itself."""
    status = int(response.status_code)
    body = _body(response.content)
    rate_limit = RateLimit.from_headers(response.headers)
    raw = response.http_response
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and isinstance(error.get("code"), str):
        code: str = error["code"]
        message = error.get("message")
        details = error.get("details")
        error_class = ERRORS_BY_CODE.get(code, TalqError)
        known: str = ErrorCode(code) if code in ERRORS_BY_CODE else code
        return error_class(
            message
            if isinstance(message, str)
            else f"The API answered {status} {code}.",
            status=status,
            code=known,
            details=details if isinstance(details, dict) else {},
            rate_limit=rate_limit,
            body=body,
            response=raw,
        )
    if isinstance(body, dict) and isinstance(
        body.get("title"), str
    ):  # RFC 9457 problem+json
        message = f"{body['title']}: {body.get('detail', '')}".rstrip(": ")
    else:
        message = (
            description
            or f"The API answered {status} with a body this client does not expect."
        )
    return UnexpectedResponseError(
        message, status=status, body=body, rate_limit=rate_limit, response=raw
    )


__all__ = [
    "ERRORS_BY_CODE",
    "TalqError",
    "UnexpectedResponseError",
    "UnexpectedStatus",
    "error_from_response",
    "AgentInactiveError",
    "AgentNotFoundError",
    "CallNotActiveError",
    "CallNotFoundError",
    "InsufficientCreditsError",
    "InvalidPhoneNumberError",
    "InvalidTokenError",
    "MissingPhoneNumberError",
    "PayloadTooLargeError",
    "RateLimitExceededError",
    "RequestTimeoutError",
    "StoreUnavailableError",
    "ValidationError",
    "WebhookNotFoundError",
]
