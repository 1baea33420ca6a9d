"""What the proxy and the traffic checker find: a `Violation` (the mock's value, Prism's shape) of one
operation, with its JSON pointer and its kind."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from mock_server.validation.violations import Violation

NO_OPERATION = "(no operation)"  # the label of requests no operation of the spec serves

# Kinds, for the summary line and the JUnit failure type, from where the violation is.
KINDS = (
    "route",
    "security",
    "accept",
    "parameter",
    "request-body",
    "status",
    "content-type",
    "header",
    "body",
)


def pointer(location: tuple[str, ...]) -> str:
    """`location` as a JSON pointer (RFC 6901): ("response", "body", "data") → /response/body/data."""
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in location)


def kind_of(location: tuple[str, ...]) -> str:  # noqa: PLR0911 - one answer per kind, read top to bottom
    side, part, name = (*location, "", "")[:3]
    if side == "request":
        if part == "path" and not name:
            return "route"
        if part in {"path", "query"}:
            return "parameter"
        if part == "header" and name == "authorization":
            return "security"
        if part == "header" and name == "accept":
            return "accept"
        return "request-body"
    if part == "header":
        return "content-type" if name == "content-type" else "header"
    return "status" if part == "status" else "body"


@dataclass(frozen=True)
class Finding:
    operation: str  # the operationId, or NO_OPERATION
    violation: Violation

    @property
    def pointer(self) -> str:
        return pointer(self.violation.location)

    @property
    def kind(self) -> str:
        return kind_of(self.violation.location)

    @property
    def side(self) -> str:
        return self.violation.location[0]

    def log_line(self) -> str:
        """One line per violation: operation, JSON pointer, what was expected."""
        return _log_line(self)

    def as_data(self) -> dict[str, str]:
        return {
            "operation": self.operation,
            "kind": self.kind,
            "pointer": self.pointer,
            "code": self.violation.code,
            "message": self.violation.message[:500],
        }


@lru_cache(maxsize=1024)  # the same drift repeats exchange after exchange: format it once
def _log_line(finding: Finding) -> str:
    message = finding.violation.message[:300].encode("unicode_escape").decode("ascii")
    return f"violation {finding.operation} {finding.pointer} [{finding.violation.code}] {message}"
