"""Parsing Prism's preferences: the `Prefer` header, or the `__code`/`__example`/`__dynamic` query."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

_CODE = re.compile(r"^[0-9]{3}$")
QUERY_PREFIX = "__"


@dataclass(frozen=True)
class Preferences:
    """What the client asked for; all None means "nothing": the mock behaves like the real API."""

    code: int | None = None
    example: str | None = None
    dynamic: bool | None = None

    @property
    def any(self) -> bool:
        return self.code is not None or self.example is not None or self.dynamic is not None


@dataclass(frozen=True)
class PreferenceError:
    """A malformed preference: answered with 422 problem+json, as Prism does."""

    detail: str


NO_PREFERENCES = Preferences()


def _from_pairs(pairs: list[tuple[str, str]], source: str) -> Preferences | PreferenceError:
    values: dict[str, str] = {}
    for key, value in pairs:
        values[key.strip().lower()] = value.strip().strip('"')
    code = values.get("code")
    if code is not None and not _CODE.match(code):
        return PreferenceError(f"{source} code={code!r} is not a 3-digit status code, e.g. code=404.")
    dynamic = values.get("dynamic")
    if dynamic is not None and dynamic not in {"true", "false"}:
        return PreferenceError(f"{source} dynamic={dynamic!r} must be exactly true or false.")
    example = values.get("example")
    return Preferences(
        code=int(code) if code is not None else None,
        example=example or None,
        dynamic=None if dynamic is None else dynamic == "true",
    )


def parse_prefer_header(header: str) -> Preferences | PreferenceError:
    """`Prefer: code=400, example=agent_inactive, dynamic=false` (RFC 7240 form, comma-separated)."""
    pairs: list[tuple[str, str]] = []
    for item in header.split(","):
        for token in item.split(";"):
            if not token.strip():
                continue
            key, sep, value = token.partition("=")
            if not sep:
                return PreferenceError(f"Prefer {token.strip()!r} needs a value, e.g. code=404.")
            pairs.append((key, value))
    return _from_pairs(pairs, "Prefer")


def parse_query(query_string: str) -> Preferences | PreferenceError:
    """`?__code=404&__example=agent_not_found`: Prism's query form."""
    if QUERY_PREFIX not in query_string:
        return NO_PREFERENCES
    pairs = [
        (key[len(QUERY_PREFIX) :], value)
        for key, value in parse_qsl(query_string, keep_blank_values=True)
        if key.startswith(QUERY_PREFIX)
    ]
    return _from_pairs(pairs, "query") if pairs else NO_PREFERENCES


def preferences(prefer_header: str | None, query_string: str) -> Preferences | PreferenceError:
    """The header wins; the query form is read only when there is no `Prefer` header at all."""
    if prefer_header is not None:
        return parse_prefer_header(prefer_header)
    return parse_query(query_string)
