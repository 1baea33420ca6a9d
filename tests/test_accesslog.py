"""The access log: one line per request, written in batches, none lost when the mock stops."""

from __future__ import annotations

import asyncio
import io
import re

import httpx

from mock_server.accesslog import AccessLog
from mock_server.app import MockApp, create_app
from mock_server.http import Answer, Request
from mock_server.settings import Settings
from mock_server.testing import serve

LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} mock_server\.access POST /api/v1/agents/a/call (\d{3}) (\S+) "
    r"\d+\.\d\dms token=(\S+)$"
)


def request(token: str | None = "talq_secret_token") -> Request:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return Request("POST", "/api/v1/agents/a/call", "", headers, "127.0.0.1")


def test_lines_are_buffered_then_written_in_order_in_one_write() -> None:
    stream = io.StringIO()
    log = AccessLog(stream, max_lines=3)
    log.line(request(), Answer(200), 0.0)
    log.line(request(None), Answer(400, error_code="INVALID_PHONE_NUMBER"), 0.0)
    assert stream.getvalue() == ""  # buffered
    log.line(request(), Answer(429, error_code="RATE_LIMIT_EXCEEDED"), 0.0)
    lines = stream.getvalue().splitlines()
    assert [LINE.match(line).groups() for line in lines] == [  # type: ignore[union-attr]
        ("200", "-", "talq_se…"),
        ("400", "INVALID_PHONE_NUMBER", "-"),
        ("429", "RATE_LIMIT_EXCEEDED", "talq_se…"),
    ]
    assert "secret" not in stream.getvalue()
    log.line(request(), Answer(200), 0.0)
    log.flush()
    assert len(stream.getvalue().splitlines()) == 4


def test_the_flusher_writes_what_is_left_when_it_is_cancelled() -> None:
    stream = io.StringIO()
    log = AccessLog(stream, max_lines=1000, flush_seconds=3600)

    async def scenario() -> None:
        task = asyncio.create_task(log.run())
        await asyncio.sleep(0)
        log.line(request(), Answer(200), 0.0)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    asyncio.run(scenario())
    assert len(stream.getvalue().splitlines()) == 1


def test_no_line_is_lost_when_the_mock_stops() -> None:
    """The flusher is never due here (once an hour): every line reaches the stream when the server stops."""
    stream = io.StringIO()
    settings = Settings(quiet=False, rate_limit=1000)
    base = create_app(settings)
    app = MockApp(settings, base.spec, base.state, access_log=AccessLog(stream, flush_seconds=3600))
    count = 300  # more than one batch of 256
    with serve(settings, app) as live, httpx.Client(base_url=live.url) as client:
        for _ in range(count):
            answer = client.post(
                "/api/v1/agents/a/call", json={"to": "12"}, headers={"Authorization": "Bearer talq_x"}
            )
            assert answer.status_code == 400
        assert len(stream.getvalue().splitlines()) == 256  # one full batch so far
    lines = stream.getvalue().splitlines()
    assert len(lines) == count
    assert all(LINE.match(line) for line in lines)
