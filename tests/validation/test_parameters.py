from __future__ import annotations

from mock_server.spec.compiled import load_spec
from mock_server.spec.document import DEFAULT_SPEC
from mock_server.validation.parameters import parameter_values, typed

OPERATIONS = load_spec(DEFAULT_SPEC).operations


def test_defaults_come_from_the_spec_and_the_callers_dict_is_not_changed() -> None:
    path_params = {"agent_id": "agent_1"}
    path, query, problems = parameter_values(OPERATIONS["listAgentCalls"], path_params, "status=completed")
    assert problems == []
    assert path == {"agent_id": "agent_1"}
    assert path is not path_params
    assert query == {"status": "completed", "per_page": 20, "page": 1}
    assert path_params == {"agent_id": "agent_1"}


def test_every_problem_is_collected_with_its_location() -> None:
    _, query, problems = parameter_values(OPERATIONS["listCalls"], {}, "per_page=101&page=0&status=odd")
    assert sorted((p.location, p.code) for p in problems) == [
        (("request", "query", "page"), "minimum"),
        (("request", "query", "per_page"), "maximum"),
        (("request", "query", "status"), "enum"),
    ]
    assert query["per_page"] == "101"  # values are kept as sent


def test_typed() -> None:
    assert typed("5", {"type": "integer"}) == 5
    assert typed("five", {"type": "integer"}) == "five"
    assert typed("1.5", {"type": "number"}) == 1.5
    assert typed("true", {"type": "boolean"}) is True
    assert typed("yes", {"type": "boolean"}) == "yes"
    assert typed("x", {"type": "string"}) == "x"
