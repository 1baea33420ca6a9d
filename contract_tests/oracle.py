"""What openapi/talq.yaml promises about each operation's answers, read from the spec itself.

Used by every contract test: per operation (by operationId, or by path and method), the documented
statuses, which error codes each status can carry (its `x-talq-error-codes`), the required response
headers, and `problems(...)`, an independent check of one answer against all of that (jsonschema, not
the mock's own validator).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from mock_server.spec.document import DEFAULT_SPEC, dereference, load_document

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

# Make a Call, the operation the client and fault-injection tests are about.
MAKE_CALL = "makeCall"
PATH = "/agents/{agent_id}/call"
METHOD = "post"
OPERATION_LABEL = "POST /agents/{agent_id}/call"


@dataclass(frozen=True)
class DocumentedResponse:
    status: int
    schema: dict[str, Any]
    examples: dict[str, Any]
    required_headers: dict[str, dict[str, Any]]  # name -> its schema
    listed_codes: frozenset[str] = frozenset()  # its x-talq-error-codes

    @property
    def codes(self) -> frozenset[str]:
        """The error codes this status can carry: its `x-talq-error-codes` (else its examples' codes)."""
        return self.listed_codes or frozenset(
            example["error"]["code"]
            for example in self.examples.values()
            if isinstance(example, dict) and isinstance(example.get("error"), dict)
        )


@dataclass(frozen=True)
class Contract:
    """One operation of the spec: what it may answer."""

    document: dict[str, Any]
    operation_id: str
    path: str  # the spec's path template, e.g. /agents/{agent_id}/call
    method: str  # lower case
    operation: dict[str, Any]
    responses: dict[int, DocumentedResponse]
    request_schema: dict[str, Any] | None  # None: the operation takes no body
    error_codes: tuple[str, ...]  # components.schemas.ErrorCode.enum (the whole spec's)
    base_path: str

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def codes(self) -> frozenset[str]:
        """Every error code this operation documents, whatever the status."""
        return frozenset(code for response in self.responses.values() for code in response.codes)

    def status_of_code(self, code: str) -> set[int]:
        return {status for status, response in self.responses.items() if code in response.codes}

    def problems(self, status: int, headers: Mapping[str, str], body: Any) -> list[str]:
        """Every way this answer breaks the spec (empty when it conforms)."""
        response = self.responses.get(status)
        if response is None:
            return [
                f"status {status} is not documented for {self.operation_id} "
                f"(documented: {sorted(self.responses)})"
            ]
        found: list[str] = []
        lowered = {name.lower(): value for name, value in headers.items()}
        for name, schema in response.required_headers.items():
            value = lowered.get(name.lower())
            if value is None:
                found.append(f"required header {name} is missing")
                continue
            try:
                number = int(value)
            except ValueError:
                found.append(f"header {name}={value!r} is not an integer")
                continue
            if number < schema.get("minimum", number):
                found.append(f"header {name}={number} is below its minimum")
        found += self.body_problems(status, body)
        if status >= 400 and isinstance(body, dict) and isinstance(body.get("error"), dict):
            code = body["error"].get("code")
            if code not in response.codes:
                found.append(
                    f"error code {code!r} is not documented for {self.operation_id} {status} "
                    f"(it has {sorted(response.codes)})"
                )
        return found

    def body_problems(self, status: int, body: Any) -> list[str]:
        """How `body` breaks the schema of the documented `status` (jsonschema, formats checked)."""
        validator = jsonschema.Draft202012Validator(
            self.responses[status].schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        )
        return [
            f"body: {error.message} at {list(error.absolute_path)}" for error in validator.iter_errors(body)
        ]


def _headers(response: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: header.get("schema", {})
        for name, header in response.get("headers", {}).items()
        if header.get("required", False)
    }


def _locations(document: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """operationId -> (path, method), in the spec's order (top-level `webhooks:` are not API operations)."""
    found: dict[str, tuple[str, str]] = {}
    for path, item in document["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                found[str(item[method]["operationId"])] = (path, method)
    return found


def load_contract(operation_id: str, path: Path = DEFAULT_SPEC) -> Contract:
    document = load_document(path)
    locations = _locations(document)
    if operation_id not in locations:
        raise KeyError(f"the spec has no operation {operation_id!r} (it has {sorted(locations)})")
    template, method = locations[operation_id]
    operation = dereference(document, document["paths"][template][method])
    responses = {}
    for status, response in operation["responses"].items():
        content = response["content"]["application/json"]
        responses[int(status)] = DocumentedResponse(
            status=int(status),
            schema=content["schema"],
            examples={name: example["value"] for name, example in content.get("examples", {}).items()},
            required_headers=_headers(response),
            listed_codes=frozenset(response.get("x-talq-error-codes") or ()),
        )
    server = str(document["servers"][0]["url"])
    base_path = "/" + server.split("://", 1)[-1].partition("/")[2].strip("/")
    body = operation.get("requestBody")
    return Contract(
        document=document,
        operation_id=operation_id,
        path=template,
        method=method,
        operation=operation,
        responses=responses,
        request_schema=body["content"]["application/json"]["schema"] if body else None,
        error_codes=tuple(document["components"]["schemas"]["ErrorCode"]["enum"]),
        base_path=base_path,
    )


@cache
def operation_ids() -> tuple[str, ...]:
    """Every operationId of openapi/talq.yaml's `paths`, in the spec's order."""
    return tuple(_locations(load_document(DEFAULT_SPEC)))


@cache
def contract(operation_id: str) -> Contract:
    """One operation of openapi/talq.yaml, read once (treat as read-only)."""
    return load_contract(operation_id)


@cache
def contract_for(path: str, method: str) -> Contract:
    """The operation at this path template and method (as schemathesis' `case.operation` names them)."""
    for operation_id in operation_ids():
        found = contract(operation_id)
        if found.path == path and found.method == method.lower():
            return found
    raise KeyError(f"the spec has no operation {method.upper()} {path}")
