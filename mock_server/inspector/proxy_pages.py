"""The inspector on the validating proxy (`talq-mock proxy`), under `/_proxy/`: the same Requests
views as the mock's, each exchange marked with the violations the proxy found in it.

    GET /_proxy/                    the live list, newest first, filters in the URL
    GET /_proxy/ui/requests/{n}     one exchange: headers, bodies, its violations, curl, pytest
    GET /_proxy/ui/stream           server-sent events for an open page
    GET /_proxy/ui/export.har       the (filtered) exchanges as HAR 1.2
    GET /_proxy/ui/static/{file}    htmx, its SSE extension, the page's script and style

The guard is the mock's admin guard (`proxy.forward`): loopback binds, or the admin token."""

from __future__ import annotations

import time
from collections.abc import Callable

from starlette.applications import Starlette
from starlette.requests import Request as StarletteRequest
from starlette.responses import HTMLResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from mock_server.http import Answer, Request
from mock_server.inspector import export
from mock_server.inspector.model import Exchange, ExchangeReader, Filters, Verdict
from mock_server.inspector.pages import SECURITY_HEADERS, har_response, static_file, templates
from mock_server.inspector.stream import Streams, events
from mock_server.proxy.findings import Finding
from mock_server.proxy.validate import Checker
from mock_server.state.journal import MAX_BODY_CHARS, JournalEntry, RequestJournal, bounded_headers

PROXY_PREFIX = "/_proxy"
PROXY_UI = PROXY_PREFIX + "/ui"


def is_proxy_inspector_path(path: str) -> bool:
    return path in {PROXY_PREFIX, PROXY_PREFIX + "/"} or path.startswith(PROXY_UI + "/")


class ExchangeJournal(RequestJournal):
    """The proxy's journal: the mock's, plus the findings of each exchange (as bounded: kept only
    for the entries the journal keeps)."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.findings: dict[int, tuple[Finding, ...]] = {}

    def record_exchange(
        self,
        request: Request,
        raw: bytes,
        status: int,
        answer: Answer | None,
        findings: list[Finding],
        latency_ms: float,
    ) -> None:
        if not self.enabled:
            return
        if answer is not None:  # an upstream's headers: as many and as long as it likes, so bounded here
            headers = bounded_headers(answer.headers)
            answer = Answer(
                answer.status, answer.body[:MAX_BODY_CHARS], answer.content_type, headers, answer.error_code
            )
        if findings:  # before the entry is recorded: an open page renders it with them
            self.findings[self._count + 1] = tuple(findings[:100])
        number = self.record(time.time(), request, raw, status, answer, latency_ms)
        self.findings.pop(number - self.size, None)

    def reset(self) -> None:
        super().reset()
        self.findings.clear()


class ProxyReader(ExchangeReader):
    """The proxy's verdict is what it found when the exchange passed (the whole bodies, not the cut)."""

    def __init__(self, journal: ExchangeJournal, checker: Checker) -> None:
        super().__init__(journal, lambda: checker)
        self.exchange_journal = journal

    def verdict(self, exchange: Exchange) -> Verdict:
        found = self.exchange_journal.findings.get(exchange.number, ())
        request = [finding for finding in found if finding.side == "request"]
        response = [finding for finding in found if finding.side == "response"]
        return Verdict(
            request, response, bool(exchange.operation), "" if exchange.operation else "no operation"
        )


class ProxyInspector:
    def __init__(self, checker: Checker, journal: ExchangeJournal, upstream: str) -> None:
        self.reader = ProxyReader(journal, checker)
        self.journal = journal
        self.upstream = upstream
        self.streams = Streams(journal)
        self.env = templates(PROXY_PREFIX)
        self.env.globals["proxy"] = True
        self.env.globals["product"] = f"talq proxy → {upstream}"
        self.app = Starlette(
            routes=[
                Route(PROXY_PREFIX, self.requests_page),
                Route(PROXY_PREFIX + "/", self.requests_page),
                Route(PROXY_UI + "/requests/{number:int}", self.request_page),
                Route(PROXY_UI + "/stream", self.stream),
                Route(PROXY_UI + "/export.har", self.export_har),
                Route(PROXY_UI + "/static/{name}", self.static),
            ]
        )

    def page(self, template: str, status: int = 200, **values: object) -> HTMLResponse:
        html = self.env.get_template(template).render(clock=None, **values)
        return HTMLResponse(html, status, headers=dict(SECURITY_HEADERS))

    def row(self, entry: JournalEntry) -> str:
        exchange = self.reader.exchange(entry)
        return self.env.get_template("row.html").render(x=exchange, violations=self.violations(exchange))

    def violations(self, exchange: Exchange) -> int:
        return len(self.journal.findings.get(exchange.number, ()))

    async def requests_page(self, request: StarletteRequest) -> Response:
        filters = Filters.from_query(request.url.query)
        records = self.journal.records()
        exchanges = self.reader.exchanges(filters)
        return self.page(
            "requests.html",
            exchanges=exchanges,
            counts={x.number: self.violations(x) for x in exchanges},
            filters=filters,
            operations=self.reader.operations(),
            kept=len(records),
            newest=records[-1].number if records else 0,
            journal_size=self.journal.size,
        )

    async def request_page(self, request: StarletteRequest) -> Response:
        exchange = self.reader.find(request.path_params["number"])
        if exchange is None:
            return self.page("missing.html", 404, what=f"exchange {request.path_params['number']}")
        return self.page(
            "request.html",
            x=exchange,
            verdict=self.reader.verdict(exchange),
            curl=export.curl(exchange, self.upstream_origin(request)),
            pytest_test=export.pytest_test(exchange, self.reader.checker.spec.base_path),
        )

    @staticmethod
    def upstream_origin(request: StarletteRequest) -> str:
        return f"{request.url.scheme}://{request.headers.get('host') or request.url.netloc}"

    async def stream(self, request: StarletteRequest) -> Response:
        if self.streams.full:
            return PlainTextResponse(
                "Too many inspector pages are open.", 503, headers=dict(SECURITY_HEADERS)
            )
        filters = Filters.from_query(request.url.query)

        def wants(entry: JournalEntry) -> bool:
            return self.reader.exchange(entry).matches(filters)

        render: Callable[[JournalEntry], str] = self.row
        return StreamingResponse(
            events(self.streams, wants, render, None),
            media_type="text/event-stream",
            headers=dict(SECURITY_HEADERS),
        )

    async def export_har(self, request: StarletteRequest) -> Response:
        filters = Filters.from_query(request.url.query)
        exchanges = self.reader.exchanges(filters, limit=self.journal.size or 1)
        return har_response(exchanges, self.upstream_origin(request))

    async def static(self, request: StarletteRequest) -> Response:
        return static_file(request.path_params["name"])
