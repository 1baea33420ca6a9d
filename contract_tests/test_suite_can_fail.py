"""The suite can fail: each deliberate break is caught by the checks the suite runs.

Mock breaks use test_support/faults.py (a wrapper that exists only for this purpose); the stale client
is generated from a temporary copy of the spec with one enum value removed. Each break is shown to
fail (a) the same schemathesis checks test_mock_against_spec.py runs and/or (b) the same end-to-end
test function test_client_against_mock.py runs; and the unbroken mock passes the same procedure, so
the failures come from the break.
"""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.core.failures import Failure, FailureGroup
from talq_client.models import ErrorCode, ErrorResponse

from contract_tests import test_client_against_mock as end_to_end
from contract_tests.checks import PROJECT_CHECKS
from contract_tests.oracle import MAKE_CALL, PATH, contract
from contract_tests.schemathesis_setup import SCENARIOS, load_schema
from mock_server.app import MockApp, create_app
from mock_server.settings import Settings
from mock_server.spec.document import DEFAULT_SPEC
from mock_server.testing import serve
from test_support.faults import Fault, faulty_app, rewrite
from tools.generate_client import OUTPUT as GENERATED
from tools.generate_client import differences, generate_into

pytestmark = pytest.mark.slow  # schemathesis runs against deliberately broken mocks

SETTINGS = Settings(rate_limit=1_000_000, seed=3)
AUTH = {"Authorization": "Bearer talq_contract"}


def schemathesis_failures(app: MockApp, mode: GenerationMode, examples: int = 30) -> set[str]:
    """Run schemathesis' checks (all, plus the project's) on generated cases; the failures' names."""
    schema = load_schema(SCENARIOS[0])
    schema.app = app
    operation = schema[PATH]["POST"]
    found: list[Failure] = []

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        try:
            case.call_and_validate(
                base_url="http://testserver/api/v1", headers=AUTH, additional_checks=PROJECT_CHECKS
            )
        except FailureGroup as group:
            found.extend(group.exceptions)

    run()
    return {type(failure).__name__ + ": " + failure.title for failure in found}


def row(name: str) -> end_to_end.Row:
    return next(candidate for candidate in end_to_end.ROWS if candidate.name == name)


def end_to_end_row_fails(app: MockApp, name: str) -> str:
    """Run test_client_against_mock's own test function for one row against `app`; its failure."""
    with serve(SETTINGS, app=app) as live, pytest.raises(AssertionError) as failed:
        asyncio.run(end_to_end.test_scenario_row(row(name), "sync", "api", live))
    return str(failed.value)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_unbroken_mock_passes_the_same_procedure(mode: GenerationMode) -> None:
    assert schemathesis_failures(create_app(SETTINGS), mode) == set()


def test_a_status_not_in_the_spec_is_caught() -> None:
    failures = schemathesis_failures(faulty_app(SETTINGS, Fault.UNDOCUMENTED_STATUS), GenerationMode.POSITIVE)
    assert any(name.startswith("UndefinedStatusCode") for name in failures), failures
    assert "201" in end_to_end_row_fails(faulty_app(SETTINGS, Fault.UNDOCUMENTED_STATUS), "valid call")


def test_a_missing_required_rate_limit_header_is_caught() -> None:
    failures = schemathesis_failures(
        faulty_app(SETTINGS, Fault.DROP_RATE_LIMIT_REMAINING), GenerationMode.POSITIVE
    )
    assert any(name.startswith("MissingHeaders") for name in failures), failures
    message = end_to_end_row_fails(faulty_app(SETTINGS, Fault.DROP_RATE_LIMIT_REMAINING), "valid call")
    assert "X-RateLimit-Remaining is missing" in message


def test_an_accepted_invalid_phone_number_is_caught() -> None:
    failures = schemathesis_failures(
        faulty_app(SETTINGS, Fault.ACCEPT_INVALID_PHONE), GenerationMode.NEGATIVE, 60
    )
    assert any(name.startswith("AcceptedNegativeData") for name in failures), failures
    assert "200" in end_to_end_row_fails(faulty_app(SETTINGS, Fault.ACCEPT_INVALID_PHONE), "invalid to")


def test_a_wrong_error_code_in_the_body_is_caught() -> None:
    failures = schemathesis_failures(faulty_app(SETTINGS, Fault.WRONG_ERROR_CODE), GenerationMode.NEGATIVE)
    assert any(
        "error_code_matches_status" in name or "not documented for status" in name for name in failures
    ), failures
    message = end_to_end_row_fails(faulty_app(SETTINGS, Fault.WRONG_ERROR_CODE), "agent missing")
    assert "INVALID_TOKEN" in message


def test_the_fault_rewrites_are_what_they_say() -> None:
    headers = [(b"x-ratelimit-remaining", b"9"), (b"content-length", b"2")]
    assert rewrite(Fault.UNDOCUMENTED_STATUS, 200, headers, b"{}")[0] == 201
    assert rewrite(Fault.DROP_RATE_LIMIT_REMAINING, 200, headers, b"{}")[1] == [(b"content-length", b"2")]
    body = b'{"success":false,"error":{"code":"INVALID_PHONE_NUMBER","message":"m"}}'
    assert rewrite(Fault.ACCEPT_INVALID_PHONE, 400, [], body)[0] == 200
    assert b"INVALID_TOKEN" in rewrite(Fault.WRONG_ERROR_CODE, 400, [], body)[2]


# A client generated from a spec that lost an enum value -------------------------------------------------

REMOVED = "        - AGENT_INACTIVE\n"


def _import_as(package_dir: Path, name: str) -> ModuleType:
    """Import a generated `talq_client` package from `package_dir` under another top-level name."""
    spec = importlib.util.spec_from_file_location(
        name, package_dir / "__init__.py", submodule_search_locations=[str(package_dir)]
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def stale_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, ModuleType]]:
    scratch = tmp_path_factory.mktemp("stale")
    text = DEFAULT_SPEC.read_text(encoding="utf-8")
    assert text.count(REMOVED) == 1
    broken_spec = scratch / "talq.yaml"
    broken_spec.write_text(text.replace(REMOVED, ""), encoding="utf-8")
    generate_into(scratch / "generated", broken_spec)
    name = f"stale_talq_client_{id(scratch)}"
    package = _import_as(scratch / "generated" / "talq_client", name)
    yield scratch / "generated", package
    for module in [key for key in sys.modules if key == name or key.startswith(name + ".")]:
        del sys.modules[module]


def test_a_client_from_a_spec_missing_an_enum_value_fails_on_real_bodies(
    stale_client: tuple[Path, ModuleType],
) -> None:
    generated, package = stale_client
    models: Any = importlib.import_module(package.__name__ + ".models")
    example = contract(MAKE_CALL).responses[400].examples["agent_inactive"]
    with pytest.raises(ValueError, match="AGENT_INACTIVE"):
        models.ErrorResponse.from_dict(example)
    # ... the committed client parses it, and the drift check names the stale file.
    assert ErrorResponse.from_dict(example).error.code is ErrorCode.AGENT_INACTIVE
    assert "changed: talq_client/models/error_code.py" in differences(GENERATED, generated)


def test_the_stale_client_fails_against_the_live_mock(stale_client: tuple[Path, ModuleType]) -> None:
    _, package = stale_client
    api: Any = importlib.import_module(package.__name__ + ".api.calls.make_call")
    models: Any = importlib.import_module(package.__name__ + ".models")
    with serve(SETTINGS) as live:
        client = package.AuthenticatedClient(base_url=live.api_url, token="talq_contract")
        answer = api.sync_detailed(
            "agent_draft", client=client, body=models.MakeCallRequest(to="+1234567890")
        )
        assert answer.status_code == 400
        assert answer.parsed is None  # the stale enum cannot parse the body
        with pytest.raises(package.errors.TalqError) as raised:  # nor map the code to its class
            api.sync_or_raise("agent_draft", client=client, body=models.MakeCallRequest(to="+1234567890"))
        # only its status's class (the spec lists the code for 400): the code has no class of its own
        assert type(raised.value) is package.errors.ERRORS_BY_STATUS[400]
        assert "AGENT_INACTIVE" not in package.errors.ERRORS_BY_CODE
        assert raised.value.code == "AGENT_INACTIVE"
