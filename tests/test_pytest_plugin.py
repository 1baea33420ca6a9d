"""The talq_mock pytest plugin, through real inner pytest runs (pytester)."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]
PLUGIN = ("-p", "mock_server.pytest_plugin")


def run(pytester: pytest.Pytester, source: str, *arguments: str) -> pytest.RunResult:
    pytester.makepyfile(source)
    return pytester.runpytest(*PLUGIN, "-q", "-p", "no:cacheprovider", *arguments)


def test_the_fixture_serves_the_mock_with_a_token_and_a_client(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        import httpx
        from talq_client import AuthenticatedClient
        from talq_client.api.calls import make_call
        from talq_client.models import MakeCallRequest, MakeCallResponse

        def test_over_http(talq_mock):
            assert talq_mock.base_url.startswith("http://127.0.0.1:")
            assert talq_mock.base_url.endswith("/api/v1")
            answer = httpx.post(
                talq_mock.base_url + "/agents/agent_123456/call",
                json={"to": "+1234567890"},
                headers={"Authorization": f"Bearer {talq_mock.token}"},
            )
            assert answer.status_code == 200
            assert answer.json()["data"]["status"] == "initiated"

        def test_with_the_client(talq_mock):
            client = talq_mock.client()
            assert isinstance(client, AuthenticatedClient)
            response = make_call.sync_detailed(
                "agent_123456", client=client, body=MakeCallRequest(to="+1234567890")
            )
            assert response.status_code == 200
            assert isinstance(response.parsed, MakeCallResponse)
        """,
    )
    result.assert_outcomes(passed=2)


def test_state_is_reset_between_tests_and_the_journal_is_per_test(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        import httpx
        import pytest

        @pytest.mark.parametrize("n", range(3))
        @pytest.mark.talq_mock(rate_limit=2, default_credits=1)
        def test_each_starts_clean(talq_mock, n):
            assert talq_mock.requests() == []
            headers = {"Authorization": f"Bearer {talq_mock.token}"}
            url = talq_mock.base_url + "/agents/agent_123456/call"
            first = httpx.post(url, json={"to": "+1234567890"}, headers=headers)
            assert first.status_code == 200, first.text
            second = httpx.post(url, json={"to": "+1234567890"}, headers=headers)
            assert second.json()["error"]["code"] == "INSUFFICIENT_CREDITS"
            third = httpx.post(url, json={"to": "+1234567890"}, headers=headers)
            assert third.status_code == 429
            assert [entry["status"] for entry in talq_mock.requests()] == [200, 402, 429]
        """,
    )
    result.assert_outcomes(passed=3)


def test_the_marker_sets_strict_tokens_and_agents(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        import httpx
        import pytest

        pytestmark = pytest.mark.talq_mock(tokens={"talq_alice": 0, "talq_bob": 3})

        @pytest.mark.talq_mock(agents={"agent_live": "published", "agent_wip": "draft"})
        def test_strict(talq_mock):
            assert talq_mock.token == "talq_bob"  # a configured token with credits
            assert talq_mock.agent_id == "agent_live"
            def call(agent, token):
                return httpx.post(
                    f"{talq_mock.base_url}/agents/{agent}/call",
                    json={"to": "+1234567890"},
                    headers={"Authorization": f"Bearer {token}"},
                )
            assert call("agent_live", "talq_bob").status_code == 200
            assert call("agent_live", "talq_alice").json()["error"]["code"] == "INSUFFICIENT_CREDITS"
            assert call("agent_live", "talq_demo").json()["error"]["code"] == "INVALID_TOKEN"
            assert call("agent_wip", "talq_bob").json()["error"]["code"] == "AGENT_INACTIVE"
            assert call("agent_123456", "talq_bob").json()["error"]["code"] == "AGENT_NOT_FOUND"

        def test_module_marker_only(talq_mock):
            assert talq_mock.settings.tokens == {"talq_alice": 0, "talq_bob": 3}
            assert talq_mock.settings.agents is None
        """,
    )
    result.assert_outcomes(passed=2)


def test_the_clock_is_frozen_and_webhooks_reach_the_receiver(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        import json
        import httpx

        def test_lifecycle(talq_mock):
            headers = {"Authorization": f"Bearer {talq_mock.token}"}
            with talq_mock.webhook_receiver() as receiver:
                created = httpx.post(
                    talq_mock.base_url + "/agents/agent_123456/webhooks",
                    json={"name": "t", "webhook_url": receiver.url, "events": ["event_phone_call_ended"]},
                    headers=headers,
                )
                assert created.status_code == 201, created.text
                call = httpx.post(
                    talq_mock.base_url + "/agents/agent_123456/call",
                    json={"to": "+1234567890"}, headers=headers,
                ).json()["data"]
                calls = httpx.get(talq_mock.base_url + "/agents/agent_123456/calls", headers=headers).json()
                assert calls["data"][0]["status"] == "initiated"  # frozen: nothing moves by itself
                assert talq_mock.advance_clock(60)["events_emitted"] >= 1
                (delivery,) = receiver.wait_for(1)
                event = json.loads(delivery.body)
                assert (event["event"], event["call"]["id"]) == ("event_phone_call_ended", call["id"])
                (record,) = talq_mock.webhook_deliveries(call_id=call["id"])
                assert record["event"] == "event_phone_call_ended"
        """,
    )
    result.assert_outcomes(passed=1)


def test_a_wrong_marker_setting_is_a_usage_error_naming_it(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        import pytest

        @pytest.mark.talq_mock(rate_limt=5)
        def test_typo(talq_mock):
            pass
        """,
    )
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*@pytest.mark.talq_mock(...): *rate_limt*"])


def test_client_without_talq_client_says_what_to_install(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        import sys
        import pytest

        def test_no_client(talq_mock, monkeypatch):
            monkeypatch.setitem(sys.modules, "talq_client", None)  # as if it were not installed
            with pytest.raises(ImportError, match="pip install talq-client"):
                talq_mock.client()
        """,
    )
    result.assert_outcomes(passed=1)
