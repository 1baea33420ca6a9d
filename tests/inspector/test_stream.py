"""The inspector's server-sent events: a watcher on the journal only while a page is open, and a page
that costs a bounded amount however fast requests arrive."""

from __future__ import annotations

import asyncio

import pytest

from mock_server.http import Request
from mock_server.inspector import stream
from mock_server.inspector.stream import MAX_ROWS_PER_TICK, QUEUE_SIZE, Streams, events, sse, take
from mock_server.state.journal import JournalEntry, RequestJournal

REQUEST = Request("GET", "/api/v1/calls", "", {}, "127.0.0.1")


def everything(_: JournalEntry) -> bool:
    return True


def test_the_journal_is_watched_only_while_a_page_is_open() -> None:
    journal = RequestJournal(10)
    streams = Streams(journal)
    assert journal.watchers == []
    first, second = streams.open(), streams.open()
    assert len(journal.watchers) == 1  # one watcher, however many pages
    journal.record(0.0, REQUEST, b"", 200)
    journal.record(0.0, REQUEST, b"", 404)
    assert (len(first.pending), len(second.pending)) == (2, 2)
    streams.close(first)
    assert len(journal.watchers) == 1
    streams.close(second)
    assert journal.watchers == []


def test_a_tick_shows_the_newest_matching_rows_and_counts_the_rest() -> None:
    journal = RequestJournal(1000)
    page = Streams(journal).open()
    for status in [200, 404] * (QUEUE_SIZE + 10):
        journal.record(0.0, REQUEST, b"", status)
    shown, more = take(page, lambda entry: entry.status == 404)
    assert len(shown) == MAX_ROWS_PER_TICK
    assert shown[-1].number == 2 * (QUEUE_SIZE + 10)  # the newest, oldest first
    dropped = 2 * (QUEUE_SIZE + 10) - QUEUE_SIZE  # lost from the full deque: they may have matched
    assert more == QUEUE_SIZE // 2 - MAX_ROWS_PER_TICK + dropped
    assert take(page, everything) == ([], 0)


def test_an_event_carries_each_line_as_data() -> None:
    assert (
        sse("request", "<tr>\n<td>1</td>\n</tr>")
        == "event: request\ndata: <tr>\ndata: <td>1</td>\ndata: </tr>\n\n"
    )
    assert sse("calls", "") == "event: calls\ndata: \n\n"


def test_the_stream_sends_rows_then_a_count_and_closes_its_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream, "TICK_SECONDS", 0.01)

    async def run() -> list[str]:
        journal = RequestJournal(100)
        streams = Streams(journal)
        sent = events(streams, everything, lambda entry: f"<tr>{entry.number}</tr>", None)
        assert journal.watchers == []  # a stream that never starts leaves nothing behind
        got = [await anext(sent)]
        assert len(streams.pages) == 1
        for _ in range(MAX_ROWS_PER_TICK + 2):
            journal.record(0.0, REQUEST, b"", 200)
        got += [await anext(sent) for _ in range(MAX_ROWS_PER_TICK + 1)]
        await sent.aclose()
        assert streams.pages == set()
        assert journal.watchers == []
        return got

    first, *rows, skipped = asyncio.run(run())
    assert first.startswith("retry: ")
    assert rows == [f"event: request\ndata: <tr>{n}</tr>\n\n" for n in range(3, MAX_ROWS_PER_TICK + 3)]
    assert skipped == "event: skipped\ndata: 2 more requests arrived than a page shows live: reload\n\n"
