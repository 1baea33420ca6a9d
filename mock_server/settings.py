"""One Settings object, read once: defaults < config file (YAML) < environment < command line.

`Settings` validates itself (pydantic): `Settings(webhook_poll_seconds=0)` is refused as the same value
in a config file is. The config file's shape (`ConfigFile`: tokens, agents and webhooks as lists of
entries) is made from the same fields, and its JSON Schema (`config_schema()`, committed as
`openapi/mock-config.schema.json`, `make config-schema`) from that: editors can autocomplete the file.
"""

from __future__ import annotations

import argparse
import difflib
import functools
import json
import os
import zoneinfo
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal

import jsonschema_rs
import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, create_model, model_validator
from pydantic.dataclasses import dataclass
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from mock_server.scenarios import AGENT_PUBLISHED
from mock_server.spec.document import DEFAULT_SPEC, dereference, load_document
from mock_server.validation.security import MAX_TOKEN_LENGTH, TOKEN_FORM

ENV_PREFIX = "TALQ_MOCK_"
DEFAULT_WEBHOOK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

AgentStatus = Literal["published", "draft"]
CampaignStatus = Literal["draft", "active", "paused", "completed", "cancelled"]  # List Campaigns' filter
CampaignType = Literal["sales", "follow_up", "reminder", "custom"]
ClockTime = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$")]
Token = Annotated[str, Field(pattern=TOKEN_FORM.pattern, max_length=MAX_TOKEN_LENGTH)]  # as the mock checks
Seconds = Annotated[float, Field(ge=0, allow_inf_nan=False)]
PositiveSeconds = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=0)]
PositiveCount = Annotated[int, Field(ge=1)]


class SettingsError(Exception):
    """A setting is wrong: the message names it and says how to fix it."""


@dataclass(frozen=True, config=ConfigDict(extra="forbid"))
class Settings:
    spec_path: Path = Field(default=DEFAULT_SPEC, description="The OpenAPI document to serve.")
    host: str = Field(default="127.0.0.1", min_length=1, description="The address to bind.")
    port: int = Field(default=4010, ge=0, le=65535, description="The TCP port; 0 picks a free one.")
    seed: int | None = Field(default=None, description="Makes call ids and dynamic bodies reproducible.")
    quiet: bool = Field(default=False, description="No per-request log lines.")
    rate_limit: Count = Field(
        default=100, description="Requests per window per token (the vendor's Standard plan)."
    )
    rate_window_seconds: PositiveSeconds = Field(default=60.0, description="The rate-limit window.")
    default_credits: Count = Field(
        default=1000, description="Credits a token starts with (a configured token without `credits` too)."
    )
    max_calls: PositiveCount = Field(
        default=10_000, description="Calls kept in memory; the oldest is evicted first."
    )
    max_stored_bytes: PositiveCount = Field(
        default=64 * 1024 * 1024, description="And at most about this much."
    )
    max_body_bytes: PositiveCount = Field(
        default=1_048_576, description="Larger bodies get 413 PAYLOAD_TOO_LARGE."
    )
    body_timeout_seconds: PositiveSeconds = Field(
        default=10.0, description="A body not in full by then gets 408 REQUEST_TIMEOUT."
    )
    header_timeout_seconds: PositiveSeconds = Field(
        default=10.0, description="A connection without complete headers by then is closed."
    )
    admin_token: str | None = Field(
        default=None, min_length=1, description="Required (as a bearer token) by /_mock/ when set."
    )
    # Strict mode: when set, only these tokens (token -> starting credits) and agents
    # (id -> "published" | "draft") exist; the magic values of the scenario table do not apply.
    tokens: Mapping[Token, Count] | None = None
    agents: Mapping[Annotated[str, Field(min_length=1)], AgentStatus] | None = None
    revoked_tokens: frozenset[str] = Field(
        default_factory=frozenset, description="Tokens that answer 401 INVALID_TOKEN."
    )
    # The call lifecycle (mock seconds): initiated for delay_seconds + setup, ringing for ring,
    # answered for talk, then completed. The defaults keep a whole call under 10 s.
    setup_seconds: Seconds = Field(default=1.0, description="Mock seconds from placing a call to ringing.")
    ring_seconds: Seconds = Field(
        default=2.0, description="Mock seconds of ringing before the call is answered."
    )
    talk_seconds: Seconds = Field(
        default=5.0, description="Mock seconds of conversation before it completes."
    )
    time_scale: Seconds = Field(
        default=1.0,
        description="Mock seconds per real second: 0 freezes the clock (POST /_mock/clock/advance moves it).",
    )
    webhook_allowed_hosts: frozenset[str] = Field(
        default=DEFAULT_WEBHOOK_HOSTS, description="Webhook deliveries go only to these hosts (safety)."
    )
    webhook_backoff_seconds: Seconds = Field(
        default=1.0, description="The first retry waits this long, then doubles."
    )
    webhook_poll_seconds: PositiveSeconds = Field(
        default=0.05, description="How often new status changes are turned into deliveries."
    )
    # Webhooks registered at start-up, each a mapping with agent_id and the Create a webhook fields.
    webhooks: tuple[Mapping[str, Any], ...] = ()
    # The campaigns the mock knows (CampaignEntry's fields); None: the demo campaign only.
    campaigns: tuple[Mapping[str, Any], ...] | None = None
    journal_size: Count = Field(
        default=1000, description="Requests kept by the request journal (GET /_mock/requests); 0: off."
    )
    store: Annotated[str, Field(pattern=r"^(memory|rediss?://\S+)$")] = Field(
        default="memory",
        description="Where the state lives: memory (this process) or redis://host:6379/0 (shared by every "
        "worker and host that names it).",
    )
    namespace: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")] = Field(
        default="default",
        description="The shared store's namespace (a request can name another: header X-Talq-Namespace).",
    )
    workers: Annotated[int, Field(ge=1, le=64)] = Field(
        default=1, description="Processes serving the one port (more than 1 needs a redis:// store)."
    )

    @property
    def strict(self) -> bool:
        return self.tokens is not None or self.agents is not None


def example_token(settings: Settings) -> str:
    """A token that works with these settings (for the banner's curl and the pytest plugin)."""
    usable = [token for token in settings.tokens or {} if token not in settings.revoked_tokens]
    with_credits = [token for token in usable if (settings.tokens or {})[token] > 0]
    return next(iter(with_credits + usable), "talq_demo")


DEMO_CAMPAIGN = "campaign_demo"


def campaign_entries(settings: Settings) -> list[CampaignEntry]:
    """The configured campaigns, or the ready demo campaign (every day, all day, UTC) on a published
    agent of these settings when the config lists none."""
    if settings.campaigns is not None:
        return [CampaignEntry.model_validate(dict(item)) for item in settings.campaigns]
    return [
        CampaignEntry(
            id=DEMO_CAMPAIGN,
            name="Demo campaign",
            description="A ready campaign of the talq mock: calls any day, at any hour (UTC).",
            agent_id=example_agent(settings),
        )
    ]


def example_agent(settings: Settings) -> str:
    """A published agent of these settings."""
    if settings.agents is None:
        return "agent_123456"
    published = [agent for agent, status in settings.agents.items() if status == AGENT_PUBLISHED]
    return next(iter(published), "agent_123456")


# --- the config file: the same fields, with tokens, agents and webhooks as lists of entries ---


class TokenEntry(BaseModel):
    """A token of strict mode."""

    model_config = ConfigDict(extra="forbid", strict=True)
    token: Token
    credits: Count | None = Field(None, description="Starting credits; default_credits when left out.")


class AgentEntry(BaseModel):
    """An agent of strict mode."""

    model_config = ConfigDict(extra="forbid", strict=True)
    id: Annotated[str, Field(min_length=1, max_length=256)]
    status: AgentStatus = "published"


class CampaignEntry(BaseModel):
    """A campaign the mock knows: Get Campaign and List Campaigns show it, Make a Campaign Call queues
    calls under it, dispatched as calls of its agent when its days and hours allow (mock clock)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    id: Annotated[str, Field(min_length=1, max_length=256)]
    name: Annotated[str, Field(min_length=1, max_length=255)] = "Campaign"
    description: str = ""
    agent_id: Annotated[str, Field(min_length=1, max_length=256)]
    status: CampaignStatus = "active"
    campaign_type: CampaignType = "custom"
    start_date: Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")] = "2024-01-01"
    days_of_week: Annotated[
        list[Annotated[int, Field(ge=1, le=7)]],
        Field(min_length=1, description="ISO days: 1 Monday ... 7 Sunday."),
    ] = Field(default_factory=lambda: [1, 2, 3, 4, 5, 6, 7])
    earliest_call_time: ClockTime = "00:00:00"
    latest_call_time: ClockTime = "23:59:59"
    timezone: Annotated[str, Field(description="An IANA time zone, e.g. America/New_York.")] = "UTC"
    initial_call_delay: Annotated[
        int, Field(ge=0, description="Seconds from queueing to the first attempt.")
    ] = 0
    max_retries: Annotated[int, Field(ge=0, le=10)] = 0
    retry_cooldown_hours: Annotated[float, Field(ge=0, allow_inf_nan=False)] = 24.0

    @model_validator(mode="after")
    def _a_known_zone_and_a_window(self) -> CampaignEntry:
        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise PydanticCustomError(
                "timezone",
                "unknown time zone {zone!r} (write an IANA name such as America/New_York)",
                {"zone": self.timezone},
            ) from None
        if self.latest_call_time <= self.earliest_call_time:
            raise PydanticCustomError("window", "latest_call_time must be later than earliest_call_time")
        return self


WEBHOOK_REQUEST_SCHEMA = "CreateWebhookRequest"


@functools.cache
def _webhook_request_schema(spec_path: Path = DEFAULT_SPEC) -> dict[str, Any]:
    """Create a webhook's body schema, from the spec (the config's webhooks take the same fields)."""
    document = load_document(spec_path)
    schema: dict[str, Any] = dereference(document, document["components"]["schemas"][WEBHOOK_REQUEST_SCHEMA])
    return schema


def _webhook_entry_schema(schema: dict[str, Any]) -> None:
    request = _webhook_request_schema()
    schema["properties"].update(request["properties"])
    schema["required"] = sorted(
        {*schema.get("required", []), *request.get("required", [])} - {"name", "events"}
    )
    schema["additionalProperties"] = False


class WebhookEntry(BaseModel):
    """A webhook registered at start-up: `agent_id` (and an optional `id`) plus the fields of the
    spec's CreateWebhookRequest (name and events default to "configured webhook N" and every event)."""

    model_config = ConfigDict(extra="allow", strict=True, json_schema_extra=_webhook_entry_schema)
    agent_id: Annotated[str, Field(min_length=1)]
    id: Annotated[str, Field(min_length=1)] | None = None

    @model_validator(mode="after")
    def _fields_of_create_a_webhook(self) -> WebhookEntry:
        request = _webhook_request_schema()
        extra = dict(self.__pydantic_extra__ or {})
        known = ["agent_id", "id", *request["properties"]]
        for key in extra:
            if key not in request["properties"]:
                raise PydanticCustomError("unknown_key", unknown_key(key, known))
        body = {"name": "configured webhook", "events": ["event_phone_call_ended"], **extra}
        for problem in jsonschema_rs.validator_for(request).iter_errors(body):
            where = ".".join(str(part) for part in problem.instance_path)
            context = {"where": where, "message": problem.message}
            raise PydanticCustomError("webhook_field", "{where}: {message}", context)
        return self


def unknown_key(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(sorted(known))}"
    return f"unknown key {key!r} ({hint})"


def _settings_fields() -> Mapping[str, FieldInfo]:
    """The Settings type's pydantic fields (their definitions shape the config file too)."""
    fields: Mapping[str, FieldInfo] = vars(Settings)["__pydantic_fields__"]
    return fields


_FILE_SHAPED = frozenset(
    {"spec_path", "tokens", "agents", "revoked_tokens", "webhook_allowed_hosts", "webhooks", "campaigns"}
)
SCALAR_SETTINGS = tuple(name for name in _settings_fields() if name not in _FILE_SHAPED)

ConfigFile = create_model(
    "ConfigFile",
    __config__=ConfigDict(extra="forbid", strict=True, title="talq mock config"),
    __doc__="The talq mock's config file (YAML). Every key is optional; listing tokens and/or agents "
    "switches to strict mode.",
    spec=(str | None, Field(None, min_length=1, description="The OpenAPI document to serve.")),
    tokens=(list[TokenEntry] | None, Field(None, description="Strict mode: only these tokens exist.")),
    agents=(list[AgentEntry] | None, Field(None, description="Strict mode: only these agents exist.")),
    revoked_tokens=(list[str] | None, Field(None, description="Tokens that answer 401 INVALID_TOKEN.")),
    webhook_allowed_hosts=(
        list[str] | None,
        Field(
            None, description="Webhook deliveries go only to these hosts (default 127.0.0.1, localhost, ::1)."
        ),
    ),
    webhooks=(list[WebhookEntry] | None, Field(None, description="Webhooks registered at start-up.")),
    campaigns=(
        list[CampaignEntry] | None,
        Field(None, description="The campaigns the mock knows (default: the demo campaign only)."),
    ),
    **{name: (_settings_fields()[name].annotation, _settings_fields()[name]) for name in SCALAR_SETTINGS},  # type: ignore[call-overload]
)

_ENTRY_MODELS: Mapping[tuple[str, ...], type[BaseModel]] = MappingProxyType(
    {
        (): ConfigFile,
        ("tokens",): TokenEntry,
        ("agents",): AgentEntry,
        ("webhooks",): WebhookEntry,
        ("campaigns",): CampaignEntry,
    }
)


def _where(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def describe(error: ValidationError) -> str:
    """Every problem of a validation, one clause each: where, what is wrong, what to write instead."""
    clauses = []
    for problem in error.errors(include_url=False):
        loc = tuple(problem["loc"])
        kind = problem["type"]
        if kind == "extra_forbidden":
            model = _ENTRY_MODELS.get(tuple(part for part in loc[:-1] if isinstance(part, str)), ConfigFile)
            known = list(model.model_fields)
            where, what = _where(loc[:-1]), unknown_key(str(loc[-1]), known)
        elif kind == "missing":
            where, what = _where(loc[:-1]), f"{loc[-1]!r} is required; add it"
        elif kind == "unknown_key":
            where, what = _where(loc), problem["msg"]
        elif kind == "webhook_field":
            where, what = f"{_where(loc)}.{problem['ctx']['where']}", problem["ctx"]["message"]
        else:
            message = problem["msg"][0].lower() + problem["msg"][1:]
            where, what = _where(loc), f"{message}, not {problem['input']!r}"
        clauses.append(f"{where}: {what}" if where else what)
    return "; ".join(clauses)


def load_config_file(path: Path) -> dict[str, Any]:
    """The settings a config file sets, checked in full (tokens stay entries: default_credits may change)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SettingsError(f"Cannot read the config file {path}: {error.strerror}.") from error
    except yaml.YAMLError as error:
        reason = " ".join(str(error).split())
        raise SettingsError(f"The config file {path} is not valid YAML: {reason}") from error
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SettingsError(f"The config file {path} must be a YAML mapping of settings (key: value lines).")
    try:
        config = ConfigFile.model_validate(data)
    except ValidationError as error:
        raise SettingsError(f"{path}: {describe(error)}.") from error
    values: dict[str, Any] = config.model_dump(
        exclude_unset=True, exclude={"tokens", "agents", "webhooks", "campaigns"}
    )
    if "spec" in values:
        values["spec_path"] = Path(values.pop("spec"))
    for name in ("revoked_tokens", "webhook_allowed_hosts"):
        if name in values:
            values[name] = frozenset(values[name])
    if config.tokens is not None:
        values["tokens"] = config.tokens
    if config.agents is not None:
        values["agents"] = {agent.id: agent.status for agent in config.agents}
    if config.webhooks is not None:
        values["webhooks"] = tuple(webhook.model_dump(exclude_none=True) for webhook in config.webhooks)
    if config.campaigns is not None:
        values["campaigns"] = tuple(campaign.model_dump() for campaign in config.campaigns)
    return values


def from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in SCALAR_SETTINGS:
        raw = environ.get(ENV_PREFIX + name.upper())
        if raw is None:
            continue
        field = _settings_fields()[name]
        kind: Any = Annotated[field.annotation, *field.metadata] if field.metadata else field.annotation
        try:
            values[name] = TypeAdapter(kind).validate_python(raw)
        except ValidationError as error:
            message = error.errors(include_url=False)[0]["msg"]
            message = message[0].lower() + message[1:]
            variable = f"{ENV_PREFIX}{name.upper()}={raw!r}"
            raise SettingsError(
                f"Environment variable {variable}: {message}; set it right or unset it."
            ) from error
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
    default_credits = values.get("default_credits", Settings().default_credits)
    if "tokens" in values:  # a configured token without credits starts with default_credits
        entries: list[TokenEntry] = values["tokens"]
        values["tokens"] = {
            entry.token: default_credits if entry.credits is None else entry.credits for entry in entries
        }
    try:
        return replace(Settings(), **values)
    except ValidationError as error:
        raise SettingsError(describe(error) + ".") from error


def config_schema() -> dict[str, Any]:
    """The JSON Schema of the config file, from the definition `load_config_file` validates with."""
    schema = ConfigFile.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_text() -> str:
    return json.dumps(config_schema(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mock_server.settings", description=__doc__)
    parser.add_argument("--write-schema", type=Path, required=True, help="where to write the JSON Schema")
    args = parser.parse_args(argv)
    args.write_schema.write_text(schema_text(), encoding="utf-8")
    return 0


__all__ = ["ConfigFile", "Settings", "SettingsError", "build_settings", "config_schema"]

if __name__ == "__main__":
    raise SystemExit(main())
