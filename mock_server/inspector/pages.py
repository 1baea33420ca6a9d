"""The inspector's pages on the mock, under `/_mock/` (behind the admin API's guard, in `app.py`).

    GET  /_mock/                       Requests: the live list, newest first, filters in the URL
    GET  /_mock/ui/requests/{n}        one exchange: headers, bodies, the contract's verdict, curl, pytest
    GET  /_mock/ui/calls               Calls, and the actions: advance the clock, test webhook, reset
    GET  /_mock/ui/calls/{id}          one call's story: timeline, deliveries and attempts, requests
    GET  /_mock/ui/stream              server-sent events for an open page (htmx's SSE extension)
    GET  /_mock/ui/export.har          the (filtered) journal as HAR 1.2
    POST /_mock/ui/actions/{name}      advance, end-call, resend, test-webhook, reset → 303 back
    GET  /_mock/ui/static/{file}       htmx, its SSE extension, the page's own script and style

Every page is whole HTML that reads with JavaScript off; htmx only adds live updates. Jinja2 escapes
every value; the Content-Security-Policy allows scripts and styles from the mock itself only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import jinja2
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Route

from mock_server.admin import ADMIN_PREFIX
from mock_server.inspector import export
from mock_server.inspector.model import Exchange, Filters, InspectorModel, next_retry_in
from mock_server.inspector.stream import Streams, events
from mock_server.proxy.validate import Checker
from mock_server.settings import Settings
from mock_server.spec.compiled import CompiledSpec
from mock_server.state.calls import CallRecord
from mock_server.state.clock import iso_z
from mock_server.state.journal import JournalEntry
from mock_server.state.lifecycle import timeline, view_at
from mock_server.state.store import MockState
from mock_server.webhooks.dispatcher import Dispatcher
from mock_server.webhooks.events import event_payload

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
UI = ADMIN_PREFIX + "/ui"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = MappingProxyType(
    {
        "Content-Security-Policy": CSP,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
        "Cache-Control": "no-store",
    }
)
STATIC_TYPES = MappingProxyType(
    {
        ".js": "text/javascript",
        ".css": "text/css",
        ".txt": "text/plain",
        ".json": "application/json",
        ".svg": "image/svg+xml",
    }
)
MAX_ADVANCE_SECONDS = 10 * 365 * 86_400
MAX_FORM_BYTES = 16_384  # the actions' forms hold an id or a number
RECENT_DELIVERIES = 20  # on the Calls page (each call's page has all of its own)
TEST_CALL_TO = "+1234567890"


def is_inspector_path(path: str) -> bool:
    """The inspector's own paths under /_mock/ (the rest of /_mock/ is the admin API)."""
    return path in {ADMIN_PREFIX, ADMIN_PREFIX + "/"} or path.startswith(UI + "/")


def templates(prefix: str = ADMIN_PREFIX) -> jinja2.Environment:
    """The templates, their links under `prefix` (/_mock on the mock, /_proxy on the proxy)."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every value from a request is escaped: a body's <script> is text
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals["ui"] = prefix + "/ui"
    environment.globals["home"] = prefix + "/"
    environment.globals["next_retry_in"] = next_retry_in
    return environment


def same_origin(request: Request) -> bool:
    """A form post from the inspector's own page, or from a client that is no browser (curl): never a
    cross-site form aimed at 127.0.0.1 (browsers send Sec-Fetch-Site, or at least Origin)."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site in {"same-origin", "none"}
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host", "")


def safe_back(value: str | None, default: str) -> str:
    """Where an action returns to: one of the inspector's own pages, never elsewhere."""
    if value and value.startswith(ADMIN_PREFIX + "/") and "//" not in value and "\\" not in value:
        return value
    return default


def har_response(exchanges: list[Exchange], base_url: str) -> Response:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Response(
        export.har_bytes(exchanges, base_url),
        media_type="application/json",
        headers={**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="talq-{stamp}.har"'},
    )


def static_file(name: str) -> Response:
    """One of the files of static/ (nothing else: no path, no hidden file)."""
    path = STATIC / name
    if "/" in name or name.startswith(".") or not path.is_file():
        return PlainTextResponse("No such file.", 404, headers=dict(SECURITY_HEADERS))
    media = STATIC_TYPES.get(path.suffix, "application/octet-stream")
    return FileResponse(path, media_type=media, headers={**SECURITY_HEADERS, "Cache-Control": "max-age=3600"})


class Inspector:
    """The pages of one mock app."""

    def __init__(
        self, spec: CompiledSpec, state: MockState, settings: Settings, dispatcher: Dispatcher
    ) -> None:
        self.spec = spec
        self.state = state
        self.settings = settings
        self.dispatcher = dispatcher
        self.model = InspectorModel(state, lambda: Checker(spec))
        self.streams = Streams(state.journal)
        self.env = templates()
        self._test_events = 0
        self.app = Starlette(routes=self.routes())

    def routes(self) -> list[Route]:
        return [
            Route(ADMIN_PREFIX, self.requests_page),
            Route(ADMIN_PREFIX + "/", self.requests_page),
            Route(UI + "/requests/{number:int}", self.request_page),
            Route(UI + "/calls", self.calls_page),
            Route(UI + "/calls/{call_id}", self.call_page),
            Route(UI + "/stream", self.stream),
            Route(UI + "/export.har", self.export_har),
            Route(UI + "/actions/{name}", self.action, methods=["POST"]),
            Route(UI + "/static/{name}", self.static),
        ]

    # -- rendering ----------------------------------------------------------------------------------
    def page(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        html = self.env.get_template(template).render(clock=self.model.clock(), **values)
        return HTMLResponse(html, status, headers=dict(SECURITY_HEADERS))

    def not_found(self, what: str) -> HTMLResponse:
        return self.page("missing.html", 404, what=what)

    def row(self, exchange: Exchange) -> str:
        return self.env.get_template("row.html").render(x=exchange)

    @staticmethod
    def base_url(request: Request) -> str:
        return f"{request.url.scheme}://{request.headers.get('host') or request.url.netloc}"

    # -- pages --------------------------------------------------------------------------------------
    async def requests_page(self, request: Request) -> Response:
        filters = Filters.from_query(request.url.query)
        records = self.state.journal.records()
        return self.page(
            "requests.html",
            exchanges=self.model.exchanges(filters),
            filters=filters,
            operations=self.model.operations(),
            kept=len(records),
            newest=records[-1].number if records else 0,
            journal_size=self.state.journal.size,
        )

    async def request_page(self, request: Request) -> Response:
        exchange = self.model.find(request.path_params["number"])
        if exchange is None:
            return self.not_found(
                f"request {request.path_params['number']} "
                f"(the journal keeps the last {self.state.journal.size})"
            )
        return self.page(
            "request.html",
            x=exchange,
            verdict=self.model.verdict(exchange),
            curl=export.curl(exchange, self.base_url(request)),
            pytest_test=export.pytest_test(exchange, self.spec.base_path),
        )

    async def calls_page(self, request: Request) -> Response:
        recent = list(self.state.webhooks.deliveries)[-RECENT_DELIVERIES:][::-1]
        webhooks = list(self.state.webhooks.webhooks.values())
        return self.page("calls.html", calls=self.model.calls(), webhooks=webhooks, recent=recent)

    async def call_page(self, request: Request) -> Response:
        story = self.model.story(request.path_params["call_id"])
        if story is None:
            return self.not_found(f"call {request.path_params['call_id']}")
        return self.page("call.html", call=story)

    async def stream(self, request: Request) -> Response:
        if self.streams.full:
            return PlainTextResponse(
                "Too many inspector pages are open; close one and reload.",
                503,
                headers=dict(SECURITY_HEADERS),
            )
        filters = Filters.from_query(request.url.query)
        calls_view = request.query_params.get("view") == "calls"

        def wants(entry: JournalEntry) -> bool:
            return calls_view or self.model.exchange(entry).matches(filters)

        after = request.query_params.get("after", "")

        def missed() -> list[JournalEntry]:  # what arrived between the page's rendering and its stream
            records = self.state.journal.records()
            return [entry for entry in records if entry.number > int(after)] if after.isdigit() else []

        changed: Callable[[], object] | None = self.model.deliveries_fingerprint if calls_view else None
        body = events(
            self.streams, wants, lambda entry: self.row(self.model.exchange(entry)), changed, missed
        )
        headers = {**SECURITY_HEADERS, "X-Accel-Buffering": "no"}
        return StreamingResponse(body, media_type="text/event-stream", headers=headers)

    async def export_har(self, request: Request) -> Response:
        filters = Filters.from_query(request.url.query)
        exchanges = self.model.exchanges(filters, limit=self.state.journal.size or 1)
        return har_response(exchanges, self.base_url(request))

    async def static(self, request: Request) -> Response:
        return static_file(request.path_params["name"])

    # -- actions ------------------------------------------------------------------------------------
    async def action(self, request: Request) -> Response:
        if not same_origin(request):
            return PlainTextResponse(
                "Refused: inspector actions are taken from the inspector's own page (the Origin differs).",
                403,
                headers=dict(SECURITY_HEADERS),
            )
        raw = await request.body()
        if len(raw) > MAX_FORM_BYTES:
            return PlainTextResponse("The form is too large.", 413, headers=dict(SECURITY_HEADERS))
        values = dict(parse_qsl(raw.decode("utf-8", "replace")))
        name = request.path_params["name"]
        handlers: dict[str, Callable[[dict[str, str]], str | None]] = {
            "advance": self.advance,
            "end-call": self.end_call,
            "resend": self.resend,
            "test-webhook": self.test_webhook,
            "reset": self.reset,
        }
        handler = handlers.get(name)
        if handler is None:
            return self.page("missing.html", 404, what=f"action {name}")
        problem = handler(values)
        if problem is not None:
            return self.page(
                "refused.html", 400, message=problem, back=safe_back(values.get("back"), ADMIN_PREFIX + "/")
            )
        return RedirectResponse(
            safe_back(values.get("back"), UI + "/calls"), 303, headers=dict(SECURITY_HEADERS)
        )

    def advance(self, values: dict[str, str]) -> str | None:
        try:
            seconds = float(values.get("seconds", ""))
        except ValueError:
            seconds = -1.0
        if not 0 <= seconds <= MAX_ADVANCE_SECONDS:
            return f"Seconds must be a number from 0 to {MAX_ADVANCE_SECONDS}."
        self.state.clock.advance(seconds)
        self.dispatcher.pump()
        return None

    def end_call(self, values: dict[str, str]) -> str | None:
        call = self.state.calls.get(values.get("call_id", ""))
        if call is None:
            return "No such call (it may have been evicted or reset)."
        now = self.state.clock.now()
        if not view_at(call, self.state.durations, now.timestamp()).active:
            return "The call has ended already."
        self.state.end_call(call, now)
        self.dispatcher.pump()
        return None

    def resend(self, values: dict[str, str]) -> str | None:
        original = self.state.webhooks.find(values.get("delivery_id", ""))
        if original is None:
            return "No such delivery (it may have been reset)."
        if self.state.webhooks.resend(original) is None:
            return "The delivery's webhook no longer exists."
        self.dispatcher.pump()
        return None

    def test_webhook(self, values: dict[str, str]) -> str | None:
        webhook = self.state.webhooks.webhooks.get(values.get("webhook_id", ""))
        if webhook is None:
            return "No such webhook: register one first (POST /agents/{agent_id}/webhooks)."
        self._test_events += 1
        now = self.state.clock.now()
        call = CallRecord(
            f"call_inspector_test_{self._test_events}",
            webhook.agent_id,
            TEST_CALL_TO,
            now,
            True,
            0,
            {},
            {"talq_inspector": "test webhook"},
        )
        steps = timeline(call, self.state.durations)
        event = event_payload(call, 0, steps[:1])
        event["created_at"] = iso_z(now.timestamp())
        if event["event"] not in webhook.events:
            event["event"] = webhook.events[0]
        body = orjson.dumps(event)
        delivery = self.state.webhooks.queue_delivery(webhook, event["id"], event["event"], call.id, body)
        delivery.resent_from = "test"
        self.dispatcher.pump()
        return None

    def reset(self, values: dict[str, str]) -> str | None:
        self.state.reset()
        return None
