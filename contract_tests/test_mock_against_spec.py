"""The mock against openapi/talq.yaml: every operation, every schemathesis check, positive and negative data.

Each scenario runs every operation of the spec against (a) the mock in-process, through schemathesis'
ASGI transport, and (b) the mock over real HTTP on a free 127.0.0.1 port. Every answer is recorded per
operation; the last test of this module fails unless, on each target, every operation answered every
status and error code it documents (but the few listed in NOT_REACHABLE_BY_GENERATED_DATA), so a run
where everything was (say) a 401 cannot pass.

Webhooks: generated Create a webhook requests may register a webhook on 127.0.0.1 (the spec's example
URL); every other host is refused by the mock's allow-list, which is never widened here. The mock's
clock is frozen (`time_scale=0`), so no call ever changes status and no delivery is ever attempted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
import schemathesis
from schemathesis import CheckFunction, GenerationMode

from contract_tests.checks import PROJECT_CHECKS, _error_code
from contract_tests.oracle import contract, contract_for, operation_ids
from contract_tests.schemathesis_setup import ROOT, SCENARIOS, Recorder, Scenario, load_schema
from mock_server.app import create_app
from mock_server.settings import Settings
from mock_server.testing import LiveMock, serve

TARGETS = ("asgi", "http")
ASGI_BASE_URL = "http://testserver/api/v1"
# Far above what a run sends: here 429 must come from the rate-limited scenario only. The clock is
# frozen: calls never ring, so webhooks registered by generated cases never get a delivery.
MOCK_SETTINGS = Settings(rate_limit=1_000_000, seed=1, time_scale=0)

RECORDER = Recorder()
# 408 and 413 answer how a body arrives (too slowly, too large), and 503 a shared store that is down,
# which schemathesis does not vary: tests/test_hostile_input.py, tests/state/test_redis_store.py and
# the black-box cases reach them.
TRANSPORT_STATUSES = {408, 413, 503}


@dataclass(frozen=True)
class Exclusion:
    """A documented outcome the generated cases cannot reach: why, and which test reaches it instead."""

    reason: str
    covered_by: str  # "path::test_name"


CALLS_THAT_LIVE = "tests/operations/test_calls_that_live.py"
END_CALL_TEST = f"{CALLS_THAT_LIVE}::test_end_call_ends_an_active_call_and_answers_409_when_it_has_ended"
WEBHOOK_TEST = f"{CALLS_THAT_LIVE}::test_webhook_endpoints_register_list_get_and_refuse_other_hosts"
BLACKBOX_TEST = "tests/test_blackbox.py::test_case"
WEBHOOK_ENDPOINTS = "tests/operations/test_webhook_endpoints.py"
WEBHOOK_UPDATE_TEST = f"{WEBHOOK_ENDPOINTS}::test_update_changes_only_what_is_sent_and_keeps_the_host_rules"
WEBHOOK_TOGGLE_TEST = (
    f"{WEBHOOK_ENDPOINTS}::test_a_toggled_off_webhook_gets_nothing_and_toggled_on_again_it_does"
)
WEBHOOK_DELETE_TEST = (
    f"{WEBHOOK_ENDPOINTS}::test_a_deleted_webhook_is_gone_with_its_logs_and_gets_nothing_more"
)
WEBHOOK_LOGS_TEST = f"{WEBHOOK_ENDPOINTS}::test_logs_list_every_attempt_newest_first_over_pages"
WEBHOOK_TEST_MODULE = "tests/operations/test_webhook_test.py"
WEBHOOK_TEST_TEST = (
    f"{WEBHOOK_TEST_MODULE}::test_a_test_reaches_the_receiver_signed_and_answers_its_status_and_time"
)
WEBHOOK_DOWN_TEST = f"{WEBHOOK_TEST_MODULE}::test_a_receiver_that_is_down_gets_a_quick_502_saying_why"
PREFER_TEST = "tests/test_responder.py::test_a_dynamic_error_carries_a_code_its_status_can_have"
# Documented outcomes that need state generated data cannot create (a call or a webhook made first and
# its random id sent back).
NOT_REACHABLE_BY_GENERATED_DATA: dict[tuple[str, int, str | None], Exclusion] = {
    ("endCall", 200, None): Exclusion("needs an active call whose id is the call_sid", END_CALL_TEST),
    ("endCall", 409, "CALL_NOT_ACTIVE"): Exclusion("needs a call that has ended", END_CALL_TEST),
    ("getWebhook", 200, None): Exclusion("needs a webhook registered first (its id is random)", WEBHOOK_TEST),
    ("getAgent", 403, "UNAUTHORIZED"): Exclusion(
        "the mock answers it only when asked (Prefer)", BLACKBOX_TEST
    ),
    ("listCalls", 500, "SERVER_ERROR"): Exclusion(
        "the mock answers it only when asked (Prefer)", BLACKBOX_TEST
    ),
    ("listAgentCalls", 500, "SERVER_ERROR"): Exclusion("the mock answers it only when asked", PREFER_TEST),
    ("listCampaigns", 500, "SERVER_ERROR"): Exclusion("the mock answers it only when asked", PREFER_TEST),
    ("updateWebhook", 200, None): Exclusion("needs a webhook registered first", WEBHOOK_UPDATE_TEST),
    ("toggleWebhook", 200, None): Exclusion("needs a webhook registered first", WEBHOOK_TOGGLE_TEST),
    ("deleteWebhook", 200, None): Exclusion("needs a webhook registered first", WEBHOOK_DELETE_TEST),
    ("listWebhookLogs", 200, None): Exclusion("needs a webhook registered first", WEBHOOK_LOGS_TEST),
    ("testWebhook", 200, None): Exclusion("needs a webhook and a receiver", WEBHOOK_TEST_TEST),
    ("testWebhook", 502, None): Exclusion("needs a webhook whose receiver is down", WEBHOOK_DOWN_TEST),
    ("publishAgent", 422, None): Exclusion(
        "needs the agent that is not ready (agent_unready)", BLACKBOX_TEST
    ),
}


@pytest.fixture(scope="module")
def live_mock() -> Iterator[LiveMock]:
    """The mock over real HTTP on a free 127.0.0.1 port, for this module's HTTP tests."""
    with serve(MOCK_SETTINGS) as live:
        yield live


# The scenarios whose token the mock accepts and whose agent is left to generation: schemathesis reuses
# values it saw in earlier answers (an error's details.agent_id), so a generated agent_id can be one of
# the magic agents; valid data then gets that agent's outcomes (the agent is checked before credits).
AGENT_SCENARIOS = {scenario.agent_id: scenario for scenario in SCENARIOS if scenario.agent_id is not None}
ACCEPTED_TOKENS = {"valid_token", "no_credits"}


def _for_agent(scenario: Scenario, agent_id: str | None) -> Scenario:
    if scenario.name in ACCEPTED_TOKENS and scenario.agent_id is None and agent_id in AGENT_SCENARIOS:
        return AGENT_SCENARIOS[agent_id]
    return scenario


def scenario_check(scenario: Scenario) -> CheckFunction:
    """Valid data gets exactly this scenario's documented outcome(s) for the case's operation."""

    def scenario_outcome(
        ctx: Any, response: schemathesis.Response, case: schemathesis.Case[Any]
    ) -> bool | None:
        if case.meta is None or case.meta.generation.mode is not GenerationMode.POSITIVE:
            return None
        operation_id = contract_for(case.operation.path, case.operation.method).operation_id
        expected = _for_agent(scenario, (case.path_parameters or {}).get("agent_id")).outcomes_of(
            operation_id
        )
        outcome = (response.status_code, _error_code(response))
        if outcome not in expected:
            raise AssertionError(
                f"In scenario {scenario.name}, valid data for {operation_id} got {outcome}; "
                f"expected one of {sorted(expected, key=str)}."
            )
        return True

    return scenario_outcome


def _record(target: str, case: schemathesis.Case[Any], response: schemathesis.Response) -> None:
    operation_id = contract_for(case.operation.path, case.operation.method).operation_id
    RECORDER.record(target, operation_id, response.status_code, _error_code(response))


def make_test(scenario: Scenario, target: str) -> Callable[..., None]:
    """One schemathesis test (examples, coverage and fuzzing phases) of a scenario on a target."""
    schema = load_schema(scenario)
    extra_checks: list[CheckFunction] = [*PROJECT_CHECKS, scenario_check(scenario)]
    if target == "asgi":
        # schemathesis' ASGI transport, for the cases and for its checks' own probes (ignored_auth...).
        schema.app = create_app(MOCK_SETTINGS)

        @schema.parametrize()
        def test(case: schemathesis.Case[Any]) -> None:
            response = case.call_and_validate(base_url=ASGI_BASE_URL, additional_checks=extra_checks)
            _record(target, case, response)

    else:

        @schema.parametrize()
        def test(case: schemathesis.Case[Any], live_mock: LiveMock) -> None:
            with requests.Session() as session:
                response = case.call_and_validate(
                    base_url=live_mock.api_url, session=session, additional_checks=extra_checks
                )
            _record(target, case, response)

    test.__name__ = f"test_{scenario.name}_{target}"
    parametrized: Callable[..., None] = pytest.mark.slow(test)  # schemathesis' three phases: seconds each
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


def expected_outcomes(operation_id: str) -> tuple[set[int], set[str]]:
    """The statuses and error codes of this operation that the scenario runs must have answered."""
    spec = contract(operation_id)
    excluded = {
        (status, code) for (op, status, code) in NOT_REACHABLE_BY_GENERATED_DATA if op == operation_id
    }
    statuses = {
        status
        for status, response in spec.responses.items()
        if status not in TRANSPORT_STATUSES
        and not all((status, code) in excluded for code in response.codes or {None})
    }
    codes = {
        code
        for status, response in spec.responses.items()
        if status not in TRANSPORT_STATUSES
        for code in response.codes
        if (status, code) not in excluded
    }
    return statuses, codes


def missing_outcomes(recorder: Recorder, target: str) -> list[str]:
    """Every operation's documented outcome (less the listed exclusions) that `target` never answered."""
    missing: list[str] = []
    for operation_id in operation_ids():
        statuses, codes = expected_outcomes(operation_id)
        never = sorted(statuses - recorder.statuses(target, operation_id))
        if never:
            missing.append(f"{operation_id}: documented statuses never answered: {never}")
        unseen = sorted(codes - recorder.codes(target, operation_id))
        if unseen:
            missing.append(f"{operation_id}: documented error codes never answered: {unseen}")
    return missing


def test_the_exclusions_name_documented_outcomes_and_tests_that_exist() -> None:
    """An exclusion that no longer names a documented outcome, or a test that exists, is stale."""
    for (operation_id, status, code), exclusion in NOT_REACHABLE_BY_GENERATED_DATA.items():
        response = contract(operation_id).responses[status]
        assert (code is None and not response.codes) or code in response.codes, (operation_id, status, code)
        path, _, test_name = exclusion.covered_by.partition("::")
        source = (ROOT / path).read_text(encoding="utf-8")
        assert f"def {test_name}(" in source, exclusion.covered_by


def test_the_seen_check_fails_when_an_outcome_is_missing() -> None:
    """No false green: with nothing (or only 200s) recorded, every operation reports what is missing."""
    empty = Recorder()
    assert len(missing_outcomes(empty, "asgi")) >= len(operation_ids())
    only_200: Recorder = Recorder()
    for operation_id in operation_ids():
        only_200.record("asgi", operation_id, 200, None)
    reported = "\n".join(missing_outcomes(only_200, "asgi"))
    assert "makeCall: documented statuses never answered: [400, 401, 402, 404, 429]" in reported
    # End Call's 200 and 409 are excluded (NOT_REACHABLE_BY_GENERATED_DATA): not reported as missing.
    assert "endCall: documented statuses never answered: [401, 404, 422, 429]" in reported
    assert "'VALIDATION_ERROR'" in reported.split("endCall: documented error codes never answered: ")[1]


@pytest.mark.after_module  # contract_tests/conftest.py: after every other test here, or not at all
@pytest.mark.parametrize("target", TARGETS)
def test_every_documented_outcome_was_seen(target: str) -> None:
    """No false green: per operation, 200/201 and every documented status and error code were answered."""
    expected_scenarios = {scenario.name for scenario in SCENARIOS}
    assert RECORDER.completed[target] == expected_scenarios, (
        f"every scenario test of this module must pass on {target} first; failed: "
        f"{sorted(expected_scenarios - RECORDER.completed[target])}"
    )
    successes: dict[str, int] = {
        operation_id: min(status for status in contract(operation_id).responses if status < 300)
        for operation_id in operation_ids()
    }
    for operation_id, success in successes.items():
        if (operation_id, success, None) not in NOT_REACHABLE_BY_GENERATED_DATA:
            assert success in RECORDER.statuses(target, operation_id), (operation_id, success)
    missing = missing_outcomes(RECORDER, target)
    assert not missing, "\n".join(missing)
