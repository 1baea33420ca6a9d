"""The probe suite against an upstream: which probes can run on this spec, the planned requests, and
one report item per mark (and per probe of an unmarked part), each with its verdict."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from mock_server.proxy.validate import Checker
from mock_server.spec.document import JSON
from mock_server.verify.checks import CONTRADICTED, NOT_PROBEABLE, UNPROBED, Outcome, ProbeRun, not_probeable
from mock_server.verify.guards import GuardError
from mock_server.verify.marks import Mark
from mock_server.verify.probes import Probe, Step
from mock_server.verify.session import BudgetSpent, Exchange, Session

log = logging.getLogger("mock_server.verify")
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class Item:
    """One line of the report: a mark (or a probed part without one) and what the upstream said."""

    pointer: str
    claim: str
    verdict: str
    detail: str
    probe: str = ""
    marks: tuple[Mark, ...] = ()
    evidence: tuple[dict[str, JSON], ...] = ()
    spec_change: str = ""
    findings: tuple[str, ...] = ()

    def as_data(self) -> dict[str, JSON]:
        data: dict[str, JSON] = {
            "pointer": self.pointer,
            "marks": [{"pointer": mark.pointer, "kind": mark.kind, "text": mark.text} for mark in self.marks],
            "probe": self.probe or None,
            "claim": self.claim,
            "verdict": self.verdict,
            "detail": self.detail,
        }
        if self.verdict == CONTRADICTED:
            data["spec_change"] = self.spec_change
            data["findings"] = list(self.findings)
            data["evidence"] = list(self.evidence)
        return data


class Unresolved(Exception):
    """A step names a value no earlier step saved (that step's answer lacked it)."""


def fill(value: JSON, values: Mapping[str, str]) -> JSON:
    """`value` with each `{name}` placeholder of its strings replaced (Unresolved when unknown)."""
    if isinstance(value, str):

        def one(match: re.Match[str]) -> str:
            if match.group(1) not in values:
                raise Unresolved(match.group(1))
            return values[match.group(1)]

        return PLACEHOLDER.sub(one, value)
    if isinstance(value, dict):
        return {key: fill(item, values) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, values) for item in value]
    return value


def _pointed(body: JSON, where: str) -> JSON:
    for part in where.strip("/").split("/"):
        if isinstance(body, dict):
            body = body.get(part)
        elif isinstance(body, list) and part.isdigit() and int(part) < len(body):
            body = body[int(part)]
        else:
            return None
    return body


def runnable(probe: Probe, operations: Iterable[str]) -> str | None:
    """Why `probe` cannot run on this spec (None: it can)."""
    have = set(operations)
    if not probe.steps:
        return probe.reason
    needed = dict.fromkeys(step.operation for step in (*probe.steps, *probe.cleanup))
    missing = [name for name in needed if name not in have]
    if missing:
        return (
            f"The spec has no {', '.join(missing)}: what this probe creates could not be cleaned up"
            if probe.cleanup
            else f"The spec has no {', '.join(missing)}"
        ) + "."
    return None


def planned_requests(
    probes: Iterable[Probe], paths: Mapping[str, tuple[str, str]], values: Mapping[str, str]
) -> list[str]:
    """Every request the probes will send (the values known before the run filled in, those an
    earlier answer gives shown as `{name}`), for the plan and --dry-run."""
    known = dict(values)
    lines = []
    for probe in probes:
        shown = {**known, **{name: "{" + name + "}" for s in probe.steps for name in s.saves}}
        for step in (*probe.steps, *probe.cleanup):
            method, template = paths[step.operation]
            params = {name: str(fill(value, shown)) for name, value in step.params.items()}
            path = template.format_map({name: _short(value) for name, value in params.items()})
            query = "?" + "&".join(f"{k}={v}" for k, v in step.query.items()) if step.query else ""
            extra = "" if step.auth else "  (no token)"
            body = "" if step.body is None else f"  {fill(step.body, shown)}"
            lines.append(f"{probe.id}: {method.upper()} {path}{query}{body}{extra}")
    return lines


def _short(value: str) -> str:
    return value if len(value) <= 60 else f"{value[:20]}…({len(value)} characters)"


def spec_change(probe: Probe, marks: tuple[Mark, ...], outcome: Outcome) -> str:
    """Which part of the spec to change, and how, for a contradicted probe."""
    inferred = [mark.pointer for mark in marks if mark.kind == "inferred"]
    sources = sorted({mark.text for mark in marks if mark.kind == "source"})
    if inferred:
        return (
            f"The decision at {', '.join(inferred)} does not hold: change it to what the upstream does "
            f"(and its x-talq-inferred reason). {outcome.detail}"
        )
    if sources:
        return (
            f"The upstream contradicts {probe.pointer}, taken from {', '.join(sources)}: check the page, "
            f"then change the spec there (or mark the difference). {outcome.detail}"
        )
    return f"The upstream contradicts {probe.pointer}: change the spec there. {outcome.detail}"


@dataclass
class Suite:
    checker: Checker
    session: Session
    values: dict[str, str]  # agent, missing_agent, to
    spent: bool = False
    exchanges: list[Exchange] = field(default_factory=list)

    def _send(self, step: Step, values: Mapping[str, str]) -> Exchange:
        params = {name: str(fill(value, values)) for name, value in step.params.items()}
        query = {name: str(fill(value, values)) for name, value in step.query.items()}
        exchange = self.session.send(step.operation, params, query, fill(step.body, values), step.auth)
        self.exchanges.append(exchange)
        return exchange

    def run(self, probe: Probe) -> tuple[Outcome, list[Exchange]]:
        if self.spent:
            return not_probeable(f"Not sent: --max-requests {self.session.pacing.max_requests} reached."), []
        values = dict(self.values)
        run = ProbeRun(self.checker)
        outcome: Outcome | None = None
        try:
            for index, step in enumerate(probe.steps):
                exchange = self._send(step, values)
                run.exchanges.append(exchange)
                if exchange.error:
                    outcome = not_probeable(f"{step.operation}: {exchange.error}.")
                    break
                for name, where in step.saves.items():
                    saved = _pointed(exchange.json(), where)
                    if isinstance(saved, str):
                        values[name] = saved
                    elif index < len(probe.steps) - 1:
                        outcome = not_probeable(
                            f"Set-up step {step.operation} answered {exchange.status} without {where}."
                        )
                if outcome:
                    break
            if outcome is None and probe.check is not None:
                outcome = probe.check(run)
        except BudgetSpent as error:
            self.spent = True
            outcome = not_probeable(f"Not sent: {error}.")  # the same words as the probes after it
        except (GuardError, Unresolved) as error:
            outcome = not_probeable(f"Refused by verify's guard: {error}")
        cleanup_failures = self._cleanup(probe, values)
        if cleanup_failures:
            log.warning("verify: %s: clean-up failed: %s", probe.id, cleanup_failures)
            assert outcome is not None
            outcome = Outcome(
                outcome.verdict, f"{outcome.detail} Clean-up failed: {cleanup_failures}", outcome.findings
            )
        assert outcome is not None
        return outcome, run.exchanges

    def _cleanup(self, probe: Probe, values: Mapping[str, str]) -> str:
        failures = []
        for step in probe.cleanup:
            try:
                exchange = self._send(step, values)
            except Unresolved:
                continue  # nothing was created
            except (BudgetSpent, GuardError) as error:
                failures.append(f"{step.operation} not sent ({error})")
                continue
            if not 200 <= exchange.status < 300:
                failures.append(f"{step.operation} answered {exchange.status or exchange.error}")
        return "; ".join(failures)


def items_for(
    marks: list[Mark], probes: Iterable[Probe], results: Mapping[str, tuple[Outcome, list[Exchange]]]
) -> list[Item]:
    """One item per probe (with the marks of every part it covers), then one per mark no probe covers:
    unprobed, never left out."""
    probes = list(probes)
    covered = {pointer for probe in probes for pointer in probe.covers}
    items = [
        _item(probe, tuple(mark for mark in marks if mark.pointer in probe.covers), *results[probe.id])
        for probe in probes
    ]
    unprobed: dict[str, list[Mark]] = {}
    for mark in marks:
        if mark.pointer not in covered:
            unprobed.setdefault(mark.pointer, []).append(mark)
    items.extend(
        Item(
            where,
            "; ".join(m.label for m in group),
            UNPROBED,
            "No probe checks this yet.",
            marks=tuple(group),
        )
        for where, group in unprobed.items()
    )
    return items


def _item(probe: Probe, marks: tuple[Mark, ...], outcome: Outcome, exchanges: list[Exchange]) -> Item:
    if outcome.verdict != CONTRADICTED:
        return Item(probe.pointer, probe.claim, outcome.verdict, outcome.detail, probe.id, marks)
    return Item(
        probe.pointer,
        probe.claim,
        outcome.verdict,
        outcome.detail,
        probe.id,
        marks,
        tuple(exchange.evidence() for exchange in exchanges),
        spec_change(probe, marks, outcome),
        outcome.findings,
    )


def run_suite(
    suite: Suite, probes: Iterable[Probe], operations: Iterable[str]
) -> dict[str, tuple[Outcome, list[Exchange]]]:
    results: dict[str, tuple[Outcome, list[Exchange]]] = {}
    names = set(operations)
    for probe in probes:
        reason = runnable(probe, names)
        results[probe.id] = (not_probeable(reason), []) if reason else suite.run(probe)
    return results


__all__ = ["NOT_PROBEABLE", "Item", "Suite", "items_for", "planned_requests", "run_suite", "runnable"]
