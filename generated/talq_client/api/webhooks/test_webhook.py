from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors, retries
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.failure_message import FailureMessage
from ...models.message_only import MessageOnly
from ...models.validation_failure import ValidationFailure
from ...models.webhook_test_response import WebhookTestResponse
from ...types import Response


def _get_kwargs(
    agent_id: str,
    webhook_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/agents/{agent_id}/webhooks/{webhook_id}/test".format(
            agent_id=quote(str(agent_id), safe=""),
            webhook_id=quote(str(webhook_id), safe=""),
        ),
    }

    return _kwargs


def _parse_documented(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    ErrorResponse
    | FailureMessage
    | MessageOnly
    | ValidationFailure
    | WebhookTestResponse
    | None
):
    if response.status_code == 200:
        response_200 = WebhookTestResponse.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = MessageOnly.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = FailureMessage.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = ValidationFailure.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if response.status_code == 502:
        response_502 = FailureMessage.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = ErrorResponse.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _status(code: int) -> HTTPStatus:
    try:
        return HTTPStatus(code)
    except ValueError:
        return cast(HTTPStatus, code)


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    ErrorResponse
    | FailureMessage
    | MessageOnly
    | ValidationFailure
    | WebhookTestResponse
    | None
):
    """The documented model of the answer, or None when the body does not match it (Talq: never raises)."""
    try:
        return _parse_documented(client=client, response=response)
    except errors.UnexpectedStatus:
        raise
    except (KeyError, ValueError, TypeError, AttributeError, IndexError, OverflowError):
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    ErrorResponse
    | FailureMessage
    | MessageOnly
    | ValidationFailure
    | WebhookTestResponse
]:
    return Response(
        status_code=_status(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
        http_response=response,
    )


def sync_detailed(
    agent_id: str,
    webhook_id: str,
    *,
    client: AuthenticatedClient | Client,
    max_retries: int | None = None,
) -> Response[
    ErrorResponse
    | FailureMessage
    | MessageOnly
    | ValidationFailure
    | WebhookTestResponse
]:
    """Test Webhook

     Sends one `webhook.test` payload (the top-level webhook `webhookTest`) to the webhook's URL now,
    signed like every delivery, and answers the receiver's status code and its response time in
    ms. The test is sent whether the webhook is enabled or not, is not retried, waits at most the
    webhook's `timeout`, and is listed by List Webhook Delivery Logs. A receiver that cannot be
    reached or does not answer in time gets 502 with the reason. The mock sends it only to a host
    of its allow-list.

    Args:
        agent_id (str):
        webhook_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | FailureMessage | MessageOnly | ValidationFailure | WebhookTestResponse]
    """

    kwargs = _get_kwargs(
        agent_id=agent_id,
        webhook_id=webhook_id,
    )

    response = retries.send(client, kwargs, max_retries)

    return _build_response(client=client, response=response)


def sync(
    agent_id: str,
    webhook_id: str,
    *,
    client: AuthenticatedClient | Client,
    max_retries: int | None = None,
) -> (
    ErrorResponse
    | FailureMessage
    | MessageOnly
    | ValidationFailure
    | WebhookTestResponse
    | None
):
    """Test Webhook

     Sends one `webhook.test` payload (the top-level webhook `webhookTest`) to the webhook's URL now,
    signed like every delivery, and answers the receiver's status code and its response time in
    ms. The test is sent whether the webhook is enabled or not, is not retried, waits at most the
    webhook's `timeout`, and is listed by List Webhook Delivery Logs. A receiver that cannot be
    reached or does not answer in time gets 502 with the reason. The mock sends it only to a host
    of its allow-list.

    Args:
        agent_id (str):
        webhook_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | FailureMessage | MessageOnly | ValidationFailure | WebhookTestResponse
    """

    return sync_detailed(
        agent_id=agent_id,
        webhook_id=webhook_id,
        client=client,
        max_retries=max_retries,
    ).parsed


async def asyncio_detailed(
    agent_id: str,
    webhook_id: str,
    *,
    client: AuthenticatedClient | Client,
    max_retries: int | None = None,
) -> Response[
    ErrorResponse
    | FailureMessage
    | MessageOnly
    | ValidationFailure
    | WebhookTestResponse
]:
    """Test Webhook

     Sends one `webhook.test` payload (the top-level webhook `webhookTest`) to the webhook's URL now,
    signed like every delivery, and answers the receiver's status code and its response time in
    ms. The test is sent whether the webhook is enabled or not, is not retried, waits at most the
    webhook's `timeout`, and is listed by List Webhook Delivery Logs. A receiver that cannot be
    reached or does not answer in time gets 502 with the reason. The mock sends it only to a host
    of its allow-list.

    Args:
        agent_id (str):
        webhook_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | FailureMessage | MessageOnly | ValidationFailure | WebhookTestResponse]
    """

    kwargs = _get_kwargs(
        agent_id=agent_id,
        webhook_id=webhook_id,
    )

    response = await retries.send_async(client, kwargs, max_retries)

    return _build_response(client=client, response=response)


async def asyncio(
    agent_id: str,
    webhook_id: str,
    *,
    client: AuthenticatedClient | Client,
    max_retries: int | None = None,
) -> (
    ErrorResponse
    | FailureMessage
    | MessageOnly
    | ValidationFailure
    | WebhookTestResponse
    | None
):
    """Test Webhook

     Sends one `webhook.test` payload (the top-level webhook `webhookTest`) to the webhook's URL now,
    signed like every delivery, and answers the receiver's status code and its response time in
    ms. The test is sent whether the webhook is enabled or not, is not retried, waits at most the
    webhook's `timeout`, and is listed by List Webhook Delivery Logs. A receiver that cannot be
    reached or does not answer in time gets 502 with the reason. The mock sends it only to a host
    of its allow-list.

    Args:
        agent_id (str):
        webhook_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | FailureMessage | MessageOnly | ValidationFailure | WebhookTestResponse
    """

    return (
        await asyncio_detailed(
            agent_id=agent_id,
            webhook_id=webhook_id,
            client=client,
            max_retries=max_retries,
        )
    ).parsed


def _unwrap(
    response: Response[
        ErrorResponse
        | FailureMessage
        | MessageOnly
        | ValidationFailure
        | WebhookTestResponse
    ],
) -> WebhookTestResponse:
    if (
        isinstance(response.parsed, WebhookTestResponse)
        and 200 <= response.status_code < 300
    ):
        return response.parsed
    raise errors.error_from_response(response)


def sync_or_raise(
    agent_id: str,
    webhook_id: str,
    *,
    client: AuthenticatedClient | Client,
    max_retries: int | None = None,
) -> WebhookTestResponse:
    """Test Webhook: the `WebhookTestResponse`, or raises.

    Raises:
        errors.TalqError: one subclass per error code (errors.RateLimitExceededError, ...), with the
            status, message, details and rate limit; errors.UnexpectedResponseError for an answer the
            spec does not document.
        httpx.TransportError: when the connection failed after the retries.
    """
    return _unwrap(
        sync_detailed(
            agent_id=agent_id,
            webhook_id=webhook_id,
            client=client,
            max_retries=max_retries,
        )
    )


async def asyncio_or_raise(
    agent_id: str,
    webhook_id: str,
    *,
    client: AuthenticatedClient | Client,
    max_retries: int | None = None,
) -> WebhookTestResponse:
    """`sync_or_raise`, async."""
    return _unwrap(
        await asyncio_detailed(
            agent_id=agent_id,
            webhook_id=webhook_id,
            client=client,
            max_retries=max_retries,
        )
    )
