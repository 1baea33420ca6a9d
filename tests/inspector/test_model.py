"""The inspector's adapter: redaction, filters, the contract's verdict, a call's story."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mock_server.http import Answer, Request
from mock_server.inspector import model as model_module
from mock_server.inspector.model import REDACTED, Filters, InspectorModel, body_text, redact
from mock_server.proxy.validate import Checker
from mock_server.settings import Settings
from mock_server.spec.compiled import load_spec
from mock_server.state.calls import CallRecord
from mock_server.state.journal import MAX_BODY_CHARS
from mock_server.state.store import MockState

SPEC = load_spec(Settings().spec_path)
CALL_PATH = "/api/v1/agents/agent_1/call"


def model() -> InspectorModel:
    return InspectorModel(MockState.create(Settings(time_scale=0)), lambda: Checker(SPEC))


HEADERS = {"authorization": "Bearer talq_secret_token", "content-type": "application/json"}


def journal(
    state: MockState, path: str, body: bytes, status: int, answer: bytes, headers: list[tuple[bytes, bytes]]
) -> None:
    request = Request("POST", path, "", HEADERS, "127.0.0.1")
    state.journal.record(
        1.0, request, body, status, Answer(status, answer, b"application/json", headers), 1.5
    )


RATE = [(b"X-RateLimit-Limit", b"100"), (b"X-RateLimit-Remaining", b"99"), (b"X-RateLimit-Reset", b"1")]
GOOD = (
    b'{"success":true,"data":{"id":"call_1","agent_id":"agent_1","to":"+1234567890",'
    b'"status":"initiated","created_at":"2024-01-15T10:30:00Z"}}'
)


def test_secrets_are_redacted_at_any_depth_and_bodies_pretty_printed() -> None:
    assert redact({"a": [{"webhook_secret": "s"}], "Token": "t", "secret": ""}) == {
        "a": [{"webhook_secret": REDACTED}], "Token": REDACTED, "secret": ""
    }  # fmt: skip
    assert (
        body_text(b'{"webhook_secret":"whsec_1","n":1}')
        == f'{{\n  "webhook_secret": "{REDACTED}",\n  "n": 1\n}}'
    )
    assert body_text(b"not json <b>") == "not json <b>"
    assert body_text(b"") == ""


def test_filters_round_trip_through_the_url_and_are_bounded() -> None:
    filters = Filters.from_query("operation=makeCall&status=4xx&call_id=call_1&q=x%20y&other=1")
    assert filters == Filters("makeCall", "4xx", "call_1", "x y")
    assert Filters.from_query(filters.query()) == filters
    assert len(Filters.from_query("q=" + "a" * 10_000).q) == 200
    assert not Filters().active


def test_exchanges_are_newest_first_and_filtered_and_tokens_masked() -> None:
    inspector = model()
    journal(inspector.state, CALL_PATH, b'{"to":"+1234567890"}', 200, GOOD, RATE)
    journal(inspector.state, "/nowhere", b"", 404, b"{}", [])
    found = inspector.exchanges()
    assert [x.number for x in found] == [2, 1]
    assert [x.operation for x in found] == ["", "makeCall"]
    assert found[1].token == "talq_se…"
    assert [x.number for x in inspector.exchanges(Filters(status="2xx"))] == [1]
    assert [x.number for x in inspector.exchanges(Filters(operation="makeCall"))] == [1]
    assert [x.number for x in inspector.exchanges(Filters(call_id="call_1"))] == [1]
    assert [x.number for x in inspector.exchanges(Filters(q="NOWHERE"))] == [2]
    assert inspector.find(2) is not None
    assert inspector.find(3) is None


def test_the_verdict_names_what_breaks_the_spec_on_either_side() -> None:
    inspector = model()
    journal(inspector.state, CALL_PATH, b'{"to":"+1234567890"}', 200, GOOD, RATE)
    journal(inspector.state, CALL_PATH, b'{"to":5}', 200, b'{"success":true}', [])
    good, bad = (inspector.verdict(x) for x in reversed(inspector.exchanges()))
    assert good.ok
    assert good.response_checked
    assert not bad.ok
    assert [f.pointer for f in bad.request] == ["/request/body/to"]
    pointers = {f.pointer for f in bad.response}
    assert "/response/header/X-RateLimit-Limit" in pointers
    assert "/response/body/data" in pointers
    journal(inspector.state, CALL_PATH, b"{}", 200, b"x" * (MAX_BODY_CHARS + 10), RATE)
    cut = inspector.verdict(inspector.exchanges()[0])
    assert "not checked" in cut.note
    journal(inspector.state, "/nowhere", b"", 404, b"", [])
    unrouted = inspector.verdict(inspector.exchanges()[0])
    assert not unrouted.response_checked


def test_a_calls_story_is_its_timeline_on_the_clock() -> None:
    inspector = model()
    state = inspector.state
    created = datetime.fromtimestamp(state.clock.time(), UTC)
    state.add_call(CallRecord("call_1", "agent_1", "+1234567890", created, False, 0, {}, {}))
    journal(state, CALL_PATH, b'{"to":"+1234567890"}', 200, GOOD, RATE)
    story = inspector.story("call_1")
    assert story is not None
    assert [(s.status, s.done) for s in story.steps] == [
        ("initiated", True), ("ringing", False), ("answered", False), ("completed", False)
    ]  # fmt: skip
    state.clock.advance(3)
    story = inspector.story("call_1")
    assert story is not None
    assert story.status == "answered"
    assert [s.done for s in story.steps] == [True, True, True, False]
    assert [x.number for x in story.exchanges] == [1]
    assert inspector.story("call_2") is None
    assert [c.id for c in inspector.calls()] == ["call_1"]


def test_the_calls_view_lists_the_newest_calls_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_module, "MAX_LISTED", 2)
    inspector = model()
    created = datetime.fromtimestamp(inspector.state.clock.time(), UTC)
    for number in range(3):
        inspector.state.add_call(
            CallRecord(f"call_{number}", "agent_1", "+1234567890", created, True, 0, {}, {})
        )
    assert [story.id for story in inspector.calls()] == ["call_2", "call_1"]
