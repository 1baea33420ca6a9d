"""list_calls.iterate / list_agent_calls.iterate (and aiterate): every call over real pages, lazily."""

from __future__ import annotations

import itertools
from urllib.parse import parse_qs

import pytest
from talq_client import AuthenticatedClient, MakeCallRequest
from talq_client.api.calls import list_agent_calls, list_calls, make_call
from talq_client.models import CallStatus

from mock_server.testing import LiveMock
from tests.sdk.conftest import advance, journal


def _place(client: AuthenticatedClient, agent: str, count: int, to: str = "+1234567890") -> list[str]:
    return [
        make_call.sync_or_raise(agent, client=client, body=MakeCallRequest(to=to, is_testing=True)).data.id
        for _ in range(count)
    ]


def _list_queries(mock: LiveMock) -> list[dict[str, list[str]]]:
    return [parse_qs(str(entry["query"])) for entry in journal(mock) if entry["method"] == "GET"]


def test_every_call_over_several_pages(mock: LiveMock) -> None:
    client = AuthenticatedClient(base_url=mock.api_url, token="talq_demo")
    made = _place(client, "agent_a", 7)
    listed = [call.id for call in list_calls.iterate(client=client, per_page=3)]
    assert sorted(listed) == sorted(made)
    assert len(listed) == 7
    pages = _list_queries(mock)
    assert [query["page"] for query in pages] == [["1"], ["2"], ["3"]]
    assert all(query["per_page"] == ["3"] for query in pages)


def test_iteration_is_lazy(mock: LiveMock) -> None:
    client = AuthenticatedClient(base_url=mock.api_url, token="talq_demo")
    _place(client, "agent_a", 5)
    first_two = list(itertools.islice(list_calls.iterate(client=client, per_page=2), 2))
    assert len(first_two) == 2
    assert len(_list_queries(mock)) == 1


def test_filters_are_passed_through(mock: LiveMock) -> None:
    client = AuthenticatedClient(base_url=mock.api_url, token="talq_demo")
    mine = _place(client, "agent_a", 3)
    _place(client, "agent_b", 2)
    busy = _place(client, "agent_a", 2, to="+15005550001")  # busy after ringing
    advance(mock, 60)
    listed = list(list_agent_calls.iterate("agent_a", client=client, status=CallStatus.BUSY, per_page=1))
    assert sorted(call.id for call in listed) == sorted(busy)
    assert all(call.status is CallStatus.BUSY and "agent" not in call.to_dict() for call in listed)
    queries = _list_queries(mock)
    assert [query["page"] for query in queries] == [["1"], ["2"]]
    assert all(query["status"] == ["busy"] for query in queries)
    completed = list(list_calls.iterate(client=client, agent_id="agent_a", status=CallStatus.COMPLETED))
    assert sorted(call.id for call in completed) == sorted(mine)


def test_an_empty_list_is_one_request(mock: LiveMock) -> None:
    client = AuthenticatedClient(base_url=mock.api_url, token="talq_demo")
    assert list(list_calls.iterate(client=client)) == []
    assert len(_list_queries(mock)) == 1


@pytest.mark.anyio
async def test_async_iteration_matches_sync(mock: LiveMock) -> None:
    client = AuthenticatedClient(base_url=mock.api_url, token="talq_demo")
    made = _place(client, "agent_a", 5)
    async with client:
        listed = [call.id async for call in list_agent_calls.aiterate("agent_a", client=client, per_page=2)]
        everything = [call.id async for call in list_calls.aiterate(client=client, per_page=4)]
    assert sorted(listed) == sorted(made) == sorted(everything)
    assert listed == [call.id for call in list_calls.iterate(client=client, per_page=2)]
