"""Recorded traffic (HAR 1.2, as browser devtools, mitmproxy and `redocly proxy` write it), checked
with the same `Checker` as the proxy, into the same `Report`."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from mock_server.proxy.report import Report
from mock_server.proxy.validate import Checker

NO_ANSWER = "no answer recorded (status 0: the request failed or was aborted)"


class HarError(Exception):
    """The file is not a HAR 1.2 log this checker can read: the message says where and why."""


@dataclass(frozen=True)
class Exchange:
    method: str
    path: str  # percent-decoded, as a server sees it
    query_string: str
    headers: dict[str, str]  # lower-case names, first value
    body: bytes
    status: int  # 0: no answer
    response_headers: list[tuple[str, str]]
    response_body: bytes | None  # None: not recorded


def _text(content: dict[str, Any], where: str) -> bytes | None:
    text = content.get("text")
    if text is None:
        return None
    if not isinstance(text, str):
        raise HarError(f"{where}.text is not a string.")
    if content.get("encoding") == "base64":
        try:
            return base64.b64decode(text, validate=True)
        except binascii.Error as error:
            raise HarError(f"{where}.text is not valid base64: {error}.") from error
    return text.encode("utf-8", "surrogatepass")


def _headers(items: Any, where: str) -> list[tuple[str, str]]:
    if not isinstance(items, list):
        raise HarError(f"{where}.headers is not a list.")
    try:
        return [(str(item["name"]), str(item["value"])) for item in items]
    except (KeyError, TypeError) as error:
        raise HarError(f"{where}.headers: each header needs a name and a value.") from error


def _exchange(entry: Any, index: int) -> Exchange:
    where = f"log.entries[{index}]"
    try:
        request = entry["request"]
        response = entry.get("response") or {}
        url = urlsplit(str(request["url"]))
        method = str(request["method"]).upper()
    except (KeyError, TypeError, AttributeError) as error:
        raise HarError(f"{where}: needs request.method, request.url and a response object.") from error
    headers: dict[str, str] = {}
    for name, value in _headers(request.get("headers", []), f"{where}.request"):
        headers.setdefault(name.lower(), value)
    post = request.get("postData") or {}
    if post.get("mimeType") and "content-type" not in headers:
        headers["content-type"] = str(post["mimeType"])
    status = response.get("status", 0)
    if not isinstance(status, int):
        raise HarError(f"{where}.response.status is not an integer.")
    return Exchange(
        method=method,
        path=unquote(url.path) or "/",
        query_string=url.query,
        headers=headers,
        body=_text(post, f"{where}.request.postData") or b"",
        status=status,
        response_headers=_headers(response.get("headers", []), f"{where}.response") if status else [],
        response_body=_text(response.get("content") or {}, f"{where}.response.content"),
    )


def read_har(path: Path) -> Iterator[Exchange]:
    """The exchanges of a HAR file, in order. Raises HarError when it is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise HarError(f"cannot read {path}: {error.strerror or error}.") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise HarError(f"{path} is not JSON ({error}): pass a HAR file (File > Save all as HAR).") from error
    entries = data.get("log", {}).get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise HarError(f"{path} has no log.entries list: it is not a HAR 1.2 file.")
    for index, entry in enumerate(entries):
        yield _exchange(entry, index)


def check_har(path: Path, checker: Checker, report: Report) -> Report:
    """Check every exchange of `path` into `report`."""
    for exchange in read_har(path):
        check = checker.request(
            exchange.method, exchange.path, exchange.query_string, exchange.headers, exchange.body
        )
        findings = list(check.findings)
        if exchange.status == 0:
            report.record(check.label, "no answer", findings, NO_ANSWER)
            continue
        if check.operation is not None:
            findings += checker.response(
                check.operation, exchange.status, exchange.response_headers, exchange.response_body
            )
        report.record(check.label, str(exchange.status), findings)
    return report
