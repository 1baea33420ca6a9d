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
from mock_server.state.ports import NAMESPACE_HEADER, ClockView, Store, StoreUnavailable
from mock_server.webhooks.dispatcher import Dispatcher
from mock_server.webhooks.shared import SharedDispatcher

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


def _unavailable(error: StoreUnavailable) -> JSONResponse:
    body = {
        "type": "about:blank",
        "title": "The shared store is unavailable",
        "status": 503,
        "detail": str(error),
    }
    return JSONResponse(
        body, status_code=503, media_type="application/problem+json", headers={"Retry-After": "1"}
    )


def admin_api(store: Store, dispatcher: Dispatcher | SharedDispatcher) -> FastAPI:
    """The admin API (openapi/mock-admin.yaml). Async handlers: they run on the event loop, like the
    pipeline, so state is never touched from two threads. Reads change nothing. Each acts on the
    namespace of its `X-Talq-Namespace` header (the shared store's; else the mock's own)."""
    admin = FastAPI(title="talq mock admin", openapi_url=None, docs_url=None, redoc_url=None)

    @admin.exception_handler(StoreUnavailable)
    async def unavailable(_request: Request, error: StoreUnavailable) -> JSONResponse:
        return _unavailable(error)

    def scoped(request: Request) -> Store:
        try:
            return store.namespace(request.headers.get(NAMESPACE_HEADER))
        except ValueError as error:
            raise _BadNamespace(str(error)) from error

    @admin.exception_handler(_BadNamespace)
    async def bad_namespace(_request: Request, error: _BadNamespace) -> JSONResponse:
        return _admin_error(f"Header X-Talq-Namespace: {error}")

    def clock(view: ClockView) -> dict[str, Any]:
        return {"now": iso_z(view.now), "epoch": view.now, "offset_seconds": view.offset, "scale": view.scale}

    @admin.get(ADMIN_PREFIX + "/health")
    async def health(request: Request) -> dict[str, Any]:
        return {"status": "ok", "calls": await scoped(request).calls.count()}

    @admin.post(ADMIN_PREFIX + "/reset")
    async def reset(request: Request) -> dict[str, Any]:
        await scoped(request).reset()
        return {"status": "reset"}

    @admin.get(ADMIN_PREFIX + "/clock")
    async def get_clock(request: Request) -> dict[str, Any]:
        return clock(await scoped(request).clock.view())

    @admin.post(ADMIN_PREFIX + "/clock/advance", response_model=None)
    async def advance(request: Request) -> dict[str, Any] | JSONResponse:
        target = scoped(request)
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
        view = await target.clock.advance(float(seconds))
        await target.campaigns.dispatch(view.now)  # a campaign call due now is a call with events
        emitted = await dispatcher.pump_now(target)
        return {**clock(view), "events_emitted": emitted}

    @admin.get(ADMIN_PREFIX + "/requests")
    async def requests(request: Request, limit: int | None = None) -> dict[str, Any]:
        return {"requests": await scoped(request).journal.entries(limit if limit and limit > 0 else None)}

    @admin.get(ADMIN_PREFIX + "/webhook-deliveries")
    async def deliveries(
        request: Request,
        call_id: str | None = None,
        webhook_id: str | None = None,
        event_id: str | None = None,
    ) -> dict[str, Any]:
        found = [
            delivery
            for delivery in await scoped(request).webhooks.deliveries()
            if call_id in {None, delivery["call_id"]}
            and webhook_id in {None, delivery["webhook_id"]}
            and event_id in {None, delivery["event_id"]}
        ]
        return {"deliveries": found}

    return admin


class _BadNamespace(Exception):
    """An `X-Talq-Namespace` header the shared store cannot take."""


def admin_allowed(settings: Settings, scope: ASGIScope) -> bool:
    """The admin API needs the admin token when one is set, and is off on a non-loopback bind without one."""
    if settings.admin_token is None:
        return is_loopback(settings.host)
    expected = f"Bearer {settings.admin_token}".encode()
    given = next((value for name, value in scope.get("headers", []) if name.lower() == b"authorization"), b"")
    return hmac.compare_digest(given, expected)
