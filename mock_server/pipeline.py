"""The one procedure every request to the vendor's paths goes through, as a lean ASGI app.

    1. CORS preflight        OPTIONS with Origin + Access-Control-Request-Method → 204
    2. route                 unknown path → 404, wrong method → 405 + Allow (problem+json)
    3. content negotiation   an Accept the spec cannot serve → 406 (problem+json)
    4. security              bad or missing bearer token → 401 INVALID_TOKEN (wins over everything)
    5. preferences           malformed Prefer / __code / __example / __dynamic → 422 (problem+json)
    6. rate limit            one more request in the token's window; over the limit → 429
    7. request validation    parameters and body, every problem collected → 400 (the operation's code)
    8. forced response       a valid request with Prefer code/example/dynamic → that spec response
    9. operation             the operation's own checks and effects (agent, credits, call) → its answer

Each stage returns a value; only this module turns values into HTTP. Every answer from the spec
carries its declared headers (X-RateLimit-*, Retry-After) with true values.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any
from urllib.parse import parse_qsl

from mock_server.http import Answer, ASGIScope, Request, json_answer, problem, send_answer
from mock_server.negotiation.prefer import PreferenceError, Preferences, preferences
from mock_server.negotiation.select import (
    Forced,
    NotDefined,
    example_for_invalid_request,
    force_for_valid_request,
)
from mock_server.operations.base import Classifier, Context, Failure, Handler
from mock_server.operations.registry import HANDLERS
from mock_server.responder import BodyGenerator, declared_headers, error_body, example_body
from mock_server.scenarios import (
    INVALID_TOKEN,
    PAYLOAD_TOO_LARGE,
    RATE_LIMIT_EXCEEDED,
    REQUEST_TIMEOUT,
    Outcome,
)
from mock_server.settings import Settings
from mock_server.spec.compiled import CompiledSpec, Operation
from mock_server.spec.document import JSON, SpecError
from mock_server.state.ratelimit import Quota
from mock_server.state.store import MockState
from mock_server.validation.body import parse_json_body, schema_violations
from mock_server.validation.security import bearer_token, mask
from mock_server.validation.violations import Violation, sl_violations_header

access_log = logging.getLogger("mock_server.access")

ACCEPTABLE = ("application/json", "application/*", "*/*", "application/problem+json")
PREFLIGHT_HEADERS = [
    (b"access-control-allow-methods", b"GET, POST, PUT, PATCH, DELETE, OPTIONS"),
    (b"access-control-allow-headers", b"Authorization, Content-Type, Prefer"),
    (b"access-control-max-age", b"600"),
]


class BodyTooLarge(Exception):
    pass


async def read_body(receive: Any, limit: int, timeout: float) -> bytes:
    """The whole body, at most `limit` bytes, within `timeout` seconds (TimeoutError otherwise)."""
    if _body_already_received(receive):
        return await _read_body(receive, limit)  # nothing to wait for: no timer on the hot path
    async with asyncio.timeout(timeout):
        return await _read_body(receive, limit)


def _body_already_received(receive: Any) -> bool:
    """Whether uvicorn has the whole body in hand already (its request cycle says so), so that
    reading it cannot wait. Any other server, or a uvicorn without that attribute: False."""
    return getattr(getattr(receive, "__self__", None), "more_body", True) is False


async def _read_body(receive: Any, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def _declared_length(headers: dict[str, str]) -> int:
    declared = headers.get("content-length", "")
    return int(declared) if declared.isdigit() else 0


def _acceptable(accept: str | None) -> bool:
    if accept is None or not accept.strip():
        return True
    return any(part.split(";", 1)[0].strip().lower() in ACCEPTABLE for part in accept.split(","))


class Pipeline:
    def __init__(self, spec: CompiledSpec, state: MockState, settings: Settings) -> None:
        missing = sorted(set(spec.operations) - set(HANDLERS))
        if missing:
            raise SpecError(f"The spec has operation(s) {missing} the mock has no behaviour for.")
        self.spec = spec
        self.state = state
        self.settings = settings
        self.generator = BodyGenerator(settings.seed)
        self.handlers: dict[str, tuple[Handler, Classifier]] = {op: HANDLERS[op] for op in spec.operations}

    async def __call__(self, scope: ASGIScope, receive: Any, send: Any) -> None:
        started = time.perf_counter()
        at = self.state.clock.time()
        request = Request.from_scope(scope)
        kept: list[bytes] = []
        answer = await self.answer(request, receive, kept)
        await send_answer(send, answer)
        journal = self.state.journal
        if journal.enabled:
            journal.record(at, request, kept[0] if kept else b"", answer.status)
        if not self.settings.quiet:
            self._log(request, answer, started)

    async def answer(self, request: Request, receive: Any, kept: list[bytes] | None = None) -> Answer:
        """The answer to `request`; the body it read is appended to `kept` (for the journal)."""
        headers = request.headers
        # 1. CORS preflight
        if request.method == "OPTIONS" and "origin" in headers and "access-control-request-method" in headers:
            return Answer(204, b"", None, list(PREFLIGHT_HEADERS))
        # 2. route
        matched = self.spec.match(request.path)
        if matched is None:
            return problem(
                404,
                "NO_PATH_MATCHED_ERROR",
                "Route not resolved, no path matched",
                f"No operation of the spec serves the path {request.path[:200]!r}.",
            )
        route, path_params = matched
        operation = route.operations.get(request.method.lower())
        if operation is None:
            answer = problem(
                405,
                "NO_METHOD_MATCHED_ERROR",
                "Route resolved, but no method matched",
                f"{request.method} is not allowed here; use one of: {route.allow}.",
            )
            return answer.header("Allow", route.allow)
        # 3. content negotiation
        if not _acceptable(headers.get("accept")):
            return problem(
                406,
                "NOT_ACCEPTABLE",
                "The server cannot produce an acceptable response",
                "This operation answers application/json: send 'Accept: application/json'.",
            )
        # 4. security
        token = ""
        if operation.secured:
            checked = bearer_token(headers.get("authorization"), self.state.directory.token_revoked)
            if isinstance(checked, str) and not self.state.directory.token_known(checked):
                checked = Violation(("request", "header", "authorization"), "unknown", "Unknown token.")
            if isinstance(checked, Violation):
                quota = self.state.limiter.hit("client:" + request.client)
                return self._failure(operation, INVALID_TOKEN, None, [checked], quota, Preferences())
            token = checked
        # 5. preferences
        prefs = preferences(headers.get("prefer"), request.query_string)
        if isinstance(prefs, PreferenceError):
            return problem(422, "UNPROCESSABLE_ENTITY", "Invalid request preferences", prefs.detail)
        # 6. rate limit
        key = "token:" + token if token else "client:" + request.client
        if self.state.directory.always_rate_limited(token):
            self.state.limiter.exhaust(key)
        quota = self.state.limiter.hit(key)
        if not quota.admitted:
            limited = {"limit": quota.limit, "retry_after": quota.retry_after}
            return self._failure(operation, RATE_LIMIT_EXCEEDED, limited, [], quota, prefs)
        # 7. request validation
        handler, classify = self.handlers[operation.operation_id]
        settings = self.settings
        raw = b""
        try:
            if operation.body_validator is not None:  # a body the operation does not take is never read
                if _declared_length(headers) > settings.max_body_bytes:
                    raise BodyTooLarge
                raw = await read_body(receive, settings.max_body_bytes, settings.body_timeout_seconds)
        except BodyTooLarge:
            return self._failure(
                operation, PAYLOAD_TOO_LARGE, {"max_bytes": settings.max_body_bytes}, [], quota, prefs
            )
        except TimeoutError:
            waited = {"timeout_seconds": settings.body_timeout_seconds}
            return self._failure(operation, REQUEST_TIMEOUT, waited, [], quota, prefs)
        if kept is not None:
            kept.append(raw)
        query: dict[str, Any] = dict(parse_qsl(request.query_string, keep_blank_values=True))
        body, violations = self._validate(operation, path_params, query, headers.get("content-type"), raw)
        if violations:
            return self._invalid(operation, classify, violations, quota, prefs)
        # 8. forced response
        forced = force_for_valid_request(operation, prefs)
        if isinstance(forced, NotDefined):
            return problem(
                404, "NOT_FOUND", "The requested status code or example is not defined", forced.detail
            )
        if isinstance(forced, Forced):
            return self._forced(forced, quota)
        # 9. operation
        context = Context(
            request, operation, path_params, query, body, token, self.state, self.settings, len(raw)
        )
        result = handler(context)
        if isinstance(result, Failure):
            return self._failure(operation, result.outcome, result.details, [], quota, prefs)
        answer = json_answer(result.status, result.body)
        return self._with_headers(answer, operation, result.status, quota)

    def _validate(
        self,
        operation: Operation,
        path_params: dict[str, str],
        query: dict[str, Any],
        content_type: str | None,
        raw: bytes,
    ) -> tuple[JSON, list[Violation]]:
        violations: list[Violation] = []
        for parameter in operation.parameters:
            source = path_params if parameter.location == "path" else query
            if parameter.name not in source:
                if "default" in parameter.schema:  # the spec's default, so operations never restate it
                    source[parameter.name] = parameter.schema["default"]
                    continue
                if parameter.required:
                    violations.append(
                        Violation(
                            ("request", parameter.location, parameter.name),
                            "required",
                            f"{parameter.name} is required.",
                        )
                    )
                continue
            value = _typed(source[parameter.name], parameter.schema)
            for violation in schema_violations(parameter.validator, value, parameter.location):
                violations.append(
                    Violation(
                        ("request", parameter.location, parameter.name), violation.code, violation.message
                    )
                )
        body: JSON = None
        if operation.body_validator is not None:
            body, problems = parse_json_body(content_type, raw, operation.body_required)
            violations.extend(problems)
            if not problems and (body is not None or operation.body_required):
                violations.extend(schema_violations(operation.body_validator, body))
        return body, violations

    def _invalid(
        self,
        operation: Operation,
        classify: Classifier,
        violations: list[Violation],
        quota: Quota,
        prefs: Preferences,
    ) -> Answer:
        failure = classify(violations)
        return self._failure(operation, failure.outcome, failure.details, violations, quota, prefs)

    def _failure(
        self,
        operation: Operation,
        outcome: Outcome,
        details: dict[str, Any] | None,
        violations: list[Violation],
        quota: Quota,
        prefs: Preferences,
    ) -> Answer:
        response = operation.response(outcome.status)
        example = example_for_invalid_request(outcome.status, prefs, outcome.example)
        if example not in response.examples:
            example = outcome.example
        body = error_body(response, example, details if example == outcome.example else None)
        code = body.get("error", {}).get("code", "") if isinstance(body, dict) else ""
        answer = json_answer(outcome.status, body, code)
        if violations:
            answer.header("sl-violations", sl_violations_header(violations))
        return self._with_headers(answer, operation, outcome.status, quota)

    def _forced(self, forced: Forced, quota: Quota) -> Answer:
        response = forced.response
        if forced.dynamic:
            body = self.generator.generate(response.schema)
        else:
            name = forced.example or response.first_example
            body = (
                example_body(response, name) if name is not None else self.generator.generate(response.schema)
            )
        code = body.get("error", {}).get("code", "") if isinstance(body, dict) else ""
        answer = json_answer(response.status, body, code)
        for name, value in declared_headers(response, quota):
            answer.header(name, value)
        return answer

    @staticmethod
    def _with_headers(answer: Answer, operation: Operation, status: int, quota: Quota) -> Answer:
        for name, value in declared_headers(operation.response(status), quota):
            answer.header(name, value)
        return answer

    def _log(self, request: Request, answer: Answer, started: float) -> None:
        elapsed = (time.perf_counter() - started) * 1000
        authorization = request.headers.get("authorization", "")
        who = mask(authorization.partition(" ")[2].strip()) if authorization else "-"
        access_log.info(
            "%s %s %d %s %.2fms token=%s",
            request.method,
            request.path[:200],
            answer.status,
            answer.error_code or "-",
            elapsed,
            who,
        )


def _typed(value: str, schema: dict[str, JSON]) -> JSON:
    """A query or path value as its schema's type, so that `per_page=5` is an integer."""
    kind = schema.get("type")
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value)
        if kind == "boolean" and value in {"true", "false"}:
            return value == "true"
    except ValueError:
        return value
    return value
