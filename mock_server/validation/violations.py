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


MAX_MESSAGE = 200  # characters of one violation's message in the header
MAX_VIOLATIONS = 20


def sl_violations_header(violations: list[Violation]) -> str:
    """The `sl-violations` header value: a JSON array in printable ASCII, bounded in size.

    Non-ASCII and control characters become JSON escapes (ensure_ascii), so nothing from the request
    can end the header; so does DEL (0x7f), which is ASCII but not allowed in an HTTP header value
    (uvicorn would refuse the whole answer)."""
    entries = [
        {
            "location": [part[:MAX_MESSAGE] for part in violation.location],
            "severity": "Error",
            "code": violation.code,
            "message": violation.message[:MAX_MESSAGE],
        }
        for violation in violations[:MAX_VIOLATIONS]
    ]
    text = json.dumps(entries, ensure_ascii=True, separators=(",", ":"))
    return text.replace("\x7f", "\\u007f")
