"""The mock's own table (mock_server/scenarios.py) names only what exists in the spec."""

from __future__ import annotations

from typing import Any

from mock_server import scenarios
from mock_server.operations.registry import HANDLERS
from mock_server.responder import KNOWN_HEADERS
from mock_server.spec.compiled import compile_spec
from mock_server.spec.document import walk
from mock_server.state.lifecycle import MAGIC_NUMBERS
from mock_server.state.store import EVENTS_BY_DEFAULT


def test_every_make_call_outcome_is_a_response_and_example_of_the_spec(spec: dict[str, Any]) -> None:
    operation = compile_spec(spec).operations["makeCall"]
    for outcome in scenarios.MAKE_CALL_OUTCOMES:
        assert outcome.status in operation.responses, outcome
        assert outcome.example in operation.responses[outcome.status].examples, outcome


def test_error_outcomes_name_examples_with_their_own_code(spec: dict[str, Any]) -> None:
    operation = compile_spec(spec).operations["makeCall"]
    for outcome in scenarios.MAKE_CALL_OUTCOMES:
        body = operation.responses[outcome.status].examples[outcome.example]
        if outcome.status >= 400:
            assert body["error"]["code"] == outcome.example.upper()


def test_the_new_call_status_is_in_the_spec(spec: dict[str, Any]) -> None:
    assert "initiated" in spec["components"]["schemas"]["CallStatus"]["enum"]


def test_headers_the_mock_fills_in_are_declared_by_the_spec(spec: dict[str, Any]) -> None:
    declared = {
        name
        for path, node in walk(spec)
        if path[-1:] == ("headers",) and isinstance(node, dict)
        for name in node
    }
    assert declared >= KNOWN_HEADERS


def test_every_operation_of_the_spec_has_a_handler(spec: dict[str, Any]) -> None:
    assert set(compile_spec(spec).operations) <= set(HANDLERS)


def test_every_outcome_is_a_named_example_of_its_operation(spec: dict[str, Any]) -> None:
    compiled = compile_spec(spec)
    assert set(scenarios.OPERATION_OUTCOMES) == set(compiled.operations) == set(HANDLERS)
    assert set(scenarios.INVALID_REQUEST_OUTCOMES) == set(scenarios.OPERATION_OUTCOMES)
    for operation_id, outcomes in scenarios.OPERATION_OUTCOMES.items():
        operation = compiled.operations[operation_id]
        invalid = scenarios.INVALID_REQUEST_OUTCOMES[operation_id]
        for outcome in (scenarios.INVALID_TOKEN, scenarios.RATE_LIMIT_EXCEEDED, invalid, *outcomes):
            assert outcome.status in operation.responses, (operation_id, outcome)
            assert outcome.example in operation.response(outcome.status).examples, (operation_id, outcome)


def test_magic_numbers_are_valid_destinations_and_outcomes_are_call_statuses(spec: dict[str, Any]) -> None:
    statuses = set(spec["components"]["schemas"]["CallStatus"]["enum"])
    assert set(MAGIC_NUMBERS.values()) <= statuses
    assert all(number.startswith("+1500555000") for number in MAGIC_NUMBERS)


def test_the_events_the_mock_sends_are_named_by_the_spec(spec: dict[str, Any]) -> None:
    names = set(spec["components"]["schemas"]["KnownWebhookEventName"]["enum"])
    assert set(EVENTS_BY_DEFAULT) <= names
