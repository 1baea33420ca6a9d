from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest
from pydantic import ValidationError

from mock_server.scenarios import AGENT_STATUSES
from mock_server.settings import (
    AgentStatus,
    ConfigFile,
    Settings,
    SettingsError,
    build_settings,
)
from mock_server.validation.security import MAX_TOKEN_LENGTH, TOKEN_FORM


def test_defaults_need_no_configuration() -> None:
    settings = build_settings(environ={})
    assert settings == Settings()
    assert (settings.host, settings.port, settings.rate_limit) == ("127.0.0.1", 4010, 100)
    assert not settings.strict


def test_config_file_then_environment_then_overrides(tmp_path: Path) -> None:
    config = tmp_path / "mock.yaml"
    config.write_text(
        "port: 5000\nseed: 3\nrate_limit: 1000\n"
        "tokens:\n  - {token: talq_a, credits: 2}\n"
        "agents:\n  - {id: agent_1}\n  - {id: agent_2, status: draft}\n",
        encoding="utf-8",
    )
    settings = build_settings(
        config,
        environ={"TALQ_MOCK_PORT": "6000", "TALQ_MOCK_QUIET": "true"},
        overrides={"seed": 9, "host": None},
    )
    assert (settings.port, settings.seed, settings.rate_limit, settings.quiet) == (6000, 9, 1000, True)
    assert settings.tokens == {"talq_a": 2}
    assert settings.agents == {"agent_1": "published", "agent_2": "draft"}
    assert settings.strict


def test_config_path_from_the_environment(tmp_path: Path) -> None:
    config = tmp_path / "mock.yaml"
    config.write_text("default_credits: 3\n", encoding="utf-8")
    assert build_settings(environ={"TALQ_MOCK_CONFIG": str(config)}).default_credits == 3


# A battery of malformed config files: each is refused with one message naming the path and the fix.
MALFORMED_CONFIGS = [
    ("tokens: [{token: talq_dev, credit: 0}]", "tokens[0]: unknown key 'credit' (did you mean 'credits'?)"),
    ("agents: [{id: agent_a, staus: draft}]", "agents[0]: unknown key 'staus' (did you mean 'status'?)"),
    ("rate_limt: 5", "unknown key 'rate_limt' (did you mean 'rate_limit'?)"),
    ("spec_path: x.yaml", "unknown key 'spec_path' (did you mean 'spec'?)"),
    ("colour: blue", "unknown key 'colour' (known keys: " + ", ".join(sorted(ConfigFile.model_fields)) + ")"),
    ("port: many", "port: input should be a valid integer, not 'many'"),
    ("port: 70000", "port: input should be less than or equal to 65535, not 70000"),
    ("quiet: 1", "quiet: input should be a valid boolean, not 1"),
    ("rate_limit: -1", "rate_limit: input should be greater than or equal to 0, not -1"),
    ("webhook_poll_seconds: 0", "webhook_poll_seconds: input should be greater than 0, not 0"),
    ("time_scale: .nan", "time_scale: input should be a finite number, not nan"),
    (
        "agents: [{id: a, status: live}]",
        "agents[0].status: input should be 'published' or 'draft', not 'live'",
    ),
    ("tokens: [{credits: 1}]", "tokens[0]: 'token' is required; add it"),
    (
        "tokens: [{token: dev}]",
        "tokens[0].token: string should match pattern '^talq_[A-Za-z0-9_-]+$', not 'dev'",
    ),
    (
        "tokens: [{token: talq_a, credits: -5}]",
        "tokens[0].credits: input should be greater than or equal to 0, not -5",
    ),
    ("tokens: talq_x", "tokens: input should be a valid list, not 'talq_x'"),
    ("revoked_tokens: [1]", "revoked_tokens[0]: input should be a valid string, not 1"),
    (
        "webhooks: [{agent_id: a, webhok_url: 'http://127.0.0.1/x'}]",
        "webhooks[0]: unknown key 'webhok_url' (did you mean 'webhook_url'?)",
    ),
    (
        "webhooks: [{agent_id: a, webhook_url: 'http://127.0.0.1/x', timeout: 1}]",
        "webhooks[0].timeout: 1 is less than the minimum of 5",
    ),
    ("webhooks: [{webhook_url: 'http://127.0.0.1/x'}]", "webhooks[0]: 'agent_id' is required; add it"),
    (
        "port: 0\nagents: [{id: a}, {id: b, status: gone}]",
        "agents[1].status: input should be 'published' or 'draft', not 'gone'",
    ),
]


@pytest.mark.parametrize(("text", "message"), MALFORMED_CONFIGS)
def test_a_malformed_config_names_the_path_and_the_fix(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "mock.yaml"
    config.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(SettingsError) as raised:
        build_settings(config, environ={})
    assert str(raised.value) == f"{config}: {message}."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a list\n", "must be a YAML mapping of settings (key: value lines)."),
        ("port: [\n", "is not valid YAML: while parsing a flow node"),
    ],
)
def test_a_config_that_is_not_a_mapping_says_so(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "mock.yaml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as raised:
        build_settings(config, environ={})
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_every_problem_is_named_in_one_message(tmp_path: Path) -> None:
    config = tmp_path / "mock.yaml"
    config.write_text("port: x\ntokens: [{token: talq_a, credit: 1}]\n", encoding="utf-8")
    with pytest.raises(SettingsError) as raised:
        build_settings(config, environ={})
    assert str(raised.value) == (
        f"{config}: tokens[0]: unknown key 'credit' (did you mean 'credits'?); "
        "port: input should be a valid integer, not 'x'."
    )


def test_the_settings_type_validates_itself() -> None:
    with pytest.raises(ValidationError, match="webhook_poll_seconds"):
        Settings(webhook_poll_seconds=0)
    with pytest.raises(ValidationError, match="Unexpected keyword argument"):
        Settings(rate_limt=5)  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="tokens"):
        Settings(tokens={"not_a_token": 1})


def test_configured_tokens_without_credits_start_with_default_credits(tmp_path: Path) -> None:
    config = tmp_path / "mock.yaml"
    config.write_text("default_credits: 5\ntokens: [{token: talq_a}, {token: talq_b, credits: 2}]\n")
    assert build_settings(config, environ={}).tokens == {"talq_a": 5, "talq_b": 2}
    from_env = build_settings(config, environ={"TALQ_MOCK_DEFAULT_CREDITS": "7"})
    assert from_env.tokens == {"talq_a": 7, "talq_b": 2}


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"TALQ_MOCK_PORT": "x"},
            "Environment variable TALQ_MOCK_PORT='x': input should be a valid integer, unable to parse "
            "string as an integer; set it right or unset it.",
        ),
        (
            {"TALQ_MOCK_RATE_LIMIT": "-3"},
            "Environment variable TALQ_MOCK_RATE_LIMIT='-3': input should be greater than or equal to 0; "
            "set it right or unset it.",
        ),
    ],
)
def test_a_bad_environment_variable_names_itself(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as raised:
        build_settings(environ=environ)
    assert str(raised.value) == message


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="Cannot read the config file"):
        build_settings(tmp_path / "absent.yaml", environ={})


def test_the_example_config_loads() -> None:
    example = Path(__file__).resolve().parent.parent / "examples" / "mock-config.yaml"
    settings = build_settings(example, environ={})
    assert settings.strict
    assert settings.tokens == {"talq_dev_alice": 100, "talq_dev_broke": 0}
    assert settings.agents is not None
    assert settings.agents["agent_wip"] == "draft"
    assert settings.revoked_tokens == frozenset({"talq_dev_old"})


def test_the_settings_agree_with_the_scenarios_and_the_token_form() -> None:
    assert set(get_args(AgentStatus)) == set(AGENT_STATUSES)
    assert Settings(tokens={"talq_" + "a" * (MAX_TOKEN_LENGTH - 5): 1}).tokens is not None
    for refused in ("talq_" + "a" * (MAX_TOKEN_LENGTH - 4), "sk_live_1", "talq_with space"):
        assert not TOKEN_FORM.match(refused) or len(refused) > MAX_TOKEN_LENGTH
        with pytest.raises(ValidationError):
            Settings(tokens={refused: 1})
