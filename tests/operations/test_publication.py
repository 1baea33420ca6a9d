"""Publish and Unpublish Agent over real HTTP: what Make a Call and Get Agent then answer."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from talq_client import AuthenticatedClient, MakeCallRequest
from talq_client.api.agents import get_agent, publish_agent, unpublish_agent
from talq_client.api.calls import get_active_call, make_call
from talq_client.models import (
    ActiveCallResponse,
    AgentCurrentStatus,
    AgentPublicationCurrentStatus,
    AgentPublicationResponse,
    ErrorCode,
    ErrorResponse,
    ValidationFailure,
)

from mock_server.testing import LiveMock

AGENT = "agent_123456"
LONG_CALL = "+15005550004"


def call_status(client: AuthenticatedClient, agent: str = AGENT) -> int:
    return make_call.sync_detailed(agent, client=client, body=MakeCallRequest(to="+1234567890")).status_code


def test_unpublish_blocks_new_calls_and_publish_allows_them_again(
    client: AuthenticatedClient, advance: Callable[[float], None]
) -> None:
    placed = make_call.sync_or_raise(AGENT, client=client, body=MakeCallRequest(to=LONG_CALL))
    advance(60)
    unpublished = unpublish_agent.sync_or_raise(AGENT, client=client)
    assert unpublished.message == "Agent unpublished successfully"
    assert unpublished.data.current_status is AgentPublicationCurrentStatus.DRAFT
    assert unpublished.data.updated_at.tzinfo is not None
    refused = make_call.sync_detailed(AGENT, client=client, body=MakeCallRequest(to="+1234567890"))
    assert refused.status_code == 400
    assert isinstance(refused.parsed, ErrorResponse)
    assert refused.parsed.error.code is ErrorCode.AGENT_INACTIVE
    agent = get_agent.sync_or_raise(AGENT, client=client).data
    assert agent.current_status is AgentCurrentStatus.DRAFT
    assert agent.updated_at == unpublished.data.updated_at
    # the call placed before goes on (the vendor: "active calls ... are not interrupted")
    still = get_active_call.sync_detailed(AGENT, LONG_CALL, client=client)
    assert still.status_code == 200
    assert isinstance(still.parsed, ActiveCallResponse)
    assert [item.id for item in still.parsed.data] == [placed.data.id]
    published = publish_agent.sync_or_raise(AGENT, client=client)
    assert published.data.current_status is AgentPublicationCurrentStatus.PUBLISHED
    assert published.data.is_ready_to_publish is True
    assert call_status(client) == 200


def test_a_draft_can_be_published_and_a_reset_forgets_it(mock: LiveMock, client: AuthenticatedClient) -> None:
    assert call_status(client, "agent_draft") == 400
    response = publish_agent.sync_detailed("agent_draft", client=client)
    assert response.status_code == 200
    assert isinstance(response.parsed, AgentPublicationResponse)
    assert call_status(client, "agent_draft") == 200
    assert httpx.post(mock.url + "/_mock/reset").status_code == 200
    assert call_status(client, "agent_draft") == 400


def test_an_agent_not_ready_is_refused_with_422_and_stays_a_draft(client: AuthenticatedClient) -> None:
    response = publish_agent.sync_detailed("agent_unready", client=client)
    assert response.status_code == 422
    assert isinstance(response.parsed, ValidationFailure)
    assert response.parsed.message == "The given data was invalid."
    assert "agent" in response.parsed.errors.additional_properties
    agent = get_agent.sync_or_raise("agent_unready", client=client).data
    assert agent.current_status is AgentCurrentStatus.DRAFT
    unpublished = unpublish_agent.sync_or_raise("agent_unready", client=client)
    assert unpublished.data.is_ready_to_publish is False


def test_an_unknown_agent_is_404_and_no_token_401(mock: LiveMock, client: AuthenticatedClient) -> None:
    for operation in (publish_agent, unpublish_agent):
        missing = operation.sync_detailed("agent_missing", client=client)
        assert missing.status_code == 404
        assert isinstance(missing.parsed, ErrorResponse)
        assert missing.parsed.error.code is ErrorCode.AGENT_NOT_FOUND
    assert httpx.post(f"{mock.api_url}/agents/{AGENT}/publish").status_code == 401
