"""Findings of many exchanges: the JSON report, the JUnit XML and the summary line.

Bounded whatever the traffic: one record per operation and status seen, and at most
`MAX_DISTINCT_PER_CASE` distinct violations in each (each with how often it was seen). A JUnit test case
is one operation and status; each distinct violation is one `<failure>`, an upstream failure one `<error>`.
Nothing here holds a header value or a token: findings carry the spec's location and a message only.
"""

from __future__ import annotations

import json
import threading
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mock_server.proxy.findings import Finding

MAX_DISTINCT_PER_CASE = 100


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


@dataclass
class _Case:
    operation: str
    status: str  # the upstream's status, or "proxy <status>" when the proxy answered itself
    exchanges: int = 0
    violations: Counter[Finding] = field(default_factory=Counter)
    dropped: int = 0  # violations not kept (over MAX_DISTINCT_PER_CASE distinct ones)
    errors: Counter[str] = field(default_factory=Counter)  # upstream failures, by message


@dataclass
class Report:
    """What a proxy run or a traffic check found. `record` is safe to call from any thread."""

    source: str  # the upstream URL or the HAR file
    exchanges: int = 0
    _cases: dict[tuple[str, str], _Case] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, operation: str, status: str, findings: list[Finding], error: str | None = None) -> None:
        with self._lock:
            self.exchanges += 1
            case = self._cases.get((operation, status))
            if case is None:
                case = self._cases[operation, status] = _Case(operation, status)
            case.exchanges += 1
            for finding in findings:
                if finding in case.violations or len(case.violations) < MAX_DISTINCT_PER_CASE:
                    case.violations[finding] += 1
                else:
                    case.dropped += 1
            if error is not None:
                case.errors[error] += 1

    def _sorted_cases(self) -> list[_Case]:
        return sorted(self._cases.values(), key=lambda case: (case.operation, case.status))

    def violations_by_kind(self) -> Counter[str]:
        kinds: Counter[str] = Counter()
        for case in self._cases.values():
            for finding, seen in case.violations.items():
                kinds[finding.kind] += seen
        return kinds

    def upstream_failures(self) -> Counter[str]:
        failures: Counter[str] = Counter()
        for case in self._cases.values():
            failures[case.status] += sum(case.errors.values())
        return +failures

    def findings(self) -> set[Finding]:
        """Every distinct finding kept (for comparing two runs)."""
        return {finding for case in self._cases.values() for finding in case.violations}

    def summary(self) -> str:
        kinds = self.violations_by_kind()
        total = sum(kinds.values())
        by_kind = ", ".join(f"{kind}: {count}" for kind, count in sorted(kinds.items()))
        line = f"{_count(self.exchanges, 'exchange')}, {_count(total, 'violation')}"
        line += f" ({by_kind})" if by_kind else ""
        failures = self.upstream_failures()
        if failures:
            shown = ", ".join(f"{status}: {count}" for status, count in sorted(failures.items()))
            line += f"; {_count(sum(failures.values()), 'upstream failure')} ({shown})"
        return line

    def as_data(self) -> dict[str, Any]:
        kinds = self.violations_by_kind()
        return {
            "source": self.source,
            "exchanges": self.exchanges,
            "violations": sum(kinds.values()),
            "violations_by_kind": dict(sorted(kinds.items())),
            "summary": self.summary(),
            "cases": [
                {
                    "operation": case.operation,
                    "status": case.status,
                    "exchanges": case.exchanges,
                    "violations": [
                        {**finding.as_data(), "count": seen} for finding, seen in case.violations.items()
                    ],
                    "violations_not_kept": case.dropped,
                    "upstream_failures": [
                        {"message": message, "count": seen} for message, seen in case.errors.items()
                    ],
                }
                for case in self._sorted_cases()
            ],
        }

    def junit(self) -> ET.Element:
        failures = sum(len(case.violations) for case in self._cases.values())
        errors = sum(len(case.errors) for case in self._cases.values())
        suites = ET.Element("testsuites", name="talq traffic check")
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=f"talq traffic check: {self.source}",
            tests=str(len(self._cases)),
            failures=str(failures),
            errors=str(errors),
            skipped="0",
        )
        for case in self._sorted_cases():
            element = ET.SubElement(
                suite, "testcase", classname=case.operation, name=f"{case.operation} {case.status}"
            )
            for finding, seen in case.violations.items():
                failure = ET.SubElement(
                    element,
                    "failure",
                    type=finding.kind,
                    message=f"{finding.pointer} [{finding.violation.code}] {finding.violation.message[:300]}",
                )
                failure.text = f"{finding.pointer}: {finding.violation.message} (seen {seen} times)"
            for message, seen in case.errors.items():
                error = ET.SubElement(element, "error", type="upstream", message=message[:300])
                error.text = f"{message} (seen {seen} times)"
        return suites

    def write(self, path: Path) -> tuple[Path, Path]:
        """The JSON report at `path` and the JUnit XML next to it (same name, `.xml`)."""
        if path.suffix == ".xml":
            path = path.with_suffix(".json")
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            data = self.as_data()
            tree = ET.ElementTree(self.junit())
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        xml_path = path.with_suffix(".xml")
        ET.indent(tree)
        tree.write(xml_path, encoding="utf-8", xml_declaration=True)
        return path, xml_path
