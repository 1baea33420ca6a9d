"""Project checks added to schemathesis' own, for pytest and for the CLI (`hooks` in schemathesis.toml).

schemathesis validates each answer against its status' schema, but an error body whose `code` is a
valid ErrorCode for the wrong status or the wrong operation (a 404 saying INVALID_TOKEN, a Get Agent
answering CALL_NOT_FOUND) passes the schema. And since schemathesis.toml declares 400 an expected status
for valid data (a few documented 400s are outcomes of server state, not of the data), a valid request
refused with any *other* 400 must still fail.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import schemathesis
from schemathesis import GenerationMode

from contract_tests.oracle import contract_for


def _body(response: schemathesis.Response) -> Any:
    try:
        return response.json()
    except Exception:  # not JSON: other checks report it
        return None


def _error(response: schemathesis.Response) -> dict[str, Any] | None:
    body = _body(response)
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else None


def _error_code(response: schemathesis.Response) -> str | None:
    error = _error(response)
    code = error.get("code") if error is not None else None
    return code if isinstance(code, str) else None


def _only_webhook_url_refused(error: dict[str, Any]) -> bool:
    """A VALIDATION_ERROR whose details name webhook_url and nothing else (the allow-list refusal)."""
    details = error.get("details")
    fields = details.get("fields") if isinstance(details, dict) else None
    if not isinstance(fields, list) or not fields:
        return False
    return all(isinstance(item, dict) and item.get("field") == "webhook_url" for item in fields)


# The documented 400s that valid data may get, per operation: each is an outcome of the server's state or
# configuration, not of the data. Any other 400 on valid data fails valid_data_400_is_documented.
#   makeCall: the agent exists but is a draft (AGENT_INACTIVE).
#   createWebhook: the mock delivers only to its allow-listed hosts (loopback by default), so a valid
#     `webhook_url` on another host is refused with VALIDATION_ERROR naming webhook_url (and only it).
VALID_DATA_400: dict[str, dict[str, Callable[[dict[str, Any]], bool]]] = {
    "makeCall": {"AGENT_INACTIVE": lambda error: True},
    "createWebhook": {"VALIDATION_ERROR": _only_webhook_url_refused},
}


@schemathesis.check
def error_code_matches_status(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case[Any]
) -> bool | None:
    """An error body's code must be one the spec documents (in its examples) for this operation and status."""
    operation = contract_for(case.operation.path, case.operation.method)
    documented = operation.responses.get(response.status_code)
    code = _error_code(response)
    if documented is None or code is None or response.status_code < 400:
        return None
    if code not in documented.codes:
        raise AssertionError(
            f"Error code {code!r} is not documented for {operation.operation_id} {response.status_code}; "
            f"the spec documents {sorted(documented.codes)} there."
        )
    return True


@schemathesis.check
def valid_data_400_is_documented(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case[Any]
) -> bool | None:
    """Valid data may be refused with 400 only as VALID_DATA_400 allows (see schemathesis.toml)."""
    meta = case.meta
    if meta is None or meta.generation.mode is not GenerationMode.POSITIVE or response.status_code != 400:
        return None
    operation_id = contract_for(case.operation.path, case.operation.method).operation_id
    allowed = VALID_DATA_400.get(operation_id, {})
    error = _error(response)
    code = _error_code(response)
    if error is None or code not in allowed or not allowed[code](error):
        raise AssertionError(
            f"Valid data was refused by {operation_id} with 400 {code!r} ({error}); "
            f"only {sorted(allowed) or 'no 400'} may be, as VALID_DATA_400 in contract_tests/checks.py says."
        )
    return True


PROJECT_CHECKS = (error_code_matches_status, valid_data_400_is_documented)


@schemathesis.hook
def before_call(ctx: schemathesis.HookContext, case: schemathesis.Case[Any], kwargs: dict[str, Any]) -> None:
    """Register every webhook a contract run creates disabled: it never delivers, so a run leaves no
    webhook posting events to an address nobody listens on. Only a boolean or absent `enabled` is set
    (a body made invalid on purpose stays invalid)."""
    operation = case.operation
    if operation is None or operation.method.lower() != "post" or not operation.path.endswith("/webhooks"):
        return
    if isinstance(case.body, dict) and isinstance(case.body.get("enabled", False), bool):
        case.body["enabled"] = False
