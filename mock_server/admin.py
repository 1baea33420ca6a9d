"""The admin API under `/_mock/` (described by `openapi/mock-admin.yaml`; FastAPI's own OpenAPI output
is off), and the guard in front of it: the admin token when one is set, else loopback binds only."""

from __future__ import annotations

import hmac
import math
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from mock_server.http import Answer, ASGIScope, is_loopback, problem
from mock_server.settings import Settings
from mock_server.state.clock import iso_z
from mock_server.state.store import MockState
from mock_server.webhooks.dispatcher import Dispatcher

ADMIN_PREFIX = "/_mock"


def admin_forbidden() -> Answer:
    """The 403 in front of the admin API (a fresh answer each time: answers are changed by `header`)."""
    return problem(
        403,
        "ADMIN_FORBIDDEN",
        "The admin API is not available",
        "Send 'Authorization: Bearer <admin_token>' (the mock's admin_token setting); "
        "without an admin token the admin API is served on loopback binds only.",
    )


MAX_ADVANCE_SECONDS = 10 * 365 * 86_400


def _admin_error(detail: str) -> JSONResponse:
    body = {"type": "about:blank", "title": "Invalid admin request", "status": 400, "detail": detail}
    return JSONResponse(body, status_code=400, media_type="application/problem+json")


def admin_api(state: MockState, dispatcher: Dispatcher) -> FastAPI:
    """The admin API (openapi/mock-admin.yaml). Async handlers: they run on the event loop, like the
    pipeline, so state is never touched from two threads. Reads change nothing."""
    admin = FastAPI(title="talq mock admin", openapi_url=None, docs_url=None, redoc_url=None)

    def clock() -> dict[str, Any]:
        now = state.clock.time()
        return {
            "now": iso_z(now),
            "epoch": now,
            "offset_seconds": state.clock.offset,
            "scale": state.clock.scale,
        }

    @admin.get(ADMIN_PREFIX + "/health")
    async def health() -> dict[str, Any]:
        return {"status": "ok", "calls": len(state.calls)}

    @admin.post(ADMIN_PREFIX + "/reset")
    async def reset() -> dict[str, Any]:
        state.reset()
        return {"status": "reset"}

    @admin.get(ADMIN_PREFIX + "/clock")
    async def get_clock() -> dict[str, Any]:
        return clock()

    @admin.post(ADMIN_PREFIX + "/clock/advance", response_model=None)
    async def advance(request: Request) -> dict[str, Any] | JSONResponse:
        try:
            body = orjson.loads(await request.body())
        except orjson.JSONDecodeError:
            return _admin_error('The body must be JSON: {"seconds": <number >= 0>}.')
        seconds = body.get("seconds") if isinstance(body, dict) else None
        if (
            isinstance(seconds, bool)
            or not isinstance(seconds, int | float)
            or not math.isfinite(seconds)
            or not 0 <= seconds <= MAX_ADVANCE_SECONDS
        ):
            return _admin_error(f"`seconds` must be a number from 0 to {MAX_ADVANCE_SECONDS}.")
        state.clock.advance(float(seconds))
        emitted = dispatcher.pump()
        return {**clock(), "events_emitted": emitted}

    @admin.get(ADMIN_PREFIX + "/requests")
    async def requests(limit: int | None = None) -> dict[str, Any]:
        return {"requests": state.journal.entries(limit if limit and limit > 0 else None)}

    @admin.get(ADMIN_PREFIX + "/webhook-deliveries")
    async def deliveries(
        call_id: str | None = None, webhook_id: str | None = None, event_id: str | None = None
    ) -> dict[str, Any]:
        found = [
            delivery.as_data()
            for delivery in state.webhooks.deliveries
            if call_id in {None, delivery.call_id}
            and webhook_id in {None, delivery.webhook_id}
            and event_id in {None, delivery.event_id}
        ]
        return {"deliveries": found}

    return admin


def admin_allowed(settings: Settings, scope: ASGIScope) -> bool:
    """The admin API needs the admin token when one is set, and is off on a non-loopback bind without one."""
    if settings.admin_token is None:
        return is_loopback(settings.host)
    expected = f"Bearer {settings.admin_token}".encode()
    given = next((value for name, value in scope.get("headers", []) if name.lower() == b"authorization"), b"")
    return hmac.compare_digest(given, expected)
