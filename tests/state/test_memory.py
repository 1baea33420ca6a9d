"""state.memory: the in-memory store behind the seam, through a real server on 127.0.0.1."""

from __future__ import annotations

import httpx

from mock_server.settings import Settings
from mock_server.testing import serve

AUTH = {"Authorization": "Bearer talq_demo"}
CALL = "/agents/agent_123456/call"


def test_the_in_memory_store_has_one_namespace_and_refuses_a_request_that_names_another() -> None:
    with serve(Settings(namespace="ci-7")) as mock, httpx.Client(timeout=5) as client:
        own = client.post(
            mock.api_url + CALL, json={"to": "+1234567890"}, headers=AUTH | {"X-Talq-Namespace": "ci-7"}
        )
        assert own.status_code == 200, own.text
        other = client.post(
            mock.api_url + CALL, json={"to": "+1234567890"}, headers=AUTH | {"X-Talq-Namespace": "ci-8"}
        )
        assert other.status_code == 400
        assert other.headers["content-type"].startswith("application/problem+json")
        problem = other.json()
        assert problem["type"].endswith("#INVALID_NAMESPACE")
        assert "--store redis://" in problem["detail"]
        assert "'ci-7'" in problem["detail"]
        reset = client.post(mock.url + "/_mock/reset", headers={"X-Talq-Namespace": "ci-8"})
        assert reset.status_code == 400, reset.text
        assert "--store redis://" in reset.text
        listed = client.get(mock.api_url + "/calls", headers=AUTH)
        assert [row["id"] for row in listed.json()["data"]] == [own.json()["data"]["id"]]  # nothing reset
