"""responder.example_body / error_body / failure_answer: each answer gets its own copy of the spec's
example to change, and the spec's examples never change."""

from __future__ import annotations

import copy

import orjson

from mock_server import scenarios
from mock_server.negotiation.prefer import Preferences
from mock_server.responder import error_body, example_body, failure_answer
from mock_server.spec.compiled import ResponseSpec, load_spec
from mock_server.spec.document import DEFAULT_SPEC
from mock_server.state.ratelimit import Quota


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


def test_failure_answer_is_the_example_as_it_is_or_with_details_and_the_spec_is_unchanged() -> None:
    operation = load_spec(DEFAULT_SPEC).operations["makeCall"]
    quota = Quota(admitted=True, limit=100, remaining=99, reset_epoch=1_700_000_060, retry_after=60)
    examples = operation.response(401).examples
    original = copy.deepcopy(examples)
    plain = failure_answer(operation, scenarios.INVALID_TOKEN, None, [], quota, Preferences())
    assert plain.status == 401
    assert plain.error_code == "INVALID_TOKEN"
    assert plain.body == orjson.dumps(examples["invalid_token"])
    detailed = failure_answer(operation, scenarios.INVALID_TOKEN, {"why": "x"}, [], quota, Preferences())
    assert orjson.loads(detailed.body)["error"]["details"] == {"why": "x"}
    assert examples == original
