"""Every Python block of generated/README.md runs, in order, against a live mock (base URL swapped)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from typing import Any

from talq_client import webhooks

from mock_server.testing import LiveMock
from mock_server.webhooks.receiver import receiving
from tests.sdk.conftest import advance

README = Path(__file__).resolve().parents[2] / "generated" / "README.md"
BASE_URL = "http://127.0.0.1:4010/api/v1"
WEBHOOK_URL = "http://127.0.0.1:8000/talq/events"


def test_every_python_block_runs_against_a_live_mock(mock: LiveMock) -> None:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 8
    for section in ("## Install", "## Authenticate", "## Operations", "## Errors", "## Retries"):
        assert section in text
    for section in ("## Rate limit", "## Pagination", "## Webhooks"):
        assert section in text
    assert "MyDataModel" not in text
    assert "api.example.com" not in text
    namespace: dict[str, Any] = {}
    output = io.StringIO()
    with receiving() as receiver, contextlib.redirect_stdout(output):
        for number, block in enumerate(blocks, 1):
            assert BASE_URL in block or "client" in block, block
            code = block.replace(BASE_URL, mock.api_url).replace(WEBHOOK_URL, receiver.url)
            exec(compile(code, f"generated/README.md block {number}", "exec"), namespace)  # noqa: S102
        # A real delivery of the webhook the README registers, through its handler.
        call = namespace["make_call"].sync_or_raise(
            "agent_123456", client=namespace["client"], body=namespace["MakeCallRequest"](to="+1234567890")
        )
        advance(mock, 60)
        delivery = receiver.wait_for(2)[0]
        handled = namespace["handle_delivery"](delivery.body, delivery.headers.get("x-talq-signature"))
        refused = namespace["handle_delivery"](delivery.body + b" ", delivery.headers.get("x-talq-signature"))
        unsigned = namespace["handle_delivery"](delivery.body, None)
    printed = output.getvalue()
    assert (handled, refused, unsigned) == (200, 400, 400)
    assert f"event_phone_call_started of call {call.data.id} ringing" in printed
    assert "refused: The signature does not match" in printed
    assert "refused: The X-Talq-Signature header is missing" in printed
    assert "agent Mock agent agent_123456 published" in printed
    assert f"{call.data.id} +1234567890 completed" not in printed  # placed after the listing
    assert re.search(r"^call_\w+ \+1234567890 completed$", printed, re.M)  # the listing: the ended call
    assert re.search(r"^call call_\w+ initiated$", printed, re.M)
    assert "ended ended_by_api" in printed
    assert "404 AGENT_NOT_FOUND No agent has this id." in printed
    assert re.search(r"^100 \d+ \d{4}-\d\d-\d\dT", printed, re.M)
    assert re.search(r"^\d+ calls of agent_123456$", printed, re.M)
    assert re.search(r"^webhook wh_\w+$", printed, re.M)
    assert namespace["patient"].max_retries == 5
    assert webhooks.SIGNATURE_HEADER == "X-Talq-Signature"
