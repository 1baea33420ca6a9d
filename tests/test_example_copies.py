"""responder.example_body / error_body: each answer gets its own copy of the spec's example."""

from __future__ import annotations

import copy

from mock_server.responder import error_body, example_body
from mock_server.spec.compiled import ResponseSpec


def response() -> ResponseSpec:
    example = {"success": False, "error": {"code": "INVALID_PHONE_NUMBER", "message": "m", "n": [1, 2.5]}}
    return ResponseSpec(status=400, schema={}, examples={"invalid_phone_number": example}, headers=())


def test_example_body_equals_the_example_and_is_a_fresh_copy() -> None:
    spec = response()
    original = copy.deepcopy(spec.examples["invalid_phone_number"])
    body = example_body(spec, "invalid_phone_number")
    assert body == original
    body["error"]["code"] = "CHANGED"
    assert spec.examples["invalid_phone_number"] == original


def test_error_body_details_do_not_leak_into_the_spec() -> None:
    spec = response()
    body = error_body(spec, "invalid_phone_number", {"field": "to"})
    assert body["error"]["details"] == {"field": "to"}
    assert "details" not in spec.examples["invalid_phone_number"]["error"]
    assert "details" not in error_body(spec, "invalid_phone_number", None)["error"]
