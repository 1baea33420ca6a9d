"""schemathesis, loaded from openapi/talq.yaml and configured from the committed schemathesis.toml.

One scenario is one mock-side situation (a token, an agent) the generated cases run in; each gets its
own schema object so that its config (headers, fixed path parameters) is schemathesis' own.
"""

from __future__ import annotations

import copy
import os
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import schemathesis
from schemathesis.specs.openapi.schemas import OpenApiSchema

from contract_tests.oracle import PATH
from mock_server.spec.document import DEFAULT_SPEC

ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE = ROOT / "schemathesis.toml"
# Examples per phase and operation: the committed default (fast, for CI), or more for `make contract-deep`.
MAX_EXAMPLES_ENV = "TALQ_CONTRACT_MAX_EXAMPLES"
# Never the spec's first server (production: every accepted call is a real phone call). The tests pass
# their own base URL on each call; this is only what a forgotten one would fall back to.
UNROUTABLE_BASE_URL = "http://127.0.0.1:9/api/v1"


@dataclass(frozen=True)
class Scenario:
    """A mock-side situation, and what valid data must get in it (status, error code or None)."""

    name: str
    token: str
    agent_id: str | None
    valid_data_outcomes: frozenset[tuple[int, str | None]]
    # Extra schemathesis config for this scenario (merged over schemathesis.toml).
    overrides: dict[str, Any] = field(default_factory=dict)
    max_examples: int = 10


SCENARIOS = (
    # A valid token and any agent: valid data places a call.
    Scenario("valid_token", "talq_contract", None, frozenset({(200, None)}), max_examples=25),
    # The documented domain outcomes of valid data, each set up with the mock's magic values.
    Scenario(
        "no_credits",
        "talq_no_credits",
        None,
        frozenset({(402, "INSUFFICIENT_CREDITS"), (200, None)}),  # 200 only for is_testing: true
    ),
    Scenario("rate_limited", "talq_rate_limited", None, frozenset({(429, "RATE_LIMIT_EXCEEDED")})),
    Scenario("agent_missing", "talq_contract", "agent_missing", frozenset({(404, "AGENT_NOT_FOUND")})),
    Scenario("agent_draft", "talq_contract", "agent_draft", frozenset({(400, "AGENT_INACTIVE")})),
    # An invalid (revoked) token: whatever the data, the answer is 401 INVALID_TOKEN. Here, and only
    # here, 401 is what valid data must get, so it is this scenario's one expected status.
    Scenario(
        "revoked_token",
        "talq_revoked",
        None,
        frozenset({(401, "INVALID_TOKEN")}),
        overrides={"checks": {"positive_data_acceptance": {"expected-statuses": ["401"]}}},
    ),
)


def base_config() -> dict[str, Any]:
    with CONFIG_FILE.open("rb") as handle:
        return tomllib.load(handle)


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def scenario_config(scenario: Scenario) -> dict[str, Any]:
    deep = os.environ.get(MAX_EXAMPLES_ENV)
    examples = int(deep) if deep else scenario.max_examples
    data = _merge(base_config(), scenario.overrides)
    data.pop("reports", None)  # the CLI writes the JUnit report; pytest has its own
    data["base-url"] = UNROUTABLE_BASE_URL
    data["headers"] = {"Authorization": f"Bearer {scenario.token}"}
    data["generation"]["max-examples"] = examples
    if scenario.agent_id is not None:
        data["parameters"] = {"path.agent_id": scenario.agent_id}
    return data


def load_schema(scenario: Scenario, spec: Path = DEFAULT_SPEC) -> OpenApiSchema:
    config = schemathesis.Config.from_dict(scenario_config(scenario))
    # Make a Call only, for now: the scenarios and their expected outcomes are Make a Call's.
    schema = schemathesis.openapi.from_path(spec, config=config).include(operation_id="makeCall")
    assert isinstance(schema, OpenApiSchema)
    return schema


@dataclass
class Recorder:
    """What the mock answered across the suite, per target: (status, error code or None) -> count."""

    seen: dict[str, dict[tuple[int, str | None], int]] = field(default_factory=lambda: defaultdict(dict))
    completed: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def record(self, target: str, status: int, code: str | None) -> None:
        outcomes = self.seen[target]
        outcomes[(status, code)] = outcomes.get((status, code), 0) + 1

    def statuses(self, target: str) -> set[int]:
        return {status for status, _ in self.seen[target]}

    def codes(self, target: str) -> set[str]:
        return {code for _, code in self.seen[target] if code is not None}


OPERATION_PATH = PATH
