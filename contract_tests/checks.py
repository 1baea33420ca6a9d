"""Project checks added to schemathesis' own, for pytest and for the CLI (`hooks` in schemathesis.toml).

schemathesis validates each answer against its status' schema, but an error body whose `code` is a
valid ErrorCode for the wrong status or the wrong operation (a 404 saying INVALID_TOKEN, a Get Agent
answering CALL_NOT_ACTIVE) passes the schema. And since schemathesis.toml declares 400 and 422 expected
statuses for valid data (a few documented refusals are outcomes of server state, not of the data), a valid
request refused with any *other* 400 or 422 must still fail.
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
    """The envelope's `error.code`, or the `code` of `{success: false, message, code}` (End Call's 409)."""
    error = _error(response)
    body = _body(response)
    if error is None and isinstance(body, dict) and body.get("success") is False:
        error = body
    code = error.get("code") if error is not None else None
    return code if isinstance(code, str) else None


def _agent_inactive(body: dict[str, Any]) -> bool:
    return isinstance(body.get("error"), dict) and body["error"].get("code") == "AGENT_INACTIVE"


def _only_webhook_url_refused(body: dict[str, Any]) -> bool:
    """A `{message, errors}` whose errors name webhook_url and nothing else (the allow-list refusal)."""
    errors = body.get("errors")
    return isinstance(errors, dict) and list(errors) == ["webhook_url"]


# The documented refusals that valid data may get, per status and operation: each is an outcome of the
# server's state or configuration, not of the data. Any other 400 or 422 on valid data fails
# valid_data_refusal_is_documented.
#   makeCall 400: the agent exists but is a draft (AGENT_INACTIVE).
#   createWebhook 422: the mock delivers only to its allow-listed hosts (loopback by default), so a valid
#     `webhook_url` on another host is refused with `errors` naming webhook_url (and only it).
VALID_DATA_REFUSALS: dict[tuple[int, str], Callable[[dict[str, Any]], bool]] = {
    (400, "makeCall"): _agent_inactive,
    (422, "createWebhook"): _only_webhook_url_refused,
    (422, "updateWebhook"): _only_webhook_url_refused,  # a new webhook_url, held to the same host rules
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
def valid_data_refusal_is_documented(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case[Any]
) -> bool | None:
    """Valid data may be refused with 400 or 422 only as VALID_DATA_REFUSALS allows (schemathesis.toml)."""
    meta = case.meta
    if meta is None or meta.generation.mode is not GenerationMode.POSITIVE:
        return None
    if response.status_code not in {400, 422}:
        return None
    operation_id = contract_for(case.operation.path, case.operation.method).operation_id
    allowed = VALID_DATA_REFUSALS.get((response.status_code, operation_id))
    body = _body(response)
    if allowed is None or not isinstance(body, dict) or not allowed(body):
        raise AssertionError(
            f"Valid data was refused by {operation_id} with {response.status_code} ({body}); only "
            f"{sorted(VALID_DATA_REFUSALS)} may be, as VALID_DATA_REFUSALS in contract_tests/checks.py says."
        )
    return True


PROJECT_CHECKS = (error_code_matches_status, valid_data_refusal_is_documented)


@schemathesis.hook
def before_call(ctx: schemathesis.HookContext, case: schemathesis.Case[Any], kwargs: dict[str, Any]) -> None:
    """Register every webhook a contract run creates disabled, and keep an update from enabling one: it
    never delivers, so a run leaves no webhook posting events to an address nobody listens on. Only a
    boolean or absent (create) / boolean (update) `enabled` is set (a body made invalid on purpose
    stays invalid)."""
    operation = case.operation
    if operation is None or not isinstance(case.body, dict):
        return
    method = operation.method.lower()
    if method == "post" and operation.path.endswith("/webhooks"):
        if isinstance(case.body.get("enabled", False), bool):
            case.body["enabled"] = False
    elif (
        method == "put"
        and operation.path.endswith("/webhooks/{webhook_id}")
        and isinstance(case.body.get("enabled"), bool)
    ):
        case.body["enabled"] = False


@schemathesis.hook
def after_call(
    ctx: schemathesis.HookContext, case: schemathesis.Case[Any], response: schemathesis.Response
) -> None:
    """Toggle Webhook flips `enabled` whatever the body: when a run's toggle turned a webhook on, toggle
    it once more (off), so that no webhook of the run is left enabled to deliver call events."""
    operation = case.operation
    if operation is None or operation.method.lower() != "patch" or not operation.path.endswith("/toggle"):
        return
    body = _body(response)
    data = body.get("data") if response.status_code == 200 and isinstance(body, dict) else None
    if isinstance(data, dict) and data.get("enabled") is True:
        # The same request with the same credentials (paced like the run's): it answers enabled false,
        # so this hook then does nothing more.
        case.call(headers=dict(response.request.headers))
