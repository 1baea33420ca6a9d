"""What the HTTP tests of operations share: a live mock on 127.0.0.1 with its clock frozen (moved only by
`advance`) and quick webhook retries, and a client of it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
from talq_client import AuthenticatedClient

from mock_server.settings import Settings
from mock_server.testing import LiveMock, serve

FAST = Settings(time_scale=0, webhook_backoff_seconds=0.01, webhook_poll_seconds=0.01, seed=7)


@pytest.fixture
def mock() -> Iterator[LiveMock]:
    with serve(FAST) as live:
        yield live


@pytest.fixture
def client(mock: LiveMock) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=mock.api_url, token="talq_demo", timeout=httpx.Timeout(30))


@pytest.fixture
def advance(mock: LiveMock) -> Callable[[float], None]:
    """Move the mock clock by that many seconds (the admin API); due events go out at once."""

    def move(seconds: float) -> None:
        response = httpx.post(mock.url + "/_mock/clock/advance", json={"seconds": seconds})
        assert response.status_code == 200, response.text

    return move
