"""Verifying and parsing Talq webhook deliveries (hand-written; copied in by `make generate`).

    X-Talq-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + raw body)>

In a web handler, on the raw request body (before any JSON parsing):

    event = webhooks.construct_event(raw_body, request.headers.get("X-Talq-Signature"), secret)

`construct_event` verifies the signature (constant-time compare, `tolerance` seconds either side of
now, several `v1=` accepted for secret rotation) and parses the body into the typed `WebhookEvent`.
Each way a delivery can be refused is its own exception, all under `WebhookError`:
`MissingSignatureError`, `MalformedSignatureError`, `StaleSignatureError`, `InvalidSignatureError` (all
`SignatureVerificationError`) and `InvalidPayloadError` (a body that is not a `WebhookEvent`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from .models.webhook_event import WebhookEvent

__all__ = [
    "DEFAULT_TOLERANCE_SECONDS",
    "SIGNATURE_HEADER",
    "InvalidPayloadError",
    "InvalidSignatureError",
    "MalformedSignatureError",
    "MissingSignatureError",
    "SignatureVerificationError",
    "StaleSignatureError",
    "WebhookError",
    "compute_signature",
    "construct_event",
    "parse_event",
    "sign",
    "verify_signature",
]

SIGNATURE_HEADER = "X-Talq-Signature"
DEFAULT_TOLERANCE_SECONDS = 300


class WebhookError(Exception):
    """A webhook delivery was refused; answer it with a 400 (the sender retries it)."""


class SignatureVerificationError(WebhookError):
    """The delivery's signature does not prove it came from Talq."""


class MissingSignatureError(SignatureVerificationError):
    """There is no `X-Talq-Signature` header: the webhook has no secret, or the sender is not Talq."""


class MalformedSignatureError(SignatureVerificationError):
    """The header is not of the form `t=<unix seconds>,v1=<64 hex digits>`."""


class StaleSignatureError(SignatureVerificationError):
    """The signed timestamp is further from now than the tolerance: a replay, or a wrong clock."""

    def __init__(self, message: str, timestamp: int) -> None:
        super().__init__(message)
        self.timestamp = timestamp


class InvalidSignatureError(SignatureVerificationError):
    """No signature matches the body and the secret: a wrong secret, or a body changed on the way."""


class InvalidPayloadError(WebhookError):
    """The body is not a JSON `WebhookEvent`."""


def compute_signature(secret: str, timestamp: int, payload: bytes) -> str:
    """The hex HMAC-SHA256, keyed with `secret`, of `<timestamp>.` followed by `payload`."""
    signed = str(timestamp).encode() + b"." + payload
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """An `X-Talq-Signature` value for `payload`, signed now (or at `timestamp`): for tests of a receiver."""
    moment = int(time.time()) if timestamp is None else timestamp
    return f"t={moment},v1={compute_signature(secret, moment, payload)}"


def _parse_header(header: str) -> tuple[int, list[str]]:
    stamps: list[str] = []
    signatures: list[str] = []
    for item in header.split(","):
        key, sep, value = item.strip().partition("=")
        if sep and key == "t":
            stamps.append(value)
        elif sep and key == "v1":
            signatures.append(value)
    if (
        len(stamps) != 1
        or not stamps[0].isdigit()
        or len(stamps[0]) > 18
        or not signatures
    ):
        raise MalformedSignatureError(
            f"The {SIGNATURE_HEADER} header is not of the form t=<unix seconds>,v1=<hex HMAC-SHA256>:"
            f" {header[:100]!r}."
        )
    return int(stamps[0]), signatures


def verify_signature(
    payload: bytes,
    header: str | None,
    secret: str,
    *,
    tolerance: float = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> int:
    """The signed timestamp when `header` signs `payload` with `secret` within `tolerance` seconds of now.

    Raises MissingSignatureError, MalformedSignatureError, InvalidSignatureError or StaleSignatureError.
    """
    if not header:
        raise MissingSignatureError(
            f"The {SIGNATURE_HEADER} header is missing: is the webhook's secret set?"
        )
    timestamp, signatures = _parse_header(header)
    expected = compute_signature(secret, timestamp, payload)
    matches = [
        hmac.compare_digest(expected.encode(), candidate.encode("utf-8", "replace"))
        for candidate in signatures
    ]
    if not any(matches):
        raise InvalidSignatureError(
            "The signature does not match the body and the secret: check the webhook secret,"
            " and verify the raw body."
        )
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise StaleSignatureError(
            f"The signature's timestamp {timestamp} is more than {tolerance:g} s away from now"
            f" ({current:.0f}): a replayed delivery, or a clock out of sync.",
            timestamp,
        )
    return timestamp


def parse_event(payload: bytes | str) -> WebhookEvent:
    """The `WebhookEvent` in a delivery's body (no signature check: see `construct_event`)."""
    try:
        data = json.loads(payload)
        if not isinstance(data, dict):
            raise TypeError(f"a JSON {type(data).__name__}, not an object")
        return WebhookEvent.from_dict(data)
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise InvalidPayloadError(
            f"The delivery's body is not a Talq WebhookEvent: {error!s:.200}"
        ) from error


def construct_event(
    payload: bytes,
    header: str | None,
    secret: str,
    *,
    tolerance: float = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> WebhookEvent:
    """Verify the delivery's signature, then parse its body into the typed `WebhookEvent`."""
    verify_signature(payload, header, secret, tolerance=tolerance, now=now)
    return parse_event(payload)
