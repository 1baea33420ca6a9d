"""talq_client.webhooks: the verifier and parser against the mock signer, real deliveries, the test vector."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from talq_client import AuthenticatedClient, MakeCallRequest, WebhookEvent, webhooks
from talq_client.api.calls import make_call
from talq_client.models import KnownWebhookEventName

from mock_server.testing import LiveMock
from mock_server.webhooks import signing
from mock_server.webhooks.receiver import receiving
from tests.sdk.conftest import advance, subscribe

README = Path(__file__).resolve().parents[2] / "README.md"
SECRET = "whsec_test"
BODY = b'{"id":"evt_1","event":"event_phone_call_started"}'
NOW = 1_705_314_600


def _vector() -> dict[str, str]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("#### Webhook signature test vector") :]
    rows = dict(
        re.findall(r"^\| (secret|timestamp|body|X-Talq-Signature)\b[^|]*\| `([^`]*)` \|$", section, re.M)
    )
    assert set(rows) == {"secret", "timestamp", "body", "X-Talq-Signature"}
    return rows


def test_the_readme_test_vector_holds_for_the_mock_and_the_client() -> None:
    vector = _vector()
    body, secret, timestamp = vector["body"].encode(), vector["secret"], int(vector["timestamp"])
    assert signing.sign(secret, body, timestamp) == vector["X-Talq-Signature"]
    assert webhooks.sign(body, secret, timestamp) == vector["X-Talq-Signature"]
    assert webhooks.verify_signature(body, vector["X-Talq-Signature"], secret, now=timestamp) == timestamp
    assert signing.verify_signature(secret, vector["X-Talq-Signature"], body, now=timestamp) == timestamp


@pytest.mark.parametrize("timestamp", [0, NOW, 2**40])
def test_the_mock_signer_and_the_client_verifier_agree(timestamp: int) -> None:
    header = signing.sign(SECRET, BODY, timestamp)
    assert webhooks.verify_signature(BODY, header, SECRET, now=timestamp) == timestamp
    assert webhooks.sign(BODY, SECRET, timestamp) == header
    assert (
        signing.verify_signature(SECRET, webhooks.sign(BODY, SECRET, timestamp), BODY, now=timestamp)
        == timestamp
    )


@pytest.mark.parametrize(
    ("header", "body", "secret", "now", "error"),
    [
        (None, BODY, SECRET, NOW, webhooks.MissingSignatureError),
        ("", BODY, SECRET, NOW, webhooks.MissingSignatureError),
        ("v1=abc", BODY, SECRET, NOW, webhooks.MalformedSignatureError),
        (f"t=abc,v1={'0' * 64}", BODY, SECRET, NOW, webhooks.MalformedSignatureError),
        (f"t={NOW}", BODY, SECRET, NOW, webhooks.MalformedSignatureError),
        (f"t={NOW},t={NOW},v1={'0' * 64}", BODY, SECRET, NOW, webhooks.MalformedSignatureError),
        (signing.sign(SECRET, BODY, NOW), BODY + b" ", SECRET, NOW, webhooks.InvalidSignatureError),
        (signing.sign(SECRET, BODY, NOW), BODY, "whsec_other", NOW, webhooks.InvalidSignatureError),
        (f"t={NOW},v1=zz\u00e9", BODY, SECRET, NOW, webhooks.InvalidSignatureError),
        (signing.sign(SECRET, BODY, NOW), BODY, SECRET, NOW + 301, webhooks.StaleSignatureError),
        (signing.sign(SECRET, BODY, NOW), BODY, SECRET, NOW - 301, webhooks.StaleSignatureError),
    ],
    ids=[
        "none",
        "empty",
        "no-t",
        "bad-t",
        "no-v1",
        "two-t",
        "tampered",
        "wrong-secret",
        "not-hex",
        "stale",
        "future",
    ],
)
def test_each_refusal_has_its_own_error(
    header: str | None, body: bytes, secret: str, now: int, error: type[webhooks.SignatureVerificationError]
) -> None:
    with pytest.raises(error) as raised:
        webhooks.verify_signature(body, header, secret, tolerance=300, now=now)
    assert type(raised.value) is error
    assert isinstance(raised.value, webhooks.WebhookError)
    with pytest.raises(error):
        webhooks.construct_event(body, header, secret, tolerance=300, now=now)


def test_a_stale_error_says_which_timestamp_and_rotation_is_accepted() -> None:
    with pytest.raises(webhooks.StaleSignatureError) as raised:
        webhooks.verify_signature(BODY, signing.sign(SECRET, BODY, NOW), SECRET, now=NOW + 1000)
    assert raised.value.timestamp == NOW
    rotated = f"t={NOW},v1={'0' * 64},v1={signing.compute(SECRET, NOW, BODY)}"
    assert webhooks.verify_signature(BODY, rotated, SECRET, now=NOW) == NOW


@pytest.mark.parametrize("body", [b"not json", b"[]", b"{}", b'{"id": "evt_1"}', b"\xff"])
def test_a_body_that_is_not_an_event_is_an_invalid_payload(body: bytes) -> None:
    with pytest.raises(webhooks.InvalidPayloadError):
        webhooks.parse_event(body)
    with pytest.raises(webhooks.InvalidPayloadError):
        webhooks.construct_event(body, webhooks.sign(body, SECRET, NOW), SECRET, now=NOW)


def test_real_signed_deliveries_verify_and_parse(mock: LiveMock) -> None:
    client = AuthenticatedClient(base_url=mock.api_url, token="talq_demo")
    with receiving() as receiver:
        subscribe(
            client,
            receiver.url,
            SECRET,
            KnownWebhookEventName.EVENT_PHONE_CALL_STARTED,
            KnownWebhookEventName.EVENT_PHONE_CALL_CONNECTED,
        )
        call = make_call.sync_or_raise(
            "agent_123456",
            client=client,
            body=MakeCallRequest.from_dict({"to": "+1234567890", "context": {"crm_id": "42"}}),
        )
        advance(mock, 10)
        deliveries = receiver.wait_for(2)
    events = [
        webhooks.construct_event(item.body, item.headers.get("x-talq-signature"), SECRET)
        for item in deliveries
    ]
    assert all(isinstance(event, WebhookEvent) for event in events)
    assert [event.event for event in events] == [
        KnownWebhookEventName.EVENT_PHONE_CALL_STARTED,
        KnownWebhookEventName.EVENT_PHONE_CALL_CONNECTED,
    ]
    assert {event.call.id for event in events} == {call.data.id}
    assert events[0].context.additional_properties == {"crm_id": "42"}
    with pytest.raises(webhooks.InvalidSignatureError):
        webhooks.construct_event(deliveries[0].body, deliveries[0].headers["x-talq-signature"], "whsec_wrong")


def test_the_readme_handler_accepts_a_mock_signed_event_and_refuses_a_bad_one(spec: dict[str, Any]) -> None:
    text = README.read_text(encoding="utf-8")
    [block] = [
        block for block in re.findall(r"```python\n(.*?)```", text, flags=re.S) if "def on_delivery" in block
    ]
    namespace: dict[str, Any] = {}
    exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102
    example = spec["webhooks"]["callEvent"]["post"]["requestBody"]["content"]["application/json"]["examples"]
    body = json.dumps(example["call_connected"]["value"]).encode()
    header = signing.sign(SECRET, body)
    assert namespace["on_delivery"](body, header, SECRET) == 200
    assert namespace["on_delivery"](body, header, "whsec_other") == 400
    assert namespace["on_delivery"](body, None, SECRET) == 400
    assert namespace["on_delivery"](b"{}", signing.sign(SECRET, b"{}"), SECRET) == 400
