"""Fast checks of an answer against the spec (compiled jsonschema-rs validators), for the soak and
fuzz runs that check every one of many thousands of answers."""

from __future__ import annotations

from typing import Any

import orjson

from mock_server.spec.compiled import CompiledSpec, compile_validator


class AnswerChecker:
    def __init__(self, spec: CompiledSpec) -> None:
        self.spec = spec
        self._validators = {
            (op.operation_id, status): compile_validator(response.schema, f"{op.operation_id} {status}")
            for op in spec.operations.values()
            for status, response in op.responses.items()
        }

    def problems(
        self, path: str, method: str, status: int, headers: dict[str, str], body: bytes
    ) -> list[str]:
        """Why the answer breaks the spec; [] when it conforms. Answers outside the spec's operations
        (problem+json for unknown paths, wrong methods, bad preferences, preflights) are checked for
        shape only."""
        if status >= 500:
            return [f"status {status}"]
        content_type = headers.get("content-type", "")
        if status == 204 or content_type == "application/problem+json":
            if status == 204:
                return []
            problem = orjson.loads(body)
            return [] if problem.get("status") == status else [f"problem+json status {problem.get('status')}"]
        matched = self.spec.match(path)
        if matched is None or method.lower() not in matched[0].operations:
            return [f"a JSON answer {status} on a path or method the spec does not serve"]
        operation = matched[0].operations[method.lower()]
        response = operation.responses.get(status)
        if response is None:
            return [f"status {status} is not documented for {operation.operation_id}"]
        found = [
            f"missing header {h.name}"
            for h in response.headers
            if h.required and h.name.lower() not in headers
        ]
        found += [
            f"header {h.name} is not an integer >= 0"
            for h in response.headers
            if h.name.lower() in headers and not headers[h.name.lower()].isdigit()
        ]
        document: Any = orjson.loads(body)
        validator = self._validators[(operation.operation_id, status)]
        found += [f"body: {error.message}" for error in validator.iter_errors(document)]
        error = document.get("error") if isinstance(document, dict) else None
        code = error.get("code") if isinstance(error, dict) else None
        if code is not None and response.error_codes and code not in response.error_codes:
            found.append(f"error code {code!r} is not one {status} can carry {list(response.error_codes)}")
        return found
