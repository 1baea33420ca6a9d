"""Parsing a JSON request body and validating it with the operation's compiled schema."""

from __future__ import annotations

import copy

import jsonschema_rs
import orjson

from mock_server.spec.compiled import Operation
from mock_server.spec.document import JSON
from mock_server.validation.violations import Violation

JSON_TYPES = ("application/json",)


def _is_json(content_type: str | None) -> bool:
    if content_type is None:
        return False
    media = content_type.split(";", 1)[0].strip().lower()
    return media in JSON_TYPES or (media.startswith("application/") and media.endswith("+json"))


def parse_json_body(content_type: str | None, raw: bytes, required: bool) -> tuple[JSON, list[Violation]]:
    """The decoded body, or the violations that stop it being read at all."""
    if not raw.strip():
        if required:
            return None, [Violation(("request", "body"), "required", "A JSON request body is required.")]
        return None, []
    if not _is_json(content_type):
        shown = (content_type or "none")[:100]
        return None, [
            Violation(
                ("request", "header", "content-type"),
                "content-type",
                f"Content-Type {shown!r} is not supported: send 'Content-Type: application/json'.",
            )
        ]
    try:
        return orjson.loads(raw), []
    except orjson.JSONDecodeError as error:
        return None, [Violation(("request", "body"), "json", f"The body is not valid JSON: {error}.")]


def _keyword(error: jsonschema_rs.ValidationError) -> str:
    path = [str(part) for part in error.schema_path]
    return path[-1] if path else "schema"


def schema_violations(validator: jsonschema_rs.Validator, body: JSON, part: str = "body") -> list[Violation]:
    """Every schema problem of `body` (Prism collects them all rather than stopping at the first)."""
    violations: list[Violation] = []
    for error in validator.iter_errors(body):
        location = ["request", part, *(str(p) for p in error.instance_path)]
        keyword = _keyword(error)
        if keyword == "required":
            missing = getattr(error.kind, "property", None)
            if isinstance(missing, str):
                location.append(missing)
        violations.append(Violation(tuple(location), keyword, error.message))
    return violations


def request_body(operation: Operation, content_type: str | None, raw: bytes) -> tuple[JSON, list[Violation]]:
    """The operation's body, decoded, checked against its schema, with the spec's defaults of absent
    top-level properties filled in (like parameter defaults: operations never restate them)."""
    if operation.body_validator is None:
        return None, []
    body, problems = parse_json_body(content_type, raw, operation.body_required)
    if problems or (body is None and not operation.body_required):
        return body, problems
    problems = schema_violations(operation.body_validator, body)
    if not problems and isinstance(body, dict):
        for name, default in operation.body_defaults.items():
            if name not in body:
                body[name] = copy.deepcopy(default) if isinstance(default, dict | list) else default
    return body, problems
