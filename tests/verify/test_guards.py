"""The guards: no http upstream beyond loopback, no start without a token (and the message says how),
nothing unsafe ever sent, whatever a probe or a recording asks for (a fake vendor records what arrives)."""

from __future__ import annotations

import json

import orjson
import pytest

from mock_server.spec.document import DEFAULT_SPEC, load_document
from mock_server.verify.cli import main, operation_paths
from mock_server.verify.guards import TOKEN_MISSING, Guard, GuardError, check_upstream
from mock_server.verify.session import Pacing, Session
from test_support.fake_vendors import recording_vendor
from tests.verify.conftest import TOKEN

DOCUMENT = load_document(DEFAULT_SPEC)


@pytest.mark.parametrize(
    "url", ["http://app.talkover.ai/api/v1", "http://10.0.0.5:4010/api/v1", "http://example.com", "ftp://x/"]
)
def test_an_http_upstream_beyond_loopback_is_refused(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(GuardError):
        check_upstream(url)
    assert main(["--upstream", url, "--agent-id", "a"], {"TALQ_TOKEN": TOKEN}) == 2
    err = capsys.readouterr().err
    assert "cannot run" in err
    assert "https://" in err


@pytest.mark.parametrize(
    "url", ["https://app.talkover.ai/api/v1/", "http://127.0.0.1:4010/api/v1", "http://[::1]:1"]
)
def test_https_and_loopback_are_allowed(url: str) -> None:
    assert check_upstream(url) == url.rstrip("/")


def test_no_token_no_start_and_the_message_says_how(capsys: pytest.CaptureFixture[str]) -> None:
    with recording_vendor() as vendor:
        assert main(["--upstream", vendor.url, "--agent-id", "a"], {}) == 2
        assert main(["--upstream", vendor.url, "--agent-id", "a"], {"TALQ_TOKEN": "  "}) == 2
        assert vendor.requests == []
    err = capsys.readouterr().err
    assert TOKEN_MISSING in err
    assert "export TALQ_TOKEN=" in err


def test_the_guard_is_derived_from_the_spec() -> None:
    guard = Guard.from_document(DOCUMENT)
    assert "makeCall" in guard.test_only
    assert guard.disabled_only == {"createWebhook"}


@pytest.mark.parametrize(
    "body",
    [
        {"to": "+1234567890"},
        {"to": "+1234567890", "is_testing": False},
        {"to": "+1", "is_testing": "true"},
        None,
    ],
)
def test_a_call_that_is_not_a_test_never_reaches_the_upstream(body: object) -> None:
    with recording_vendor() as vendor:
        session = Session(
            vendor.url, TOKEN, Guard.from_document(DOCUMENT), operation_paths(DOCUMENT), Pacing()
        )
        with pytest.raises(GuardError, match="is_testing"):
            session.send("makeCall", {"agent_id": "agent_1"}, {}, body, True)
        with pytest.raises(GuardError, match="enabled"):
            session.send(
                "createWebhook",
                {"agent_id": "agent_1"},
                {},
                {"webhook_url": "https://x", "enabled": True},
                True,
            )
        session.send("makeCall", {"agent_id": "agent_1"}, {}, {"to": "+1234567890", "is_testing": True}, True)
        session.close()
        assert [(method, path) for method, path, _, _ in vendor.requests] == [
            ("POST", "/api/v1/agents/agent_1/call")
        ]
        assert orjson.loads(vendor.requests[0][3])["is_testing"] is True


def test_a_whole_probe_run_sends_only_test_calls_and_disabled_webhooks() -> None:
    with recording_vendor() as vendor:
        status = main(
            ["--upstream", vendor.url, "--agent-id", "agent_1", "--pace", "0"], {"TALQ_TOKEN": TOKEN}
        )
        seen = list(vendor.requests)
    assert status == 1  # a vendor answering {} to everything contradicts the spec
    calls = [
        json.loads(body) for method, path, _, body in seen if method == "POST" and path.endswith("/call")
    ]
    assert calls
    assert all(call.get("is_testing") is True for call in calls)
    created = [
        json.loads(body) for method, path, _, body in seen if method == "POST" and path.endswith("/webhooks")
    ]
    assert all(webhook.get("enabled") is False for webhook in created)
    assert all(headers.get("authorization") in {None, f"Bearer {TOKEN}"} for _, _, headers, _ in seen)


def test_writes_other_than_the_safe_ones_are_refused() -> None:
    methods = {"getAgent": "get", "publishAgent": "post", "toggleWebhook": "patch", "deleteWebhook": "delete"}
    guard = Guard(frozenset({"makeCall"}), frozenset({"createWebhook"}), frozenset({"endCall"}), methods)
    guard.check("getAgent", None)
    guard.check("endCall", {"call_sid": "call_1"})
    for operation in ("publishAgent", "toggleWebhook"):
        with pytest.raises(GuardError, match="changes the account"):
            guard.check(operation, {"enabled": True}, {"agent_id": "a"})
    with pytest.raises(GuardError, match="did not create"):
        guard.check("deleteWebhook", None, {"agent_id": "a", "webhook_id": "wh_theirs"})
    guard.check("deleteWebhook", None, {"agent_id": "a", "webhook_id": "wh_mine"}, {"wh_mine"})


def test_the_session_deletes_only_what_it_created() -> None:
    with recording_vendor() as vendor:
        guard = Guard.from_document(DOCUMENT)
        methods = {**guard.methods, "deleteWebhook": "delete"}
        paths = {
            **operation_paths(DOCUMENT),
            "deleteWebhook": ("delete", "/agents/{agent_id}/webhooks/{webhook_id}"),
        }
        session = Session(
            vendor.url, TOKEN, Guard(guard.test_only, guard.disabled_only, guard.ends, methods), paths
        )
        with pytest.raises(GuardError):
            session.send("deleteWebhook", {"agent_id": "a", "webhook_id": "wh_1"}, {}, None, True)
        session.close()
        assert vendor.requests == []
