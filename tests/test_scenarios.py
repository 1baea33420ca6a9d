"""The mock's outcome table names responses and examples the spec has."""

from __future__ import annotations

from typing import Any

from mock_server import scenarios
from mock_server.operations.registry import HANDLERS
from mock_server.spec.compiled import compile_spec
from mock_server.state.lifecycle import MAGIC_NUMBERS


def test_every_outcome_is_a_named_example_of_its_operation(spec: dict[str, Any]) -> None:
    compiled = compile_spec(spec)
    assert set(scenarios.OPERATION_OUTCOMES) == set(compiled.operations) == set(HANDLERS)
    generic = (scenarios.INVALID_TOKEN, scenarios.RATE_LIMIT_EXCEEDED, scenarios.VALIDATION_ERROR)
    for operation_id, outcomes in scenarios.OPERATION_OUTCOMES.items():
        operation = compiled.operations[operation_id]
        for outcome in (*generic, *outcomes):
            assert outcome.status in operation.responses, (operation_id, outcome)
            assert outcome.example in operation.response(outcome.status).examples, (operation_id, outcome)


def test_magic_numbers_are_valid_destinations_and_outcomes_are_call_statuses(spec: dict[str, Any]) -> None:
    statuses = set(spec["components"]["schemas"]["CallStatus"]["enum"])
    assert set(MAGIC_NUMBERS.values()) <= statuses
    assert all(number.startswith("+1500555000") for number in MAGIC_NUMBERS)
