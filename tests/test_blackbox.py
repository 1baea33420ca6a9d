"""Every black-box case, over real HTTP against a mock on 127.0.0.1 (reset before each case); every
answer that the spec defines is also checked against the spec (status, required headers, body)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from contract_tests.oracle import contract, contract_for, operation_ids
from test_support.blackbox import Case, Mocks, load_cases, mismatches, send

CASES = load_cases()


@pytest.fixture(scope="module")
def mocks() -> Iterator[Mocks]:
    with contextlib.ExitStack() as stack:
        yield Mocks(stack)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case(case: Case, mocks: Mocks) -> None:
    mock = mocks.for_case(case)
    with httpx.Client(timeout=5) as client:
        observed = send(client, mock.url, case)
        assert mismatches(case.expect, observed) == []
        content_type = observed.headers.get("content-type", "")
        if content_type.startswith("application/json"):
            path = urlsplit(case.request["path"]).path.removeprefix("/api/v1")
            matched = mock.app.spec.match(path)
            assert matched is not None
            template = matched[0].template
            assert isinstance(observed.status, int)
            operation = contract_for(template, case.request["method"])
            assert operation.problems(observed.status, observed.headers, observed.body) == []
        else:
            assert observed.status in {204, 404, 405, 406, 422}


def test_cases_cover_every_error_code_of_the_spec() -> None:
    spec_codes = set(contract(operation_ids()[0]).error_codes)
    case_codes = {case.expect.get("code") for case in CASES}
    # CALL_NOT_ACTIVE needs a call that has ended first: tests/operations/test_calls_that_live.py covers it.
    assert spec_codes - {"CALL_NOT_ACTIVE"} <= case_codes
