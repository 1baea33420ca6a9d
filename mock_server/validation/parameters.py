"""Path and query parameters: the spec's defaults, typed values, and every schema problem."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from mock_server.spec.compiled import Operation
from mock_server.spec.document import JSON
from mock_server.validation.body import schema_violations
from mock_server.validation.violations import Violation


def parameter_values(
    operation: Operation, path_params: dict[str, str], query_string: str
) -> tuple[dict[str, str], dict[str, Any], list[Violation]]:
    """New dicts of the path and query values, with the spec's defaults filled in (so operations
    never restate them), and the problems found: a missing required parameter, a value its schema
    refuses. The caller's `path_params` is not changed."""
    path = dict(path_params)
    query: dict[str, Any] = dict(parse_qsl(query_string, keep_blank_values=True))
    violations: list[Violation] = []
    for parameter in operation.parameters:
        source: dict[str, Any] = path if parameter.location == "path" else query
        where = ("request", parameter.location, parameter.name)
        if parameter.name not in source:
            if "default" in parameter.schema:
                source[parameter.name] = parameter.schema["default"]
            elif parameter.required:
                violations.append(Violation(where, "required", f"{parameter.name} is required."))
            continue
        value = typed(source[parameter.name], parameter.schema)
        for problem in schema_violations(parameter.validator, value, parameter.location):
            violations.append(Violation(where, problem.code, problem.message))
    return path, query, violations


def typed(value: str, schema: dict[str, JSON]) -> JSON:
    """A query or path value as its schema's type, so that `per_page=5` is an integer."""
    kind = schema.get("type")
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value)
        if kind == "boolean" and value in {"true", "false"}:
            return value == "true"
    except ValueError:
        return value
    return value
