"""A problem found in a request, in the shape of Prism's `sl-violations` header entries."""

from __future__ import annotations

from dataclasses import dataclass

import orjson


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
    """The `sl-violations` header value: a JSON array in printable ASCII (JSON escapes every control
    character, so nothing from the request can end the header), bounded in size."""
    entries = [
        {
            "location": [part[:MAX_MESSAGE] for part in violation.location],
            "severity": "Error",
            "code": violation.code,
            "message": violation.message[:MAX_MESSAGE],
        }
        for violation in violations[:MAX_VIOLATIONS]
    ]
    text = orjson.dumps(entries).decode()
    return text.encode("ascii", "backslashreplace").decode("ascii")
