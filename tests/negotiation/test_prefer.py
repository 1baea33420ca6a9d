from __future__ import annotations

import pytest

from mock_server.negotiation.prefer import NO_PREFERENCES, PreferenceError, Preferences, preferences


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("code=404", Preferences(code=404)),
        ("code=400, example=agent_inactive", Preferences(code=400, example="agent_inactive")),
        ("code=400; example=agent_inactive", Preferences(code=400, example="agent_inactive")),
        ("dynamic=true", Preferences(dynamic=True)),
        ("dynamic=false", Preferences(dynamic=False)),
        ('example="call_initiated"', Preferences(example="call_initiated")),
        ("respond-async=1", NO_PREFERENCES),
    ],
)
def test_prefer_header(header: str, expected: Preferences) -> None:
    assert preferences(header, "") == expected


@pytest.mark.parametrize("header", ["code=20", "code=abcd", "code=4040", "dynamic=yes", "dynamic=", "code"])
def test_malformed_prefer_header(header: str) -> None:
    result = preferences(header, "")
    assert isinstance(result, PreferenceError)
    assert result.detail


def test_query_form_only_without_a_prefer_header() -> None:
    assert preferences(None, "__code=402&__example=insufficient_credits") == Preferences(
        code=402, example="insufficient_credits"
    )
    assert preferences("code=404", "__code=402") == Preferences(code=404)
    assert preferences(None, "page=2") == NO_PREFERENCES
    assert isinstance(preferences(None, "__dynamic=sometimes"), PreferenceError)
