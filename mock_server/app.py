"""create_app(settings): the mock as one ASGI app.

Requests under `/_mock/` go to a small FastAPI app (the admin API; FastAPI's own OpenAPI output is
off, so there is one contract only); every other request goes to the lean `Pipeline`.
"""

from __future__ import annotations

import hmac
import logging
from typing import Any

from fastapi import FastAPI

from mock_server.http import ASGIScope, problem, send_answer
from mock_server.pipeline import Pipeline
from mock_server.responder import BodyGenerator, check_headers_known
from mock_server.server import is_loopback
from mock_server.settings import Settings
from mock_server.spec.compiled import CompiledSpec, compile_validator, load_spec
from mock_server.spec.document import SpecError
from mock_server.state.store import MockState

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


def admin_api(state: MockState) -> FastAPI:
    admin = FastAPI(title="talq mock admin", openapi_url=None, docs_url=None, redoc_url=None)

    @admin.get(ADMIN_PREFIX + "/health")
    def health() -> dict[str, Any]:
        return {"status": "ok", "calls": len(state.calls)}

    @admin.post(ADMIN_PREFIX + "/reset")
    def reset() -> dict[str, Any]:
        state.reset()
        return {"status": "reset"}

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
        self.admin = admin_api(state)

    async def __call__(self, scope: ASGIScope, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(ADMIN_PREFIX):
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
            return
        if scope["type"] == "http" and not admin_allowed(self.settings, scope):
            await send_answer(send, ADMIN_FORBIDDEN)
            return
        await self.admin(scope, receive, send)


def create_app(settings: Settings | None = None) -> MockApp:
    """Load and check the spec once, create fresh state, and build the app."""
    settings = settings or Settings()
    spec = load_spec(settings.spec_path)
    check_spec_servable(spec)
    return MockApp(settings, spec, MockState.create(settings))


__all__ = ["ADMIN_PREFIX", "MockApp", "create_app"]
