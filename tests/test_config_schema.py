"""openapi/mock-config.schema.json: the config file's JSON Schema, made from the Settings definition."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from mock_server.settings import schema_text

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "openapi" / "mock-config.schema.json"


def test_the_committed_schema_is_current() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == schema_text(), "run `make config-schema` and commit it"


def test_the_example_config_is_valid_against_the_schema() -> None:
    example = yaml.safe_load((ROOT / "examples" / "mock-config.yaml").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(example)


def test_the_schema_refuses_what_the_mock_refuses() -> None:
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    for bad in (
        {"tokens": [{"token": "talq_dev", "credit": 0}]},
        {"agents": [{"id": "agent_a", "staus": "draft"}]},
        {"rate_limt": 5},
        {"webhook_poll_seconds": 0},
        {"webhooks": [{"agent_id": "a", "webhok_url": "http://127.0.0.1/x"}]},
    ):
        assert not validator.is_valid(bad), bad
