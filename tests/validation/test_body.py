from __future__ import annotations

import jsonschema_rs

from mock_server.spec.compiled import load_spec
from mock_server.spec.document import DEFAULT_SPEC
from mock_server.validation.body import parse_json_body, request_body, schema_violations

VALIDATOR = load_spec(DEFAULT_SPEC).operations["makeCall"].body_validator


def test_parse_json_body() -> None:
    assert parse_json_body("application/json", b'{"to": "+1"}', True) == ({"to": "+1"}, [])
    assert parse_json_body("application/json; charset=utf-8", b"[]", True) == ([], [])
    assert parse_json_body("application/vnd.talq+json", b"1", True) == (1, [])
    _, empty = parse_json_body("application/json", b"  ", True)
    assert [v.code for v in empty] == ["required"]
    _, malformed = parse_json_body("application/json", b'{"to": ', True)
    assert [(v.location, v.code) for v in malformed] == [(("request", "body"), "json")]
    _, wrong_type = parse_json_body("text/plain", b"{}", True)
    assert [v.field for v in wrong_type] == ["content-type"]
    _, invalid_utf8 = parse_json_body("application/json", b'{"to": "\xff"}', True)
    assert [v.code for v in invalid_utf8] == ["json"]


def test_every_schema_problem_is_collected() -> None:
    assert isinstance(VALIDATOR, jsonschema_rs.Validator)
    found = schema_violations(VALIDATOR, {"to": 5, "delay_seconds": -1, "is_testing": "no"})
    assert sorted((v.field, v.code) for v in found) == [
        ("delay_seconds", "minimum"),
        ("is_testing", "type"),
        ("to", "type"),
    ]
    missing = schema_violations(VALIDATOR, {})
    assert [(v.field, v.code) for v in missing] == [("to", "required")]
    assert schema_violations(VALIDATOR, {"to": "+1234567890", "extra": 1}) == []


def test_the_specs_body_defaults_are_filled_in_and_nothing_else_changes() -> None:
    make_call = load_spec(DEFAULT_SPEC).operations["makeCall"]
    assert make_call.body_defaults == {"delay_seconds": 0, "is_testing": False}
    body, problems = request_body(make_call, "application/json", b'{"to": "+1234567890"}')
    assert (body, problems) == ({"to": "+1234567890", "delay_seconds": 0, "is_testing": False}, [])
    given, _ = request_body(make_call, "application/json", b'{"to": "+1234567890", "is_testing": true}')
    assert given == {"to": "+1234567890", "is_testing": True, "delay_seconds": 0}
    invalid, problems = request_body(make_call, "application/json", b'{"to": "x"}')
    assert invalid == {"to": "x"}  # an invalid body is answered with 400, as it came
    assert [problem.field for problem in problems] == ["to"]
