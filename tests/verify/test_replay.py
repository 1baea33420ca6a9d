"""Replaying what tests relied on: examples/consumer's own recording (its tests run with
--talq-record) against the faithful fake and a drifted one; ids mapped; never a real call."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from mock_server.settings import Settings
from mock_server.spec.document import DEFAULT_SPEC, load_document
from mock_server.testing import serve
from mock_server.verify.cli import main
from mock_server.verify.recording import Recording, recording_around
from mock_server.verify.replay import _not_replayable
from test_support.fake_vendors import drifted, faithful, recording_vendor
from tests.verify.conftest import TOKEN, Run, verdicts

ROOT = Path(__file__).resolve().parents[2]
CONSUMER = ROOT / "examples" / "consumer"


@pytest.fixture(scope="module")
def consumer_recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/consumer's tests, run as they are with the plugin's --talq-record (but its rate-limit
    test: the client waits out the mock's Retry-After of 60 real seconds there; a recorded 429 is never
    replayed anyway, see test_what_cannot_be_replayed_says_why)."""
    path = tmp_path_factory.mktemp("consumer") / "talq-record.json"
    paths = [str(CONSUMER), str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "mock_server.pytest_plugin",
        "-q",
        "-p",
        "no:cacheprovider",
    ]
    done = subprocess.run(
        [*command, "--rootdir", str(CONSUMER), f"--talq-record={path}", str(CONSUMER / "tests"),
         "--deselect", "tests/test_reminders.py::test_the_rate_limit_is_refused"],
        cwd=CONSUMER, env=environment, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return path


def _replay(run_verify: Run, url: str, recording: Path) -> tuple[int, dict[str, Any]]:
    return run_verify(url, "--replay", str(recording), "--pace", "0", "--max-wait", "2")


def test_the_consumer_recording_is_by_operation_and_scrubbed(consumer_recording: Path) -> None:
    data = json.loads(consumer_recording.read_text(encoding="utf-8"))
    assert data["operations"]["makeCall"] >= 6
    assert data["operations"]["listAgentCalls"] == 1
    assert "Bearer talq" not in consumer_recording.read_text(encoding="utf-8")


def test_the_consumer_replay_is_clean_against_the_faithful_fake(
    run_verify: Run, consumer_recording: Path
) -> None:
    with faithful() as vendor:
        status, report = _replay(run_verify, vendor.api_url, consumer_recording)
    assert status == 0, [item["detail"] for item in report["items"] if item["verdict"] == "contradicted"]
    assert report["counts"]["confirmed"] >= 6
    reasons = {item["detail"] for item in report["items"] if item["verdict"] == "not probeable"}
    credits = "A real call refused for credits; replayed calls are test calls, which spend none."
    assert credits in reasons
    # anything else not replayed is a write the guard refuses (e.g. Test Webhook, once the spec has it)
    assert all(reason.startswith("Refused by verify's guard: ") for reason in reasons - {credits})


def test_the_consumer_replay_names_the_drift(run_verify: Run, consumer_recording: Path) -> None:
    with drifted("renamed-field") as vendor:
        status, report = _replay(run_verify, vendor.api_url, consumer_recording)
    assert status == 1
    contradicted = [item for item in report["items"] if item["verdict"] == "contradicted"]
    assert contradicted
    made = [item for item in report["items"] if item["pointer"].endswith("~1call/post/responses/200")]
    assert [item["verdict"] for item in made] == ["contradicted"] * len(made)
    assert contradicted == made  # Make a Call's successes, each once, and nothing else
    for item in contradicted:
        assert item["pointer"] == "#/paths/~1agents~1{agent_id}~1call/post/responses/200"
        assert "field /data/to: the mock sent it (string), the upstream did not" in item["detail"]
        assert "the spec does not allow the upstream's answer: /response/body/data/to" in item["detail"]


def _recorded(tmp_path: Path) -> Path:
    """A make-then-end exchange recorded on a mock with seed 1 (its ids differ from seed 2's)."""
    recording = Recording()
    with serve(Settings(seed=1), wrap=partial(recording_around, recording=recording)) as mock:
        auth = {"Authorization": "Bearer talq_demo"}
        made = httpx.post(f"{mock.api_url}/agents/agent_1/call", json={"to": "+15005550004"}, headers=auth)
        sid = made.json()["data"]["id"]
        ended = httpx.post(f"{mock.api_url}/agents/agent_1/end-call", json={"call_sid": sid}, headers=auth)
        assert ended.status_code == 200
    path = tmp_path / "record.json"
    recording.write(path)
    return path


def test_ids_an_earlier_answer_created_are_mapped_to_the_upstreams(run_verify: Run, tmp_path: Path) -> None:
    path = _recorded(tmp_path)
    with faithful(Settings(seed=2)) as vendor:
        status, report = _replay(run_verify, vendor.api_url, path)
    assert status == 0, report
    assert verdicts(report, "confirmed") == [
        "#/paths/~1agents~1{agent_id}~1call/post/responses/200",
        "#/paths/~1agents~1{agent_id}~1end-call/post/responses/200",
    ]
    assert 'sent with "is_testing": true' in report["items"][0]["detail"]


def test_a_replay_never_sends_a_call_without_is_testing(run_verify: Run, tmp_path: Path) -> None:
    path = _recorded(tmp_path)
    with recording_vendor() as vendor:
        _replay(run_verify, vendor.url, path)
        seen = list(vendor.requests)
    calls = [json.loads(body) for method, p, _, body in seen if p.endswith("/call")]
    assert calls == [{"to": "+15005550004", "is_testing": True}]
    assert all(headers.get("authorization") == f"Bearer {TOKEN}" for _, _, headers, _ in seen)


@pytest.mark.parametrize(
    ("request_", "response", "reason"),
    [
        ({"headers": {"prefer": "code=402"}}, {"status": 402}, "forced"),
        ({"query": {"__code": "404"}}, {"status": 404}, "forced"),
        ({}, {"status": 429}, "A 429 depends on the mock's limits"),
        ({"token": "bearer"}, {"status": 401}, "The recorded token was refused"),
        ({"body": {"to": "+1"}}, {"status": 402}, "A real call refused for credits"),
        ({"body": None, "raw_body": "[scrubbed]"}, {"status": 400}, "not JSON"),
    ],
)
def test_what_cannot_be_replayed_says_why(
    request_: dict[str, Any], response: dict[str, Any], reason: str
) -> None:
    exchange = {"operation": "makeCall", "request": request_, "response": response}
    found = _not_replayable(exchange, frozenset({"makeCall"}))
    assert found is not None
    assert reason in found
    assert _not_replayable({**exchange, "response": {"status": 200}, "request": {}}, frozenset()) is None


def test_a_replay_dry_run_lists_the_requests_and_sends_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _recorded(tmp_path)
    with recording_vendor() as vendor:
        status = main(["--upstream", vendor.url, "--replay", str(path), "--dry-run"], {})
        assert vendor.requests == []
    out = capsys.readouterr().out
    assert status == 0
    assert "2 requests planned" in out
    assert "--dry-run: POST {'agent_id': 'agent_1'}" in out


def test_a_recorded_webhook_is_not_created_where_the_spec_cannot_delete_it(
    run_verify: Run, tmp_path: Path
) -> None:
    recording = Recording()
    with serve(Settings(seed=1), wrap=partial(recording_around, recording=recording)) as mock:
        created = httpx.post(
            f"{mock.api_url}/agents/agent_1/webhooks",
            json={"name": "n", "webhook_url": "http://127.0.0.1:9/x", "events": ["event_phone_call_ended"]},
            headers={"Authorization": "Bearer talq_demo"},
        )
        assert created.status_code == 201
    path = tmp_path / "record.json"
    recording.write(path)
    document = load_document(DEFAULT_SPEC)  # the spec without any DELETE (as before issue 18 adds one)
    for item in document["paths"].values():
        item.pop("delete", None)
    spec = tmp_path / "talq.yaml"
    spec.write_text(yaml.safe_dump(document), encoding="utf-8")
    with recording_vendor() as vendor:
        status, report = run_verify(vendor.url, "--replay", str(path), "--pace", "0", "--spec", str(spec))
        assert vendor.requests == []
    assert status == 0
    (item,) = report["items"]
    assert item["verdict"] == "not probeable"
    assert "no operation to delete what this creates" in item["detail"]
