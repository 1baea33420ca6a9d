"""Bodies and headers of the mock's answers, from the spec's examples and schemas."""

from __future__ import annotations

import copy
import random
import string
from datetime import UTC, date, datetime
from typing import Any

import orjson

from mock_server.spec.compiled import ResponseSpec
from mock_server.spec.document import JSON, SpecError
from mock_server.state.ratelimit import Quota

# The response headers the mock can fill in with true values. A spec that declares any other header
# is refused at start-up (see `check_headers_known`).
RATE_LIMIT_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
RETRY_AFTER = "Retry-After"
KNOWN_HEADERS = frozenset({*RATE_LIMIT_HEADERS, RETRY_AFTER})


def header_values(quota: Quota) -> dict[str, int]:
    return {
        "X-RateLimit-Limit": quota.limit,
        "X-RateLimit-Remaining": quota.remaining,
        "X-RateLimit-Reset": quota.reset_epoch,
        RETRY_AFTER: quota.retry_after,
    }


def declared_headers(response: ResponseSpec, quota: Quota) -> list[tuple[str, int]]:
    """The headers the spec declares on `response`, with their true values."""
    values = header_values(quota)
    return [(header.name, values[header.name]) for header in response.headers]


def check_headers_known(responses: list[ResponseSpec]) -> None:
    for response in responses:
        for header in response.headers:
            if header.name not in KNOWN_HEADERS:
                raise SpecError(
                    f"Response {response.status} declares header {header.name!r}, which the mock cannot "
                    f"fill in (it knows {sorted(KNOWN_HEADERS)})."
                )


def example_body(response: ResponseSpec, name: str) -> JSON:
    """A fresh copy of the named example, for the caller to change: a JSON round trip through orjson
    gives the same answer bytes as `copy.deepcopy` at about a fifth of its cost (it ran per error)."""
    return orjson.loads(orjson.dumps(response.examples[name]))


def error_body(response: ResponseSpec, example: str, details: dict[str, Any] | None) -> JSON:
    """The spec's named error example, with `details` about this request when there are any."""
    body = example_body(response, example)
    if details is not None and isinstance(body, dict) and isinstance(body.get("error"), dict):
        body["error"]["details"] = details
    return body


class BodyGenerator:
    """Bodies generated from a response schema (Prism's `dynamic=true`), reproducible with a seed."""

    def __init__(self, seed: int | None) -> None:
        self._random = random.Random(seed)  # noqa: S311 - mock data, not secrets

    def generate(self, schema: dict[str, JSON], depth: int = 0) -> JSON:
        rng = self._random
        if depth > 8:
            raise SpecError("Schema too deep to generate a body from (more than 8 levels).")
        if "const" in schema:
            return copy.deepcopy(schema["const"])
        if "enum" in schema:
            return copy.deepcopy(rng.choice(schema["enum"]))
        if schema.get("examples"):
            return copy.deepcopy(rng.choice(schema["examples"]))
        for combinator in ("oneOf", "anyOf"):
            if combinator in schema:
                return self.generate(rng.choice(schema[combinator]), depth + 1)
        kind = schema.get("type", "object" if "properties" in schema else None)
        if isinstance(kind, list):
            kind = rng.choice(kind)
        if kind == "object":
            properties: dict[str, JSON] = schema.get("properties", {})
            required = set(schema.get("required", []))
            return {
                name: self.generate(sub, depth + 1)
                for name, sub in properties.items()
                if name in required or rng.random() < 0.5
            }
        if kind == "array":
            return [self.generate(schema.get("items", {}), depth + 1) for _ in range(rng.randint(0, 3))]
        if kind == "string":
            return self._string(schema)
        if kind == "integer":
            low = int(schema.get("minimum", 0))
            return rng.randint(low, int(schema.get("maximum", low + 1000)))
        if kind == "number":
            floor = float(schema.get("minimum", 0))
            return rng.uniform(floor, float(schema.get("maximum", floor + 1000)))
        if kind == "boolean":
            return rng.random() < 0.5
        if kind == "null":
            return None
        if not schema or kind is None:
            return {}
        raise SpecError(f"Cannot generate a value for the schema {schema!r}.")

    def _string(self, schema: dict[str, JSON]) -> str:
        fmt = schema.get("format")
        if fmt == "date-time":  # upper-case T and Z: what the spec's Timestamp pattern asks for
            return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        if "pattern" in schema:
            raise SpecError(f"Cannot generate a string for pattern {schema['pattern']!r}: add `examples`.")
        if fmt == "date":
            return date.today().isoformat()
        if fmt == "uri":
            return "https://example.com/" + self._word()
        low = int(schema.get("minLength", 1))
        high = max(int(schema.get("maxLength", low + 12)), low)
        return "".join(self._random.choices(string.ascii_lowercase, k=self._random.randint(low, high)))

    def _word(self) -> str:
        return "".join(self._random.choices(string.ascii_lowercase, k=8))
