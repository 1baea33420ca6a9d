"""Signing webhook deliveries, and verifying them on the receiving side.

    X-Talq-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + raw body)>

To verify (any language): split the header on `,` into `t` and `v1`; compute HMAC-SHA256 keyed with
the webhook secret over the bytes `<t>.` followed by the raw request body (before any JSON parsing);
compare it with `v1` in constant time; reject when `t` is more than the tolerance (e.g. 300 s) away
from now. `verify_signature` below does exactly that.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Talq-Signature"
DEFAULT_TOLERANCE_SECONDS = 300


class SignatureError(ValueError):
    """The signature is missing, malformed, wrong or stale; the message says which."""


def compute(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The `X-Talq-Signature` header value for `body`, signed now (or at `timestamp`)."""
    moment = int(time.time()) if timestamp is None else timestamp
    return f"t={moment},v1={compute(secret, moment, body)}"


def verify_signature(
    secret: str,
    header: str | None,
    body: bytes,
    tolerance: float = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> int:
    """The signed timestamp when `header` signs `body` with `secret` recently enough; else SignatureError."""
    if not header:
        raise SignatureError(f"The {SIGNATURE_HEADER} header is missing.")
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        key, sep, value = item.strip().partition("=")
        if sep:
            parts.setdefault(key, []).append(value)
    stamps, signatures = parts.get("t", []), parts.get("v1", [])
    if len(stamps) != 1 or not stamps[0].isdigit() or not signatures:
        raise SignatureError(f"The {SIGNATURE_HEADER} header is not of the form t=<ts>,v1=<hex>.")
    timestamp = int(stamps[0])
    expected = compute(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise SignatureError("The signature does not match the body and the secret.")
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise SignatureError(f"The signature's timestamp is more than {tolerance} s away from now.")
    return timestamp
