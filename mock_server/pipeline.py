"""The one procedure every request to the vendor's paths goes through, as a lean ASGI app.

    1. CORS preflight        OPTIONS with Origin + Access-Control-Request-Method → 204
    2. route                 unknown path → 404, wrong method → 405 + Allow (problem+json)
    3. content negotiation   an Accept the spec cannot serve → 406 (problem+json)
    4. security              bad or missing bearer token → 401 INVALID_TOKEN (wins over everything)
    5. preferences           malformed Prefer / __code / __example / __dynamic → 422 (problem+json)
    6. rate limit            one more request in the token's window; over the limit → 429
    7. request validation    body (413 too large, 408 too slow), parameters and body, every problem
                             collected → 400 VALIDATION_ERROR (Make a Call) or 422 (the others)
    8. forced response       a valid request with Prefer code/example/dynamic → that spec response
    9. operation             the operation's own checks and effects (agent, credits, call) → its answer

On the shared store, stage 6's hit of the hot path (`FUSED_OPERATIONS`: Make a Call, End Call, List
Calls, Get Agent Calls, Get Active Call) is made by the operation's one script, so that such a
request costs one round trip to Redis; an answer given before it (stage 7 or 8, an unknown agent)
makes the hit then, and a request over the limit still gets its 429 whatever else was wrong with it.

Each stage lives in its own module and returns a value; only this module turns values into HTTP
(with `responder`). Every answer from the spec carries its declared headers with true values.
"""

from __future__ import annotations

import contextlib
import inspect
import time
from dataclasses import dataclass
from typing import Any

from mock_server import scenarios
from mock_server.accesslog import AccessLog
from mock_server.http import (
    Answer,
    ASGIScope,
    BodyTooLarge,
    Request,
    problem,
    read_bounded_body,
    send_answer,
)
from mock_server.negotiation.accept import acceptable
from mock_server.negotiation.prefer import PreferenceError, Preferences, preferences
from mock_server.negotiation.select import Forced, NotDefined, force_for_valid_request
from mock_server.operations.base import Classifier, Context, Failure, Handler
from mock_server.operations.registry import HANDLERS
from mock_server.responder import (
    BodyGenerator,
    failure_answer,
    forced_answer,
    success_answer,
    unavailable_answer,
)
from mock_server.scenarios import Outcome
from mock_server.settings import Settings
from mock_server.spec.compiled import CompiledSpec, Operation
from mock_server.spec.document import SpecError
from mock_server.state.ports import (
    FUSED_OPERATIONS,
    NAMESPACE_HEADER,
    Gate,
    RateLimited,
    Store,
    StoreUnavailable,
    admit,
)
from mock_server.state.ratelimit import Quota
from mock_server.validation.body import request_body
from mock_server.validation.parameters import parameter_values
from mock_server.validation.security import authenticate

PREFLIGHT_HEADERS = (
    (b"access-control-allow-methods", b"GET, POST, PUT, PATCH, DELETE, OPTIONS"),
    (b"access-control-allow-headers", b"Authorization, Content-Type, Prefer"),
    (b"access-control-max-age", b"600"),
)


def pipeline_outcomes(operation: Operation) -> list[Outcome]:
    """The answers stages 4, 6 and 7 can give `operation` (the spec must declare each)."""
    invalid = scenarios.INVALID_REQUEST_OUTCOMES.get(operation.operation_id, scenarios.INVALID_DATA)
    outcomes = [scenarios.RATE_LIMIT_EXCEEDED, invalid, scenarios.STORE_UNAVAILABLE]
    if operation.secured:
        outcomes.append(scenarios.INVALID_TOKEN)
    if operation.body_validator is not None:
        outcomes += [scenarios.REQUEST_TIMEOUT, scenarios.PAYLOAD_TOO_LARGE]
    return outcomes


@dataclass
class Timing:
    """What `stages` found out as it went: the operation (for a 503's answer) and the mock time."""

    operation: Operation | None = None
    gate: Gate | None = None  # the request's rate-limit hit, once stage 6 has made it (or deferred it)

    @property
    def now(self) -> float | None:
        """The mock time the request was admitted at; None until its hit is made."""
        admission = None if self.gate is None else self.gate.admission
        return None if admission is None else admission.now


class Pipeline:
    def __init__(
        self, spec: CompiledSpec, store: Store, settings: Settings, access_log: AccessLog | None = None
    ) -> None:
        missing = sorted(set(spec.operations) - set(HANDLERS))
        if missing:
            raise SpecError(f"The spec has operation(s) {missing} the mock has no behaviour for.")
        self.spec = spec
        self.store = store
        self.settings = settings
        self.access_log = access_log
        self.generator = BodyGenerator(settings.seed)
        self.handlers: dict[str, tuple[Handler, Classifier]] = {op: HANDLERS[op] for op in spec.operations}

    async def __call__(self, scope: ASGIScope, receive: Any, send: Any) -> None:
        started = time.perf_counter()
        request = Request.from_scope(scope)
        answer, body, store, at = await self.answer(request, receive)
        await send_answer(send, answer)
        if store is not None and store.journal.enabled:
            with contextlib.suppress(StoreUnavailable):  # the answer is out; 503s tell of the outage
                when = at if at is not None else (await store.clock.view()).now
                latency_ms = (time.perf_counter() - started) * 1000
                await store.journal.record(when, request, body, answer.status, answer, latency_ms)
        if self.access_log is not None:
            self.access_log.line(request, answer, started)

    async def answer(
        self, request: Request, receive: Any
    ) -> tuple[Answer, bytes, Store | None, float | None]:
        """The answer to `request`, the body it read (b"" when it read none), the store of its
        namespace (None when it names a bad one) and the mock time it was admitted at."""
        store = self.store
        name = request.headers.get(NAMESPACE_HEADER)
        if name is not None:
            try:
                store = store.namespace(name)
            except ValueError as error:
                detail = f"Header X-Talq-Namespace: {error}"
                return problem(400, "INVALID_NAMESPACE", "Invalid namespace", detail), b"", None, None
        timing = Timing()
        try:
            answer, body = await self.stages(request, receive, store, timing)
        except StoreUnavailable as error:
            operation = timing.operation
            if operation is None:
                raise
            return unavailable_answer(operation, str(error)), b"", None, None
        return answer, body, store, timing.now

    async def stages(  # noqa: PLR0911, PLR0912 - one numbered procedure, read top to bottom
        self, request: Request, receive: Any, store: Store, timing: Timing
    ) -> tuple[Answer, bytes]:
        """The answer to `request`, and the body it read (b"" when it read none)."""
        headers = request.headers
        # 1. CORS preflight
        if request.method == "OPTIONS" and "origin" in headers and "access-control-request-method" in headers:
            return Answer(204, b"", None, list(PREFLIGHT_HEADERS)), b""
        # 2. route
        matched = self.spec.match(request.path)
        if matched is None:
            detail = f"No operation of the spec serves the path {request.path[:200]!r}."
            return problem(404, "NO_PATH_MATCHED_ERROR", "Route not resolved, no path matched", detail), b""
        route, path_params = matched
        operation = route.operations.get(request.method.lower())
        if operation is None:
            detail = f"{request.method} is not allowed here; use one of: {route.allow}."
            answer = problem(405, "NO_METHOD_MATCHED_ERROR", "Route resolved, but no method matched", detail)
            return answer.header("Allow", route.allow), b""
        timing.operation = operation
        await store.ready()
        # 3. content negotiation
        if not acceptable(headers.get("accept")):
            detail = "This operation answers application/json: send 'Accept: application/json'."
            return problem(
                406, "NOT_ACCEPTABLE", "The server cannot produce an acceptable response", detail
            ), b""
        # 4. security
        settings = self.settings
        token = ""
        if operation.secured:
            directory = store.directory
            checked = authenticate(
                headers.get("authorization"), directory.token_known, directory.token_revoked
            )
            if not isinstance(checked, str):
                timing.gate = Gate("client:" + request.client)
                admission = timing.gate.admission = await store.rate.hit(timing.gate.key)
                return failure_answer(
                    operation, scenarios.INVALID_TOKEN, None, [checked], admission.quota, Preferences()
                ), b""
            token = checked
        # 5. preferences
        prefs = preferences(headers.get("prefer"), request.query_string)
        if isinstance(prefs, PreferenceError):
            return problem(422, "UNPROCESSABLE_ENTITY", "Invalid request preferences", prefs.detail), b""
        # 6. rate limit (on the shared store, the hot path's hit goes with the operation's script)
        key = "token:" + token if token else "client:" + request.client
        gate = Gate(key, exhaust=store.directory.always_rate_limited(token))
        timing.gate = gate
        deferred = store.shared and operation.operation_id in FUSED_OPERATIONS
        if not deferred and (limited := await self.over_limit(operation, store, gate, prefs)) is not None:
            return limited, b""
        # 7. request validation (a body the operation does not take is never read)
        raw = b""
        if operation.body_validator is not None:
            read = await self.read_body(operation, receive, headers, store, gate, prefs)
            if isinstance(read, Answer):
                return read, b""
            raw = read
        path, query, violations = parameter_values(operation, path_params, request.query_string)
        body, body_violations = request_body(operation, headers.get("content-type"), raw)
        violations += body_violations
        if violations:
            if (limited := await self.over_limit(operation, store, gate, prefs)) is not None:
                return limited, raw
            failure = self.handlers[operation.operation_id][1](violations)
            answer = failure_answer(
                operation, failure.outcome, failure.details, violations, self.quota(gate), prefs
            )
            return answer, raw
        # 8. forced response
        forced = force_for_valid_request(operation, prefs)
        if (
            forced is not None
            and (limited := await self.over_limit(operation, store, gate, prefs)) is not None
        ):
            return limited, raw
        if isinstance(forced, NotDefined):
            title = "The requested status code or example is not defined"
            return problem(404, "NOT_FOUND", title, forced.detail), raw
        if isinstance(forced, Forced):
            return forced_answer(forced, self.quota(gate), self.generator), raw
        # 9. operation
        context = Context(path, query, body, token, store, settings, gate, len(raw))
        return await self.operate(operation, context, prefs), raw

    async def read_body(
        self,
        operation: Operation,
        receive: Any,
        headers: dict[str, str],
        store: Store,
        gate: Gate,
        prefs: Preferences,
    ) -> bytes | Answer:
        """7. The body, or the answer to one too large (413) or too slow (408): a 429 when over the limit."""
        settings = self.settings
        read = await read_bounded_body(
            receive, headers, settings.max_body_bytes, settings.body_timeout_seconds
        )
        if isinstance(read, bytes):
            return read
        if (limited := await self.over_limit(operation, store, gate, prefs)) is not None:
            return limited
        if isinstance(read, BodyTooLarge):
            too_large = {"max_bytes": read.max_bytes}
            return failure_answer(
                operation, scenarios.PAYLOAD_TOO_LARGE, too_large, [], self.quota(gate), prefs
            )
        waited = {"timeout_seconds": read.timeout_seconds}
        return failure_answer(operation, scenarios.REQUEST_TIMEOUT, waited, [], self.quota(gate), prefs)

    async def over_limit(
        self, operation: Operation, store: Store, gate: Gate, prefs: Preferences
    ) -> Answer | None:
        """6. The gate's hit, made now unless made already: the 429 when it is not admitted."""
        try:
            await admit(store.rate, gate)
        except RateLimited as limited:
            return self.limited_answer(operation, limited.admission.quota, prefs)
        return None

    @staticmethod
    def limited_answer(operation: Operation, quota: Quota, prefs: Preferences) -> Answer:
        limited = {"limit": quota.limit, "retry_after": quota.retry_after}
        return failure_answer(operation, scenarios.RATE_LIMIT_EXCEEDED, limited, [], quota, prefs)

    @staticmethod
    def quota(gate: Gate) -> Quota:
        if gate.admission is None:
            raise RuntimeError("the request's rate-limit hit is not made yet")
        return gate.admission.quota

    async def operate(self, operation: Operation, context: Context, prefs: Preferences) -> Answer:
        """9. The operation's own checks and effects (an async handler, such as Test Webhook's, awaited).
        Campaign calls due by now are placed first, so every answer sees the mock clock's present. A
        handler that answered without a store call (an unknown agent) has its hit made after it."""
        gate, store = context.gate, context.store
        if gate.admission is not None:
            await store.settle(gate.admission.now)
        try:
            result = self.handlers[operation.operation_id][0](context)
            if inspect.isawaitable(result):
                result = await result
        except RateLimited as limited:
            return self.limited_answer(operation, limited.admission.quota, prefs)
        if (over := await self.over_limit(operation, store, gate, prefs)) is not None:
            return over
        quota = self.quota(gate)
        if isinstance(result, Failure):
            return failure_answer(operation, result.outcome, result.details, [], quota, prefs)
        return success_answer(operation, result.status, result.body, quota)
