"""The pytest plugin of talq-mock (registered by the wheel: entry point `pytest11`): the `talq_mock` fixture.

    def test_places_a_call(talq_mock):
        answer = httpx.post(talq_mock.base_url + "/agents/agent_123456/call", json={"to": "+1234567890"},
                            headers={"Authorization": f"Bearer {talq_mock.token}"})
        assert answer.status_code == 200

    @pytest.mark.talq_mock(tokens={"talq_alice": 0}, agents={"agent_1": "published"}, rate_limit=5)
    def test_with_strict_settings(talq_mock): ...

The mock runs in this process, over real HTTP on a free port of 127.0.0.1, with its clock frozen
(`time_scale=0`: only `advance_clock` moves it). One server per distinct set of settings serves the
whole session; every test starts from a reset mock (no calls, full credits, fresh rate windows, no
API-registered webhooks, an empty journal, the clock back at its start). The marker takes any
`Settings` field (tokens, agents, default_credits, rate_limit, revoked_tokens, seed, ...).
`TalqMock` (`mock_server/fixture.py`) lists what a test gets.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from mock_server.fixture import MockServers, TalqMock

MARKER = "talq_mock"
RECORD_OPTION = "--talq-record"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("talq").addoption(
        RECORD_OPTION,
        metavar="FILE",
        default=None,
        help="write what the tests exchanged with the talq mock, by operation, secrets scrubbed, to FILE "
        "(for talq-mock verify --replay FILE)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**settings): settings of the talq_mock fixture for this test (any mock_server Settings "
        "field: tokens={'talq_a': 5}, agents={'agent_1': 'draft'}, default_credits=, rate_limit=, ...)",
    )


@pytest.fixture(scope="session")
def talq_mock_servers(pytestconfig: pytest.Config) -> Iterator[MockServers]:
    """The session's running mocks (one per distinct marker settings); `talq_mock` uses it."""
    # Imported here, on first use: loading the plugin must not load the mock (FastAPI, uvicorn, ...).
    from pathlib import Path  # noqa: PLC0415

    from mock_server.fixture import MockServers  # noqa: PLC0415

    record = pytestconfig.getoption(RECORD_OPTION)
    servers = MockServers(record=Path(record) if record else None)
    try:
        yield servers
    finally:
        servers.close()


@pytest.fixture
def talq_mock(request: pytest.FixtureRequest, talq_mock_servers: MockServers) -> Iterator[TalqMock]:
    """The Talq mock for this test: in-process on 127.0.0.1, clock frozen, state reset."""
    overrides: dict[str, Any] = {}
    for marker in reversed(list(request.node.iter_markers(MARKER))):  # the closest marker wins
        if marker.args:
            raise pytest.UsageError(f"@pytest.mark.{MARKER} takes keyword arguments (Settings fields) only.")
        overrides.update(marker.kwargs)
    mock = talq_mock_servers.mock(overrides)
    mock.reset()
    try:
        yield mock
    finally:
        mock.close_clients()


__all__ = ["MARKER", "RECORD_OPTION", "talq_mock", "talq_mock_servers"]
