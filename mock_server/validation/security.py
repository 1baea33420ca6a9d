"""The bearer token check: the form Talq's environment tokens have, and revoked tokens."""

from __future__ import annotations

import re
from collections.abc import Callable

from mock_server.validation.violations import Violation

TOKEN_FORM = re.compile(r"^talq_[A-Za-z0-9_-]+$")
MAX_TOKEN_LENGTH = 512


def bearer_token(authorization: str | None, revoked: Callable[[str], bool]) -> str | Violation:
    """The token of a valid `Authorization: Bearer talq_...` header, or why it is refused."""
    if authorization is None:
        return Violation(
            ("request", "header", "authorization"), "missing", "Authorization header is missing."
        )
    scheme, _, token = authorization.partition(" ")
    if scheme != "Bearer":
        return Violation(
            ("request", "header", "authorization"), "scheme", "Authorization must be 'Bearer <token>'."
        )
    token = token.strip()
    if not token:
        return Violation(("request", "header", "authorization"), "empty", "The bearer token is empty.")
    if len(token) > MAX_TOKEN_LENGTH or not TOKEN_FORM.match(token):
        return Violation(
            ("request", "header", "authorization"),
            "format",
            "The token is not an environment token of the form talq_<letters, digits, _ or ->.",
        )
    if revoked(token):
        return Violation(("request", "header", "authorization"), "revoked", "The token has been revoked.")
    return token


def authenticate(
    authorization: str | None, known: Callable[[str], bool], revoked: Callable[[str], bool]
) -> str | Violation:
    """The token of a well-formed, unrevoked, known bearer token, or why it is refused (401)."""
    checked = bearer_token(authorization, revoked)
    if isinstance(checked, str) and not known(checked):
        return Violation(("request", "header", "authorization"), "unknown", "Unknown token.")
    return checked
