"""Choosing the response to force from the client's preferences (Prism's rules 6 and 7)."""

from __future__ import annotations

from dataclasses import dataclass

from mock_server.negotiation.prefer import Preferences
from mock_server.spec.compiled import Operation, ResponseSpec


@dataclass(frozen=True)
class Forced:
    """Answer with this spec response: its named example, or a body generated from its schema."""

    response: ResponseSpec
    example: str | None
    dynamic: bool


@dataclass(frozen=True)
class NotDefined:
    """The preference names a status or example the spec does not define: 404 problem+json."""

    detail: str


def _lowest_success(operation: Operation) -> ResponseSpec | None:
    successes = sorted(status for status in operation.responses if 200 <= status < 300)
    return operation.responses[successes[0]] if successes else None


def _with_example(response: ResponseSpec, prefs: Preferences) -> Forced | NotDefined:
    if prefs.example is not None and prefs.example not in response.examples:
        names = ", ".join(response.examples) or "none"
        return NotDefined(
            f"Response {response.status} has no example named {prefs.example!r} (it has: {names})."
        )
    return Forced(response, prefs.example, dynamic=prefs.dynamic is True)


def force_for_valid_request(operation: Operation, prefs: Preferences) -> Forced | NotDefined | None:
    """The response a valid request's preferences force, or None to behave like the real API.

    `code=N` picks that response; `example=K` alone picks the named example of the lowest 2xx;
    `dynamic=true` alone generates the lowest 2xx from its schema.
    """
    if not prefs.any or (prefs.code is None and prefs.example is None and prefs.dynamic is False):
        return None
    if prefs.code is not None:
        response = operation.responses.get(prefs.code)
        if response is None:
            return NotDefined(f"Requested status code {prefs.code} is not defined for this operation.")
        return _with_example(response, prefs)
    success = _lowest_success(operation)
    if success is None:
        return NotDefined("The operation defines no 2xx response to force.")
    return _with_example(success, prefs)


def example_for_invalid_request(status: int, prefs: Preferences, default: str) -> str:
    """The example to answer an invalid request with: Prefer never changes its status, and
    `example=K` is honoured only together with a `code` equal to that status."""
    if prefs.code == status and prefs.example is not None:
        return prefs.example
    return default
