"""The exceptions the `*_or_raise` functions raise, all `TalqError`, in a tree by HTTP status, then code.

One class per error status the spec declares (`errors.NotFound`, `errors.Conflict`,
`errors.UnprocessableContent`, `errors.TooManyRequests`, ...) and, under it, one class per `ErrorCode`
an answer of that status can carry (`errors.AgentNotFoundError` is a `NotFound`; a code the spec lists
under two statuses derives from both). Catch by status, or by code.

The vendor's pages show four error bodies, and every one becomes the same exception: the envelope
`{"success": false, "error": {code, message, details}}`, `{"success": false, "message", "code"?}`,
`{"message"}` and `{"message", "errors": {field: [messages]}}`. `TalqError` carries the HTTP status, the
`code` when the body has one, the `message` always, `details`, `errors` (field → messages, for invalid
input), the `rate_limit` of the answer, its raw `body` and the `httpx.Response`. An answer in none of
these forms (a problem+json body, a body that is not JSON, a success body that does not match the spec,
a status the spec does not list) raises `UnexpectedResponseError`. Generated from the spec by
`make generate`.
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
        errors: each invalid field → its messages (a 422's `errors`, or the envelope's `details.fields`).
        rate_limit: the answer's `X-RateLimit-*` and `Retry-After` headers.
        body: the answer's body, parsed from JSON when it is JSON, else the text.
        response: the raw `httpx.Response`, when there is one.
    """

    error_code: ClassVar[ErrorCode | None] = None
    http_status: ClassVar[int | None] = None

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
        errors: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(f"{status} {code or 'error'}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details: dict[str, Any] = details if details is not None else {}
        self.errors: dict[str, list[str]] = errors if errors is not None else {}
        self.rate_limit = rate_limit if rate_limit is not None else RateLimit()
        self.body = body
        self.response = response


class UnexpectedResponseError(TalqError):
    """An answer that is not what the spec documents for the operation: a problem+json or non-JSON
    body, a body that does not match the documented schema, or an undocumented status. `body` has it."""


class BadRequest(TalqError):
    """Any 400 answer (codes INVALID_PHONE_NUMBER, MISSING_PHONE_NUMBER, AGENT_INACTIVE, VALIDATION_ERROR)."""

    http_status = 400


class Unauthorized(TalqError):
    """Any 401 answer (codes INVALID_TOKEN)."""

    http_status = 401


class PaymentRequired(TalqError):
    """Any 402 answer (codes INSUFFICIENT_CREDITS)."""

    http_status = 402


class Forbidden(TalqError):
    """Any 403 answer (codes UNAUTHORIZED)."""

    http_status = 403


class NotFound(TalqError):
    """Any 404 answer (codes AGENT_NOT_FOUND, CAMPAIGN_NOT_FOUND)."""

    http_status = 404


class RequestTimeout(TalqError):
    """Any 408 answer (codes REQUEST_TIMEOUT)."""

    http_status = 408


class Conflict(TalqError):
    """Any 409 answer (codes CALL_NOT_ACTIVE)."""

    http_status = 409


class ContentTooLarge(TalqError):
    """Any 413 answer (codes PAYLOAD_TOO_LARGE)."""

    http_status = 413


class UnprocessableContent(TalqError):
    """Any 422 answer (codes VALIDATION_ERROR)."""

    http_status = 422


class TooManyRequests(TalqError):
    """Any 429 answer (codes RATE_LIMIT_EXCEEDED)."""

    http_status = 429


class InternalServerError(TalqError):
    """Any 500 answer (codes SERVER_ERROR)."""

    http_status = 500


class Status502(TalqError):
    """Any 502 answer."""

    http_status = 502


class Status503(TalqError):
    """Any 503 answer (codes STORE_UNAVAILABLE)."""

    http_status = 503


class AgentInactiveError(BadRequest):
    """`AGENT_INACTIVE`."""

    error_code = ErrorCode.AGENT_INACTIVE


class AgentNotFoundError(NotFound):
    """`AGENT_NOT_FOUND`."""

    error_code = ErrorCode.AGENT_NOT_FOUND


class CallNotActiveError(Conflict):
    """`CALL_NOT_ACTIVE`."""

    error_code = ErrorCode.CALL_NOT_ACTIVE


class InsufficientCreditsError(PaymentRequired):
    """`INSUFFICIENT_CREDITS`."""

    error_code = ErrorCode.INSUFFICIENT_CREDITS


class InvalidPhoneNumberError(BadRequest):
    """`INVALID_PHONE_NUMBER`."""

    error_code = ErrorCode.INVALID_PHONE_NUMBER


class InvalidTokenError(Unauthorized):
    """`INVALID_TOKEN`."""

    error_code = ErrorCode.INVALID_TOKEN


class MissingPhoneNumberError(BadRequest):
    """`MISSING_PHONE_NUMBER`."""

    error_code = ErrorCode.MISSING_PHONE_NUMBER


class PayloadTooLargeError(ContentTooLarge):
    """`PAYLOAD_TOO_LARGE`."""

    error_code = ErrorCode.PAYLOAD_TOO_LARGE


class RateLimitExceededError(TooManyRequests):
    """`RATE_LIMIT_EXCEEDED`."""

    error_code = ErrorCode.RATE_LIMIT_EXCEEDED


class RequestTimeoutError(RequestTimeout):
    """`REQUEST_TIMEOUT`."""

    error_code = ErrorCode.REQUEST_TIMEOUT


class ServerError(InternalServerError):
    """`SERVER_ERROR`."""

    error_code = ErrorCode.SERVER_ERROR


class StoreUnavailableError(Status503):
    """`STORE_UNAVAILABLE`."""

    error_code = ErrorCode.STORE_UNAVAILABLE


class UnauthorizedError(Forbidden):
    """`UNAUTHORIZED`."""

    error_code = ErrorCode.UNAUTHORIZED


class ValidationError(BadRequest, UnprocessableContent):
    """`VALIDATION_ERROR`."""

    error_code = ErrorCode.VALIDATION_ERROR


ERRORS_BY_STATUS: dict[int, type[TalqError]] = {
    400: BadRequest,
    401: Unauthorized,
    402: PaymentRequired,
    403: Forbidden,
    404: NotFound,
    408: RequestTimeout,
    409: Conflict,
    413: ContentTooLarge,
    422: UnprocessableContent,
    429: TooManyRequests,
    500: InternalServerError,
    502: Status502,
    503: Status503,
}

ERRORS_BY_CODE: dict[str, type[TalqError]] = {
    "AGENT_INACTIVE": AgentInactiveError,
    "AGENT_NOT_FOUND": AgentNotFoundError,
    "CALL_NOT_ACTIVE": CallNotActiveError,
    "INSUFFICIENT_CREDITS": InsufficientCreditsError,
    "INVALID_PHONE_NUMBER": InvalidPhoneNumberError,
    "INVALID_TOKEN": InvalidTokenError,
    "MISSING_PHONE_NUMBER": MissingPhoneNumberError,
    "PAYLOAD_TOO_LARGE": PayloadTooLargeError,
    "RATE_LIMIT_EXCEEDED": RateLimitExceededError,
    "REQUEST_TIMEOUT": RequestTimeoutError,
    "SERVER_ERROR": ServerError,
    "STORE_UNAVAILABLE": StoreUnavailableError,
    "UNAUTHORIZED": UnauthorizedError,
    "VALIDATION_ERROR": ValidationError,
}

# Codes the spec documents for a status that are not `ErrorCode` values (the campaign endpoints' own
# `CampaignErrorCode`): raised as that status's class, with `code` the string.
OTHER_DOCUMENTED_CODES: dict[int, frozenset[str]] = {
    404: frozenset(["CAMPAIGN_NOT_FOUND"]),
}


def _body(content: bytes) -> Any:
    try:
        return json.loads(content)
    except ValueError:
        return content.decode("utf-8", errors="replace")


def _field_errors(value: Any) -> dict[str, list[str]]:
    """`{field: [messages]}` from a 422's `errors`, or from the envelope's `details.fields` list."""
    if isinstance(value, dict):
        return {
            str(k): [str(m) for m in v] if isinstance(v, list) else [str(v)]
            for k, v in value.items()
        }
    found: dict[str, list[str]] = {}
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict) and "field" in item:
            found.setdefault(str(item["field"]), []).append(
                str(item.get("message", ""))
            )
    return found


def _error_class(status: int, code: str | None) -> type[TalqError]:
    """The code's class when it belongs under this status, else the status's class, else TalqError."""
    by_status = ERRORS_BY_STATUS.get(status, TalqError)
    by_code = ERRORS_BY_CODE.get(code) if code is not None else None
    if by_code is not None and issubclass(by_code, by_status):
        return by_code
    return by_status


def error_from_response(
    response: Response[Any], description: str | None = None
) -> TalqError:
    """The exception for an answer that is not the operation's success: never raises itself."""
    status = int(response.status_code)
    body = _body(response.content)
    rate_limit = RateLimit.from_headers(response.headers)
    raw = response.http_response
    envelope = body.get("error") if isinstance(body, dict) else None
    if isinstance(envelope, dict) and isinstance(envelope.get("code"), str):
        code: str | None = envelope["code"]
        message = envelope.get("message")
        found = envelope.get("details")
        details: dict[str, Any] = found if isinstance(found, dict) else {}
        field_errors = _field_errors(details.get("fields"))
    elif (
        isinstance(body, dict)
        and isinstance(body.get("message"), str)
        and status in ERRORS_BY_STATUS
    ):
        code = body["code"] if isinstance(body.get("code"), str) else None
        message = body["message"]
        details = {}
        field_errors = _field_errors(body.get("errors"))
    else:
        if isinstance(body, dict) and isinstance(
            body.get("title"), str
        ):  # RFC 9457 problem+json
            text = f"{body['title']}: {body.get('detail', '')}".rstrip(": ")
        else:
            text = (
                description
                or f"The API answered {status} with a body this client does not expect."
            )
        return UnexpectedResponseError(
            text, status=status, body=body, rate_limit=rate_limit, response=raw
        )
    known: str | None = (
        ErrorCode(code) if code is not None and code in ERRORS_BY_CODE else code
    )
    documented = (
        code is None
        or code in ERRORS_BY_CODE
        or code in OTHER_DOCUMENTED_CODES.get(status, ())
    )
    error_class = _error_class(status, code) if documented else TalqError
    return error_class(
        message if isinstance(message, str) else f"The API answered {status} {code}.",
        status=status,
        code=known,
        details=details,
        rate_limit=rate_limit,
        body=body,
        response=raw,
        errors=field_errors,
    )


__all__ = [
    "ERRORS_BY_CODE",
    "ERRORS_BY_STATUS",
    "TalqError",
    "UnexpectedResponseError",
    "UnexpectedStatus",
    "error_from_response",
    "BadRequest",
    "Unauthorized",
    "PaymentRequired",
    "Forbidden",
    "NotFound",
    "RequestTimeout",
    "Conflict",
    "ContentTooLarge",
    "UnprocessableContent",
    "TooManyRequests",
    "InternalServerError",
    "Status502",
    "Status503",
    "AgentInactiveError",
    "AgentNotFoundError",
    "CallNotActiveError",
    "InsufficientCreditsError",
    "InvalidPhoneNumberError",
    "InvalidTokenError",
    "MissingPhoneNumberError",
    "PayloadTooLargeError",
    "RateLimitExceededError",
    "RequestTimeoutError",
    "ServerError",
    "StoreUnavailableError",
    "UnauthorizedError",
    "ValidationError",
]
