"""The mock against openapi/talq.yaml: every schemathesis check, positive and negative data.

Each scenario runs against (a) the mock in-process, through schemathesis' ASGI transport, and (b) the
mock over real HTTP on a free 127.0.0.1 port. Every answer is recorded; the last test of this module
fails unless 200 and every documented status and error code were seen on each target, so a run
where everything was (say) a 401 cannot pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
import schemathesis
from schemathesis import CheckFunction, GenerationMode

from contract_tests.checks import PROJECT_CHECKS, _error_code
from contract_tests.oracle import contract
from contract_tests.schemathesis_setup import SCENARIOS, Recorder, Scenario, load_schema
from mock_server.app import create_app
from mock_server.settings import Settings
from mock_server.testing import LiveMock, serve

TARGETS = ("asgi", "http")
ASGI_BASE_URL = "http://testserver/api/v1"
# Far above what a run sends: here 429 must come from the rate-limited scenario only.
HIGH_RATE_LIMIT = 1_000_000

RECORDER = Recorder()
TRANSPORT_STATUSES = {408, 413}


@pytest.fixture(scope="module")
def live_mock() -> Iterator[LiveMock]:
    """The mock over real HTTP on a free 127.0.0.1 port, for this module's HTTP tests."""
    with serve(Settings(rate_limit=HIGH_RATE_LIMIT, seed=1)) as live:
        yield live


def scenario_check(scenario: Scenario) -> CheckFunction:
    """Valid data gets exactly this scenario's documented outcome(s)."""

    def scenario_outcome(
        ctx: Any, response: schemathesis.Response, case: schemathesis.Case[Any]
    ) -> bool | None:
        if case.meta is None or case.meta.generation.mode is not GenerationMode.POSITIVE:
            return None
        outcome = (response.status_code, _error_code(response))
        if outcome not in scenario.valid_data_outcomes:
            raise AssertionError(
                f"In scenario {scenario.name}, valid data got {outcome}; "
                f"expected one of {sorted(scenario.valid_data_outcomes, key=str)}."
            )
        return True

    return scenario_outcome


def make_test(scenario: Scenario, target: str) -> Callable[..., None]:
    """One schemathesis test (examples, coverage and fuzzing phases) of a scenario on a target."""
    schema = load_schema(scenario)
    extra_checks: list[CheckFunction] = [*PROJECT_CHECKS, scenario_check(scenario)]
    if target == "asgi":
        # schemathesis' ASGI transport, for the cases and for its checks' own probes (ignored_auth...).
        schema.app = create_app(Settings(rate_limit=HIGH_RATE_LIMIT, seed=1))

        @schema.parametrize()
        def test(case: schemathesis.Case[Any]) -> None:
            response = case.call_and_validate(base_url=ASGI_BASE_URL, additional_checks=extra_checks)
            RECORDER.record(target, response.status_code, _error_code(response))

    else:

        @schema.parametrize()
        def test(case: schemathesis.Case[Any], live_mock: LiveMock) -> None:
            with requests.Session() as session:
                response = case.call_and_validate(
                    base_url=live_mock.api_url, session=session, additional_checks=extra_checks
                )
            RECORDER.record(target, response.status_code, _error_code(response))

    test.__name__ = f"test_{scenario.name}_{target}"
    parametrized: Callable[..., None] = test
    return parametrized


for _target in TARGETS:
    for _scenario in SCENARIOS:
        globals()[f"test_{_scenario.name}_{_target}"] = make_test(_scenario, _target)


def on_test_passed(item: pytest.Item) -> None:
    """Called by conftest.py: a scenario test passed on its target (all its generated cases)."""
    name = getattr(item, "originalname", item.name).removeprefix("test_")
    for target in TARGETS:
        if name.endswith("_" + target):
            RECORDER.completed[target].add(name.removesuffix("_" + target))


@pytest.mark.parametrize("target", TARGETS)
def test_every_documented_outcome_was_seen(target: str) -> None:
    """No false green: 200, every documented status and every ErrorCode of the spec were answered.

    Defined last, so it runs after the scenario tests (pytest keeps a module's order)."""
    target_name = target
    expected_scenarios = {scenario.name for scenario in SCENARIOS}
    if RECORDER.completed[target_name] != expected_scenarios:
        pytest.skip(
            f"needs every scenario test of this module to pass on {target_name} in this session "
            f"(passed: {sorted(RECORDER.completed[target_name])})"
        )
    spec = contract()
    assert 200 in RECORDER.statuses(target_name)
    # 408 and 413 answer how a body arrives (too slowly, too large), which schemathesis does not vary:
    # tests/test_hostile_input.py and the black-box cases reach them.
    reachable = {
        status: response for status, response in spec.responses.items() if status not in TRANSPORT_STATUSES
    }
    missing_statuses = set(reachable) - RECORDER.statuses(target_name)
    assert not missing_statuses, f"documented statuses never answered: {sorted(missing_statuses)}"
    documented_codes = {code for response in reachable.values() for code in response.codes}
    missing_codes = documented_codes - RECORDER.codes(target_name)
    assert not missing_codes, f"documented error codes never answered: {sorted(missing_codes)}"
