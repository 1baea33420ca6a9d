"""What a consumer exchanged with the mock, by operation, secrets scrubbed: written by
`talq-mock --record FILE` and the pytest plugin's `--talq-record=FILE`, replayed by
`talq-mock verify --replay FILE`.

Each exchange keeps the request as sent (method, path, path parameters, query, the headers that shape
the answer, the JSON body) and of the answer its status, error code, the fields the mock sent (JSON
pointer -> JSON type, array items as `*`) and the ids it handed out (so a replay can map them to the
upstream's own). Scrubbed: Authorization (only "a bearer token was sent" is kept), cookies, signature
headers, every header a `securitySchemes` entry names, and any body value whose key names a secret,
token, signature or password.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import orjson

from mock_server.spec.compiled import CompiledSpec
from mock_server.spec.document import JSON, load_document

FORMAT = "talq-record/1"
SCRUBBED = "[scrubbed]"
SECRET_KEY = re.compile(r"secret|token|signature|password|api[_-]?key", re.IGNORECASE)
ALWAYS_SECRET_HEADERS = frozenset({"authorization", "cookie", "set-cookie", "x-talq-signature"})
KEPT_HEADERS = ("content-type", "accept", "prefer")
ID_KEY = re.compile(r"^(id|sid|.*_id|.*_sid)$")
MAX_RECORDED_BODY = 1024 * 1024


class RecordingError(Exception):
    """The recording cannot be read: the message says which file and why."""


def secret_headers(document: dict[str, JSON]) -> frozenset[str]:
    """Header names never written: the usual ones and every header a security scheme names."""
    names = set(ALWAYS_SECRET_HEADERS)
    for scheme in ((document.get("components") or {}).get("securitySchemes") or {}).values():
        if isinstance(scheme, dict) and scheme.get("in") == "header" and isinstance(scheme.get("name"), str):
            names.add(scheme["name"].lower())
    return frozenset(names)


def scrub(value: JSON) -> JSON:
    """`value` with every value under a secret-looking key replaced by [scrubbed]."""
    if isinstance(value, dict):
        return {key: SCRUBBED if SECRET_KEY.search(str(key)) else scrub(item) for key, item in value.items()}
    if isinstance(value, list):
        return [scrub(item) for item in value]
    return value


def json_type(value: JSON) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number" if isinstance(value, float) else "integer"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object" if isinstance(value, dict) else "unknown"


def fields(body: JSON, prefix: str = "") -> dict[str, str]:
    """Every field of `body`: JSON pointer -> JSON type; the items of an array share the pointer `*`."""
    found: dict[str, str] = {}
    if isinstance(body, dict):
        for key, value in body.items():
            where = f"{prefix}/{str(key).replace('~', '~0').replace('/', '~1')}"
            found[where] = json_type(value)
            found.update(fields(value, where))
    elif isinstance(body, list):
        for item in body:
            found.setdefault(f"{prefix}/*", json_type(item))
            found.update(fields(item, f"{prefix}/*"))
    return found


def ids(body: JSON, prefix: str = "") -> dict[str, str]:
    """The id-like string values of `body` by their concrete pointer (/data/id, /data/0/id)."""
    found: dict[str, str] = {}
    if isinstance(body, dict):
        for key, value in body.items():
            where = f"{prefix}/{key}"
            if isinstance(value, str) and ID_KEY.match(str(key)):
                found[where] = value
            else:
                found.update(ids(value, where))
    elif isinstance(body, list):
        for index, item in enumerate(body):
            found.update(ids(item, f"{prefix}/{index}"))
    return found


def _parsed(raw: bytes) -> JSON:
    try:
        return orjson.loads(raw) if raw else None
    except orjson.JSONDecodeError:
        return None


def error_code(body: JSON) -> str | None:
    """The error code of an error body: the envelope's `error.code`, or a top-level `code`."""
    if not isinstance(body, dict):
        return None
    error = body.get("error")
    code = error.get("code") if isinstance(error, dict) else body.get("code")
    return code if isinstance(code, str) else None


@dataclass
class Recording:
    """The exchanges, in the order they happened (one recording may gather several mocks)."""

    spec_version: str = ""
    exchanges: list[dict[str, JSON]] = field(default_factory=list)
    written: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, exchange: dict[str, JSON]) -> None:
        with self._lock:
            self.exchanges.append(exchange)

    def as_data(self) -> dict[str, JSON]:
        with self._lock:
            exchanges = list(self.exchanges)
        by_operation: dict[str, int] = {}
        for exchange in exchanges:
            by_operation[str(exchange["operation"])] = by_operation.get(str(exchange["operation"]), 0) + 1
        return {
            "format": FORMAT,
            "spec_version": self.spec_version,
            "operations": dict(sorted(by_operation.items())),
            "exchanges": exchanges,
        }

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        partial.write_text(json.dumps(self.as_data(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        partial.replace(path)
        self.written = True


def load_recording(path: Path) -> Recording:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise RecordingError(f"cannot read the recording {path}: {error.strerror}.") from error
    except ValueError as error:
        raise RecordingError(f"{path} is not JSON: {error}.") from error
    if (
        not isinstance(data, dict)
        or data.get("format") != FORMAT
        or not isinstance(data.get("exchanges"), list)
    ):
        raise RecordingError(
            f"{path} is not a talq recording (format {FORMAT}): make one with talq-mock --record FILE "
            "or pytest --talq-record=FILE."
        )
    return Recording(str(data.get("spec_version", "")), [e for e in data["exchanges"] if isinstance(e, dict)])


def recording_around(app: Any, recording: Recording) -> Recorder:
    """A recorder around a mock app (its `spec` and `settings.spec_path`), writing into `recording`."""
    document = load_document(app.settings.spec_path)
    recording.spec_version = str((document.get("info") or {}).get("version", ""))
    return Recorder(app, app.spec, recording, secret_headers(document))


class Recorder:
    """ASGI middleware around the mock: every exchange on an operation of the spec goes to `recording`."""

    def __init__(self, app: Any, spec: CompiledSpec, recording: Recording, hidden: Iterable[str]) -> None:
        self.app = app
        self.spec = spec
        self.recording = recording
        self.hidden = frozenset(name.lower() for name in hidden)

    def __getattr__(self, name: str) -> Any:  # the wrapped app's attributes (spec, settings, state, ...)
        return getattr(self.app, name)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        matched = self.spec.match(scope["path"]) if scope["type"] == "http" else None
        operation = matched[0].operations.get(scope["method"].lower()) if matched else None
        if operation is None or matched is None:
            await self.app(scope, receive, send)
            return
        sent: list[bytes] = []
        answer: dict[str, Any] = {"status": 0, "body": bytearray()}

        async def receiving() -> Any:
            message = await receive()
            if message["type"] == "http.request" and sum(map(len, sent)) < MAX_RECORDED_BODY:
                sent.append(message.get("body", b""))
            return message

        async def sending(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
            elif message["type"] == "http.response.body" and len(answer["body"]) < MAX_RECORDED_BODY:
                answer["body"] += message.get("body", b"")
            await send(message)

        await self.app(scope, receiving, sending)
        headers = {
            name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]
        }
        self.recording.add(
            self._exchange(operation.operation_id, scope, matched[1], headers, b"".join(sent), answer)
        )

    def _exchange(
        self,
        operation: str,
        scope: dict[str, Any],
        params: dict[str, str],
        headers: dict[str, str],
        raw: bytes,
        answer: dict[str, Any],
    ) -> dict[str, JSON]:
        request_headers = {
            name: headers[name] for name in KEPT_HEADERS if name in headers and name not in self.hidden
        }
        authorization = headers.get("authorization", "")
        request: dict[str, JSON] = {
            "method": scope["method"],
            "path": scope["path"],
            "params": params,
            "query": dict(
                parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
            ),
            "headers": request_headers,
            "token": "bearer"
            if authorization.lower().startswith("bearer ")
            else ("other" if authorization else None),
            "body": scrub(_parsed(raw)),
        }
        if raw and request["body"] is None:
            request["raw_body"] = SCRUBBED  # not JSON: kept out (it could hold anything)
        body = _parsed(bytes(answer["body"]))
        return {
            "operation": operation,
            "request": request,
            "response": {
                "status": answer["status"],
                "code": error_code(body),
                "fields": fields(body),
                "ids": {where: value for where, value in ids(body).items() if not SECRET_KEY.search(where)},
            },
        }
