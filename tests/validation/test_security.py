from __future__ import annotations

from collections.abc import Callable

import pytest

from mock_server.http import mask
from mock_server.validation.security import authenticate, bearer_token
from mock_server.validation.violations import Violation


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (None, "missing"),
        ("Basic abc", "scheme"),
        ("bearer talq_x", "scheme"),
        ("Bearer", "empty"),
        ("Bearer sk_live_1", "format"),
        ("Bearer talq_", "format"),
        ("Bearer talq_a b", "format"),
        ("Bearer talq_" + "a" * 600, "format"),
        ("Bearer talq_revoked", "revoked"),
    ],
)
def test_refused(header: str | None, code: str) -> None:
    result = bearer_token(header, {"talq_revoked"}.__contains__)
    assert isinstance(result, Violation)
    assert result.code == code
    assert result.location == ("request", "header", "authorization")


@pytest.mark.parametrize("token", ["talq_demo", "talq_A-b_9"])
def test_accepted(token: str) -> None:
    assert bearer_token(f"Bearer {token}", set().__contains__) == token


def test_mask_never_shows_the_whole_token() -> None:
    assert mask("talq_secret_value") == "talq_se…"
    assert mask("short") == "…"


def test_authenticate_adds_the_unknown_token_check() -> None:
    known = {"talq_known"}.__contains__
    never: Callable[[str], bool] = lambda _: False  # noqa: E731
    assert authenticate("Bearer talq_known", known, never) == "talq_known"
    unknown = authenticate("Bearer talq_other", known, never)
    assert isinstance(unknown, Violation)
    assert (unknown.location, unknown.code) == (("request", "header", "authorization"), "unknown")
    revoked = authenticate("Bearer talq_known", known, known)
    assert isinstance(revoked, Violation)
    assert revoked.code == "revoked"
    missing = authenticate(None, known, never)
    assert isinstance(missing, Violation)
    assert missing.code == "missing"
