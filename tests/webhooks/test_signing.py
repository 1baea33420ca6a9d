"""mock_server.webhooks.signing: the signature the mock sends and the recipe receivers use."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from mock_server.webhooks.signing import SignatureError, compute, sign, verify_signature

SECRET = "whsec_test"
BODY = b'{"id":"evt_1","event":"event_phone_call_started"}'
NOW = 1_705_314_600


def test_the_header_is_t_and_v1_over_timestamp_dot_body() -> None:
    header = sign(SECRET, BODY, timestamp=NOW)
    expected = hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert header == f"t={NOW},v1={expected}"
    assert compute(SECRET, NOW, BODY) == expected


def test_a_good_signature_verifies_and_gives_its_timestamp() -> None:
    header = sign(SECRET, BODY, timestamp=NOW)
    assert verify_signature(SECRET, header, BODY, tolerance=300, now=NOW + 299) == NOW


@pytest.mark.parametrize(
    ("secret", "header", "body", "now", "reason"),
    [
        (SECRET, sign(SECRET, BODY, NOW), BODY + b" ", NOW, "does not match"),
        ("whsec_other", sign(SECRET, BODY, NOW), BODY, NOW, "does not match"),
        (SECRET, sign(SECRET, BODY, NOW), BODY, NOW + 301, "away from now"),
        (SECRET, sign(SECRET, BODY, NOW), BODY, NOW - 301, "away from now"),
        (SECRET, None, BODY, NOW, "missing"),
        (SECRET, "", BODY, NOW, "missing"),
        (SECRET, "v1=abc", BODY, NOW, "not of the form"),
        (SECRET, f"t=abc,v1={compute(SECRET, NOW, BODY)}", BODY, NOW, "not of the form"),
        (SECRET, f"t={NOW}", BODY, NOW, "not of the form"),
        (SECRET, sign(SECRET, BODY, NOW).replace(f"t={NOW}", f"t={NOW + 1}"), BODY, NOW, "does not match"),
    ],
    ids=[
        "tampered-body",
        "wrong-secret",
        "stale",
        "future",
        "none",
        "empty",
        "no-t",
        "bad-t",
        "no-v1",
        "moved-t",
    ],
)
def test_bad_and_stale_signatures_are_rejected(
    secret: str, header: str | None, body: bytes, now: int, reason: str
) -> None:
    with pytest.raises(SignatureError, match=reason):
        verify_signature(secret, header, body, tolerance=300, now=now)


def test_one_good_v1_among_several_is_enough_for_secret_rotation() -> None:
    header = f"t={NOW},v1={'0' * 64},v1={compute(SECRET, NOW, BODY)}"
    assert verify_signature(SECRET, header, BODY, now=NOW) == NOW
