"""One exchange against the spec, with the mock's compiled spec and validators.

`Checker.request(...)` finds the operation and checks route, security, Accept, parameters and body
(the mock's own stages); `Checker.response(...)` checks the declared status, content type, declared and
required headers and the body schema. Both return findings (values); neither raises on bad input.
The response validators are compiled once, here, from the same `CompiledSpec` the mock serves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import jsonschema_rs
import orjson

from mock_server.proxy.findings import NO_OPERATION, Finding
from mock_server.proxy.stages import acceptable, validate_request
from mock_server.spec.compiled import JSON_MEDIA_TYPE, CompiledSpec, Operation, compile_validator
from mock_server.spec.document import JSON
from mock_server.validation.body import schema_violations
from mock_server.validation.security import bearer_token
from mock_server.validation.violations import Violation

# The security check's codes that break the spec's `type: http, scheme: bearer`. The mock's "format"
# code (the talq_ form) is the mock's rule: `bearerFormat` documents, it does not constrain.
SECURITY_CODES = frozenset({"missing", "scheme", "empty"})


@dataclass(frozen=True)
class RequestCheck:
    operation: Operation | None
    path_params: dict[str, str]
    body: JSON  # the parsed JSON body (None when absent or unreadable)
    findings: list[Finding]

    @property
    def label(self) -> str:
        return self.operation.operation_id if self.operation else NO_OPERATION


@dataclass(frozen=True)
class _ResponseValidators:
    body: jsonschema_rs.Validator
    headers: dict[str, jsonschema_rs.Validator] = field(default_factory=dict)


def _never_revoked(_: str) -> bool:
    return False


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_json_media(content_type: str | None) -> bool:
    media = media_type(content_type)
    return media == JSON_MEDIA_TYPE or (media.startswith("application/") and media.endswith("+json"))


def _typed_header(value: str, schema: dict[str, JSON]) -> JSON:
    if schema.get("type") == "integer":
        try:
            return int(value.strip())
        except ValueError:
            return value
    return value


class Checker:
    """The spec, compiled once, as a checker of requests and responses."""

    def __init__(self, spec: CompiledSpec) -> None:
        self.spec = spec
        self._validators: dict[tuple[str, int], _ResponseValidators] = {}
        for operation in spec.operations.values():
            for status, response in operation.responses.items():
                where = f"{operation.operation_id} response {status}"
                self._validators[operation.operation_id, status] = _ResponseValidators(
                    compile_validator(response.schema, where),
                    {
                        header.name.lower(): compile_validator(header.schema, f"{where} header {header.name}")
                        for header in response.headers
                    },
                )

    def operation(self, method: str, path: str) -> Operation | None:
        matched = self.spec.match(path)
        return matched[0].operations.get(method.lower()) if matched else None

    def request(
        self, method: str, path: str, query_string: str, headers: dict[str, str], raw_body: bytes
    ) -> RequestCheck:
        """Route, security, Accept, parameters and body of one request. `headers`: lower-case names.
        A CORS preflight is the browser's, not an operation of the API: nothing to check."""
        if method == "OPTIONS" and "origin" in headers and "access-control-request-method" in headers:
            return RequestCheck(None, {}, None, [])
        matched = self.spec.match(path)
        if matched is None:
            where = Violation(
                ("request", "path"), "route", f"No operation of the spec serves the path {path[:200]!r}."
            )
            return RequestCheck(None, {}, None, [Finding(NO_OPERATION, where)])
        route, path_params = matched
        operation = route.operations.get(method.lower())
        if operation is None:
            wrong = Violation(
                ("request", "path"),
                "method",
                f"{method[:20]} is not an operation of {route.template}; the spec has: {route.allow}.",
            )
            return RequestCheck(None, path_params, None, [Finding(NO_OPERATION, wrong)])
        violations: list[Violation] = []
        if operation.secured:
            checked = bearer_token(headers.get("authorization"), _never_revoked)
            if isinstance(checked, Violation) and checked.code in SECURITY_CODES:
                violations.append(checked)
        if not acceptable(headers.get("accept")):
            violations.append(
                Violation(
                    ("request", "header", "accept"),
                    "accept",
                    "The operation answers application/json only: send 'Accept: application/json'.",
                )
            )
        body, problems = validate_request(
            operation, path_params, query_string, headers.get("content-type"), raw_body
        )
        violations.extend(problems)
        label = operation.operation_id
        return RequestCheck(operation, path_params, body, [Finding(label, v) for v in violations])

    def response(
        self, operation: Operation, status: int, headers: Iterable[tuple[str, str]], body: bytes | None
    ) -> list[Finding]:
        """Status, content type, headers and body of the answer to `operation`. `body` is the decoded
        body, or None when it was too large to be checked (its schema is then not checked)."""
        label = operation.operation_id
        values: dict[str, str] = {}
        for name, value in headers:
            values.setdefault(name.lower(), value)
        content_type = values.get("content-type")
        response = operation.responses.get(status)
        if response is None:
            declared = ", ".join(str(code) for code in sorted(operation.responses))
            undeclared = Violation(
                ("response", "status"),
                "status",
                f"Status {status} is not declared for {label} (declared: {declared}).",
            )
            # Every answer the spec declares is JSON: say so too when this one is not.
            found = [undeclared, *self._content_type(label, status, content_type)]
            return [Finding(label, violation) for violation in found]
        found = []
        validators = self._validators[label, status]
        for header in response.headers:
            found_value = values.get(header.name.lower())
            location = ("response", "header", header.name)
            if found_value is None:
                if header.required:
                    found.append(
                        Violation(location, "required", f"The required header {header.name} is missing.")
                    )
                continue
            typed = _typed_header(found_value, header.schema)
            validator = validators.headers[header.name.lower()]
            if not validator.is_valid(typed):  # the quick answer first; the details only when wrong
                found += [
                    Violation(location, "schema", f"{header.name}: {error.message}")
                    for error in validator.iter_errors(typed)
                ]
        wrong_type = self._content_type(label, status, content_type)
        found.extend(wrong_type)
        if not wrong_type and body is not None:
            found.extend(self._body(validators.body, body))
        return [Finding(label, violation) for violation in found]

    @staticmethod
    def _content_type(label: str, status: int, content_type: str | None) -> list[Violation]:
        if is_json_media(content_type):
            return []
        shown = (content_type or "none")[:100]
        return [
            Violation(
                ("response", "header", "content-type"),
                "content-type",
                f"Content-Type {shown!r} is not declared for {label} {status}: expected {JSON_MEDIA_TYPE}.",
            )
        ]

    @staticmethod
    def _body(validator: jsonschema_rs.Validator, body: bytes) -> list[Violation]:
        try:
            parsed = orjson.loads(body)
        except orjson.JSONDecodeError as error:
            return [Violation(("response", "body"), "json", f"The body is not valid JSON: {error}.")]
        if validator.is_valid(parsed):
            return []
        return [
            Violation(("response", *violation.location[1:]), violation.code, violation.message)
            for violation in schema_violations(validator, parsed)
        ]
