from __future__ import annotations

import pytest

from mock_server.negotiation.accept import acceptable


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, True),
        ("", True),
        ("application/json", True),
        ("text/html, application/*;q=0.5", True),
        ("*/*", True),
        ("application/problem+json", True),
        ("APPLICATION/JSON; charset=utf-8", True),
        ("text/html", False),
        ("application/xml, text/plain", False),
    ],
)
def test_acceptable(accept: str | None, expected: bool) -> None:
    assert acceptable(accept) is expected
