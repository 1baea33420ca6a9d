"""An independent check of an answer against openapi/talq.yaml (python-jsonschema, not the mock's
jsonschema-rs): documented status, required headers with valid values, body schema."""

from __future__ import annotations

from typing import Any

import jsonschema

from mock_server.spec.document import DEFAULT_SPEC, dereference, load_document

PRISM_PROBLEM = "application/problem+json"


class SpecResponses:
    def __init__(self, document: dict[str, Any] | None = None) -> None:
        self.document = dereference(
            document or load_document(DEFAULT_SPEC), document or load_document(DEFAULT_SPEC)
        )

    def operation(self, template: str, method: str) -> dict[str, Any]:
        operation: dict[str, Any] = self.document["paths"][template][method.lower()]
        return operation

    def problems(
        self, template: str, method: str, status: int, headers: dict[str, str], body: Any
    ) -> list[str]:
        """Every way the answer breaks the spec ([] when it conforms)."""
        responses = self.operation(template, method)["responses"]
        response = responses.get(str(status))
        if response is None:
            return [f"status {status} is not documented (documented: {sorted(responses)})"]
        found: list[str] = []
        lowered = {name.lower(): value for name, value in headers.items()}
        for name, header in response.get("headers", {}).items():
            value = lowered.get(name.lower())
            if value is None:
                if header.get("required"):
                    found.append(f"required header {name} is missing")
                continue
            schema = header.get("schema", {})
            typed: Any = (
                int(value) if schema.get("type") == "integer" and value.lstrip("-").isdigit() else value
            )
            found += [
                f"header {name}: {e.message}"
                for e in jsonschema.Draft202012Validator(schema).iter_errors(typed)
            ]
        content_type = lowered.get("content-type", "")
        if not content_type.startswith("application/json"):
            found.append(f"content-type {content_type!r} is not application/json")
        schema = response["content"]["application/json"]["schema"]
        validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        found += [f"body: {error.message}" for error in validator.iter_errors(body)]
        return found
