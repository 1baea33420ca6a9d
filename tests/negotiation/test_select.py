from __future__ import annotations

import pytest

from mock_server.negotiation.prefer import Preferences
from mock_server.negotiation.select import (
    Forced,
    NotDefined,
    example_for_invalid_request,
    force_for_valid_request,
)
from mock_server.spec.compiled import CompiledSpec, Operation, load_spec
from mock_server.spec.document import DEFAULT_SPEC


@pytest.fixture(scope="module")
def make_call() -> Operation:
    spec: CompiledSpec = load_spec(DEFAULT_SPEC)
    return spec.operations["makeCall"]


def test_no_preference_behaves_like_the_real_api(make_call: Operation) -> None:
    assert force_for_valid_request(make_call, Preferences()) is None
    assert force_for_valid_request(make_call, Preferences(dynamic=False)) is None


def test_code_picks_the_response(make_call: Operation) -> None:
    forced = force_for_valid_request(make_call, Preferences(code=402))
    assert isinstance(forced, Forced)
    assert (forced.response.status, forced.example, forced.dynamic) == (402, None, False)


def test_example_alone_picks_the_lowest_2xx(make_call: Operation) -> None:
    forced = force_for_valid_request(make_call, Preferences(example="call_initiated"))
    assert isinstance(forced, Forced)
    assert (forced.response.status, forced.example) == (200, "call_initiated")


def test_dynamic_alone_generates_the_lowest_2xx(make_call: Operation) -> None:
    forced = force_for_valid_request(make_call, Preferences(dynamic=True))
    assert isinstance(forced, Forced)
    assert (forced.response.status, forced.dynamic) == (200, True)


@pytest.mark.parametrize(
    ("prefs", "message"),
    [
        (Preferences(code=500), "Requested status code 500 is not defined"),
        (Preferences(code=400, example="nope"), "no example named 'nope'"),
        (Preferences(example="agent_inactive"), "no example named 'agent_inactive'"),
    ],
)
def test_undefined_code_or_example(make_call: Operation, prefs: Preferences, message: str) -> None:
    result = force_for_valid_request(make_call, prefs)
    assert isinstance(result, NotDefined)
    assert message in result.detail


def test_example_on_an_invalid_request_needs_the_matching_code() -> None:
    assert example_for_invalid_request(400, Preferences(code=400, example="x"), "d") == "x"
    assert example_for_invalid_request(400, Preferences(example="x"), "d") == "d"
    assert example_for_invalid_request(400, Preferences(code=404, example="x"), "d") == "d"
