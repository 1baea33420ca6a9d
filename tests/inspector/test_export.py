"""What the inspector hands out: curl commands that a shell reads back, pytest tests that pass when
run with the `talq_mock` fixture and the SDK, and HAR that `check-traffic` reads."""

from __future__ import annotations

import json
import shlex

import httpx
import pytest

from mock_server.inspector.export import TOKEN_PLACEHOLDER, curl, har, pytest_test
from mock_server.inspector.model import InspectorModel
from mock_server.proxy.validate import Checker
from mock_server.testing import LiveMock
from mock_server.waiting import wait_until
from tests.inspector.conftest import AGENT, TOKEN

pytest_plugins = ["pytester"]
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TRICKY = {"to": "+1234567890", "payload": {"quote": 'it\'s "quoted" $HOME `x`'}, "webhook_secret": "s3"}


def exchanges(mock: LiveMock, count: int = 1) -> InspectorModel:
    """The mock's journal as the inspector reads it, once it holds `count` entries (the mock journals
    an exchange just after sending the answer, which a client may have read already)."""
    journal = mock.app.state.journal
    wait_until(lambda: len(journal.records()) >= count, what=f"{count} journalled exchange(s)")
    return InspectorModel(mock.app.state, lambda: Checker(mock.app.spec))


def test_curl_is_a_command_a_shell_reads_back_with_the_token_a_placeholder(mock: LiveMock) -> None:
    httpx.post(f"{mock.api_url}/agents/{AGENT}/call?__dynamic=false", headers=AUTH, json=TRICKY)
    (exchange,) = exchanges(mock).exchanges()
    words = shlex.split(curl(exchange, mock.url))
    assert words[:4] == ["curl", "-X", "POST", f"{mock.api_url}/agents/{AGENT}/call?__dynamic=false"]
    assert f"Authorization: Bearer {TOKEN_PLACEHOLDER}" in words
    body = json.loads(words[words.index("-d") + 1])
    assert body == {**TRICKY, "webhook_secret": "[redacted]"}


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [({"to": "+1234567890", "is_testing": True}, 200, ""), ({"to": "12"}, 400, "INVALID_PHONE_NUMBER")],
)
def test_the_pytest_copy_passes_with_the_fixture_and_the_sdk(
    mock: LiveMock, pytester: pytest.Pytester, body: dict[str, object], status: int, code: str
) -> None:
    httpx.post(f"{mock.api_url}/agents/{AGENT}/call", headers=AUTH, json=body)
    (exchange,) = exchanges(mock).exchanges()
    source = pytest_test(exchange, mock.app.spec.base_path)
    assert f"assert answer.status_code == {status}" in source
    assert (f"== {code!r}" in source) is bool(code)
    pytester.makepyfile(source)
    result = pytester.runpytest("-p", "mock_server.pytest_plugin", "-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_a_pytest_copy_of_a_changed_answer_fails(mock: LiveMock, pytester: pytest.Pytester) -> None:
    httpx.post(f"{mock.api_url}/agents/{AGENT}/call", headers=AUTH, json={"to": "12"})
    (exchange,) = exchanges(mock).exchanges()
    source = pytest_test(exchange, mock.app.spec.base_path)
    changed = source.replace('"to":"12"', '"to":"+1234567890"')  # the app's bug fixed: now a 200
    assert changed != source
    pytester.makepyfile(changed)
    result = pytester.runpytest("-p", "mock_server.pytest_plugin", "-q", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)


def test_har_entries_are_oldest_first_with_request_and_answer(mock: LiveMock) -> None:
    httpx.post(f"{mock.api_url}/agents/{AGENT}/call", headers=AUTH, json={"to": "+1234567890"})
    httpx.get(f"{mock.api_url}/calls?page=1", headers=AUTH)
    model = exchanges(mock, 2)
    log = har(model.exchanges(), mock.url)["log"]
    first, second = log["entries"]
    assert first["request"]["url"] == f"{mock.api_url}/agents/{AGENT}/call"
    assert json.loads(first["request"]["postData"]["text"]) == {"to": "+1234567890"}
    assert first["response"]["status"] == 200
    assert second["request"]["url"] == f"{mock.api_url}/calls?page=1"
    assert "postData" not in second["request"]
    assert {"name": "authorization", "value": "Bearer talq_de…"} in first["request"]["headers"]
