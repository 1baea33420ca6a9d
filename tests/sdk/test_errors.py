"""talq_client.errors: one exception per ErrorCode, raised by *_or_raise with everything the answer said."""

from __future__ import annotations

import datetime
import json
from http import HTTPStatus
from pathlib import Path
from typing import Any

import httpx
import pytest
from talq_client import AuthenticatedClient, MakeCallRequest, errors
from talq_client.api.agents import get_agent
from talq_client.api.calls import end_call, list_calls, make_call
from talq_client.api.webhooks import create_webhook, get_webhook
from talq_client.models import CreateWebhookRequest, EndCallRequest, ErrorCode, MakeCallResponse
from talq_client.types import Response

from contract_tests.oracle import contract, operation_ids
from mock_server.testing import LiveMock
from tests.sdk.conftest import scripted
from tools.generate_client import SPEC, generate_into

CALL = MakeCallRequest(to="+1234567890", is_testing=True)


def _client(mock: LiveMock, token: str = "talq_demo", **options: Any) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=mock.api_url, token=token, max_retries=0, **options)


def test_one_class_per_error_code_under_talq_error(spec: dict[str, Any]) -> None:
    codes = spec["components"]["schemas"]["ErrorCode"]["enum"]
    assert set(errors.ERRORS_BY_CODE) == set(codes) == {code.value for code in ErrorCode}
    classes = list(errors.ERRORS_BY_CODE.values())
    assert len(set(classes)) == len(codes)
    for code, error_class in errors.ERRORS_BY_CODE.items():
        assert issubclass(error_class, errors.TalqError)
        assert error_class.error_code is ErrorCode(code)
        assert error_class.__name__ in errors.__all__
    assert errors.ERRORS_BY_CODE["RATE_LIMIT_EXCEEDED"] is errors.RateLimitExceededError
    assert errors.ERRORS_BY_CODE["VALIDATION_ERROR"] is errors.ValidationError
    assert errors.ERRORS_BY_CODE["INVALID_PHONE_NUMBER"] is errors.InvalidPhoneNumberError


def test_a_new_code_in_the_spec_is_a_new_class_after_generating(tmp_path: Path) -> None:
    spec = tmp_path / "talq.yaml"
    text = SPEC.read_text(encoding="utf-8")
    assert text.count("        - RATE_LIMIT_EXCEEDED\n") == 1
    spec.write_text(
        text.replace(
            "        - RATE_LIMIT_EXCEEDED\n", "        - RATE_LIMIT_EXCEEDED\n        - CALL_GONE\n"
        )
    )
    generate_into(tmp_path / "generated", spec)
    generated = (tmp_path / "generated" / "talq_client" / "errors.py").read_text(encoding="utf-8")
    assert "class CallGoneError(TalqError):" in generated
    assert '"CALL_GONE": CallGoneError,' in generated


@pytest.mark.parametrize(
    ("token", "agent", "to", "error_class", "status"),
    [
        ("talq_demo", "agent_123456", "12345", errors.InvalidPhoneNumberError, 400),
        ("talq_demo", "agent_draft", "+1234567890", errors.AgentInactiveError, 400),
        ("talq_revoked", "agent_123456", "+1234567890", errors.InvalidTokenError, 401),
        ("talq_no_credits", "agent_123456", "+1234567890", errors.InsufficientCreditsError, 402),
        ("talq_demo", "agent_missing", "+1234567890", errors.AgentNotFoundError, 404),
        ("talq_rate_limited", "agent_123456", "+1234567890", errors.RateLimitExceededError, 429),
    ],
)
def test_make_call_errors_from_the_live_mock(
    mock: LiveMock, token: str, agent: str, to: str, error_class: type[errors.TalqError], status: int
) -> None:
    client = _client(mock, token)
    with pytest.raises(error_class) as raised:
        make_call.sync_or_raise(agent, client=client, body=MakeCallRequest(to=to))
    error = raised.value
    assert type(error) is error_class
    assert error.status == status
    assert error.code is error_class.error_code
    assert error.message == error.body["error"]["message"]
    assert error.message.endswith(".")
    assert error.details == error.body["error"].get("details", {})
    assert error.response is not None
    assert error.response.status_code == status
    assert error.rate_limit.limit == 100
    assert isinstance(error.rate_limit.reset, datetime.datetime)
    assert error.rate_limit.reset.tzinfo is datetime.UTC
    assert (error.rate_limit.retry_after is not None) == (status == 429)
    assert str(error).startswith(f"{status} {error.code}: ")


def test_the_other_codes_from_the_live_mock(mock: LiveMock) -> None:
    client = _client(mock)
    call = make_call.sync_or_raise("agent_123456", client=client, body=CALL)
    assert isinstance(call, MakeCallResponse)
    ended = end_call.sync_or_raise("agent_123456", client=client, body=EndCallRequest(call_sid=call.data.id))
    assert ended.data.ended_reason == "ended_by_api"
    with pytest.raises(errors.CallNotActiveError) as not_active:
        end_call.sync_or_raise("agent_123456", client=client, body=EndCallRequest(call_sid=call.data.id))
    assert isinstance(not_active.value, errors.Conflict)
    assert (not_active.value.status, not_active.value.message) == (409, "Call is not active")
    with pytest.raises(errors.NotFound) as no_call:  # End Call's page: {success: false, message}, no code
        end_call.sync_or_raise("agent_123456", client=client, body=EndCallRequest(call_sid="call_nope"))
    assert type(no_call.value) is errors.NotFound
    assert (no_call.value.code, no_call.value.message) == (None, "Call not found for this agent")
    with pytest.raises(errors.NotFound) as no_webhook:
        get_webhook.sync_or_raise("agent_123456", "wh_nope", client=client)
    assert no_webhook.value.message == "Webhook not found."
    with pytest.raises(errors.ValidationError) as invalid:
        list_calls.sync_or_raise(client=client, per_page=101)
    assert isinstance(invalid.value, errors.UnprocessableContent)
    assert invalid.value.status == 422
    assert invalid.value.details["fields"][0]["field"] == "per_page"
    assert list(invalid.value.errors) == ["per_page"]
    with pytest.raises(errors.UnprocessableContent) as unlisted_host:  # {message, errors}, no code
        create_webhook.sync_or_raise(
            "agent_123456",
            client=client,
            body=CreateWebhookRequest(
                name="x", webhook_url="https://example.com/x", events=["event_added_later"]
            ),
        )
    assert type(unlisted_host.value) is errors.UnprocessableContent
    assert list(unlisted_host.value.errors) == ["webhook_url"]
    assert unlisted_host.value.message == "The given data was invalid."
    forced = _client(mock, headers={"Prefer": "code=400, example=missing_phone_number"})
    with pytest.raises(errors.MissingPhoneNumberError):
        make_call.sync_or_raise("agent_123456", client=forced, body=CALL)


@pytest.mark.anyio
async def test_asyncio_or_raise_raises_the_same(mock: LiveMock) -> None:
    async with _client(mock, "talq_no_credits") as client:
        with pytest.raises(errors.InsufficientCreditsError):
            await make_call.asyncio_or_raise(
                "agent_123456", client=client, body=MakeCallRequest(to="+1234567890")
            )
        agent = await get_agent.asyncio_or_raise("agent_123456", client=client)
    assert agent.data.id == "agent_123456"


def test_a_problem_json_answer_is_an_unexpected_response(mock: LiveMock) -> None:
    client = _client(mock, headers={"Prefer": "code=599"})
    detailed = get_agent.sync_detailed("agent_123456", client=client)
    assert (detailed.status_code, detailed.parsed) == (404, None)
    with pytest.raises(errors.UnexpectedResponseError) as raised:
        get_agent.sync_or_raise("agent_123456", client=client)
    assert raised.value.status == 404
    assert raised.value.code is None
    assert raised.value.body["status"] == 404
    assert "599" in raised.value.message


ENVELOPE = {
    "success": False,
    "error": {"code": "SOMETHING_NEW", "message": "A new error.", "details": {"a": 1}},
}


@pytest.mark.parametrize(
    ("status", "content_type", "body", "error_class", "code"),
    [
        (400, "application/json", json.dumps(ENVELOPE).encode(), errors.TalqError, "SOMETHING_NEW"),
        (
            404,
            "application/problem+json",
            b'{"title": "Not Found", "status": 404}',
            errors.UnexpectedResponseError,
            None,
        ),
        (400, "text/html", b"<html>Bad Gateway</html>", errors.UnexpectedResponseError, None),
        (
            200,
            "application/json",
            b'{"success": true, "data": {"id": 1}}',
            errors.UnexpectedResponseError,
            None,
        ),
        (200, "application/json", b"[1, 2]", errors.UnexpectedResponseError, None),
        (418, "application/json", json.dumps(ENVELOPE).encode(), errors.TalqError, "SOMETHING_NEW"),
        (500, "text/plain", b"\xff\xfe not utf-8", errors.UnexpectedResponseError, None),
        (299, "application/json", b"{}", errors.UnexpectedResponseError, None),
    ],
    ids=[
        "unknown-code",
        "problem-json",
        "html",
        "bad-success",
        "array",
        "undeclared-status",
        "not-utf8",
        "odd-2xx",
    ],
)
def test_answers_outside_the_spec_raise_the_sdk_errors_not_parser_errors(
    status: int, content_type: str, body: bytes, error_class: type[errors.TalqError], code: str | None
) -> None:
    with scripted((status, {"content-type": content_type, "X-RateLimit-Limit": "7"}, body)) as server:
        client = AuthenticatedClient(base_url=server.url, token="talq_demo", max_retries=0)
        detailed = make_call.sync_detailed("agent_123456", client=client, body=CALL)
        assert detailed.status_code == status
        assert detailed.parsed is None
        with pytest.raises(errors.TalqError) as raised:
            make_call.sync_or_raise("agent_123456", client=client, body=CALL)
    error = raised.value
    assert type(error) is error_class
    assert (error.status, error.code) == (status, code)
    assert error.rate_limit.limit == 7
    assert error.body is not None
    if error.code is None:
        assert error.details == {}
    else:
        assert error.details == {"a": 1}
        assert error.message == "A new error."


def test_raise_on_unexpected_status_still_works() -> None:
    with scripted((418, {"content-type": "text/plain"}, b"teapot")) as server:
        client = AuthenticatedClient(
            base_url=server.url, token="talq_demo", max_retries=0, raise_on_unexpected_status=True
        )
        with pytest.raises(errors.UnexpectedStatus) as raised:
            get_agent.sync_detailed("agent_123456", client=client)
    assert raised.value.status_code == 418
    assert raised.value.content == b"teapot"


def test_the_transport_error_is_httpx_s() -> None:
    client = AuthenticatedClient(base_url="http://127.0.0.1:9/api/v1", token="talq_demo", max_retries=0)
    with pytest.raises(httpx.ConnectError):
        get_agent.sync_or_raise("agent_123456", client=client)


def test_the_error_tree_has_a_class_per_documented_status_and_each_code_under_its_statuses() -> None:
    """Read from the spec itself: every error status of every operation, and the codes it lists."""
    listed: dict[int, set[str]] = {}
    for operation_id in operation_ids():
        for status, response in contract(operation_id).responses.items():
            if status >= 400:
                listed.setdefault(status, set()).update(response.listed_codes)
    assert set(errors.ERRORS_BY_STATUS) == set(listed)
    for status, error_class in errors.ERRORS_BY_STATUS.items():
        assert issubclass(error_class, errors.TalqError)
        assert error_class.http_status == status
        assert not issubclass(error_class, errors.UnexpectedResponseError)
    for code, code_class in errors.ERRORS_BY_CODE.items():
        parents = {status for status, codes in listed.items() if code in codes}
        assert parents, f"{code} is listed under no status"
        assert {s for s, c in errors.ERRORS_BY_STATUS.items() if issubclass(code_class, c)} == parents
        assert code_class.error_code == code


@pytest.mark.parametrize(
    ("status", "body", "expected", "code", "field_errors"),
    [
        (
            404,
            {"success": False, "error": {"code": "AGENT_NOT_FOUND", "message": "m"}},
            "AgentNotFoundError",
            "AGENT_NOT_FOUND",
            {},
        ),
        (
            409,
            {"success": False, "message": "m", "code": "CALL_NOT_ACTIVE"},
            "CallNotActiveError",
            "CALL_NOT_ACTIVE",
            {},
        ),
        (404, {"success": False, "message": "m"}, "NotFound", None, {}),
        (401, {"message": "m"}, "Unauthorized", None, {}),
        (
            422,
            {"message": "m", "errors": {"events": ["a", "b"]}},
            "UnprocessableContent",
            None,
            {"events": ["a", "b"]},
        ),
        (
            422,
            {
                "success": False,
                "error": {
                    "code": "VALIDATION_ERROR",
                    "message": "m",
                    "details": {"fields": [{"field": "page", "message": "x"}]},
                },
            },
            "ValidationError",
            "VALIDATION_ERROR",
            {"page": ["x"]},
        ),
        (
            404,
            {"success": False, "error": {"code": "INVALID_PHONE_NUMBER", "message": "m"}},
            "NotFound",
            "INVALID_PHONE_NUMBER",
            {},
        ),  # a code not listed under the status: the status's class
    ],
)
def test_each_of_the_vendors_error_bodies_gives_its_class_with_message(
    status: int, body: dict[str, Any], expected: str, code: str | None, field_errors: dict[str, list[str]]
) -> None:
    error = errors.error_from_response(_answer(status, body))
    assert type(error).__name__ == expected
    assert (error.status, error.code, error.message, error.errors) == (status, code, "m", field_errors)


def test_a_body_in_none_of_the_forms_is_unexpected() -> None:
    for status, body in ((404, {"title": "Not Found", "detail": "x"}), (418, {"message": "m"}), (400, [1])):
        assert type(errors.error_from_response(_answer(status, body))) is errors.UnexpectedResponseError


def _answer(status: int, body: Any) -> Response[Any]:
    """A `Response` as `sync_detailed` gives it, for `body` answered with `status`."""
    raw = httpx.Response(status, json=body, request=httpx.Request("GET", "http://127.0.0.1/api/v1/calls"))
    return Response(
        status_code=HTTPStatus(status),
        content=raw.content,
        headers=raw.headers,
        parsed=None,
        http_response=raw,
    )
