"""The generated client (generated/talq_client) speaks the spec's JSON, offline via MockTransport."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from talq_client import AuthenticatedClient
from talq_client.api.calls import make_call
from talq_client.models import CallStatus, ErrorCode, ErrorResponse, MakeCallRequest, MakeCallResponse

from mock_server.spec.document import dereference

OPERATION = ("/agents/{agent_id}/call", "post")
RATE_LIMIT_HEADERS = {
    "X-RateLimit-Limit": "100",
    "X-RateLimit-Remaining": "97",
    "X-RateLimit-Reset": "1705314660",
}


def _operation(spec: dict[str, Any]) -> dict[str, Any]:
    path, method = OPERATION
    operation: dict[str, Any] = dereference(spec, spec["paths"][path][method])
    return operation


def _response_examples(spec: dict[str, Any]) -> list[tuple[int, str, dict[str, Any]]]:
    return [
        (int(status), name, example["value"])
        for status, response in _operation(spec)["responses"].items()
        for name, example in response["content"]["application/json"]["examples"].items()
    ]


def _client_answering(status: int, body: dict[str, Any], seen: list[httpx.Request]) -> AuthenticatedClient:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, json=body, headers=RATE_LIMIT_HEADERS)

    client = AuthenticatedClient(base_url="http://talq.test/api/v1", token="talq_test", max_retries=0)
    client.set_httpx_client(
        httpx.Client(
            base_url="http://talq.test/api/v1",
            transport=httpx.MockTransport(handler),
            headers={"Authorization": "Bearer talq_test"},
        )
    )
    return client


def test_vendor_example_request_serialises_to_the_same_json(spec: dict[str, Any]) -> None:
    example = _operation(spec)["requestBody"]["content"]["application/json"]["examples"]["make_call"]["value"]
    request = MakeCallRequest.from_dict(example)
    assert request.to == "+1234567890"
    assert request.to_dict() == example


def test_unknown_request_fields_are_kept() -> None:
    request = MakeCallRequest.from_dict({"to": "+1234567890", "campaign_id": "c1"})
    assert request.to_dict()["campaign_id"] == "c1"


def test_every_documented_status_parses_into_its_model(spec: dict[str, Any]) -> None:
    cases = _response_examples(spec)
    assert {status for status, _, _ in cases} == {200, 400, 401, 402, 404, 408, 413, 429, 503}
    for status, name, body in cases:
        seen: list[httpx.Request] = []
        client = _client_answering(status, body, seen)
        response = make_call.sync_detailed(
            "agent_123456", client=client, body=MakeCallRequest(to="+1234567890")
        )
        assert response.status_code == status, name
        assert seen[0].url.path == "/api/v1/agents/agent_123456/call"
        assert seen[0].headers["Authorization"] == "Bearer talq_test"
        if status == 200:
            assert isinstance(response.parsed, MakeCallResponse), name
            assert response.parsed.success is True
            assert response.parsed.data.status is CallStatus.INITIATED
            assert response.parsed.data.id == body["data"]["id"]
        else:
            assert isinstance(response.parsed, ErrorResponse), name
            assert response.parsed.success is False
            assert response.parsed.error.code is ErrorCode(body["error"]["code"]), name
        limits = {name: int(response.headers[name]) for name in RATE_LIMIT_HEADERS}
        assert limits == {
            "X-RateLimit-Limit": 100,
            "X-RateLimit-Remaining": 97,
            "X-RateLimit-Reset": 1705314660,
        }


def test_an_unknown_error_code_is_refused_by_the_client() -> None:
    body = {"success": False, "error": {"code": "SOMETHING_NEW", "message": "?"}}
    with pytest.raises(ValueError, match="SOMETHING_NEW"):
        ErrorResponse.from_dict(body)
