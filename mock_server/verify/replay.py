"""Replay a recording against an upstream: the same requests in the same order, ids that earlier
answers created mapped to the upstream's own, every Make a Call a test call, and each difference that
matters reported in the spec's terms: the status, the error code, a field the mock sent that the
upstream did not, a field's type, an answer the spec does not allow. Values are never compared (ids,
times and generated values vary by design); only what the spec fixes is."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from mock_server.proxy.validate import Checker
from mock_server.spec.document import JSON
from mock_server.verify.checks import BODY_KINDS, CONFIRMED, CONTRADICTED, NOT_PROBEABLE
from mock_server.verify.guards import ENABLED_FLAG, TEST_FLAG, GuardError
from mock_server.verify.probes import op
from mock_server.verify.recording import SCRUBBED, Recording, error_code, fields, ids
from mock_server.verify.report import VerifyReport
from mock_server.verify.runner import Item
from mock_server.verify.session import BudgetSpent, Exchange, Session

FORCED = ("prefer",)  # a forced answer (Prism's Prefer) is the mock's control: the upstream has none
FORCED_QUERY = ("__code", "__example", "__dynamic")
QUOTA_STATUSES = frozenset({408, 413, 429})  # the mock's hardening and quota: not reproduced on purpose


def _not_replayable(exchange: Mapping[str, JSON], test_only: frozenset[str]) -> str | None:
    request, response = exchange["request"], exchange["response"]
    assert isinstance(request, dict)
    assert isinstance(response, dict)
    status = response.get("status")
    if any(name in (request.get("headers") or {}) for name in FORCED) or any(
        name in (request.get("query") or {}) for name in FORCED_QUERY
    ):
        return "The mock's answer was forced (Prefer / __code): the upstream has no such control."
    if status in QUOTA_STATUSES:
        return f"A {status} depends on the mock's limits and timing; verify never provokes one upstream."
    if status == 401 and request.get("token") is not None:
        return "The recorded token was refused (a test of bad tokens); verify has only TALQ_TOKEN."
    body = request.get("body")
    real_call = exchange["operation"] in test_only and not (
        isinstance(body, dict) and body.get(TEST_FLAG) is True
    )
    if real_call and status == 402:
        return "A real call refused for credits; replayed calls are test calls, which spend none."
    if request.get("raw_body"):
        return "The recorded body was not JSON; it is not kept, so it cannot be sent again."
    return None


def _mapped(value: JSON, mapping: Mapping[str, str]) -> JSON:
    if isinstance(value, str):
        return mapping.get(value, value)
    if isinstance(value, dict):
        return {key: _mapped(item, mapping) for key, item in value.items() if item != SCRUBBED}
    if isinstance(value, list):
        return [_mapped(item, mapping) for item in value]
    return value


def _present(upstream: dict[str, str], where: str) -> bool:
    """Whether the upstream sent `where` (a field under `*` counts only where the upstream's array has
    items: an empty list cannot lack a field)."""
    if where in upstream:
        return True
    head = where
    while "/*" in head:
        head = head[: head.rindex("/*")]
        if upstream.get(head) == "array" and head + "/*" not in upstream:
            return True  # the upstream's array is empty
    return False


def _other_type(mock: str, upstream: str) -> bool:
    """A type difference that matters: not null against a value (a value the spec lets be null, such as
    an active call's ended_reason, is a value), not integer against number."""
    return mock != upstream and "null" not in {mock, upstream} and {mock, upstream} != {"integer", "number"}


def differences(recorded: Mapping[str, JSON], exchange: Exchange, checker: Checker) -> list[str]:
    """What the upstream's answer does differently from the mock's, in the spec's terms."""
    found: list[str] = []
    status = recorded.get("status")
    if exchange.status != status:
        found.append(f"status: the mock answered {status}, the upstream {exchange.status or exchange.error}")
    body = exchange.json()
    if recorded.get("code") != error_code(body):
        found.append(f"error code: the mock's {recorded.get('code')}, the upstream's {error_code(body)}")
    if exchange.status == status:
        upstream = fields(body)
        sent = recorded.get("fields") or {}
        assert isinstance(sent, dict)
        for where, kind in sent.items():
            if not _present(upstream, where):
                found.append(f"field {where}: the mock sent it ({kind}), the upstream did not")
            elif where in upstream and _other_type(kind, upstream[where]):
                found.append(f"type of {where}: the mock sent {kind}, the upstream {upstream[where]}")
    operation = checker.spec.operations[exchange.operation]
    findings = checker.response(operation, exchange.status, exchange.header_list, exchange.content)
    found += [
        f"the spec does not allow the upstream's answer: {f.pointer}: {f.violation.message[:200]}"
        for f in findings
        if f.kind in BODY_KINDS and not (exchange.status != status and f.kind == "status")
    ]
    return found


@dataclass
class Replay:
    recording: Recording
    session: Session
    checker: Checker
    agent: str | None  # the upstream's agent for the recorded agents (None: as recorded)
    mapping: dict[str, str] = field(default_factory=dict)  # recorded id -> the upstream's
    created: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # what to delete afterwards

    def _deleter(self, operation: str) -> str | None:
        """The delete operation of what `operation` creates (POST /x → DELETE /x/{id}), if any."""
        _, path = self.session.paths[operation]
        return next(
            (
                name
                for name, (method, other) in self.session.paths.items()
                if method == "delete"
                and other.startswith(path + "/{")
                and other.count("/") == path.count("/") + 1
            ),
            None,
        )

    def item(self, number: int, exchange: Mapping[str, JSON], dry_run: bool) -> tuple[Item, str | None]:
        operation = str(exchange["operation"])
        request, response = exchange["request"], exchange["response"]
        assert isinstance(request, dict)
        assert isinstance(response, dict)
        method, template = self.session.paths.get(operation, ("?", "?"))
        where = op(template, method) + f"/responses/{response.get('status')}"
        claim = f"#{number} {request.get('method')} {request.get('path')} → {response.get('status')}" + (
            f" {response['code']}" if response.get("code") else ""
        )
        guard = self.session.guard
        reason = _not_replayable(exchange, guard.test_only)
        if reason is None and operation in guard.disabled_only and self._deleter(operation) is None:
            reason = "The spec has no operation to delete what this creates; verify leaves nothing behind."
        if operation not in self.session.paths:
            reason = f"The spec has no operation {operation} any more."
        if reason:
            return Item(where, claim, NOT_PROBEABLE, reason, f"replay-{number}"), None
        params = {
            name: str(_mapped(value, self.mapping)) for name, value in (request.get("params") or {}).items()
        }
        if self.agent and "agent_id" in params and response.get("status") != 404:
            params["agent_id"] = self.agent  # a missing agent stays missing
        body = _mapped(request.get("body"), self.mapping)
        note = ""
        if operation in guard.test_only and isinstance(body, dict) and body.get(TEST_FLAG) is not True:
            body[TEST_FLAG] = True
            note = f' (sent with "{TEST_FLAG}": true: the recording had a real call)'
        if operation in guard.disabled_only and isinstance(body, dict):
            body[ENABLED_FLAG] = False
        query = {
            name: str(_mapped(value, self.mapping)) for name, value in (request.get("query") or {}).items()
        }
        if dry_run:
            return Item(
                where, claim, NOT_PROBEABLE, f"--dry-run: {method.upper()} {params} {query} {body}{note}"
            ), None
        try:
            sent = self.session.send(operation, params, query, body, request.get("token") is not None)
        except GuardError as error:
            return Item(
                where, claim, NOT_PROBEABLE, f"Refused by verify's guard: {error}", f"replay-{number}"
            ), None
        self._learn(response, sent, operation, params)
        found = differences(response, sent, self.checker)
        if not found:
            return Item(
                where, claim, CONFIRMED, f"The upstream answered as the mock did{note}.", f"replay-{number}"
            ), None
        detail = "; ".join(found)
        change = (
            f"The mock (and the spec at {where}) answer differently from the upstream: {detail}. "
            "Change the spec there."
        )
        return (
            Item(
                where,
                claim,
                CONTRADICTED,
                detail + note,
                f"replay-{number}",
                (),
                (sent.evidence(),),
                change,
                tuple(found),
            ),
            None,
        )

    def _learn(
        self, response: Mapping[str, JSON], sent: Exchange, operation: str, params: dict[str, str]
    ) -> None:
        recorded = response.get("ids") or {}
        assert isinstance(recorded, dict)
        upstream = ids(sent.json())
        for where, value in recorded.items():
            if where in upstream and isinstance(value, str) and value != upstream[where]:
                self.mapping[value] = upstream[where]
        deleter = self._deleter(operation) if operation in self.session.guard.disabled_only else None
        if deleter and 200 <= sent.status < 300 and "/data/id" in upstream:
            _, path = self.session.paths[deleter]
            names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
            self.created.append(
                (
                    deleter,
                    {**{name: params.get(name, "") for name in names[:-1]}, names[-1]: upstream["/data/id"]},
                )
            )

    def cleanup(self) -> None:
        for deleter, params in self.created:
            try:
                self.session.send(deleter, params, {}, None, True)
            except (BudgetSpent, GuardError):
                continue


def replay(
    recording: Recording, session: Session, checker: Checker, agent: str | None, dry_run: bool = False
) -> VerifyReport:
    run = Replay(recording, session, checker, agent)
    report = VerifyReport(session.base_url, "replay", planned=len(recording.exchanges))
    try:
        for number, exchange in enumerate(recording.exchanges, start=1):
            try:
                item, _ = run.item(number, exchange, dry_run)
            except BudgetSpent as error:
                item = Item(
                    f"#{number}", str(exchange.get("operation")), NOT_PROBEABLE, f"Not sent: {error}."
                )
            report.items.append(item)
    finally:
        run.cleanup()
    return report
