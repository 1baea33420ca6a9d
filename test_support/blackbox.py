"""Black-box cases (tests/blackbox/cases.yaml): load them, send them, compare the answers.

Used by tests/test_blackbox.py (against the mock), tests/proxy/test_mock_upstream.py (through the
proxy) and tools/prism_compare.py (against Prism too). The cases stay with the tests
(tests/blackbox/cases.yaml); `CASES_FILE` is where they are read. `Mocks`: the mocks they run against.
"""

from __future__ import annotations

import contextlib
import socket
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson
import yaml

from mock_server.app import create_app
from mock_server.settings import Settings
from mock_server.spec.compiled import load_spec
from mock_server.spec.document import DEFAULT_SPEC
from mock_server.testing import LiveMock, serve

CASES_FILE = Path(__file__).resolve().parent.parent / "tests" / "blackbox" / "cases.yaml"
API_PREFIX = "/api/v1"
CASE_SETTINGS = Settings(seed=7, quiet=True)  # what a case's `settings` change


@dataclass(frozen=True)
class Case:
    name: str
    request: dict[str, Any]
    expect: dict[str, Any]
    settings: dict[str, Any] = field(default_factory=dict)
    prism: dict[str, Any] | None = None


@dataclass(frozen=True)
class Observed:
    status: int | str  # "hang" when no answer came in time
    headers: dict[str, str]
    body: Any

    @property
    def code(self) -> str | None:
        """error.code of the envelope, the `code` of `{success: false, message, code}`, or the kind of a
        problem+json answer."""
        if isinstance(self.body, dict):
            if self.body.get("success") is False and isinstance(self.body.get("code"), str):
                return str(self.body["code"])
            error = self.body.get("error")
            if isinstance(error, dict):
                return str(error.get("code"))
            if isinstance(self.body.get("type"), str):
                return str(self.body["type"]).rpartition("#")[2]
        return None


def load_cases(path: Path = CASES_FILE) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Case(item["name"], item["request"], item["expect"], item.get("settings", {}), item.get("prism"))
        for item in data["cases"]
    ]


class Mocks:
    """One mock per distinct `settings` of the cases (started on first use, stopped with `stack`), reset
    (the admin API's reset: calls, credits, rate limits, clock, webhooks, journal) before each case: as
    good as a fresh one, without a start-up each."""

    def __init__(self, stack: contextlib.ExitStack) -> None:
        self._stack = stack
        self._spec = load_spec(DEFAULT_SPEC)
        self._live: dict[str, LiveMock] = {}

    @staticmethod
    def key(case: Case) -> str:
        """Cases with the same key share a mock."""
        return repr(sorted(case.settings.items()))

    @staticmethod
    def settings(case: Case) -> Settings:
        return replace(CASE_SETTINGS, **case.settings)

    def for_case(self, case: Case) -> LiveMock:
        """The mock of `case`'s settings, reset."""
        key = self.key(case)
        if key not in self._live:
            settings = self.settings(case)
            self._live[key] = self._stack.enter_context(serve(settings, create_app(settings, self._spec)))
        mock = self._live[key]
        mock.app.state.reset()
        return mock


def _send_raw(
    base_url: str,
    method: str,
    path: str,
    headers: dict[str, str],
    content: bytes,
    content_length: int,
    timeout: float,
) -> Observed:
    """Send a request whose Content-Length need not match its body (httpx refuses to)."""
    parts = urlsplit(base_url)
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: {parts.netloc}",
        f"Content-Length: {content_length}",
        "Connection: close",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80), timeout=timeout) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + content)
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except TimeoutError:
            if not received:
                return Observed("hang", {}, None)
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    answer_headers = {
        k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in header_lines)
    }
    return Observed(int(status_line.split()[1]), answer_headers, orjson.loads(body) if body else None)


def send(client: httpx.Client, base_url: str, case: Case, strip_prefix: bool = False) -> Observed:
    """Send the case's request (its `repeat` first) to `base_url` and read the last answer."""
    request = case.request
    path = str(request["path"])
    if strip_prefix and path.startswith(API_PREFIX):
        path = path[len(API_PREFIX) :]
    content: bytes | None = None
    if "json" in request:
        content = orjson.dumps(request["json"])
    elif "raw" in request:
        content = str(request["raw"]).encode()
    headers = {str(k): str(v) for k, v in (request.get("headers") or {}).items()}
    if "content_length" in request:
        timeout = client.timeout.read or 5.0
        return _send_raw(
            base_url,
            request["method"],
            path,
            headers,
            content or b"",
            int(request["content_length"]),
            timeout,
        )
    try:
        for _ in range(int(request.get("repeat", 0)) + 1):
            response = client.request(request["method"], base_url + path, content=content, headers=headers)
    except httpx.TimeoutException:
        return Observed("hang", {}, None)
    try:
        body: Any = response.json() if response.content else None
    except ValueError:
        body = response.text
    return Observed(response.status_code, {k.lower(): v for k, v in response.headers.items()}, body)


def _contains(actual: Any, expected: Any) -> bool:
    """`expected` is a subset of `actual` (dicts by key, lists item by item in order)."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and _contains(actual[k], v) for k, v in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) >= len(expected)
            and all(_contains(a, e) for a, e in zip(actual, expected, strict=False))
        )
    return bool(actual == expected)


def mismatches(expect: dict[str, Any], observed: Observed) -> list[str]:
    """How `observed` differs from `expect` ([] when it matches)."""
    found: list[str] = []
    if observed.status != expect["status"]:
        found.append(f"status {observed.status}, expected {expect['status']}")
        return found
    if "code" in expect and observed.code != expect["code"]:
        found.append(f"code {observed.code}, expected {expect['code']}")
    content_type = expect.get("content_type")
    if content_type and not observed.headers.get("content-type", "").startswith(content_type):
        found.append(f"content-type {observed.headers.get('content-type')!r}, expected {content_type}")
    if "body" in expect and not _contains(observed.body, expect["body"]):
        found.append(f"body {observed.body!r} does not contain {expect['body']!r}")
    found += [
        f"header {name} is missing"
        for name in expect.get("headers", [])
        if name.lower() not in observed.headers
    ]
    found += [
        f"header {name} must be absent"
        for name in expect.get("absent", [])
        if name.lower() in observed.headers
    ]
    return found
