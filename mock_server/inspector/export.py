"""What the inspector hands out for an exchange: a curl command, a pytest test using the `talq_mock`
fixture and the SDK, and the whole journal as HAR 1.2 (which `talq-mock check-traffic` accepts).

Tokens stay masked (the journal never had them) and webhook secrets redacted (`model.redact`): a
curl command or a test takes the token as a placeholder or from the fixture."""

from __future__ import annotations

import json
import shlex
from types import MappingProxyType
from typing import Any

from mock_server.inspector.model import Exchange, compact_body
from mock_server.state.clock import iso_z
from mock_server.state.journal import MAX_BODY_CHARS

TOKEN_PLACEHOLDER = "$TALQ_TOKEN"  # noqa: S105 - a shell variable to fill in, not a secret
HAR_CREATOR = MappingProxyType({"name": "talq-mock inspector", "version": "1"})
RESENT_HEADERS = ("content-type", "accept", "prefer")


def curl(exchange: Exchange, base_url: str) -> str:
    """The request as a curl command to paste (the token is `$TALQ_TOKEN`: it was masked)."""
    entry = exchange.entry
    parts = ["curl", "-X", entry.method, shlex.quote(base_url + exchange.target)]
    if "authorization" in entry.headers:
        parts += ["-H", f'"Authorization: Bearer {TOKEN_PLACEHOLDER}"']
    for name in RESENT_HEADERS:
        if name in entry.headers:
            parts += ["-H", shlex.quote(f"{name.title()}: {entry.headers[name]}")]
    if entry.body:
        parts += ["-d", shlex.quote(compact_body(entry.body))]
    return " ".join(parts)


def _test_name(exchange: Exchange) -> str:
    label = exchange.operation or "unrouted"
    snake = "".join("_" + char.lower() if char.isupper() else char for char in label)
    return f"test_{snake}_answers_{exchange.entry.status}_as_in_exchange_{exchange.number}"


def pytest_test(exchange: Exchange, base_path: str) -> str:
    """A test that replays the exchange against the `talq_mock` fixture with the SDK's client and
    asserts its status (and error code). The fixture's token stands in for the masked one."""
    entry = exchange.entry
    path = entry.path[len(base_path) :] if base_path and entry.path.startswith(base_path) else entry.path
    target = path + ("?" + entry.query if entry.query else "")
    code = f" {exchange.error_code}" if exchange.error_code else ""
    lines = [
        f"# Exchange {exchange.number} of the talq mock's journal ({iso_z(entry.at)}): "
        f"{entry.method} {exchange.target} -> {entry.status}{code}.",
        "# Needs: pip install talq-mock talq-client (the talq_mock fixture and the SDK).",
        "# The token was masked in the journal: the fixture's token is used.",
        "",
        "",
        f"def {_test_name(exchange)}(talq_mock) -> None:",
        "    client = talq_mock.client()  # talq_client.AuthenticatedClient for this mock",
    ]
    headers = {name.title(): entry.headers[name] for name in RESENT_HEADERS if name in entry.headers}
    arguments = [repr(entry.method), repr(target)]
    if entry.body:
        arguments.append(f"content={compact_body(entry.body).encode()!r}")
    if headers:
        arguments.append(f"headers={headers!r}")
    lines.append(f"    answer = client.get_httpx_client().request({', '.join(arguments)})")
    lines.append(f"    assert answer.status_code == {entry.status}")
    if exchange.error_code and entry.answer_body.startswith(b'{"success":false'):
        lines.append(f'    assert answer.json()["error"]["code"] == {exchange.error_code!r}')
    return "\n".join(lines) + "\n"


def _pairs(items: Any) -> list[dict[str, str]]:
    return [{"name": str(name), "value": str(value)} for name, value in items]


def _content(body: bytes, media: str) -> dict[str, Any]:
    """An answer's HAR content; a body cut by the journal is left out (HAR's "not recorded"), so that
    check-traffic does not take the cut for the mock's answer."""
    content: dict[str, Any] = {"size": len(body), "mimeType": media}
    if len(body) < MAX_BODY_CHARS:
        content["text"] = body.decode("utf-8", "replace")
    else:
        content["comment"] = f"longer than the journal keeps ({MAX_BODY_CHARS} bytes): not recorded"
    return content


def har(exchanges: list[Exchange], base_url: str) -> dict[str, Any]:
    """The exchanges (oldest first in the file) as a HAR 1.2 log."""
    entries = []
    for exchange in sorted(exchanges, key=lambda item: item.number):
        entry = exchange.entry
        request: dict[str, Any] = {
            "method": entry.method,
            "url": base_url + exchange.target,
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": _pairs(entry.headers.items()),
            "queryString": [],
            "headersSize": -1,
            "bodySize": len(entry.body),
        }
        if entry.body:
            request["postData"] = {
                "mimeType": entry.headers.get("content-type", ""),
                "text": compact_body(entry.body),
            }
        answer_type = next(
            (value for name, value in entry.answer_headers if name.lower() == "content-type"), ""
        )
        entries.append(
            {
                "startedDateTime": iso_z(entry.at),
                "time": round(entry.latency_ms, 3),
                "request": request,
                "response": {
                    "status": entry.status,
                    "statusText": "",
                    "httpVersion": "HTTP/1.1",
                    "cookies": [],
                    "headers": _pairs(entry.answer_headers),
                    "content": _content(entry.answer_body, answer_type),
                    "redirectURL": "",
                    "headersSize": -1,
                    "bodySize": len(entry.answer_body),
                },
                "cache": {},
                "timings": {"send": 0, "wait": round(entry.latency_ms, 3), "receive": 0},
            }
        )
    return {"log": {"version": "1.2", "creator": dict(HAR_CREATOR), "entries": entries}}


def har_bytes(exchanges: list[Exchange], base_url: str) -> bytes:
    return (json.dumps(har(exchanges, base_url), indent=2, ensure_ascii=False) + "\n").encode()
