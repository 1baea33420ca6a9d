"""The request journal: bounded entries with the answer, and watchers told of each new one."""

from __future__ import annotations

from mock_server.http import Answer, Request
from mock_server.state.journal import MAX_BODY_CHARS, JournalEntry, RequestJournal

REQUEST = Request("GET", "/api/v1/calls", "", {"authorization": "Bearer talq_secret"}, "127.0.0.1")


def test_entries_keep_the_answer_cut_and_the_token_masked() -> None:
    journal = RequestJournal(2)
    answer = Answer(400, b"x" * (MAX_BODY_CHARS + 1), b"application/json", [(b"X-A", b"1")], "INVALID")
    journal.record(5.0, REQUEST, b"body", 400, answer, 2.5)
    (entry,) = journal.records()
    assert isinstance(entry, JournalEntry)
    assert (entry.status, entry.error_code, entry.latency_ms) == (400, "INVALID", 2.5)
    assert entry.answer_headers == (("X-A", "1"), ("content-type", "application/json"))
    assert len(entry.answer_body) == MAX_BODY_CHARS
    assert entry.headers["authorization"] == "Bearer talq_se…"
    assert journal.get(1) is entry
    assert journal.get(2) is None
    assert journal.entries() == [entry.as_data()]


def test_the_journal_is_bounded_and_numbers_survive_eviction() -> None:
    journal = RequestJournal(2)
    for _ in range(5):
        journal.record(0.0, REQUEST, b"", 200)
    assert [entry.number for entry in journal.records()] == [4, 5]
    assert journal.get(3) is None
    assert journal.get(5) is not None


def test_watchers_hear_of_every_entry_and_reset_keeps_them() -> None:
    journal = RequestJournal(3)
    heard: list[int] = []
    journal.watchers.append(lambda entry: heard.append(entry.number))
    journal.record(0.0, REQUEST, b"", 200)
    journal.reset()
    journal.record(0.0, REQUEST, b"", 200)
    assert heard == [1, 1]
