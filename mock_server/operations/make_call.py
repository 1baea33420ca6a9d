"""Make a Call (operationId makeCall): agent → credits → a new `initiated` call."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mock_server import scenarios
from mock_server.operations.base import (
    Context,
    Failure,
    Result,
    Success,
    agent_status,
    field_details,
    validation_error,
)
from mock_server.state.calls import CallRecord
from mock_server.validation.violations import Violation

PHONE_FIELD = "to"


def classify(violations: list[Violation]) -> Failure:
    """The vendor's specific codes when `to` is wrong; VALIDATION_ERROR for anything else."""
    phone = [violation for violation in violations if violation.field == PHONE_FIELD]
    if not phone:
        return validation_error(violations)
    missing = any(violation.code == "required" for violation in phone)
    outcome = scenarios.MISSING_PHONE_NUMBER if missing else scenarios.INVALID_PHONE_NUMBER
    return Failure(outcome, {"field": PHONE_FIELD, **field_details(violations)})


async def handle(context: Context) -> Result:
    agent_id = context.path_params["agent_id"]
    status = agent_status(context)
    if isinstance(status, Failure):
        return status
    if status == scenarios.AGENT_DRAFT:
        return Failure(scenarios.AGENT_INACTIVE, {"agent_id": agent_id})
    body: dict[str, Any] = context.body  # validated, with the spec's defaults (is_testing, delay_seconds)
    is_testing = body["is_testing"] is True
    draft = CallRecord(
        id="",  # the store gives it its id
        agent_id=agent_id,
        to=body[PHONE_FIELD],
        created_at=datetime.fromtimestamp(0, UTC),  # the store sets the admission's time
        is_testing=is_testing,
        delay_seconds=int(body["delay_seconds"]),
        payload=body.get("payload") or {},
        context=body.get("context") or {},
        size=context.body_bytes + len(agent_id),
    )
    call = await context.store.calls.place(draft, None if is_testing else context.token, context.gate)
    if call is None:
        return Failure(scenarios.INSUFFICIENT_CREDITS, {"credits": 0})
    # A new call is `initiated` (the vendor's rule); the lifecycle moves it on from here.
    return Success(scenarios.CALL_CREATED.status, {"success": True, "data": call.as_data("initiated")})
