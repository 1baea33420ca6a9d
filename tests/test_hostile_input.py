"""Hostile input: one test per row of the README's hostile-input table. Each gets a quick, documented
answer, and the mock keeps serving afterwards (checked after every test)."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import orjson
import pytest

from mock_server.settings import Settings
from mock_server.testing import LiveMock, serve

TIMEOUT = 0.5  # the mock's header and body timeouts in these tests
CALL = "/api/v1/agents/agent_123456/call"
AUTH = "Authorization: Bearer talq_hostile"


@dataclass(frozen=True)
class Exchange:
    status: int | None  # None: no answer
    headers: dict[str, str]
    body: bytes
    seconds: float
    closed: bool  # the server closed the connection (rather than the client giving up after `wait`)

    def json(self) -> dict[str, object]:
        value = orjson.loads(self.body)
        assert isinstance(value, dict)
        return value

    @property
    def code(self) -> object:
        error = self.json().get("error")
        return error.get("code") if isinstance(error, dict) else self.json().get("type")


def exchange(mock: LiveMock, data: bytes, pause_after: int | None = None, wait: float = 5.0) -> Exchange:
    """Send raw bytes (optionally one byte at a time with pauses) and read until the server closes."""
    started = time.monotonic()
    with socket.create_connection((mock.host, mock.port), timeout=wait) as sock:
        try:
            if pause_after is None:
                sock.sendall(data)
            else:
                for index in range(len(data)):
                    sock.sendall(data[index : index + 1])
                    if index >= pause_after:
                        time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server closed the connection on us: read what it said
        received = b""
        closed = False
        try:
            while chunk := sock.recv(65536):
                received += chunk
                if b"\r\n\r\n" in received and _complete(received):
                    break
            else:
                closed = True
        except ConnectionResetError:
            closed = True
        except TimeoutError:
            pass
    elapsed = time.monotonic() - started
    if not received:
        return Exchange(None, {}, b"", elapsed, closed)
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    return Exchange(int(status_line.split()[1]), headers, body, elapsed, closed)


def _complete(received: bytes) -> bool:
    head, _, body = received.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return False


def request(
    body: bytes, path: str = CALL, extra: str = "", content_length: int | None = None, auth: str = AUTH
) -> bytes:
    length = len(body) if content_length is None else content_length
    head = (
        f"POST {path} HTTP/1.1\r\nHost: mock\r\n{auth}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {length}\r\nConnection: close\r\n{extra}\r\n"
    )
    return head.encode("latin-1") + body


VALID = b'{"to": "+1234567890", "is_testing": true}'


@pytest.fixture(scope="module")
def mock() -> Iterator[LiveMock]:
    settings = Settings(header_timeout_seconds=TIMEOUT, body_timeout_seconds=TIMEOUT, rate_limit=100_000)
    with serve(settings) as live:
        yield live


@pytest.fixture(autouse=True)
def still_serving(mock: LiveMock) -> Iterator[None]:
    yield
    answer = httpx.post(
        mock.api_url + "/agents/agent_1/call",
        content=VALID,
        headers={"Authorization": "Bearer talq_after", "Content-Type": "application/json"},
        timeout=5,
    )
    assert answer.status_code == 200, "the mock stopped serving valid requests"


def _assert_error(answer: Exchange, status: int, code: str) -> None:
    assert answer.status == status
    assert answer.code == code
    assert answer.headers["content-type"].startswith("application/json")
    assert int(answer.headers["x-ratelimit-remaining"]) >= 0


def test_body_over_the_size_limit(mock: LiveMock) -> None:
    body = b'{"to": "+1234567890", "payload": {"x": "' + b"a" * (1_048_576 + 10) + b'"}}'
    _assert_error(exchange(mock, request(body)), 413, "PAYLOAD_TOO_LARGE")


def test_a_content_length_over_the_limit_is_refused_before_the_body_arrives(mock: LiveMock) -> None:
    answer = exchange(mock, request(b'{"to":', content_length=50_000_000))
    _assert_error(answer, 413, "PAYLOAD_TOO_LARGE")  # not 408: it did not wait for the body


def test_deeply_nested_json(mock: LiveMock) -> None:
    body = b'{"to": "+1234567890", "payload": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    _assert_error(exchange(mock, request(body)), 400, "VALIDATION_ERROR")


@pytest.mark.parametrize("number", [b"1e400", b"1" + b"0" * 400, b"-1" + b"0" * 400, b"NaN", b"Infinity"])
def test_huge_or_non_finite_numbers(mock: LiveMock, number: bytes) -> None:
    _assert_error(
        exchange(mock, request(b'{"to": "+1234567890", "delay_seconds": ' + number + b"}")),
        400,
        "VALIDATION_ERROR",
    )


def test_invalid_utf8(mock: LiveMock) -> None:
    _assert_error(
        exchange(mock, request(b'{"to": "+1234567890", "payload": {"n": "\xff\xfe"}}')),
        400,
        "VALIDATION_ERROR",
    )


def test_nul_bytes(mock: LiveMock) -> None:
    _assert_error(exchange(mock, request(b'{"to": "+1234\x00567890"}')), 400, "VALIDATION_ERROR")
    _assert_error(exchange(mock, request(b'{"to": "+1234\\u0000567890"}')), 400, "INVALID_PHONE_NUMBER")


def test_duplicate_keys_the_last_one_wins(mock: LiveMock) -> None:
    answer = exchange(mock, request(b'{"to": "+1234567890", "to": "not a number"}'))
    _assert_error(answer, 400, "INVALID_PHONE_NUMBER")
    accepted = exchange(mock, request(b'{"to": "bad", "to": "+1234567890", "is_testing": true}'))
    assert accepted.status == 200


def test_a_content_length_that_lies(mock: LiveMock) -> None:
    answer = exchange(mock, request(VALID, content_length=len(VALID) + 50))
    _assert_error(answer, 408, "REQUEST_TIMEOUT")
    assert answer.seconds >= TIMEOUT


def test_a_very_long_path(mock: LiveMock) -> None:
    answer = exchange(mock, request(VALID, path="/api/v1/agents/" + "a" * 200_000 + "/call"))
    assert answer.status == 400
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["status"] == 400


def test_a_very_long_agent_id(mock: LiveMock) -> None:
    answer = exchange(mock, request(VALID, path="/api/v1/agents/" + "a" * 5000 + "/call"))
    _assert_error(answer, 400, "VALIDATION_ERROR")
    assert b"agent_id" in answer.body
    assert len(answer.body) < 2000  # the id is not echoed back in full


def test_very_long_header_values(mock: LiveMock) -> None:
    answer = exchange(mock, request(VALID, extra="X-Long: " + "v" * 1_000_000 + "\r\n"))
    assert answer.status == 200  # served as usual: the header is not kept anywhere
    assert answer.json()["success"] is True


def test_a_very_long_token(mock: LiveMock) -> None:
    answer = exchange(mock, request(VALID, auth="Authorization: Bearer talq_" + "a" * 100_000))
    _assert_error(answer, 401, "INVALID_TOKEN")
    assert len(answer.headers.get("sl-violations", "")) < 2000


def test_thousands_of_headers(mock: LiveMock) -> None:
    extra = "".join(f"X-Header-{index}: value\r\n" for index in range(5000))
    answer = exchange(mock, request(VALID, extra=extra))
    assert answer.status == 200


def test_hostile_values_are_not_reflected_raw_into_headers(mock: LiveMock) -> None:
    answer = exchange(mock, request(b'{"to": "\\r\\nSet-Cookie: x=1\\u2028\\u00ff"}'))
    _assert_error(answer, 400, "INVALID_PHONE_NUMBER")
    assert "set-cookie" not in answer.headers
    assert answer.headers["sl-violations"].isascii()


def test_a_client_that_sends_its_headers_a_byte_at_a_time(mock: LiveMock) -> None:
    answer = exchange(mock, request(VALID), pause_after=10)
    assert answer.status is None  # closed by the mock after the header timeout, no answer
    assert answer.closed
    assert answer.seconds >= TIMEOUT


def test_a_client_that_sends_its_body_a_byte_at_a_time(mock: LiveMock) -> None:
    data = request(VALID)
    head_length = data.index(b"\r\n\r\n") + 4
    answer = exchange(mock, data, pause_after=head_length)
    _assert_error(answer, 408, "REQUEST_TIMEOUT")


def test_a_client_that_connects_and_sends_nothing(mock: LiveMock) -> None:
    answer = exchange(mock, b"")
    assert answer.status is None
    assert answer.closed  # by the mock, after the header timeout
    assert answer.seconds >= TIMEOUT


def test_garbage_instead_of_http(mock: LiveMock) -> None:
    answer = exchange(mock, b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(256)))
    assert answer.status == 400
    assert answer.headers["content-type"] == "application/problem+json"
