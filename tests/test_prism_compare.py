"""The mock against Prism 5.16.0 (installed from package-lock.json), case by case: every difference is
one the cases list as on purpose."""

from __future__ import annotations

import pytest

from tools.prism_compare import compare

pytestmark = pytest.mark.slow  # starts Prism and replays every black-box case (~30 s)


def test_the_mock_differs_from_prism_only_on_purpose() -> None:
    results = compare()
    assert len(results) >= 40
    unexpected = [
        (r.case.name, r.mock_problems, r.prism_problems)
        for r in results
        if r.mock_problems or r.prism_problems
    ]
    assert unexpected == []
    same = [r for r in results if r.expected_difference is None]
    assert len(same) >= 20  # most cases: the same status and code from both
