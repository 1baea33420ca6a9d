from __future__ import annotations

from pathlib import Path

import pytest

from mock_server.settings import Settings, SettingsError, build_settings


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


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rate_limt: 5\n", "unknown setting(s) ['rate_limt']"),
        ("agents:\n  - {id: a, status: live}\n", "agent status must be one of"),
        ("port: many\n", "must be of type int"),
        ("- a list\n", "must be a YAML mapping"),
        ("tokens:\n  - {credits: 1}\n", "a token needs `token:`"),
        ("rate_limit: -1\n", "rate_limit must be >= 0"),
    ],
)
def test_bad_config_says_what_to_fix(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "mock.yaml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as raised:
        build_settings(config, environ={})
    assert message in str(raised.value)


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
