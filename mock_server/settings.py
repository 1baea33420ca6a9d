"""One Settings object, read once: defaults < config file (YAML) < environment < command line."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import yaml

from mock_server.scenarios import AGENT_STATUSES
from mock_server.spec.document import DEFAULT_SPEC

ENV_PREFIX = "TALQ_MOCK_"
DEFAULT_WEBHOOK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class SettingsError(Exception):
    """A setting is wrong: the message names it and says how to fix it."""


@dataclass(frozen=True)
class Settings:
    spec_path: Path = DEFAULT_SPEC
    host: str = "127.0.0.1"
    port: int = 4010
    seed: int | None = None
    quiet: bool = False
    rate_limit: int = 100  # requests per window per token: the vendor's Standard plan
    rate_window_seconds: float = 60.0
    default_credits: int = 1000  # credits a token starts with (talq_no_credits starts with none)
    max_calls: int = 10_000  # calls kept in memory; the oldest is evicted first
    max_stored_bytes: int = 64 * 1024 * 1024  # and at most about this much of them
    max_body_bytes: int = 1_048_576  # larger bodies get 413 PAYLOAD_TOO_LARGE
    body_timeout_seconds: float = 10.0  # a body not in full by then gets 408 REQUEST_TIMEOUT
    header_timeout_seconds: float = 10.0  # a connection without complete headers by then is closed
    admin_token: str | None = None  # required (as a bearer token) by /_mock/ when set
    # Strict mode: when set, only these tokens (token -> starting credits) and agents
    # (id -> "published" | "draft") exist; the magic values of the scenario table do not apply.
    tokens: Mapping[str, int] | None = None
    agents: Mapping[str, str] | None = None
    revoked_tokens: frozenset[str] = field(default_factory=frozenset)
    # The call lifecycle (mock seconds): initiated for delay_seconds + setup, ringing for ring,
    # answered for talk, then completed. The defaults keep a whole call under 10 s.
    setup_seconds: float = 1.0
    ring_seconds: float = 2.0
    talk_seconds: float = 5.0
    # Mock seconds per real second: 0 freezes the clock (only POST /_mock/clock/advance moves it).
    time_scale: float = 1.0
    # Webhooks: deliveries only to these hosts (safety); the first retry waits this long, then doubles.
    webhook_allowed_hosts: frozenset[str] = DEFAULT_WEBHOOK_HOSTS
    webhook_backoff_seconds: float = 1.0
    webhook_poll_seconds: float = 0.05  # how often new status changes are turned into deliveries
    # Webhooks registered at start-up, each a mapping with agent_id and the Create a webhook fields.
    webhooks: tuple[Mapping[str, Any], ...] = ()
    journal_size: int = 1000  # requests kept by the request journal (GET /_mock/requests); 0: off

    @property
    def strict(self) -> bool:
        return self.tokens is not None or self.agents is not None


_SCALARS = {
    "host": str,
    "port": int,
    "seed": int,
    "quiet": bool,
    "rate_limit": int,
    "rate_window_seconds": float,
    "default_credits": int,
    "max_calls": int,
    "max_stored_bytes": int,
    "max_body_bytes": int,
    "body_timeout_seconds": float,
    "header_timeout_seconds": float,
    "admin_token": str,
    "setup_seconds": float,
    "ring_seconds": float,
    "talk_seconds": float,
    "time_scale": float,
    "webhook_backoff_seconds": float,
    "webhook_poll_seconds": float,
    "journal_size": int,
}


def _coerce(name: str, value: Any, kind: type) -> Any:
    if kind is bool and isinstance(value, str):
        if value.lower() in {"1", "true", "yes", "on"}:
            return True
        if value.lower() in {"0", "false", "no", "off", ""}:
            return False
    try:
        return kind(value)
    except (TypeError, ValueError) as error:
        raise SettingsError(f"Setting {name}={value!r} must be of type {kind.__name__}.") from error


def _from_config(data: Mapping[str, Any], source: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    known = {f.name for f in fields(Settings)} | {"spec"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise SettingsError(f"{source}: unknown setting(s) {unknown}; known: {sorted(known)}.")
    for name, kind in _SCALARS.items():
        if data.get(name) is not None:
            values[name] = _coerce(name, data[name], kind)
    if data.get("spec") is not None or data.get("spec_path") is not None:
        values["spec_path"] = Path(str(data.get("spec") or data.get("spec_path")))
    if data.get("tokens") is not None:
        values["tokens"] = {
            str(item["token"]): _coerce("credits", item.get("credits", 1000), int) for item in data["tokens"]
        }
    if data.get("agents") is not None:
        agents = {str(item["id"]): str(item.get("status", "published")) for item in data["agents"]}
        bad = {agent: status for agent, status in agents.items() if status not in AGENT_STATUSES}
        if bad:
            raise SettingsError(f"{source}: agent status must be one of {AGENT_STATUSES}, not {bad}.")
        values["agents"] = agents
    if data.get("revoked_tokens") is not None:
        values["revoked_tokens"] = frozenset(str(token) for token in data["revoked_tokens"])
    if data.get("webhook_allowed_hosts") is not None:
        values["webhook_allowed_hosts"] = frozenset(str(host) for host in data["webhook_allowed_hosts"])
    if data.get("webhooks") is not None:
        if not all(isinstance(item, dict) and "agent_id" in item for item in data["webhooks"]):
            raise SettingsError(f"{source}: each of `webhooks` needs `agent_id:` and the webhook's fields.")
        values["webhooks"] = tuple(dict(item) for item in data["webhooks"])
    return values


def load_config_file(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as error:
        raise SettingsError(f"Cannot read the config file {path}: {error.strerror}.") from error
    except yaml.YAMLError as error:
        raise SettingsError(f"The config file {path} is not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise SettingsError(f"The config file {path} must be a YAML mapping of settings.")
    try:
        return _from_config(data, str(path))
    except (KeyError, TypeError) as error:
        raise SettingsError(f"{path}: a token needs `token:` and an agent needs `id:` ({error}).") from error


def from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, kind in _SCALARS.items():
        raw = environ.get(ENV_PREFIX + name.upper())
        if raw is not None:
            values[name] = _coerce(ENV_PREFIX + name.upper(), raw, kind)
    if environ.get(ENV_PREFIX + "SPEC"):
        values["spec_path"] = Path(environ[ENV_PREFIX + "SPEC"])
    return values


def build_settings(
    config: Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Settings from a config file, then the environment, then explicit overrides (the CLI)."""
    environ = os.environ if environ is None else environ
    config = config or (Path(environ[ENV_PREFIX + "CONFIG"]) if environ.get(ENV_PREFIX + "CONFIG") else None)
    values: dict[str, Any] = {}
    if config is not None:
        values.update(load_config_file(config))
    values.update(from_environment(environ))
    values.update({key: value for key, value in (overrides or {}).items() if value is not None})
    settings = replace(Settings(), **values)
    if settings.rate_limit < 0 or settings.rate_window_seconds <= 0:
        raise SettingsError("rate_limit must be >= 0 and rate_window_seconds > 0.")
    if not 0 <= settings.port <= 65535:
        raise SettingsError(f"port {settings.port} is not a TCP port (0-65535).")
    check_lifecycle(settings)
    return settings


def check_lifecycle(settings: Settings) -> Settings:
    """Refuse durations and a time scale the lifecycle cannot run with."""
    durations = {
        "setup_seconds": settings.setup_seconds,
        "ring_seconds": settings.ring_seconds,
        "talk_seconds": settings.talk_seconds,
        "time_scale": settings.time_scale,
    }
    negative = sorted(name for name, value in durations.items() if value < 0)
    if negative:
        raise SettingsError(f"{negative} must be >= 0.")
    if settings.webhook_backoff_seconds < 0 or settings.webhook_poll_seconds <= 0:
        raise SettingsError("webhook_backoff_seconds must be >= 0 and webhook_poll_seconds > 0.")
    return settings
