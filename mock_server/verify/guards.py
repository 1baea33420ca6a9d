"""What `verify` refuses, whatever the probes or a recording ask for: an `http://` upstream that is not
this machine, a start without a token, and any request but the safe ones: reads; a Make a Call (any
operation whose body has `is_testing`) only as a test call; a webhook (a POST whose body has
`webhook_url` and `enabled`) only created disabled; End Call (a body with `call_sid`); a DELETE only of
what verify itself created. Anything else that writes (update, toggle, publish, ...) is refused."""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from types import MappingProxyType
from urllib.parse import urlsplit

from mock_server.http import is_loopback
from mock_server.spec.document import JSON, dereference

TOKEN_VARIABLE = "TALQ_TOKEN"  # noqa: S105 - the variable's name, not a token
TEST_FLAG = "is_testing"
ENABLED_FLAG = "enabled"
TOKEN_MISSING = (
    f"no token: set {TOKEN_VARIABLE} to the Talq API token to probe with (export {TOKEN_VARIABLE}=talq_...; "
    f"in GitHub Actions, a repository secret passed as env {TOKEN_VARIABLE}). It is never printed, "
    "logged or written."
)


class GuardError(Exception):
    """A request or a setting `verify` refuses; the message says why and what to do."""


def check_upstream(url: str) -> str:
    """The upstream's base URL without a trailing slash, or GuardError: https anywhere, http only on
    loopback (a token sent in clear over a network is a leaked token)."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise GuardError(
            f"--upstream {url!r} is not an http(s) URL: pass the API's base URL, "
            "e.g. --upstream https://app.talkover.ai/api/v1"
        )
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise GuardError(
            f"--upstream {url!r}: plain http is allowed only to this machine (127.0.0.1, ::1, localhost); "
            "the token would cross the network in clear. Use the https:// URL."
        )
    if parts.query or parts.fragment:
        raise GuardError(f"--upstream {url!r} must not have a query or a fragment.")
    return url.rstrip("/")


def token_from(environment: Mapping[str, str]) -> str:
    token = environment.get(TOKEN_VARIABLE, "").strip()
    if not token:
        raise GuardError(TOKEN_MISSING)
    return token


def _body_properties(document: dict[str, JSON], operation: dict[str, JSON]) -> set[str]:
    body = dereference(document, operation.get("requestBody") or {})
    schema = (body.get("content") or {}).get("application/json", {}).get("schema") or {}
    return set((schema.get("properties") or {}).keys())


READ_METHODS = frozenset({"get", "head"})


@dataclass(frozen=True)
class Guard:
    test_only: frozenset[str]  # operations whose body has `is_testing`: sent only with it true
    disabled_only: frozenset[str]  # POST operations whose body has `webhook_url` and `enabled`
    ends: frozenset[str] = frozenset()  # operations whose body has `call_sid` (End Call)
    methods: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # operationId -> method

    @classmethod
    def from_document(cls, document: dict[str, JSON]) -> Guard:
        test_only: set[str] = set()
        disabled_only: set[str] = set()
        ends: set[str] = set()
        methods: dict[str, str] = {}
        for item in (document.get("paths") or {}).values():
            for method, operation in item.items():
                if not isinstance(operation, dict) or "operationId" not in operation:
                    continue
                methods[operation["operationId"]] = method
                properties = _body_properties(document, operation)
                if TEST_FLAG in properties:
                    test_only.add(operation["operationId"])
                if method == "post" and {"webhook_url", ENABLED_FLAG} <= properties:
                    disabled_only.add(operation["operationId"])
                if method == "post" and "call_sid" in properties:
                    ends.add(operation["operationId"])
        return cls(frozenset(test_only), frozenset(disabled_only), frozenset(ends), MappingProxyType(methods))

    def check(
        self,
        operation: str,
        body: JSON,
        params: Mapping[str, str] | None = None,
        created: Set[str] = frozenset(),
    ) -> None:
        """GuardError unless the request is safe to send to a real API. `created`: the ids of what
        verify created on this upstream (the only things it may delete)."""
        method = self.methods.get(operation, "post")
        if method == "delete":
            others = [value for name, value in (params or {}).items() if name != "agent_id"]
            if not others or any(value not in created for value in others):
                raise GuardError(f"{operation} of something verify did not create: verify never does.")
            return
        if method not in READ_METHODS and operation not in self.test_only | self.disabled_only | self.ends:
            raise GuardError(
                f"{operation} ({method.upper()}) changes the account: verify sends only reads, test calls, "
                "End Call, and disabled webhooks that it deletes."
            )
        if operation in self.test_only and not (isinstance(body, dict) and body.get(TEST_FLAG) is True):
            raise GuardError(
                f'{operation} without "{TEST_FLAG}": true would place a real call: verify never sends one.'
            )
        if operation in self.disabled_only and not (
            isinstance(body, dict) and body.get(ENABLED_FLAG) is False
        ):
            raise GuardError(
                f'{operation} without "{ENABLED_FLAG}": false would create a live webhook: verify never does.'
            )
