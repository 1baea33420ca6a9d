"""The proxy as a lean ASGI app: one procedure per request, stage by stage.

    1. read the body        the mock's hardening: over max_body_bytes → 413, not in time → 408
    2. check the request    route, security, Accept, parameters, body (findings, never an exception)
    3. --errors             an invalid request is answered here (400/401/404/405), never forwarded
    4. guard                a Make a Call without "is_testing": true → 400, unless --allow-real-calls
    5. forward              to <upstream>/<path without the spec's base path>?<query>, hop-by-hop
                            headers dropped (RFC 9110 §7.6.1), Via added; refused → 502, too slow → 504
    6. read the answer      up to max_checked_body_bytes buffered once; a larger one is streamed on
    7. check the answer     status, content type, headers, body schema
    8. answer               passive: the upstream's status, headers (repeats kept apart) and bytes, plus
                            sl-violations; --errors with response violations → 502 in the envelope
Every exchange is recorded in the report; every violation is one log line.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import time
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from mock_server import scenarios
from mock_server.admin import admin_allowed, admin_forbidden
from mock_server.http import Answer, ASGIScope, Request, mask, send_answer
from mock_server.inspector.proxy_pages import ExchangeJournal, ProxyInspector, is_proxy_inspector_path
from mock_server.proxy import answers
from mock_server.proxy.config import ProxySettings
from mock_server.proxy.findings import Finding
from mock_server.proxy.report import Report
from mock_server.proxy.stages import BodyTimedOut, BodyTooLarge, field_details, read_bounded_body
from mock_server.proxy.upstream import Http11Transport, HttpxAnswer, UpstreamAnswer, transport_for
from mock_server.proxy.validate import Checker, RequestCheck
from mock_server.scenarios import Outcome

log = logging.getLogger("mock_server.proxy")

# The safety guard: the operation that places real phone calls, and the flag that makes it a test call.
GUARDED_OPERATION = "makeCall"
TEST_FLAG = "is_testing"

HOP_BY_HOP = frozenset(
    {b"connection", b"proxy-connection", b"keep-alive", b"te", b"transfer-encoding", b"upgrade"}
)
# Host and Content-Length are set anew for the upstream; the body is sent at once, so no Expect.
NOT_FORWARDED = HOP_BY_HOP | {b"host", b"content-length", b"expect"}
HOP_BY_HOP_AND_VIOLATIONS = HOP_BY_HOP | {b"sl-violations"}
VIA = (b"via", b"1.1 talq-proxy")
MAX_LOGGED_PER_EXCHANGE = 20


def _hop_by_hop(headers: list[tuple[bytes, bytes]], also: frozenset[bytes] = HOP_BY_HOP) -> frozenset[bytes]:
    """The standard hop-by-hop names (and `also`) and those the message's Connection header lists."""
    named = {
        option.strip().lower()
        for name, value in headers
        if name.lower() == b"connection"
        for option in value.split(b",")
    }
    return also | named if named else also


def _first_values(headers: list[tuple[bytes, bytes]]) -> dict[bytes, bytes]:
    """Each header's first value, by lower-case name."""
    first: dict[bytes, bytes] = {}
    for name, value in headers:
        first.setdefault(name.lower(), value)
    return first


def _decoded(body: bytes, encoding: str, limit: int) -> bytes | None:
    """The body without its Content-Encoding, for checking (None: an encoding not handled, or more
    than `limit` bytes once decoded)."""
    encoding = encoding.strip().lower()
    if encoding in {"", "identity"}:
        return body
    if encoding not in {"gzip", "x-gzip", "deflate"}:
        return None
    wbits = 16 + zlib.MAX_WBITS if encoding != "deflate" else zlib.MAX_WBITS
    try:
        decoder = zlib.decompressobj(wbits)
        out = decoder.decompress(body, limit + 1)
    except zlib.error:
        return None
    return out if len(out) <= limit else None


@dataclass(slots=True)
class _Fetched:
    response: UpstreamAnswer | None = None
    chunks: list[bytes] = field(default_factory=list)
    complete: bool = True  # the whole body is in `chunks`; otherwise the rest is still in `stream`
    stream: AsyncIterator[bytes] | None = None
    first: dict[bytes, bytes] = field(default_factory=dict)  # the answer's headers' first values
    error: str = ""  # one of the proxy's codes when there is no answer
    reason: str = ""


class ProxyApp:
    def __init__(
        self,
        settings: ProxySettings,
        checker: Checker,
        report: Report,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self.checker = checker
        self.report = report
        self.base_path = checker.spec.base_path
        self.upstream = settings.upstream_base
        self._upstream_url = httpx.URL(self.upstream)
        self._upstream_path = self._upstream_url.raw_path.decode("ascii").rstrip("/")
        self._upstream_origin = self.upstream[: len(self.upstream) - len(self._upstream_path)]
        self._upstream_key = (self._upstream_url.host, self._upstream_url.port or 80)
        self._host = (b"Host", self._upstream_url.netloc)  # as httpx.Request sets it
        self._transport = transport
        self.journal = ExchangeJournal(settings.journal_size)
        self.inspector = ProxyInspector(checker, self.journal, settings.upstream_base)

    # -- ASGI ---------------------------------------------------------------------------------------
    async def __call__(self, scope: ASGIScope, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        if is_proxy_inspector_path(scope["path"]):
            if not admin_allowed(self.settings.server_settings(), scope):
                await send_answer(send, admin_forbidden())
                return
            await self.inspector.app(scope, receive, send)
            return
        try:
            await self.handle(scope, receive, send)
        except Exception:  # a bug must not become a traceback in a response
            log.exception("unexpected error proxying %s %s", scope.get("method"), scope.get("path"))
            answer = answers.proxy_error(
                answers.INTERNAL_ERROR,
                "The proxy failed on this request; its log has the details. Please report it.",
            )
            with contextlib.suppress(Exception):  # the answer may have started already
                await send_answer(send, answer)

    async def _lifespan(self, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.transport()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.aclose()
                self.finish()
                await send({"type": "lifespan.shutdown.complete"})
                return

    def transport(self) -> httpx.AsyncBaseTransport:
        if self._transport is None:
            self._transport = transport_for(self.upstream)
        return self._transport

    def finish(self) -> None:
        """On exit (Ctrl-C or SIGTERM: uvicorn runs the lifespan's shutdown for both): the summary line,
        and the report when --report was given."""
        print(f"talq proxy: {self.report.summary()}", file=sys.stderr, flush=True)
        if self.settings.report_path is not None:
            json_path, xml_path = self.report.write(self.settings.report_path)
            print(f"talq proxy: report in {json_path} and {xml_path}", file=sys.stderr, flush=True)

    async def aclose(self) -> None:
        if self._transport is not None:
            await self._transport.aclose()
            self._transport = None

    # -- the procedure ------------------------------------------------------------------------------
    async def handle(self, scope: ASGIScope, receive: Any, send: Any) -> None:
        started = time.perf_counter()
        settings = self.settings
        request = Request.from_scope(scope)
        # 1. read the body
        refused: tuple[Outcome, dict[str, Any]] | None = None
        raw = b""
        read = await read_bounded_body(
            receive, request.headers, settings.max_body_bytes, settings.body_timeout_seconds
        )
        if isinstance(read, BodyTooLarge):
            refused = scenarios.PAYLOAD_TOO_LARGE, {"max_bytes": read.max_bytes}
        elif isinstance(read, BodyTimedOut):
            refused = scenarios.REQUEST_TIMEOUT, {"timeout_seconds": read.timeout_seconds}
        else:
            raw = read
        if refused is not None:
            operation = self.checker.operation(request.method, request.path)
            answer = answers.spec_error(operation, *refused)
            await self._own(send, request, operation, answer, [], started)
            return
        # 2. check the request
        check = self.checker.request(request.method, request.path, request.query_string, request.headers, raw)
        findings = list(check.findings)
        # 3. --errors: an invalid request is answered here
        if findings and settings.errors:
            details = field_details([finding.violation for finding in findings])
            answer = answers.invalid_request(check.operation, findings, details)
            await self._own(send, request, check.operation, answer, findings, started, raw=raw)
            return
        # 4. the guard
        if self._blocked(check):
            answer = answers.proxy_error(
                answers.REAL_CALL_BLOCKED,
                f'The proxy stopped this Make a Call before the upstream: it lacks "{TEST_FLAG}": true, so '
                f"it would place a real phone call and spend credits. Send {TEST_FLAG}: true, or start the "
                "proxy with --allow-real-calls to let real calls through.",
                {"field": TEST_FLAG},
            )
            if findings:
                answer.header("sl-violations", answers.violations_header(findings))
            await self._own(send, request, check.operation, answer, findings, started, raw=raw)
            return
        await self._forward(scope, send, request, check, findings, raw, started)

    def _blocked(self, check: RequestCheck) -> bool:
        if self.settings.allow_real_calls or check.operation is None:
            return False
        if check.operation.operation_id != GUARDED_OPERATION:
            return False
        return not (isinstance(check.body, dict) and check.body.get(TEST_FLAG) is True)

    def _outgoing(
        self, scope: ASGIScope, request: Request, raw: bytes
    ) -> tuple[str, list[tuple[bytes, bytes]]]:
        """The upstream request's target (path and query) and headers, in the order httpx.Request puts
        them: Host, the client's minus hop-by-hop ones, Via, Content-Length."""
        path = (scope.get("raw_path") or request.path.encode()).decode("latin-1")  # as sent: not decoded
        if self.base_path and (path == self.base_path or path.startswith(self.base_path + "/")):
            path = path[len(self.base_path) :]
        target = self._upstream_path + path + ("?" + request.query_string if request.query_string else "")
        incoming: list[tuple[bytes, bytes]] = scope["headers"]
        dropped = _hop_by_hop(incoming, NOT_FORWARDED)
        headers = [self._host]
        if not raw and request.method in ("POST", "PUT", "PATCH"):
            headers.append((b"Content-Length", b"0"))
        headers += [(name, value) for name, value in incoming if name.lower() not in dropped]
        headers.append(VIA)
        if raw:
            headers.append((b"Content-Length", str(len(raw)).encode("ascii")))
        return target, headers

    async def _send(self, scope: ASGIScope, request: Request, raw: bytes) -> UpstreamAnswer:
        target, headers = self._outgoing(scope, request, raw)
        timeout = self.settings.upstream_timeout_seconds
        transport = self.transport()
        if isinstance(transport, Http11Transport):  # no httpx models on this path
            key = self._upstream_key
            return await transport.exchange(
                key, request.method, target.encode("latin-1"), headers, raw, timeout
            )
        extensions = {"timeout": {"connect": timeout, "read": timeout, "write": timeout, "pool": timeout}}
        outgoing = httpx.Request(
            request.method,
            self._upstream_origin + target,
            headers=headers,
            content=raw,
            extensions=extensions,
        )
        return HttpxAnswer(await transport.handle_async_request(outgoing))

    async def _fetch(self, scope: ASGIScope, request: Request, raw: bytes) -> _Fetched:
        """The upstream's answer, its body buffered up to max_checked_body_bytes (within the timeout)."""
        limit = self.settings.max_checked_body_bytes
        fetched = _Fetched()
        try:
            async with asyncio.timeout(self.settings.upstream_timeout_seconds):
                fetched.response = await self._send(scope, request, raw)
                fetched.first = _first_values(fetched.response.headers)
                declared = fetched.first.get(b"content-length", b"").decode("latin-1")
                fetched.stream = fetched.response.chunks()
                if declared.isdigit() and int(declared) > limit:
                    fetched.complete = False
                    return fetched
                size = 0
                async for chunk in fetched.stream:
                    fetched.chunks.append(chunk)
                    size += len(chunk)
                    if size > limit:
                        fetched.complete = False
                        break
        except (TimeoutError, httpx.TimeoutException):
            await _close(fetched.response)
            fetched.error = answers.UPSTREAM_TIMEOUT
        except httpx.TransportError as error:
            await _close(fetched.response)
            fetched.error = answers.UPSTREAM_UNREACHABLE
            fetched.reason = type(error).__name__
        return fetched

    def _failure(self, fetched: _Fetched) -> Answer:
        timeout = self.settings.upstream_timeout_seconds
        if fetched.error == answers.UPSTREAM_TIMEOUT:
            message = (
                f"The upstream did not answer within {timeout:g} s (--upstream-timeout). It may still "
                "have processed the request: check before retrying."
            )
        else:
            message = (
                f"The upstream {self.upstream} could not be reached or broke off ({fetched.reason}). "
                "Check --upstream and that the API is up, then retry."
            )
        return answers.proxy_error(fetched.error, message, {"upstream": self.upstream})

    async def _forward(
        self,
        scope: ASGIScope,
        send: Any,
        request: Request,
        check: RequestCheck,
        findings: list[Finding],
        raw: bytes,
        started: float,
    ) -> None:
        # 5. and 6. forward, read the answer
        fetched = await self._fetch(scope, request, raw)
        upstream = fetched.response
        if fetched.error or upstream is None:
            answer = self._failure(fetched)
            message = answer.body.decode()
            await self._own(send, request, check.operation, answer, findings, started, error=message, raw=raw)
            return
        # 7. check the answer
        body = b"".join(fetched.chunks)
        fetched.chunks.clear()
        status = upstream.status
        raw_headers = upstream.headers
        if check.operation is not None:
            limit = self.settings.max_checked_body_bytes
            encoding = fetched.first.get(b"content-encoding", b"").decode("latin-1")
            checked = _decoded(body, encoding, limit) if fetched.complete else None
            text_headers = [(n.decode("latin-1"), v.decode("latin-1")) for n, v in fetched.first.items()]
            findings += self.checker.response(check.operation, status, text_headers, checked)
        # 8. answer
        response_findings = [finding for finding in findings if finding.side == "response"]
        if self.settings.errors and response_findings:
            await _close(upstream)
            answer = answers.proxy_error(
                answers.INVALID_RESPONSE,
                f"The upstream processed the request and answered {status}, but its answer breaks the "
                "spec (see details.violations): do not retry blindly, the request may have taken effect.",
                {"upstream_status": status, "violations": [f.as_data() for f in response_findings[:20]]},
            )
            answer.header("sl-violations", answers.violations_header(findings))
            self._done(
                request, check.label, str(status), answer.status, findings, started, raw=raw, answer=answer
            )
            await send_answer(send, answer)
            return
        # the proxy's sl-violations replaces one the upstream sent (a mock, say)
        dropped = _hop_by_hop(raw_headers, HOP_BY_HOP_AND_VIOLATIONS if findings else HOP_BY_HOP)
        headers = [(name, value) for name, value in raw_headers if name.lower() not in dropped]
        headers.append(VIA)
        if findings:
            headers.append((b"sl-violations", answers.violations_header(findings).encode("latin-1")))
        forwarded = Answer(status, body, None, raw_headers)
        # recorded before the client has it
        self._done(request, check.label, str(status), status, findings, started, raw=raw, answer=forwarded)
        try:
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body, "more_body": not fetched.complete})
            if not fetched.complete and fetched.stream is not None:
                async for chunk in fetched.stream:
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            await _close(upstream)

    async def _own(
        self,
        send: Any,
        request: Request,
        operation: Any,
        answer: Answer,
        findings: list[Finding],
        started: float,
        error: str | None = None,
        raw: bytes = b"",
    ) -> None:
        """Send an answer the proxy makes itself, and record it."""
        label = operation.operation_id if operation is not None else "(no operation)"
        self._done(
            request, label, f"proxy {answer.status}", answer.status, findings, started, error, raw, answer
        )
        await send_answer(send, answer)

    def _done(
        self,
        request: Request,
        label: str,
        status: str,
        sent: int,
        findings: list[Finding],
        started: float,
        error: str | None = None,
        raw: bytes = b"",
        answer: Answer | None = None,
    ) -> None:
        self.report.record(label, status, findings, error)
        self.journal.record_exchange(
            request, raw, sent, answer, findings, (time.perf_counter() - started) * 1000
        )
        for finding in findings[:MAX_LOGGED_PER_EXCHANGE]:
            log.warning("%s", finding.log_line())
        if len(findings) > MAX_LOGGED_PER_EXCHANGE:
            log.warning("violation %s: %d more not logged", label, len(findings) - MAX_LOGGED_PER_EXCHANGE)
        if error is not None:
            log.warning("upstream failure %s: %s", label, error)
        if not self.settings.quiet:
            authorization = request.headers.get("authorization", "")
            who = mask(authorization.partition(" ")[2].strip()) if authorization else "-"
            log.info(
                "%s %s %d (%s) %.2fms token=%s",
                request.method,
                request.path[:200],
                sent,
                label if status.startswith("proxy") else f"{label} upstream {status}",
                (time.perf_counter() - started) * 1000,
                who,
            )


async def _close(response: UpstreamAnswer | None) -> None:
    if response is not None:
        with contextlib.suppress(Exception):
            await response.aclose()
