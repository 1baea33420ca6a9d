"""`read_bounded_body`: the 413 / 408 rules every reader of a request body shares."""

from __future__ import annotations

import asyncio
from typing import Any

from mock_server.http import BodyTimedOut, BodyTooLarge, read_bounded_body, url_host_allowed


def receiver(*chunks: bytes, stall: bool = False) -> Any:
    messages = [
        {"type": "http.request", "body": chunk, "more_body": stall or index < len(chunks) - 1}
        for index, chunk in enumerate(chunks)
    ]

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop(0)
        await asyncio.sleep(3600)  # a client that stopped sending
        raise AssertionError("unreachable")

    return receive


def read(receive: Any, headers: dict[str, str], limit: int = 10, timeout: float = 0.05) -> object:
    return asyncio.run(read_bounded_body(receive, headers, limit, timeout))


def test_a_body_within_the_limit_is_read_whole() -> None:
    assert read(receiver(b"abc", b"def"), {"content-length": "6"}) == b"abcdef"
    assert read(receiver(b""), {}) == b""


def test_a_declared_length_over_the_limit_is_refused_before_reading() -> None:
    def never() -> Any:
        raise AssertionError("the body must not be read")

    assert read(never, {"content-length": "11"}) == BodyTooLarge(10)


def test_a_body_that_grows_over_the_limit_is_refused() -> None:
    assert read(receiver(b"123456", b"789012"), {}) == BodyTooLarge(10)


def test_a_body_that_does_not_arrive_in_time_is_refused() -> None:
    assert read(receiver(b"12", stall=True), {"content-length": "5"}, timeout=0.05) == BodyTimedOut(0.05)


def test_url_host_allowed() -> None:
    hosts = frozenset({"127.0.0.1", "localhost"})
    assert url_host_allowed("http://127.0.0.1:8000/x", hosts)
    assert url_host_allowed("https://localhost/x", hosts)
    assert not url_host_allowed("ftp://127.0.0.1/x", hosts)
    assert not url_host_allowed("http://example.com/x", hosts)
    assert not url_host_allowed("not a url", hosts)
