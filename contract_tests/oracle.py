"""What openapi/talq.yaml promises about Make a Call's answers, read from the spec itself.

Used by every contract test: the documented statuses, which error codes each status documents (from
its named examples), the required response headers, and `problems(...)`, an independent check of one
answer against all of that (jsonschema, not the mock's own validator).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from mock_server.spec.document import DEFAULT_SPEC, dereference, load_document

PATH = "/agents/{agent_id}/call"
METHOD = "post"
OPERATION_LABEL = "POST /agents/{agent_id}/call"


@dataclass(frozen=True)
class DocumentedResponse:
    status: int
    schema: dict[str, Any]
    examples: dict[str, Any]
    required_headers: dict[str, dict[str, Any]]  # name -> its schema

    @property
    def codes(self) -> frozenset[str]:
        """The error codes this status documents (the codes of its named examples)."""
        return frozenset(
            example["error"]["code"]
            for example in self.examples.values()
            if isinstance(example, dict) and isinstance(example.get("error"), dict)
        )


@dataclass(frozen=True)
class Contract:
    document: dict[str, Any]
    operation: dict[str, Any]
    responses: dict[int, DocumentedResponse]
    request_schema: dict[str, Any]
    error_codes: tuple[str, ...]  # components.schemas.ErrorCode.enum
    base_path: str

    def status_of_code(self, code: str) -> set[int]:
        return {status for status, response in self.responses.items() if code in response.codes}

    def problems(self, status: int, headers: Mapping[str, str], body: Any) -> list[str]:
        """Every way this answer breaks the spec (empty when it conforms)."""
        response = self.responses.get(status)
        if response is None:
            return [f"status {status} is not documented (documented: {sorted(self.responses)})"]
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
        validator = jsonschema.Draft202012Validator(
            response.schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        )
        found += [
            f"body: {error.message} at {list(error.absolute_path)}" for error in validator.iter_errors(body)
        ]
        if status >= 400 and isinstance(body, dict) and isinstance(body.get("error"), dict):
            code = body["error"].get("code")
            if code not in response.codes:
                found.append(
                    f"error code {code!r} is not documented for {status} (it has {sorted(response.codes)})"
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


def load_contract(path: Path = DEFAULT_SPEC) -> Contract:
    document = load_document(path)
    operation = dereference(document, document["paths"][PATH][METHOD])
    responses = {}
    for status, response in operation["responses"].items():
        content = response["content"]["application/json"]
        responses[int(status)] = DocumentedResponse(
            status=int(status),
            schema=content["schema"],
            examples={name: example["value"] for name, example in content.get("examples", {}).items()},
            required_headers=_headers(response),
        )
    server = str(document["servers"][0]["url"])
    base_path = "/" + server.split("://", 1)[-1].partition("/")[2].strip("/")
    return Contract(
        document=document,
        operation=operation,
        responses=responses,
        request_schema=operation["requestBody"]["content"]["application/json"]["schema"],
        error_codes=tuple(document["components"]["schemas"]["ErrorCode"]["enum"]),
        base_path=base_path,
    )


@cache
def contract() -> Contract:
    """openapi/talq.yaml, read once (treat as read-only)."""
    return load_contract()
