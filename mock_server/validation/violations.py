"""A problem found in a request, in the shape of Prism's `sl-violations` header entries."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Violation:
    location: tuple[str, ...]  # e.g. ("request", "body", "to")
    code: str  # the JSON Schema keyword or check that failed, e.g. "pattern"
    message: str

    @property
    def field(self) -> str:
        """The offending field as a dotted path below its part of the request ("" for the whole)."""
        return ".".join(self.location[2:])

    def as_json(self) -> dict[str, object]:
        return {
            "location": list(self.location),
            "severity": "Error",
            "code": self.code,
            "message": self.message,
        }


def sl_violations_header(violations: list[Violation]) -> str:
    """The `sl-violations` header value: a JSON array, kept to printable ASCII.

    Non-ASCII characters are JSON \\u escapes (ensure_ascii), and so is DEL (0x7f), which is ASCII but
    not allowed in an HTTP header value (uvicorn refuses the whole answer)."""
    text = json.dumps(
        [violation.as_json() for violation in violations], ensure_ascii=True, separators=(",", ":")
    )
    return text.replace("\x7f", "\\u007f")
