"""A probe's verdict from its exchanges: the checks the probes are made of, each judged with the spec."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from mock_server.proxy.validate import Checker
from mock_server.spec.compiled import Operation
from mock_server.spec.document import JSON
from mock_server.verify.recording import error_code
from mock_server.verify.session import Exchange

CONFIRMED, CONTRADICTED, NOT_PROBEABLE, UNPROBED = "confirmed", "contradicted", "not probeable", "unprobed"
BODY_KINDS = frozenset({"status", "content-type", "body"})  # headers are the rate-limit probes' business
MAX_SHOWN = 5


class StaleProbe(Exception):
    """A probe asks for something the spec no longer has (a code, a status): the probe must change."""


@dataclass(frozen=True)
class Outcome:
    verdict: str
    detail: str
    findings: tuple[str, ...] = ()  # what in the answer breaks the spec (operation, pointer, message)


def confirmed(detail: str) -> Outcome:
    return Outcome(CONFIRMED, detail)


def contradicted(detail: str, findings: tuple[str, ...] = ()) -> Outcome:
    return Outcome(CONTRADICTED, detail, findings)


def not_probeable(detail: str) -> Outcome:
    return Outcome(NOT_PROBEABLE, detail)


@dataclass
class ProbeRun:
    checker: Checker
    exchanges: list[Exchange] = field(default_factory=list)

    def status(self, index: int) -> int:
        return self.exchanges[index].status

    def body(self, index: int) -> dict[str, JSON]:
        parsed = self.exchanges[index].json()
        return parsed if isinstance(parsed, dict) else {}

    def operation(self, index: int) -> Operation:
        return self.checker.spec.operations[self.exchanges[index].operation]


def status_for(operation: Operation, code: str) -> int:
    """The status of `operation` whose response can carry `code` (its `x-talq-error-codes`)."""
    for status, response in sorted(operation.responses.items()):
        if code in response.error_codes:
            return status
    raise StaleProbe(f"{operation.operation_id} has no response that carries {code}")


def _body_findings(run: ProbeRun, index: int) -> tuple[str, ...]:
    exchange = run.exchanges[index]
    found = run.checker.response(
        run.operation(index), exchange.status, exchange.header_list, exchange.content
    )
    return tuple(
        f"{finding.pointer}: {finding.violation.message[:300]}"
        for finding in found
        if finding.kind in BODY_KINDS
    )


def _answered(exchange: Exchange) -> str:
    code = error_code(exchange.json())
    return f"{exchange.status}" + (f" {code}" if code else "")


def _judge(run: ProbeRun, status: int, code: str | None) -> Outcome:
    """The last answer against the expected status (and error code) and the spec's body for it."""
    exchange = run.exchanges[-1]
    expected = f"{status}" + (f" {code}" if code else "")
    findings = _body_findings(run, -1)
    if exchange.status != status or (code is not None and error_code(exchange.json()) != code):
        return contradicted(
            f"{exchange.operation} answered {_answered(exchange)}; the spec says {expected}.",
            findings[:MAX_SHOWN],
        )
    if findings:
        shown = "; ".join(findings[:MAX_SHOWN])
        return contradicted(f"{exchange.operation} {expected}: the body breaks the spec: {shown}", findings)
    return confirmed(f"{exchange.operation} answered {expected}, valid against the spec.")


def expect_valid(status: int) -> Callable[[ProbeRun], Outcome]:
    """The last answer has `status` and a body the spec's response for it allows."""
    return lambda run: _judge(run, status, None)


def expect_example(status: int, example: str) -> Callable[[ProbeRun], Outcome]:
    """The last answer is `status` with a body the spec allows, and the error code of the spec's named
    example when it has one (the vendor's other envelopes have none)."""

    def check(run: ProbeRun) -> Outcome:
        response = run.operation(-1).responses.get(status)
        if response is None or example not in response.examples:
            raise StaleProbe(f"{run.operation(-1).operation_id} has no example {example} for {status}")
        return _judge(run, status, error_code(response.examples[example]))

    return check


def expect_code(code: str) -> Callable[[ProbeRun], Outcome]:
    """The last answer is the status the spec gives `code` for its operation, carrying `code`."""
    return lambda run: _judge(run, status_for(run.operation(-1), code), code)


def accepted(run: ProbeRun) -> Outcome:
    exchange = run.exchanges[-1]
    if 200 <= exchange.status < 300:
        return confirmed(f"{exchange.operation} accepted it ({exchange.status}).")
    return contradicted(f"{exchange.operation} refused it: {_answered(exchange)}.")


def header_present(name: str) -> Callable[[ProbeRun], Outcome]:
    """The last answer carries `name` (declared by the spec for it) as an integer."""

    def check(run: ProbeRun) -> Outcome:
        response = run.operation(-1).responses.get(run.status(-1))
        declared = {header.name.lower() for header in (response.headers if response else ())}
        if name.lower() not in declared:
            return not_probeable(f"The spec declares no {name} for {run.status(-1)}.")
        value = run.exchanges[-1].headers.get(name.lower())
        if value is None:
            return contradicted(f"The answer ({run.status(-1)}) has no {name} header.")
        if not value.strip().isdigit():
            return contradicted(f"{name} is {value[:100]!r}, not an integer.")
        return confirmed(f"{name}: {value}")

    return check


def reset_unit(clock: Callable[[], float]) -> Callable[[ProbeRun], Outcome]:
    def check(run: ProbeRun) -> Outcome:
        value = run.exchanges[-1].headers.get("x-ratelimit-reset")
        if value is None or not value.strip().isdigit():
            return not_probeable(f"The answer has no integer X-RateLimit-Reset ({value!r}).")
        reset, now = int(value), clock()
        if now - 300 <= reset <= now + 86_400:
            return confirmed(f"X-RateLimit-Reset {reset} is {reset - now:+.0f} s from now: Unix seconds.")
        if now * 1000 - 300_000 <= reset <= (now + 86_400) * 1000:
            return contradicted(f"X-RateLimit-Reset {reset} is a Unix time in milliseconds, not seconds.")
        if reset <= 86_400:
            return contradicted(
                f"X-RateLimit-Reset {reset} looks like seconds until the reset, not a Unix time."
            )
        return contradicted(f"X-RateLimit-Reset {reset} is not within a day of now ({now:.0f}) in seconds.")

    return check
