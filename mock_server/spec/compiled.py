"""The spec compiled once at start-up: route table, validators, examples and declared headers.

Nothing here runs on the request path except the lookups in `CompiledSpec.match`; everything costly
(dereferencing, regex and validator compilation) happens in `compile_spec`. A construct the mock does
not implement is a `SpecError` naming it, so the mock refuses to start rather than answer wrongly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema_rs

from mock_server.spec.document import JSON, SpecError, dereference, load_document

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
JSON_MEDIA_TYPE = "application/json"
SUPPORTED_PARAMETER_LOCATIONS = frozenset({"path", "query"})


@dataclass(frozen=True)
class HeaderSpec:
    name: str
    required: bool
    schema: dict[str, JSON]
    example: JSON


@dataclass(frozen=True)
class ResponseSpec:
    status: int
    schema: dict[str, JSON]
    examples: dict[str, JSON]
    headers: tuple[HeaderSpec, ...]
    error_codes: tuple[str, ...] = ()  # `x-talq-error-codes`: the `error.code`s this response can carry

    @property
    def first_example(self) -> str | None:
        return next(iter(self.examples), None)


@dataclass(frozen=True)
class ParameterSpec:
    name: str
    location: str
    required: bool
    schema: dict[str, JSON]
    validator: jsonschema_rs.Validator


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    secured: bool
    parameters: tuple[ParameterSpec, ...]
    body_required: bool
    body_defaults: dict[str, JSON]  # the `default` of each top-level property of the body schema
    body_validator: jsonschema_rs.Validator | None
    responses: dict[int, ResponseSpec]

    def response(self, status: int) -> ResponseSpec:
        return self.responses[status]


@dataclass(frozen=True)
class Route:
    template: str
    pattern: re.Pattern[str]
    operations: dict[str, Operation]

    @property
    def allow(self) -> str:
        return ", ".join(sorted(method.upper() for method in self.operations))


@dataclass(frozen=True)
class CompiledSpec:
    base_path: str
    routes: tuple[Route, ...]
    operations: dict[str, Operation] = field(default_factory=dict)

    def match(self, path: str) -> tuple[Route, dict[str, str]] | None:
        """The route serving `path` (with or without the server base path) and its path parameters."""
        for route in self.routes:
            found = route.pattern.match(path)
            if found is not None:
                return route, found.groupdict()
        return None


def compile_validator(schema: dict[str, JSON], where: str) -> jsonschema_rs.Validator:
    try:
        return jsonschema_rs.validator_for(schema, validate_formats=True)
    except (ValueError, jsonschema_rs.ReferencingError) as error:
        raise SpecError(f"{where}: the schema cannot be compiled: {error}") from error


def _path_pattern(base_path: str, template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}/]+\})", template)
    regex = "".join(f"(?P<{part[1:-1]}>[^/]+)" if part.startswith("{") else re.escape(part) for part in parts)
    prefix = f"(?:{re.escape(base_path)})?" if base_path else ""
    return re.compile(f"^{prefix}{regex}/?$")


def _base_path(document: dict[str, JSON]) -> str:
    servers = document.get("servers") or [{"url": "/"}]
    return str(urlsplit(str(servers[0]["url"])).path).rstrip("/")


def _security_is_bearer(document: dict[str, JSON], requirements: list[dict[str, Any]]) -> bool:
    schemes = document.get("components", {}).get("securitySchemes", {})
    names = [name for requirement in requirements for name in requirement]
    for name in names:
        scheme = schemes.get(name)
        if scheme is None:
            raise SpecError(f"security requirement {name!r} names no components.securitySchemes entry.")
        if scheme.get("type") != "http" or str(scheme.get("scheme", "")).lower() != "bearer":
            raise SpecError(f"securitySchemes.{name}: only `type: http, scheme: bearer` is implemented.")
    return bool(names)


def _json_content(where: str, content: dict[str, JSON]) -> dict[str, JSON]:
    unsupported = sorted(set(content) - {JSON_MEDIA_TYPE})
    if unsupported:
        raise SpecError(f"{where}: media type(s) {unsupported} are not implemented (only {JSON_MEDIA_TYPE}).")
    media: dict[str, JSON] = content[JSON_MEDIA_TYPE]
    return media


def _response(where: str, status: str, response: dict[str, JSON]) -> ResponseSpec:
    if not status.isdigit():
        raise SpecError(f"{where}: response {status!r} is not implemented (only explicit status codes).")
    media = _json_content(f"{where} {status}", response.get("content") or {JSON_MEDIA_TYPE: {}})
    examples = {name: example["value"] for name, example in (media.get("examples") or {}).items()}
    if "example" in media:
        examples.setdefault("default", media["example"])
    headers = tuple(
        HeaderSpec(name, bool(header.get("required")), header.get("schema", {}), header.get("example"))
        for name, header in (response.get("headers") or {}).items()
    )
    codes = tuple(str(code) for code in response.get("x-talq-error-codes") or ())
    return ResponseSpec(int(status), media.get("schema", {}), examples, headers, codes)


def _parameter(where: str, parameter: dict[str, JSON]) -> ParameterSpec:
    location = parameter.get("in", "")
    name = parameter.get("name", "")
    if location not in SUPPORTED_PARAMETER_LOCATIONS:
        raise SpecError(f"{where}: parameter {name!r} in {location!r} is not implemented (path or query).")
    schema = parameter.get("schema", {})
    validator = compile_validator(schema, f"{where} parameter {name}")
    required = bool(parameter.get("required")) or location == "path"
    return ParameterSpec(name, location, required, schema, validator)


def _operation(
    document: dict[str, JSON], path: str, method: str, raw: dict[str, JSON], inherited: list[JSON]
) -> Operation:
    where = f"{method.upper()} {path}"
    operation_id = raw.get("operationId")
    if not operation_id:
        raise SpecError(f"{where}: every operation needs an operationId (the mock dispatches on it).")
    by_key = {(p["in"], p["name"]): p for p in [*inherited, *raw.get("parameters", [])]}
    parameters = tuple(_parameter(where, p) for p in by_key.values())
    body = raw.get("requestBody")
    body_schema = _json_content(where, body["content"]).get("schema", {}) if body else None
    requirements: list[dict[str, Any]] = raw.get("security", document.get("security")) or []
    return Operation(
        operation_id=operation_id,
        method=method,
        path=path,
        secured=_security_is_bearer(document, requirements),
        parameters=parameters,
        body_required=bool(body and body.get("required")),
        body_defaults={
            name: schema["default"]
            for name, schema in (body_schema or {}).get("properties", {}).items()
            if isinstance(schema, dict) and "default" in schema
        },
        body_validator=compile_validator(body_schema, where) if body_schema is not None else None,
        responses={
            spec.status: spec
            for spec in (
                _response(where, str(status), response) for status, response in raw["responses"].items()
            )
        },
    )


def compile_spec(document: dict[str, JSON]) -> CompiledSpec:
    """Dereference `document` and build everything the request path needs."""
    resolved = dereference(document, {key: value for key, value in document.items() if key != "webhooks"})
    base_path = _base_path(document)
    routes: list[Route] = []
    operations: dict[str, Operation] = {}
    for path, item in resolved.get("paths", {}).items():
        inherited = item.get("parameters", [])
        by_method = {
            method: _operation(resolved, path, method, item[method], inherited)
            for method in HTTP_METHODS
            if method in item
        }
        for operation in by_method.values():
            if operation.operation_id in operations:
                raise SpecError(f"operationId {operation.operation_id!r} is used twice.")
            operations[operation.operation_id] = operation
        routes.append(Route(path, _path_pattern(base_path, path), by_method))
    # Literal segments first, so /agents/{id}/calls never shadows a more specific path.
    routes.sort(key=lambda route: (route.template.count("{"), -len(route.template)))
    return CompiledSpec(base_path=base_path, routes=tuple(routes), operations=operations)


def load_spec(path: Path) -> CompiledSpec:
    return compile_spec(load_document(path))
