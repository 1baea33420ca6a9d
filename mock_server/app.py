"""create_app(settings): the mock as one ASGI app.

Requests under `/_mock/` go to a small FastAPI app (the admin API, described by
`openapi/mock-admin.yaml`; FastAPI's own OpenAPI output is off); every other request goes to the lean
`Pipeline`, and is written to the request journal. The admin app's lifespan runs the webhook
dispatcher.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import math
from collections.abc import AsyncIterator
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from mock_server import scenarios
from mock_server.http import ASGIScope, problem, send_answer
from mock_server.pipeline import Pipeline
from mock_server.responder import BodyGenerator, check_headers_known
from mock_server.scenarios import Outcome
from mock_server.server import is_loopback
from mock_server.settings import Settings
from mock_server.spec.compiled import CompiledSpec, Operation, compile_validator, load_spec
from mock_server.spec.document import SpecError
from mock_server.state.lifecycle import iso
from mock_server.state.store import MockState
from mock_server.webhooks.dispatcher import Dispatcher

ADMIN_PREFIX = "/_mock"
log = logging.getLogger("mock_server")
ADMIN_FORBIDDEN = problem(
    403,
    "ADMIN_FORBIDDEN",
    "The admin API is not available",
    "Send 'Authorization: Bearer <admin_token>' (the mock's admin_token setting); "
    "without an admin token the admin API is served on loopback binds only.",
)


def check_spec_servable(spec: CompiledSpec) -> None:
    """Refuse, naming the construct, a spec the mock could not answer faithfully."""
    responses = [response for op in spec.operations.values() for response in op.responses.values()]
    check_headers_known(responses)
    generator = BodyGenerator(seed=0)
    for operation in spec.operations.values():
        for response in operation.responses.values():
            where = f"{operation.operation_id} response {response.status}"
            validator = compile_validator(response.schema, where)
            for name, example in response.examples.items():
                if not validator.is_valid(example):
                    raise SpecError(f"{where}: example {name!r} does not match the response schema.")
            try:
                sample = generator.generate(response.schema)
            except SpecError as error:
                raise SpecError(f"{where}: {error}") from error
            if not validator.is_valid(sample):
                raise SpecError(f"{where}: cannot generate a valid body from its schema (dynamic=true).")
        for outcome in pipeline_outcomes(operation):
            declared = operation.responses.get(outcome.status)
            if declared is None or outcome.example not in declared.examples:
                raise SpecError(
                    f"{operation.operation_id}: the mock can answer {outcome.status} with the example "
                    f"{outcome.example!r}, which the spec does not declare for this operation."
                )


def pipeline_outcomes(operation: Operation) -> list[Outcome]:
    """The answers the generic stages of the pipeline can give this operation."""
    outcomes = [scenarios.RATE_LIMIT_EXCEEDED, scenarios.VALIDATION_ERROR]
    if operation.secured:
        outcomes.append(scenarios.INVALID_TOKEN)
    if operation.body_validator is not None:
        outcomes += [scenarios.REQUEST_TIMEOUT, scenarios.PAYLOAD_TOO_LARGE]
    return outcomes


MAX_ADVANCE_SECONDS = 10 * 365 * 86_400


def _admin_error(detail: str) -> JSONResponse:
    body = {"type": "about:blank", "title": "Invalid admin request", "status": 400, "detail": detail}
    return JSONResponse(body, status_code=400, media_type="application/problem+json")


def admin_api(state: MockState, dispatcher: Dispatcher) -> FastAPI:
    """The admin API (openapi/mock-admin.yaml). Async handlers: they run on the event loop, like the
    pipeline, so state is never touched from two threads."""

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(dispatcher.run(), name="talq-webhooks")
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    admin = FastAPI(
        title="talq mock admin", openapi_url=None, docs_url=None, redoc_url=None, lifespan=lifespan
    )

    def clock() -> dict[str, Any]:
        now = state.clock.time()
        return {
            "now": iso(now),
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
        dispatcher.pump()
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


class MockApp:
    def __init__(self, settings: Settings, spec: CompiledSpec, state: MockState) -> None:
        self.settings = settings
        self.spec = spec
        self.state = state
        self.pipeline = Pipeline(spec, state, settings)
        self.dispatcher = Dispatcher(state, settings)
        self.admin = admin_api(state, self.dispatcher)

    async def __call__(self, scope: ASGIScope, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(ADMIN_PREFIX):
            await self._pipeline(scope, receive, send)
            return
        if scope["type"] == "http" and not admin_allowed(self.settings, scope):
            await send_answer(send, ADMIN_FORBIDDEN)
            return
        await self.admin(scope, receive, send)

    async def _pipeline(self, scope: ASGIScope, receive: Any, send: Any) -> None:
        try:
            await self.pipeline(scope, receive, send)
        except Exception:  # a bug must not become a traceback in a response
            log.exception("unexpected error answering %s %s", scope.get("method"), scope.get("path"))
            await send_answer(
                send,
                problem(
                    500,
                    "UNEXPECTED_ERROR",
                    "Unexpected error in the mock",
                    "The mock failed; its log has the details. Please report it.",
                ),
            )


def create_app(settings: Settings | None = None) -> MockApp:
    """Load and check the spec once, create fresh state, and build the app."""
    settings = settings or Settings()
    spec = load_spec(settings.spec_path)
    check_spec_servable(spec)
    return MockApp(settings, spec, MockState.create(settings))


__all__ = ["ADMIN_PREFIX", "MockApp", "create_app"]
