"""The lean http:// transport: keep-alive reuse, the in-flight cap, and no connection left behind when
the proxy's timeout cancels an exchange."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from mock_server.proxy.upstream import Http11Transport
from tests.proxy.conftest import AUTH, MAKE_CALL
from tests.proxy.drift import DRIFTS, LiveUpstream, drifted_upstream


@pytest.fixture(scope="module")
def upstream() -> Iterator[LiveUpstream]:
    with drifted_upstream() as live:
        yield live


def request(upstream: LiveUpstream, agent: str) -> httpx.Request:
    return httpx.Request("POST", f"{upstream.url}/agents/{agent}/call", json=MAKE_CALL, headers=AUTH)


async def fetch(transport: Http11Transport, outgoing: httpx.Request) -> tuple[int, bytes]:
    response = await transport.handle_async_request(outgoing)
    try:
        return response.status_code, b"".join([chunk async for chunk in response.stream])  # type: ignore[union-attr]
    finally:
        await response.aclose()


def test_one_connection_serves_exchange_after_exchange(upstream: LiveUpstream) -> None:
    async def run() -> int:
        transport = Http11Transport()
        for agent in ("clean", "teapot", "chunked", "clean"):
            status, body = await fetch(transport, request(upstream, agent))
            assert (status, body) == (DRIFTS[agent].status, DRIFTS[agent].body)
        opened = len(transport._open)
        await transport.aclose()
        return opened

    assert asyncio.run(run()) == 1


def test_a_cancelled_exchange_leaves_no_connection_and_no_slot(upstream: LiveUpstream) -> None:
    async def run() -> tuple[int, int]:
        transport = Http11Transport(max_connections=1)
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.3):
                await fetch(transport, request(upstream, "slow"))
        status, _ = await fetch(transport, request(upstream, "clean"))  # the one slot is free again
        opened = len(transport._open)
        await transport.aclose()
        return status, opened

    assert asyncio.run(run()) == (200, 1)


def test_a_refused_connection_is_httpx_connect_error() -> None:
    async def run() -> None:
        transport = Http11Transport()
        with pytest.raises(httpx.ConnectError):
            await transport.handle_async_request(httpx.Request("GET", "http://127.0.0.1:1/calls"))

    asyncio.run(run())
