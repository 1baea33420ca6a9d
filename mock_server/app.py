"""create_app(settings): the mock as one ASGI app.

Requests under `/_mock/` go to the admin API (`mock_server.admin`) or, for `/_mock/` itself and
`/_mock/ui/`, to the inspector's pages (`mock_server.inspector`), behind the admin API's guard; every other
request goes to the lean `Pipeline` (and is written to the request journal). The app's own lifespan
runs the webhook dispatcher and flushes the access log; a bug in the pipeline is a 500 problem+json,
never a traceback.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from mock_server.accesslog import AccessLog
from mock_server.admin import ADMIN_PREFIX, admin_allowed, admin_api, admin_forbidden
from mock_server.http import Answer, ASGIScope, problem, send_answer
from mock_server.inspector.pages import Inspector, is_inspector_path
from mock_server.operations.webhook_endpoints import available_events, webhook_defaults
from mock_server.pipeline import Pipeline
from mock_server.servable import check_spec_servable
from mock_server.settings import Settings
from mock_server.spec.compiled import CompiledSpec, load_spec
from mock_server.state.memory import MemoryStore
from mock_server.state.ports import Store
from mock_server.state.redis_campaigns import settle_forever
from mock_server.state.redis_store import RedisStore
from mock_server.state.store import MockState
from mock_server.waiting import cancel_and_wait
from mock_server.webhooks.dispatcher import Dispatcher
from mock_server.webhooks.events import resume_calls_of
from mock_server.webhooks.shared import SharedDispatcher, resume

log = logging.getLogger("mock_server")


def inspector_not_on_shared_store() -> Answer:
    """The answer of `/_mock/` pages on a shared store (the inspector reads this process's memory)."""
    return problem(
        501,
        "INSPECTOR_UNAVAILABLE",
        "Not Implemented",
        "The inspector shows the in-memory store only: with --store redis:// read /_mock/requests and "
        "/_mock/webhook-deliveries, or run the mock without --store to use the inspector.",
    )


class MockApp:
    def __init__(
        self,
        settings: Settings,
        spec: CompiledSpec,
        state: MockState,
        dispatcher: Dispatcher | SharedDispatcher | None = None,
        access_log: AccessLog | None = None,
        store: Store | None = None,
    ) -> None:
        """`dispatcher` and `access_log`: given ones instead of the defaults (tests shorten timeouts,
        or read the log lines); the access log is off when `settings.quiet` and none is given.
        `store`: the seam the requests go through (default: `state` itself, in memory)."""
        self.settings = settings
        self.spec = spec
        self.state = state
        self.store: Store = store or MemoryStore(
            state,
            on_webhook_added=lambda agent_id: resume_calls_of(state, agent_id, state.clock.time()),
            name=settings.namespace,
        )
        self.access_log = access_log or (None if settings.quiet else AccessLog())
        self.pipeline = Pipeline(spec, self.store, settings, self.access_log)
        self.dispatcher: Dispatcher | SharedDispatcher = dispatcher or Dispatcher(state, settings)
        self.admin = admin_api(self.store, self.dispatcher)
        # The inspector reads this process's memory: on a shared store it would show nothing true.
        self.inspector = (
            Inspector(spec, state, settings, self.dispatcher)
            if isinstance(self.dispatcher, Dispatcher)
            else None
        )

    async def __call__(self, scope: ASGIScope, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] == "http" and not scope["path"].startswith(ADMIN_PREFIX):
            await self._pipeline(scope, receive, send)
            return
        if scope["type"] == "http" and not admin_allowed(self.settings, scope):
            await send_answer(send, admin_forbidden())
            return
        if scope["type"] == "http" and is_inspector_path(scope["path"]):
            if self.inspector is None:
                await send_answer(send, inspector_not_on_shared_store())
                return
            await self.inspector.app(scope, receive, send)
            return
        await self.admin(scope, receive, send)

    async def _lifespan(self, receive: Any, send: Any) -> None:
        """Start the webhook dispatcher (and the access log's flusher; on the shared store, the
        campaigns' background pass); stop them on shutdown."""
        await receive()  # lifespan.startup
        tasks = [asyncio.create_task(self.dispatcher.run(), name="talq-webhooks")]
        if isinstance(self.store, RedisStore):
            tasks.append(asyncio.create_task(settle_forever(self.store), name="talq-campaigns"))
        if self.access_log is not None:
            tasks.append(asyncio.create_task(self.access_log.run(), name="talq-access-log"))
        await send({"type": "lifespan.startup.complete"})
        await receive()  # lifespan.shutdown
        await cancel_and_wait(tasks)
        await self.store.close()
        await send({"type": "lifespan.shutdown.complete"})

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


def create_app(settings: Settings | None = None, spec: CompiledSpec | None = None) -> MockApp:
    """Load and check the spec once, create fresh state, and build the app. `spec`: the spec of
    `settings.spec_path` already compiled (a compiled spec is read-only: apps can share it)."""
    settings = settings or Settings()
    spec = spec or load_spec(settings.spec_path)
    check_spec_servable(spec)
    state = MockState.create(settings, webhook_defaults(spec.operations), available_events(spec.operations))
    if settings.store == "memory":
        return MockApp(settings, spec, state)
    store = RedisStore(
        settings,
        state.directory,
        state.configured_webhooks,
        settings.namespace,
        on_webhook_added=resume_shared,
        available_events=state.available_events,
        local=state,
    )
    return MockApp(settings, spec, state, SharedDispatcher(store, settings), store=store)


async def resume_shared(store: RedisStore, agent_id: str) -> None:
    """The agent has a new webhook in the shared store: its calls in flight get their next events."""
    await resume(store, agent_id, (await store.clock.view()).now)


__all__ = ["ADMIN_PREFIX", "MockApp", "create_app"]
