"""The answers the proxy gives itself, in the API's error envelope.

The spec's own answers (the operation's invalid-request answer, 401, 408, 413) are the spec's named
examples, as the mock gives them. The proxy's own codes (`PROXY_*`) are kept apart from the vendor's
`ErrorCode` enum: they say something about the proxy or the upstream, never about the API. Every answer
the proxy makes itself carries `X-Talq-Proxy: <code>`, so it can never be mistaken for the upstream's.
"""

from __future__ import annotations

from functools import lru_cache
from types import MappingProxyType
from typing import Any

from mock_server import scenarios
from mock_server.http import Answer, json_answer, problem
from mock_server.proxy.findings import Finding
from mock_server.responder import error_body, error_code
from mock_server.scenarios import Outcome
from mock_server.spec.compiled import Operation
from mock_server.validation.violations import MAX_VIOLATIONS, Violation, sl_violations_header

PROXY_HEADER = "X-Talq-Proxy"

# The proxy's own error codes: code -> (status, what it means). Documented in the README.
UPSTREAM_UNREACHABLE = "PROXY_UPSTREAM_UNREACHABLE"
UPSTREAM_TIMEOUT = "PROXY_UPSTREAM_TIMEOUT"
INVALID_RESPONSE = "PROXY_INVALID_RESPONSE"
REAL_CALL_BLOCKED = "PROXY_REAL_CALL_BLOCKED"
INTERNAL_ERROR = "PROXY_INTERNAL_ERROR"
PROXY_CODES = MappingProxyType(
    {
        INTERNAL_ERROR: 502,
        UPSTREAM_UNREACHABLE: 502,
        UPSTREAM_TIMEOUT: 504,
        INVALID_RESPONSE: 502,
        REAL_CALL_BLOCKED: 400,
    }
)


def violations_header(findings: list[Finding]) -> str:
    return _violations_header(tuple(finding.violation for finding in findings[:MAX_VIOLATIONS]))


@lru_cache(maxsize=256)  # the same drift repeats exchange after exchange: encode it once
def _violations_header(violations: tuple[Violation, ...]) -> str:
    return sl_violations_header(list(violations))


def proxy_error(code: str, message: str, details: dict[str, Any] | None = None) -> Answer:
    """An answer with one of the proxy's own codes."""
    error: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    answer = json_answer(PROXY_CODES[code], {"success": False, "error": error}, code)
    return answer.header(PROXY_HEADER, code)


def spec_error(operation: Operation | None, outcome: Outcome, details: dict[str, Any] | None) -> Answer:
    """The spec's named example for `outcome` (as the mock answers it), with `details` about this
    request; problem+json when no operation of the spec declares it (an unknown path)."""
    response = operation.responses.get(outcome.status) if operation else None
    if response is None or outcome.example not in response.examples:
        answer = problem(
            outcome.status,
            outcome.example.upper(),
            "Refused by the proxy",
            f"The request was refused before it reached the upstream ({outcome.example}); details: {details}",
        )
    else:
        body = error_body(response, outcome.example, details)
        answer = json_answer(outcome.status, body, error_code(body))
    return answer.header(PROXY_HEADER, outcome.example.upper())


def invalid_request(operation: Operation | None, findings: list[Finding], details: dict[str, Any]) -> Answer:
    """`--errors`: an invalid request, never forwarded. Security alone → 401 INVALID_TOKEN; an unknown
    route → 404/405 problem+json as the mock answers; anything else → the operation's invalid-request
    answer (400 VALIDATION_ERROR for Make a Call, 422 for the others, in their page's form)."""
    if operation is None:
        violation = findings[0].violation
        status = 405 if violation.code == "method" else 404
        kind = "NO_METHOD_MATCHED_ERROR" if status == 405 else "NO_PATH_MATCHED_ERROR"
        answer = problem(status, kind, "Route not resolved by the spec", violation.message)
        answer.header(PROXY_HEADER, kind)
    elif all(finding.kind == "security" for finding in findings):
        answer = spec_error(operation, scenarios.INVALID_TOKEN, None)
    else:
        invalid = scenarios.INVALID_REQUEST_OUTCOMES.get(operation.operation_id, scenarios.INVALID_DATA)
        answer = spec_error(operation, invalid, details)
    return answer.header("sl-violations", violations_header(findings))
