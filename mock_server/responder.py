"""Bodies and headers of the mock's answers, from the spec's examples and schemas."""

from __future__ import annotations

import copy
import random
import string
import time
from datetime import date
from typing import Any

import orjson

from mock_server.http import Answer, json_answer
from mock_server.negotiation.prefer import Preferences
from mock_server.negotiation.select import Forced, example_for_invalid_request
from mock_server.scenarios import STORE_UNAVAILABLE, Outcome
from mock_server.spec.compiled import Operation, ResponseSpec
from mock_server.spec.document import JSON, SpecError
from mock_server.state.clock import iso_z
from mock_server.state.ratelimit import Quota
from mock_server.validation.violations import Violation, sl_violations_header

# The response headers the mock can fill in with true values. A spec that declares any other header
# is refused at start-up (see `check_headers_known`).
RATE_LIMIT_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
RETRY_AFTER = "Retry-After"
KNOWN_HEADERS = frozenset({*RATE_LIMIT_HEADERS, RETRY_AFTER})
STORE_RETRY_AFTER_SECONDS = 1  # a store that is down is tried again on the next request


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


def field_errors(details: dict[str, Any]) -> dict[str, list[str]]:
    """The `errors` of a `{message, errors}` body (the webhook endpoints' 422): each field's messages,
    from the `fields` of a VALIDATION_ERROR's details."""
    errors: dict[str, list[str]] = {}
    for item in details.get("fields", []):
        errors.setdefault(str(item["field"]), []).append(str(item["message"]))
    return errors


def error_body(response: ResponseSpec, example: str, details: dict[str, Any] | None) -> JSON:
    """The spec's named error example, with `details` about this request when there are any: in
    `error.details` of the envelope, or as the `errors` map of a `{message, errors}` body. The
    vendor's other forms (`{success, message}`, `{message}`) carry no details: they are sent as given."""
    body = example_body(response, example)
    if details is not None and isinstance(body, dict):
        if isinstance(body.get("error"), dict):
            body["error"]["details"] = details
        elif isinstance(body.get("errors"), dict) and details.get("fields"):
            body["errors"] = field_errors(details)
    return body


def error_code(body: JSON) -> str:
    """The `error.code` of an error envelope, or the top-level `code` of the vendor's
    `{success: false, message, code}` (for the access log), else ""."""
    if not isinstance(body, dict):
        return ""
    error = body.get("error")
    if isinstance(error, dict):
        return str(error.get("code", ""))
    code = body.get("code")
    return code if body.get("success") is False and isinstance(code, str) else ""


def with_headers(answer: Answer, response: ResponseSpec, quota: Quota) -> Answer:
    for name, value in declared_headers(response, quota):
        answer.header(name, value)
    return answer


def success_answer(operation: Operation, status: int, body: JSON, quota: Quota) -> Answer:
    return with_headers(json_answer(status, body), operation.response(status), quota)


def failure_answer(
    operation: Operation,
    outcome: Outcome,
    details: dict[str, Any] | None,
    violations: list[Violation],
    quota: Quota,
    prefs: Preferences,
) -> Answer:
    """The spec's error example of `outcome` with this request's `details` (or the example
    `Prefer: code=<same status>, example=K` names, as it is), its declared headers, `sl-violations`."""
    response = operation.response(outcome.status)
    example = example_for_invalid_request(outcome.status, prefs, outcome.example)
    if example not in response.examples:
        example = outcome.example
    if details is None or example != outcome.example:  # the example as it is: no copy to change
        body = response.examples[example]
    else:
        body = error_body(response, example, details)
    answer = json_answer(outcome.status, body, error_code(body))
    if violations:
        answer.header("sl-violations", sl_violations_header(violations))
    return with_headers(answer, response, quota)


def unavailable_answer(operation: Operation, reason: str) -> Answer:
    """503 STORE_UNAVAILABLE: the shared store does not answer (`reason` says which and what to do).
    Only `Retry-After` is declared: the rate-limit headers' values live in the store that is down."""
    response = operation.response(STORE_UNAVAILABLE.status)
    body = error_body(response, STORE_UNAVAILABLE.example, {"reason": reason[:500]})
    answer = json_answer(STORE_UNAVAILABLE.status, body, error_code(body))
    return with_headers(answer, response, Quota(False, 0, 0, 0, STORE_RETRY_AFTER_SECONDS))


def forced_answer(forced: Forced, quota: Quota, generator: BodyGenerator) -> Answer:
    """The response a valid request's preferences force: its example, or a generated body, made
    coherent with the headers and with itself (see `coherent`)."""
    response = forced.response
    name = None if forced.dynamic else forced.example or response.first_example
    body = example_body(response, name) if name is not None else generator.generate(response.schema)
    body = coherent(body, response, quota, generator)
    return with_headers(json_answer(response.status, body, error_code(body)), response, quota)


def coherent(body: JSON, response: ResponseSpec, quota: Quota, generator: BodyGenerator) -> JSON:
    """A forced body that does not contradict itself, its status or its headers:
    - an error's `code` is one the response declares (`x-talq-error-codes`);
    - with a `Retry-After` header, `details.retry_after` and `details.limit` are the header's values;
    - a page's `pagination` agrees with its `data` (see `coherent_page`)."""
    if not isinstance(body, dict):
        return body
    if (
        body.get("success") is False and "error" not in body
    ):  # {success, message, code}: a listed code or none
        if not response.error_codes:
            body.pop("code", None)
        elif body.get("code") not in response.error_codes:
            body["code"] = generator.choice(response.error_codes)
    error = body.get("error")
    if isinstance(error, dict):
        if response.error_codes and error.get("code") not in response.error_codes:
            error["code"] = generator.choice(response.error_codes)
        if any(header.name == RETRY_AFTER for header in response.headers):
            details = error.get("details")
            error["details"] = {
                **(details if isinstance(details, dict) else {}),
                "limit": quota.limit,
                "retry_after": quota.retry_after,
            }
    if isinstance(body.get("pagination"), dict) and isinstance(body.get("data"), list):
        body["pagination"] = coherent_page(body["pagination"], len(body["data"]))
    return body


def coherent_page(pagination: dict[str, Any], items: int) -> dict[str, Any]:
    """Laravel paginator fields that agree with a page of `items` items: `current_page <= last_page`,
    `items <= per_page`, `total >= items`, and `from`/`to` the page's positions (null when empty).
    The page shown is the last one; an empty page is the only page of an empty list."""
    per_page = max(int(pagination.get("per_page", 1)), items, 1)
    page = max(int(pagination.get("current_page", 1)), 1) if items else 1
    first = (page - 1) * per_page
    return {
        **pagination,
        "current_page": page,
        "last_page": page,
        "per_page": per_page,
        "total": first + items,
        "from": first + 1 if items else None,
        "to": first + items if items else None,
    }


class BodyGenerator:
    """Bodies generated from a response schema (Prism's `dynamic=true`), reproducible with a seed."""

    def __init__(self, seed: int | None) -> None:
        self._random = random.Random(seed)  # noqa: S311 - mock data, not secrets

    def generate(  # noqa: PLR0911, PLR0912 - one case per JSON Schema keyword or type
        self, schema: dict[str, JSON], depth: int = 0
    ) -> JSON:
        rng = self._random
        if depth > 8:
            raise SpecError("Schema too deep to generate a body from (more than 8 levels).")
        if "const" in schema:
            return copy.deepcopy(schema["const"])
        if "enum" in schema:
            return copy.deepcopy(rng.choice(schema["enum"]))
        if schema.get("examples"):
            return copy.deepcopy(rng.choice(schema["examples"]))
        if "allOf" in schema:  # object parts: their properties and requirements together
            parts: list[dict[str, JSON]] = schema["allOf"]
            merged: dict[str, JSON] = {"type": "object", "properties": {}, "required": []}
            for part in parts:
                merged["properties"].update(part.get("properties", {}))
                merged["required"] += part.get("required", [])
            return self.generate(merged, depth + 1)
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
            least = int(schema.get("minItems", 0))
            count = rng.randint(least, max(least, 3))
            return [self.generate(schema.get("items", {}), depth + 1) for _ in range(count)]
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

    def choice(self, values: tuple[str, ...]) -> str:
        return self._random.choice(values)

    def _string(self, schema: dict[str, JSON]) -> str:
        fmt = schema.get("format")
        if fmt == "date-time":  # upper-case T and Z: what the spec's Timestamp pattern asks for
            return iso_z(float(int(time.time())))
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
