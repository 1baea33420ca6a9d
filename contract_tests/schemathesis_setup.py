"""schemathesis, loaded from openapi/talq.yaml and configured from the committed schemathesis.toml.

One scenario is one mock-side situation (a token, an agent) the generated cases run in; each gets its
own schema object so that its config (headers, fixed path parameters) is schemathesis' own.
"""

from __future__ import annotations

import copy
import os
import tomllib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import schemathesis
from schemathesis.specs.openapi.schemas import OpenApiSchema

from contract_tests.oracle import operation_ids
from mock_server.spec.document import DEFAULT_SPEC

ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE = ROOT / "schemathesis.toml"
# Examples per phase and operation: the committed default (fast, for CI), or more for `make contract-deep`.
MAX_EXAMPLES_ENV = "TALQ_CONTRACT_MAX_EXAMPLES"
# Never the spec's first server (production: every accepted call is a real phone call). The tests pass
# their own base URL on each call; this is only what a forgotten one would fall back to.
UNROUTABLE_BASE_URL = "http://127.0.0.1:9/api/v1"


Outcome = tuple[int, str | None]  # (status, error code or None)

# The outcomes every operation with an agent in its path gives valid data for an agent that exists (any
# id but the magic ones, or the draft agent): only Make a Call cares whether the agent is published.
# End Call: a generated call_sid names no call of the agent (ids are random `call_<16 hex>`), so
# 404 {success: false, message} (the page's body, no code); 200 and 409 CALL_NOT_ACTIVE need a call made first
# (tests/operations/test_calls_that_live.py).
# Create a webhook: 201 when the generated webhook_url is on an allow-listed host (the spec's example
# is on 127.0.0.1), else 422 {message, errors} naming webhook_url: the mock's documented refusal.
# Get a webhook: a generated webhook_id names no webhook (ids are random `wh_<16 hex>`).
# The campaign endpoints have no agent in their path: the same in every scenario with an accepted token.
# A generated campaign_id names no campaign (404 CAMPAIGN_NOT_FOUND) but the spec's example,
# campaign_demo, does; a second call to one number in it is 409 (no code).
CAMPAIGNS: dict[str, frozenset[Outcome]] = {
    "listCampaigns": frozenset({(200, None)}),
    "getCampaign": frozenset({(200, None), (404, "CAMPAIGN_NOT_FOUND")}),
    "makeCampaignCall": frozenset({(201, None), (409, None), (404, "CAMPAIGN_NOT_FOUND")}),
}
EXISTING_AGENT: dict[str, frozenset[Outcome]] = {
    "listCalls": frozenset({(200, None)}),
    "listAgentCalls": frozenset({(200, None)}),
    "getAgent": frozenset({(200, None)}),
    "endCall": frozenset({(404, None)}),
    "createWebhook": frozenset({(201, None), (422, None)}),
    "listWebhooks": frozenset({(200, None)}),
    "getWebhook": frozenset({(404, None)}),
    # Get Active Call by Phone: a generated number has no active call (404 {success, message}), but the
    # examples' number can (the clock is frozen: a call placed by an earlier case stays initiated).
    "getActiveCall": frozenset({(404, None), (200, None)}),
    "publishAgent": frozenset({(200, None)}),
    "unpublishAgent": frozenset({(200, None)}),
    # The other webhook endpoints: a generated webhook_id names no webhook.
    "updateWebhook": frozenset({(404, None)}),
    "deleteWebhook": frozenset({(404, None)}),
    "toggleWebhook": frozenset({(404, None)}),
    "testWebhook": frozenset({(404, None)}),
    "listWebhookLogs": frozenset({(404, None)}),
    **CAMPAIGNS,
}

# Publish and Unpublish Agent change an agent for the rest of a run, and schemathesis reuses agent ids
# it saw in answers: Make a Call with a valid token may meet an agent a case unpublished (400
# AGENT_INACTIVE), and the draft agent one a case published (200).
UNPUBLISHED_BY_A_CASE = (400, "AGENT_INACTIVE")
PUBLISHED_BY_A_CASE = (200, None)

WEBHOOK_OPERATIONS = (
    "createWebhook",
    "listWebhooks",
    "getWebhook",
    "updateWebhook",
    "deleteWebhook",
    "toggleWebhook",
    "testWebhook",
    "listWebhookLogs",
)


def _every_operation(outcome: Outcome) -> dict[str, frozenset[Outcome]]:
    return {operation_id: frozenset({outcome}) for operation_id in operation_ids()}


@dataclass(frozen=True)
class Scenario:
    """A mock-side situation, and what valid data must get in it, per operationId."""

    name: str
    token: str
    agent_id: str | None
    valid_data_outcomes: Mapping[str, frozenset[Outcome]]
    # Extra schemathesis config for this scenario (merged over schemathesis.toml).
    overrides: dict[str, Any] = field(default_factory=dict)
    # Examples per phase and operation, and more for the operations named here (operationId -> examples).
    max_examples: int = 10
    max_examples_of: Mapping[str, int] = field(default_factory=dict)

    def outcomes_of(self, operation_id: str) -> frozenset[Outcome]:
        return self.valid_data_outcomes[operation_id]


SCENARIOS = (
    # A valid token and any agent: valid data places a call, lists, reads, registers.
    Scenario(
        "valid_token",
        "talq_contract",
        None,
        {"makeCall": frozenset({(200, None), UNPUBLISHED_BY_A_CASE}), **EXISTING_AGENT},
        # Make a Call, the operation that places calls, gets more valid-data cases (as before the
        # other operations were run); 10 for every other one keeps the whole suite under a minute.
        max_examples_of={"makeCall": 25},
    ),
    # The documented domain outcomes of valid data, each set up with the mock's magic values.
    Scenario(
        "no_credits",
        "talq_no_credits",
        None,
        # 200 only for is_testing: true; credits matter to Make a Call only.
        {
            "makeCall": frozenset({(402, "INSUFFICIENT_CREDITS"), (200, None), UNPUBLISHED_BY_A_CASE}),
            **EXISTING_AGENT,
        },
    ),
    Scenario("rate_limited", "talq_rate_limited", None, _every_operation((429, "RATE_LIMIT_EXCEEDED"))),
    Scenario(
        "agent_missing",
        "talq_contract",
        "agent_missing",
        # List Calls has no agent in its path (its agent_id query only filters: no such agent, no calls).
        # End Call and the webhook endpoints answer their pages' {success: false, message}: no code.
        {
            **_every_operation((404, "AGENT_NOT_FOUND")),
            **{
                operation_id: frozenset({(404, None)})
                for operation_id in ("endCall", "getActiveCall", *WEBHOOK_OPERATIONS)
            },
            "listCalls": frozenset({(200, None)}),
            **CAMPAIGNS,
        },
    ),
    Scenario(
        "agent_draft",
        "talq_contract",
        "agent_draft",
        # A draft agent cannot place calls; it can be read, listed and get webhooks like any other.
        {"makeCall": frozenset({(400, "AGENT_INACTIVE"), PUBLISHED_BY_A_CASE}), **EXISTING_AGENT},
    ),
    # An invalid (revoked) token: whatever the data, the answer is 401 INVALID_TOKEN (the webhook
    # endpoints: their pages' {message}, no code). Here, and only here, 401 is what valid data must get,
    # so it is this scenario's one expected status.
    Scenario(
        "revoked_token",
        "talq_revoked",
        None,
        {
            **_every_operation((401, "INVALID_TOKEN")),
            **{operation_id: frozenset({(401, None)}) for operation_id in WEBHOOK_OPERATIONS},
        },
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


def _common_keys(overrides: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    """The part of `overrides` that `entry` also sets (so would otherwise shadow), key by key."""
    common: dict[str, Any] = {}
    for key, value in overrides.items():
        if key not in entry:
            continue
        if isinstance(value, dict) and isinstance(entry[key], dict):
            nested = _common_keys(value, entry[key])
            if nested:
                common[key] = nested
        else:
            common[key] = value
    return common


def scenario_config(scenario: Scenario) -> dict[str, Any]:
    deep = os.environ.get(MAX_EXAMPLES_ENV)
    examples = int(deep) if deep else scenario.max_examples
    data = _merge(base_config(), scenario.overrides)
    data.pop("reports", None)  # the CLI writes the JUnit report; pytest has its own
    data["base-url"] = UNROUTABLE_BASE_URL
    data["headers"] = {"Authorization": f"Bearer {scenario.token}"}
    data["generation"]["max-examples"] = examples
    operations: list[dict[str, Any]] = data.get("operations", [])
    # An operation's own entry in schemathesis.toml wins over the global config in schemathesis, so the
    # scenario's overrides (e.g. revoked_token's one expected status) go over each entry's too.
    operations = [_merge(entry, _common_keys(scenario.overrides, entry)) for entry in operations]
    if not deep:
        for operation_id, count in scenario.max_examples_of.items():
            entry = next((e for e in operations if e.get("include-operation-id") == operation_id), None)
            if entry is None:
                entry = {"include-operation-id": operation_id}
                operations.append(entry)
            entry.setdefault("generation", {})["max-examples"] = count
    if operations:
        data["operations"] = operations
    if scenario.agent_id is not None:
        data["parameters"] = {"path.agent_id": scenario.agent_id}
    return data


def load_schema(scenario: Scenario, spec: Path = DEFAULT_SPEC) -> OpenApiSchema:
    config = schemathesis.Config.from_dict(scenario_config(scenario))
    schema = schemathesis.openapi.from_path(spec, config=config)
    assert isinstance(schema, OpenApiSchema)
    return schema


@dataclass
class Recorder:
    """What the mock answered, per target and operationId: (status, code or None) -> count."""

    seen: dict[str, dict[str, dict[Outcome, int]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(dict))
    )
    completed: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def record(self, target: str, operation_id: str, status: int, code: str | None) -> None:
        outcomes = self.seen[target][operation_id]
        outcomes[(status, code)] = outcomes.get((status, code), 0) + 1

    def statuses(self, target: str, operation_id: str) -> set[int]:
        return {status for status, _ in self.seen[target][operation_id]}

    def codes(self, target: str, operation_id: str) -> set[str]:
        return {code for _, code in self.seen[target][operation_id] if code is not None}
