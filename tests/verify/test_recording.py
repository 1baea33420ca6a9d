"""The recording: `talq-mock --record FILE` and the recorder the plugin's --talq-record uses; by
operation, the request as sent, the answer's status, code, fields and ids, secrets scrubbed."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import httpx

from mock_server.settings import Settings
from mock_server.testing import free_port, serve
from mock_server.verify.recording import SCRUBBED, Recording, fields, recording_around, scrub
from test_support.processes import mock_command, running
from tests.verify.conftest import TOKEN

SECRET = "whsec_do_not_write_me"


def test_fields_are_pointers_with_types_and_items_share_a_star() -> None:
    body = {"success": True, "data": [{"id": "call_1", "duration": 3}, {"id": "call_2", "x": None}]}
    assert fields(body) == {
        "/success": "boolean",
        "/data": "array",
        "/data/*": "object",
        "/data/*/id": "string",
        "/data/*/duration": "integer",
        "/data/*/x": "null",
    }


def test_scrub_replaces_every_secret_looking_value() -> None:
    assert scrub({"webhook_secret": "s", "a": [{"api_key": "k", "signature": "x"}], "b": 1}) == {
        "webhook_secret": SCRUBBED,
        "a": [{"api_key": SCRUBBED, "signature": SCRUBBED}],
        "b": 1,
    }


def test_the_recorder_keeps_the_exchange_by_operation_and_scrubs_secrets(tmp_path: Path) -> None:
    recording = Recording()
    with serve(Settings(seed=1), wrap=partial(recording_around, recording=recording)) as mock:
        auth = {"Authorization": f"Bearer {TOKEN}", "X-Talq-Signature": "t=1,v1=ab"}
        call = httpx.post(f"{mock.api_url}/agents/agent_1/call", json={"to": "+1234567890"}, headers=auth)
        httpx.post(
            f"{mock.api_url}/agents/agent_1/webhooks",
            json={"name": "n", "webhook_url": "http://127.0.0.1:9/x", "events": ["event_phone_call_ended"],
                  "webhook_secret": SECRET},
            headers=auth,
        )  # fmt: skip
        httpx.get(f"{mock.api_url}/calls?per_page=5", headers={"Authorization": "Basic abc"})
        httpx.get(f"{mock.url}/_mock/health")  # the admin API is no operation of the spec: not recorded
    path = tmp_path / "talq-record.json"
    recording.write(path)
    text = path.read_text(encoding="utf-8")
    assert TOKEN not in text
    assert SECRET not in text
    assert "t=1,v1=ab" not in text
    data = json.loads(text)
    assert data["format"] == "talq-record/1"
    assert data["operations"] == {"createWebhook": 1, "listCalls": 1, "makeCall": 1}
    made, created, listed = data["exchanges"]
    assert made["operation"] == "makeCall"
    assert made["request"]["path"] == "/api/v1/agents/agent_1/call"
    assert made["request"]["params"] == {"agent_id": "agent_1"}
    assert made["request"]["token"] == "bearer"
    assert made["request"]["body"] == {"to": "+1234567890"}
    assert made["response"]["status"] == 200
    assert made["response"]["code"] is None
    assert made["response"]["fields"]["/data/id"] == "string"
    assert made["response"]["ids"]["/data/id"] == call.json()["data"]["id"]
    assert created["request"]["body"]["webhook_secret"] == SCRUBBED
    assert (listed["request"]["token"], listed["response"]["status"], listed["response"]["code"]) == (
        "other",
        401,
        "INVALID_TOKEN",
    )
    assert listed["request"]["query"] == {"per_page": "5"}


def test_talq_mock_record_writes_the_file_when_it_stops(tmp_path: Path) -> None:
    port, path = free_port(), tmp_path / "record.json"
    with running(mock_command(port, "--record", str(path)), f"http://127.0.0.1:{port}/_mock/health"):
        answer = httpx.post(
            f"http://127.0.0.1:{port}/api/v1/agents/agent_1/call",
            json={"to": "+1234567890", "is_testing": True},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert answer.status_code == 200
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [exchange["operation"] for exchange in data["exchanges"]] == ["makeCall"]
    assert TOKEN not in path.read_text(encoding="utf-8")
