"""examples/sdk_app.py: the whole app in at most 20 lines of user code, run against a live mock."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from talq_client import AuthenticatedClient, MakeCallRequest
from talq_client.api.calls import make_call
from talq_client.models import KnownWebhookEventName

from mock_server.testing import LiveMock
from mock_server.webhooks.receiver import Received, receiving
from tests.sdk.conftest import advance, subscribe

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "examples" / "sdk_app.py"
SECRET = "whsec_app"


def user_code_lines(path: Path) -> list[str]:
    """The lines of code: not blank, not a comment, not the module docstring."""
    source = path.read_text(encoding="utf-8")
    docstring_end = ast.parse(source).body[0].end_lineno or 0
    lines = source.splitlines()[docstring_end:]
    return [line for line in lines if line.strip() and not line.strip().startswith("#")]


def test_the_app_is_at_most_26_lines_on_talq_client_alone() -> None:
    lines = user_code_lines(APP)
    assert len(lines) <= 26, len(lines)  # 20 until it gained a campaign call and a webhook test
    imports = [line for line in lines if line.startswith(("import ", "from "))]
    assert imports == [
        "import sys",
        "from talq_client import AuthenticatedClient, MakeCallRequest, errors, webhooks",
        "from talq_client.api.calls import list_calls, make_call",
        "from talq_client.api.campaigns import make_campaign_call",
        "from talq_client.api.webhooks import test_webhook",
        "from talq_client.models import MakeCampaignCallRequest",
    ]


@dataclass(frozen=True)
class Delivered:
    received: Received  # a real signed delivery of a call event
    webhook_id: str  # the webhook it came through (its receiver still listens: Test Webhook reaches it)


@pytest.fixture
def delivery(mock: LiveMock) -> Iterator[Delivered]:
    """A real signed delivery of a call event, after 3 calls (so that 2 a page makes several pages)."""
    client = AuthenticatedClient(base_url=mock.api_url, token="talq_demo")
    with receiving() as receiver:
        webhook_id = subscribe(client, receiver.url, SECRET, KnownWebhookEventName.EVENT_PHONE_CALL_STARTED)
        for _ in range(3):
            make_call.sync_or_raise("agent_123456", client=client, body=MakeCallRequest(to="+1234567890"))
        advance(mock, 5)
        yield Delivered(receiver.wait_for(3)[0], webhook_id)


def run_app(
    mock: LiveMock, delivery: Delivered, token: str, agent: str, to: str
) -> subprocess.CompletedProcess[str]:
    signature = delivery.received.headers["x-talq-signature"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "generated")}  # as installed by `pip install ./generated`
    return subprocess.run(
        [
            sys.executable,
            str(APP),
            mock.api_url,
            token,
            agent,
            to,
            SECRET,
            signature,
            "campaign_demo",
            delivery.webhook_id,
        ],
        input=delivery.received.body.decode(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd="/",
        env=env,
    )


def test_the_app_places_a_call_lists_every_call_and_verifies_a_delivery(
    mock: LiveMock, delivery: Delivered
) -> None:
    result = run_app(mock, delivery, "talq_demo", "agent_123456", "+1234567890")
    assert result.returncode == 0, result.stderr
    call_line, campaign_line, calls_line, test_line, webhook_line = result.stdout.splitlines()
    assert re.fullmatch(r"call call_\w+ requests left: 95", call_line), call_line
    assert re.fullmatch(r"campaign call ccall_\w+ queued", campaign_line), campaign_line
    assert re.fullmatch(r"webhook test: 200 in \d+ ms", test_line), test_line
    listed = calls_line.split()[1:]
    assert len(listed) == 5 == len(set(listed))  # 3 pages of 2: 3 calls, the app's, its campaign call's
    assert call_line.split()[1] in listed
    assert re.fullmatch(r"webhook: event_phone_call_started of call call_\w+", webhook_line)
    assert webhook_line.split()[-1] in listed


@pytest.mark.parametrize(
    ("token", "agent", "to", "message"),
    [
        (
            "talq_demo",
            "agent_123456",
            "12345",
            "fix the request: The phone number must be in international format",
        ),
        ("talq_revoked", "agent_123456", "+1234567890", "check the token"),
        ("talq_no_credits", "agent_123456", "+1234567890", "top up the account"),
        ("talq_demo", "agent_missing", "+1234567890", "fix the request: No agent has this id."),
        ("talq_rate_limited", "agent_123456", "+1234567890", "rate limited until 20"),
    ],
    ids=["400", "401", "402", "404", "429"],
)
def test_the_app_handles_each_error(
    mock: LiveMock, delivery: Delivered, token: str, agent: str, to: str, message: str
) -> None:
    result = run_app(mock, delivery, token, agent, to)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(message), result.stderr
    assert "Traceback" not in result.stderr
