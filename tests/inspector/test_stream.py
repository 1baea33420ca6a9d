"""The inspector's server-sent events: a watcher on the journal only while a page is open."""

from __future__ import annotations

import asyncio

from mock_server.http import Request
from mock_server.inspector.stream import QUEUE_SIZE, Streams, events, sse
from mock_server.state.journal import RequestJournal

REQUEST = Request("GET", "/api/v1/calls", "", {}, "127.0.0.1")


def test_the_journal_is_watched_only_while_a_page_is_open() -> None:
    journal = RequestJournal(10)
    streams = Streams(journal)
    assert journal.watchers == []
    first, second = streams.open(lambda _: True), streams.open(lambda entry: entry.status >= 400)
    assert len(journal.watchers) == 1  # one watcher, however many pages
    journal.record(0.0, REQUEST, b"", 200)
    journal.record(0.0, REQUEST, b"", 404)
    assert (first.queue.qsize(), second.queue.qsize()) == (2, 1)
    streams.close(first)
    assert len(journal.watchers) == 1
    streams.close(second)
    assert journal.watchers == []


def test_a_page_that_does_not_keep_up_loses_rows_not_memory() -> None:
    journal = RequestJournal(10)
    page = Streams(journal).open(lambda _: True)
    for _ in range(QUEUE_SIZE + 5):
        journal.record(0.0, REQUEST, b"", 200)
    assert (page.queue.qsize(), page.dropped) == (QUEUE_SIZE, 5)


def test_an_event_carries_each_line_as_data() -> None:
    assert (
        sse("request", "<tr>\n<td>1</td>\n</tr>")
        == "event: request\ndata: <tr>\ndata: <td>1</td>\ndata: </tr>\n\n"
    )
    assert sse("calls", "") == "event: calls\ndata: \n\n"


def test_the_stream_sends_rows_and_closes_its_page() -> None:
    async def run() -> list[str]:
        journal = RequestJournal(10)
        streams = Streams(journal)
        page = streams.open(lambda _: True)
        stream = events(streams, page, lambda entry: f"<tr>{entry.number}</tr>", None)
        first = await anext(stream)
        journal.record(0.0, REQUEST, b"", 200)
        second = await anext(stream)
        await stream.aclose()
        assert streams.pages == set()
        assert journal.watchers == []
        return [first, second]

    first, second = asyncio.run(run())
    assert first.startswith("retry: ")
    assert second == "event: request\ndata: <tr>1</tr>\n\n"
