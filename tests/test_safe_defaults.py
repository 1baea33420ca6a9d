"""Safe by default: loopback bind, a guarded admin API, constant-time token checks."""

from __future__ import annotations

import asyncio

import httpx

from mock_server.__main__ import exposure_warning
from mock_server.app import create_app
from mock_server.settings import Settings
from mock_server.state.directory import contains_constant_time


def _admin_status(settings: Settings, headers: dict[str, str] | None = None) -> int:
    async def ask() -> int:
        transport = httpx.ASGITransport(app=create_app(settings))
        async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
            answer = await client.get("/_mock/health", headers=headers or {})
            if answer.status_code == 403:
                assert answer.headers["content-type"] == "application/problem+json"
                assert "admin_token" in answer.json()["detail"]
            return answer.status_code

    return asyncio.run(ask())


def test_binds_to_loopback_by_default_and_warns_otherwise() -> None:
    assert Settings().host == "127.0.0.1"
    assert exposure_warning(Settings()) is None
    assert exposure_warning(Settings(host="localhost")) is None
    warning = exposure_warning(Settings(host="0.0.0.0"))
    assert warning is not None
    assert "beyond this machine" in warning
    assert "admin API (/_mock/) is off" in warning


def test_admin_api_is_open_on_loopback_only() -> None:
    assert _admin_status(Settings()) == 200
    assert _admin_status(Settings(host="0.0.0.0")) == 403


def test_admin_token_is_required_when_set() -> None:
    settings = Settings(host="0.0.0.0", admin_token="s3cret")
    assert _admin_status(settings) == 403
    assert _admin_status(settings, {"Authorization": "Bearer wrong"}) == 403
    assert _admin_status(settings, {"Authorization": "Bearer s3cret"}) == 200


def test_token_membership_is_checked_against_every_token() -> None:
    assert contains_constant_time("talq_b", ["talq_a", "talq_b", "talq_c"])
    assert not contains_constant_time("talq_d", ["talq_a", "talq_b"])
    assert not contains_constant_time("talq_a", [])
