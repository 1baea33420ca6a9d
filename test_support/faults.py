"""Fault injection, for the contract tests only: a mock that breaks the contract on purpose.

`contract_tests/test_suite_can_fail.py` starts the mock through `faulty_app(settings, fault)` and shows
that the contract checks notice each break. It lives outside `mock_server` (not in the
wheel); `python -m mock_server` cannot enable a fault.

    undocumented_status   every 200 is sent as 201, a status the spec does not define
    drop_rate_limit_remaining   the required X-RateLimit-Remaining header is left out
    accept_invalid_phone  a 400 INVALID_PHONE_NUMBER becomes a 200 with a call: an invalid `to` accepted
    wrong_error_code      every error body carries a code documented for another status
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from typing import Any

import orjson

from mock_server.app import MockApp
from mock_server.http import ASGIScope
from mock_server.operations.webhook_endpoints import available_events, webhook_defaults
from mock_server.servable import check_spec_servable
from mock_server.settings import Settings
from mock_server.spec.compiled import CompiledSpec, load_spec
from mock_server.state.store import MockState


class Fault(StrEnum):
    UNDOCUMENTED_STATUS = "undocumented_status"
    DROP_RATE_LIMIT_REMAINING = "drop_rate_limit_remaining"
    ACCEPT_INVALID_PHONE = "accept_invalid_phone"
    WRONG_ERROR_CODE = "wrong_error_code"


UNDOCUMENTED_STATUS = 201
ACCEPTED_CALL = {
    "success": True,
    "data": {
        "id": "call_fault",
        "agent_id": "agent_123456",
        "to": "+1234567890",
        "status": "initiated",
        "created_at": "2024-01-15T10:30:00Z",
    },
}


def _wrong_code(status: int) -> str:
    """A real ErrorCode, but one the spec documents for a different status."""
    return "INVALID_TOKEN" if status != 401 else "AGENT_NOT_FOUND"


def rewrite(
    fault: Fault, status: int, headers: list[tuple[bytes, bytes]], body: bytes
) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """The answer as the faulty mock sends it (a pure function, tested on its own)."""
    parsed: Any = None
    if body:
        try:
            parsed = orjson.loads(body)
        except orjson.JSONDecodeError:
            parsed = None
    error = parsed.get("error") if isinstance(parsed, dict) else None
    if fault is Fault.UNDOCUMENTED_STATUS and status == 200:
        status = UNDOCUMENTED_STATUS
    elif fault is Fault.DROP_RATE_LIMIT_REMAINING:
        headers = [(name, value) for name, value in headers if name.lower() != b"x-ratelimit-remaining"]
    elif (
        fault is Fault.ACCEPT_INVALID_PHONE
        and status == 400
        and isinstance(error, dict)
        and error.get("code") == "INVALID_PHONE_NUMBER"
    ):
        status, body = 200, orjson.dumps(ACCEPTED_CALL)
    elif fault is Fault.WRONG_ERROR_CODE and isinstance(error, dict) and "code" in error:
        error["code"] = _wrong_code(status)
        body = orjson.dumps(parsed)
    headers = [(name, value) for name, value in headers if name.lower() != b"content-length"]
    headers.append((b"content-length", str(len(body)).encode()))
    return status, headers, body


class FaultyApp(MockApp):
    """The mock, with every vendor-path answer passed through `rewrite(fault, ...)`."""

    def __init__(self, settings: Settings, spec: CompiledSpec, state: MockState, fault: Fault) -> None:
        super().__init__(settings, spec, state)
        self.fault = fault

    async def __call__(self, scope: ASGIScope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def buffered(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            status, headers, body = rewrite(
                self.fault, start["status"], list(start.get("headers", [])), b"".join(chunks)
            )
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await super().__call__(scope, receive, buffered)


def faulty_app(settings: Settings, fault: Fault | str) -> FaultyApp:
    """Like `create_app`, with one deliberate contract break."""
    settings = replace(settings)
    spec = load_spec(settings.spec_path)
    check_spec_servable(spec)
    return FaultyApp(
        settings,
        spec,
        MockState.create(settings, webhook_defaults(spec.operations), available_events(spec.operations)),
        Fault(fault),
    )


__all__ = ["Fault", "FaultyApp", "faulty_app", "rewrite"]
