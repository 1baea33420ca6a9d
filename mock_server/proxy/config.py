"""The proxy's settings, read once by the command line and passed in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from mock_server.settings import Settings
from mock_server.spec.document import DEFAULT_SPEC

DEFAULT_TIMEOUT_SECONDS = 30.0
MAX_CHECKED_BODY_BYTES = 8 * 1024 * 1024  # larger answers are passed through unchecked, never buffered


class ProxyConfigError(Exception):
    """A setting is wrong: the message names it and says how to fix it."""


@dataclass(frozen=True)
class ProxySettings:
    upstream: str  # e.g. https://app.talkover.ai/api/v1: the request path is appended to it
    host: str = "127.0.0.1"
    port: int = 4010
    spec_path: Path = DEFAULT_SPEC
    errors: bool = False  # answer invalid requests (400) and invalid answers (502) instead of passing them
    upstream_timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    allow_real_calls: bool = False  # let a Make a Call without "is_testing": true reach the upstream
    report_path: Path | None = None
    quiet: bool = False  # no access line per exchange (violations are always logged)
    max_body_bytes: int = Settings.max_body_bytes  # the mock's hardening, for the proxy's own clients
    body_timeout_seconds: float = Settings.body_timeout_seconds
    header_timeout_seconds: float = Settings.header_timeout_seconds
    max_checked_body_bytes: int = MAX_CHECKED_BODY_BYTES
    admin_token: str | None = None  # the inspector at /_proxy/: loopback binds only unless this is set
    journal_size: int = Settings.journal_size  # exchanges the inspector keeps

    def __post_init__(self) -> None:
        parts = urlsplit(self.upstream)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ProxyConfigError(
                f"--upstream {self.upstream!r} is not an http(s) URL: pass the API's base URL, "
                "e.g. --upstream https://app.talkover.ai/api/v1"
            )
        if parts.query or parts.fragment:
            raise ProxyConfigError(f"--upstream {self.upstream!r} must not have a query or a fragment.")
        if not self.upstream_timeout_seconds > 0:
            raise ProxyConfigError("--upstream-timeout must be a number of seconds above 0, e.g. 30.")

    @property
    def upstream_base(self) -> str:
        return self.upstream.rstrip("/")

    def server_settings(self) -> Settings:
        """The mock's settings for what the proxy shares with it: the server's bind and hardening."""
        return Settings(
            spec_path=self.spec_path,
            host=self.host,
            port=self.port,
            quiet=self.quiet,
            max_body_bytes=self.max_body_bytes,
            body_timeout_seconds=self.body_timeout_seconds,
            header_timeout_seconds=self.header_timeout_seconds,
            admin_token=self.admin_token,
        )
