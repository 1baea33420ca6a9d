from collections.abc import AsyncIterator, Iterator
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
from ...models.webhook_log import WebhookLog
from ...models.webhook_log_list_response import WebhookLogListResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    agent_id: str,
    webhook_id: str,
    *,
    per_page: int | Unset = 25,
    page: int | Unset = 1,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["per_page"] = per_page

    params["page"] = page

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/agents/{agent_id}/webhooks/{webhook_id}/logs".format(
            agent_id=quote(str(agent_id), safe=""),
            webhook_id=quote(str(webhook_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_documented(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    ErrorResponse
    | FailureMessage
    | MessageOnly
    | ValidationFailure
    | WebhookLogListResponse
    | None
):
    if response.status_code == 200:
        response_200 = WebhookLogListResponse.from_dict(response.json())

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
    | WebhookLogListResponse
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
    | WebhookLogListResponse
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
    per_page: int | Unset = 25,
    page: int | Unset = 1,
    max_retries: int | None = None,
) -> Response[
    ErrorResponse
    | FailureMessage
    | MessageOnly
    | ValidationFailure
    | WebhookLogListResponse
]:
    """List Webhook Delivery Logs

     Every delivery attempt to the webhook, newest first and paginated: retries and Test Webhook's
    attempts included, each with the HTTP status, the payload sent, the receiver's body (its first
    1,024 characters) and headers, and the duration.

    Args:
        agent_id (str):
        webhook_id (str):
        per_page (int | Unset):  Default: 25.
        page (int | Unset):  Default: 1.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | FailureMessage | MessageOnly | ValidationFailure | WebhookLogListResponse]
    """

    kwargs = _get_kwargs(
        agent_id=agent_id,
        webhook_id=webhook_id,
        per_page=per_page,
        page=page,
    )

    response = retries.send(client, kwargs, max_retries)

    return _build_response(client=client, response=response)


def sync(
    agent_id: str,
    webhook_id: str,
    *,
    client: AuthenticatedClient | Client,
    per_page: int | Unset = 25,
    page: int | Unset = 1,
    max_retries: int | None = None,
) -> (
    ErrorResponse
    | FailureMessage
    | MessageOnly
    | ValidationFailure
    | WebhookLogListResponse
    | None
):
    """List Webhook Delivery Logs

     Every delivery attempt to the webhook, newest first and paginated: retries and Test Webhook's
    attempts included, each with the HTTP status, the payload sent, the receiver's body (its first
    1,024 characters) and headers, and the duration.

    Args:
        agent_id (str):
        webhook_id (str):
        per_page (int | Unset):  Default: 25.
        page (int | Unset):  Default: 1.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | FailureMessage | MessageOnly | ValidationFailure | WebhookLogListResponse
    """

    return sync_detailed(
        agent_id=agent_id,
        webhook_id=webhook_id,
        client=client,
        per_page=per_page,
        page=page,
        max_retries=max_retries,
    ).parsed


async def asyncio_detailed(
    agent_id: str,
    webhook_id: str,
    *,
    client: AuthenticatedClient | Client,
    per_page: int | Unset = 25,
    page: int | Unset = 1,
    max_retries: int | None = None,
) -> Response[
    ErrorResponse
    | FailureMessage
    | MessageOnly
    | ValidationFailure
    | WebhookLogListResponse
]:
    """List Webhook Delivery Logs

     Every delivery attempt to the webhook, newest first and paginated: retries and Test Webhook's
    attempts included, each with the HTTP status, the payload sent, the receiver's body (its first
    1,024 characters) and headers, and the duration.

    Args:
        agent_id (str):
        webhook_id (str):
        per_page (int | Unset):  Default: 25.
        page (int | Unset):  Default: 1.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | FailureMessage | MessageOnly | ValidationFailure | WebhookLogListResponse]
    """

    kwargs = _get_kwargs(
        agent_id=agent_id,
        webhook_id=webhook_id,
        per_page=per_page,
        page=page,
    )

    response = await retries.send_async(client, kwargs, max_retries)

    return _build_response(client=client, response=response)


async def asyncio(
    agent_id: str,
    webhook_id: str,
    *,
    client: AuthenticatedClient | Client,
    per_page: int | Unset = 25,
    page: int | Unset = 1,
    max_retries: int | None = None,
) -> (
    ErrorResponse
    | FailureMessage
    | MessageOnly
    | ValidationFailure
    | WebhookLogListResponse
    | None
):
    """List Webhook Delivery Logs

     Every delivery attempt to the webhook, newest first and paginated: retries and Test Webhook's
    attempts included, each with the HTTP status, the payload sent, the receiver's body (its first
    1,024 characters) and headers, and the duration.

    Args:
        agent_id (str):
        webhook_id (str):
        per_page (int | Unset):  Default: 25.
        page (int | Unset):  Default: 1.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | FailureMessage | MessageOnly | ValidationFailure | WebhookLogListResponse
    """

    return (
        await asyncio_detailed(
            agent_id=agent_id,
            webhook_id=webhook_id,
            client=client,
            per_page=per_page,
            page=page,
            max_retries=max_retries,
        )
    ).parsed


def _unwrap(
    response: Response[
        ErrorResponse
        | FailureMessage
        | MessageOnly
        | ValidationFailure
        | WebhookLogListResponse
    ],
) -> WebhookLogListResponse:
    if (
        isinstance(response.parsed, WebhookLogListResponse)
        and 200 <= response.status_code < 300
    ):
        return response.parsed
    raise errors.error_from_response(response)


def sync_or_raise(
    agent_id: str,
    webhook_id: str,
    *,
    client: AuthenticatedClient | Client,
    per_page: int | Unset = 25,
    page: int | Unset = 1,
    max_retries: int | None = None,
) -> WebhookLogListResponse:
    """List Webhook Delivery Logs: the `WebhookLogListResponse`, or raises.

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
            per_page=per_page,
            page=page,
            max_retries=max_retries,
        )
    )


async def asyncio_or_raise(
    agent_id: str,
    webhook_id: str,
    *,
    client: AuthenticatedClient | Client,
    per_page: int | Unset = 25,
    page: int | Unset = 1,
    max_retries: int | None = None,
) -> WebhookLogListResponse:
    """`sync_or_raise`, async."""
    return _unwrap(
        await asyncio_detailed(
            agent_id=agent_id,
            webhook_id=webhook_id,
            client=client,
            per_page=per_page,
            page=page,
            max_retries=max_retries,
        )
    )


def iterate(
    agent_id: str,
    webhook_id: str,
    *,
    client: AuthenticatedClient | Client,
    per_page: int | Unset = 25,
    max_retries: int | None = None,
) -> Iterator[WebhookLog]:
    """Every item of every page, lazily: one request a page, from page 1 to `pagination.last_page`.

    The filters are those of `sync_or_raise`; errors raise as there.
    """
    page = 1
    while True:
        answer = sync_or_raise(
            agent_id=agent_id,
            webhook_id=webhook_id,
            client=client,
            per_page=per_page,
            page=page,
            max_retries=max_retries,
        )
        yield from answer.data
        if page >= answer.pagination.last_page or not answer.data:
            return
        page += 1


async def aiterate(
    agent_id: str,
    webhook_id: str,
    *,
    client: AuthenticatedClient | Client,
    per_page: int | Unset = 25,
    max_retries: int | None = None,
) -> AsyncIterator[WebhookLog]:
    """`iterate`, async: `async for call in aiterate(client=client): ...`."""
    page = 1
    while True:
        answer = await asyncio_or_raise(
            agent_id=agent_id,
            webhook_id=webhook_id,
            client=client,
            per_page=per_page,
            page=page,
            max_retries=max_retries,
        )
        for item in answer.data:
            yield item
        if page >= answer.pagination.last_page or not answer.data:
            return
        page += 1
