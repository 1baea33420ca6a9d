import datetime
from collections.abc import AsyncIterator, Iterator
from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors, retries
from ...client import AuthenticatedClient, Client
from ...models.call_direction import CallDirection
from ...models.call_list_item import CallListItem
from ...models.call_list_response import CallListResponse
from ...models.call_status import CallStatus
from ...models.error_response import ErrorResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: CallStatus | Unset = UNSET,
    direction: CallDirection | Unset = UNSET,
    agent_id: str | Unset = UNSET,
    date_from: datetime.date | Unset = UNSET,
    date_to: datetime.date | Unset = UNSET,
    search: str | Unset = UNSET,
    per_page: int | Unset = 20,
    page: int | Unset = 1,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    json_direction: str | Unset = UNSET
    if not isinstance(direction, Unset):
        json_direction = direction.value

    params["direction"] = json_direction

    params["agent_id"] = agent_id

    json_date_from: str | Unset = UNSET
    if not isinstance(date_from, Unset):
        json_date_from = date_from.isoformat()
    params["date_from"] = json_date_from

    json_date_to: str | Unset = UNSET
    if not isinstance(date_to, Unset):
        json_date_to = date_to.isoformat()
    params["date_to"] = json_date_to

    params["search"] = search

    params["per_page"] = per_page

    params["page"] = page

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/calls",
        "params": params,
    }

    return _kwargs


def _parse_documented(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CallListResponse | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = CallListResponse.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 422:
        response_422 = ErrorResponse.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

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
) -> CallListResponse | ErrorResponse | None:
    """The documented model of the answer, or None when the body does not match it (Talq: never raises)."""
    try:
        return _parse_documented(client=client, response=response)
    except errors.UnexpectedStatus:
        raise
    except (KeyError, ValueError, TypeError, AttributeError, IndexError, OverflowError):
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CallListResponse | ErrorResponse]:
    return Response(
        status_code=_status(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
        http_response=response,
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    status: CallStatus | Unset = UNSET,
    direction: CallDirection | Unset = UNSET,
    agent_id: str | Unset = UNSET,
    date_from: datetime.date | Unset = UNSET,
    date_to: datetime.date | Unset = UNSET,
    search: str | Unset = UNSET,
    per_page: int | Unset = 20,
    page: int | Unset = 1,
    max_retries: int | None = None,
) -> Response[CallListResponse | ErrorResponse]:
    """List Calls

     The account's calls, newest first, each with its current status and its agent, filtered by the
    query and paginated (`per_page` calls a page, default 20, at most 100).

    Args:
        status (CallStatus | Unset): Where the call is in its lifecycle. A new call is
            `initiated`.
        direction (CallDirection | Unset): Whether the agent placed the call (`outbound`) or
            received it (`inbound`).
        agent_id (str | Unset):
        date_from (datetime.date | Unset):
        date_to (datetime.date | Unset):
        search (str | Unset):
        per_page (int | Unset):  Default: 20.
        page (int | Unset):  Default: 1.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CallListResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        status=status,
        direction=direction,
        agent_id=agent_id,
        date_from=date_from,
        date_to=date_to,
        search=search,
        per_page=per_page,
        page=page,
    )

    response = retries.send(client, kwargs, max_retries)

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    status: CallStatus | Unset = UNSET,
    direction: CallDirection | Unset = UNSET,
    agent_id: str | Unset = UNSET,
    date_from: datetime.date | Unset = UNSET,
    date_to: datetime.date | Unset = UNSET,
    search: str | Unset = UNSET,
    per_page: int | Unset = 20,
    page: int | Unset = 1,
    max_retries: int | None = None,
) -> CallListResponse | ErrorResponse | None:
    """List Calls

     The account's calls, newest first, each with its current status and its agent, filtered by the
    query and paginated (`per_page` calls a page, default 20, at most 100).

    Args:
        status (CallStatus | Unset): Where the call is in its lifecycle. A new call is
            `initiated`.
        direction (CallDirection | Unset): Whether the agent placed the call (`outbound`) or
            received it (`inbound`).
        agent_id (str | Unset):
        date_from (datetime.date | Unset):
        date_to (datetime.date | Unset):
        search (str | Unset):
        per_page (int | Unset):  Default: 20.
        page (int | Unset):  Default: 1.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CallListResponse | ErrorResponse
    """

    return sync_detailed(
        client=client,
        status=status,
        direction=direction,
        agent_id=agent_id,
        date_from=date_from,
        date_to=date_to,
        search=search,
        per_page=per_page,
        page=page,
        max_retries=max_retries,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    status: CallStatus | Unset = UNSET,
    direction: CallDirection | Unset = UNSET,
    agent_id: str | Unset = UNSET,
    date_from: datetime.date | Unset = UNSET,
    date_to: datetime.date | Unset = UNSET,
    search: str | Unset = UNSET,
    per_page: int | Unset = 20,
    page: int | Unset = 1,
    max_retries: int | None = None,
) -> Response[CallListResponse | ErrorResponse]:
    """List Calls

     The account's calls, newest first, each with its current status and its agent, filtered by the
    query and paginated (`per_page` calls a page, default 20, at most 100).

    Args:
        status (CallStatus | Unset): Where the call is in its lifecycle. A new call is
            `initiated`.
        direction (CallDirection | Unset): Whether the agent placed the call (`outbound`) or
            received it (`inbound`).
        agent_id (str | Unset):
        date_from (datetime.date | Unset):
        date_to (datetime.date | Unset):
        search (str | Unset):
        per_page (int | Unset):  Default: 20.
        page (int | Unset):  Default: 1.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CallListResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        status=status,
        direction=direction,
        agent_id=agent_id,
        date_from=date_from,
        date_to=date_to,
        search=search,
        per_page=per_page,
        page=page,
    )

    response = await retries.send_async(client, kwargs, max_retries)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    status: CallStatus | Unset = UNSET,
    direction: CallDirection | Unset = UNSET,
    agent_id: str | Unset = UNSET,
    date_from: datetime.date | Unset = UNSET,
    date_to: datetime.date | Unset = UNSET,
    search: str | Unset = UNSET,
    per_page: int | Unset = 20,
    page: int | Unset = 1,
    max_retries: int | None = None,
) -> CallListResponse | ErrorResponse | None:
    """List Calls

     The account's calls, newest first, each with its current status and its agent, filtered by the
    query and paginated (`per_page` calls a page, default 20, at most 100).

    Args:
        status (CallStatus | Unset): Where the call is in its lifecycle. A new call is
            `initiated`.
        direction (CallDirection | Unset): Whether the agent placed the call (`outbound`) or
            received it (`inbound`).
        agent_id (str | Unset):
        date_from (datetime.date | Unset):
        date_to (datetime.date | Unset):
        search (str | Unset):
        per_page (int | Unset):  Default: 20.
        page (int | Unset):  Default: 1.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CallListResponse | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            direction=direction,
            agent_id=agent_id,
            date_from=date_from,
            date_to=date_to,
            search=search,
            per_page=per_page,
            page=page,
            max_retries=max_retries,
        )
    ).parsed


def _unwrap(response: Response[CallListResponse | ErrorResponse]) -> CallListResponse:
    if (
        isinstance(response.parsed, CallListResponse)
        and 200 <= response.status_code < 300
    ):
        return response.parsed
    raise errors.error_from_response(response)


def sync_or_raise(
    *,
    client: AuthenticatedClient | Client,
    status: CallStatus | Unset = UNSET,
    direction: CallDirection | Unset = UNSET,
    agent_id: str | Unset = UNSET,
    date_from: datetime.date | Unset = UNSET,
    date_to: datetime.date | Unset = UNSET,
    search: str | Unset = UNSET,
    per_page: int | Unset = 20,
    page: int | Unset = 1,
    max_retries: int | None = None,
) -> CallListResponse:
    """List Calls: the `CallListResponse`, or raises.

    Raises:
        errors.TalqError: one subclass per error code (errors.RateLimitExceededError, ...), with the
            status, message, details and rate limit; errors.UnexpectedResponseError for an answer the
            spec does not document.
        httpx.TransportError: when the connection failed after the retries.
    """
    return _unwrap(
        sync_detailed(
            client=client,
            status=status,
            direction=direction,
            agent_id=agent_id,
            date_from=date_from,
            date_to=date_to,
            search=search,
            per_page=per_page,
            page=page,
            max_retries=max_retries,
        )
    )


async def asyncio_or_raise(
    *,
    client: AuthenticatedClient | Client,
    status: CallStatus | Unset = UNSET,
    direction: CallDirection | Unset = UNSET,
    agent_id: str | Unset = UNSET,
    date_from: datetime.date | Unset = UNSET,
    date_to: datetime.date | Unset = UNSET,
    search: str | Unset = UNSET,
    per_page: int | Unset = 20,
    page: int | Unset = 1,
    max_retries: int | None = None,
) -> CallListResponse:
    """`sync_or_raise`, async."""
    return _unwrap(
        await asyncio_detailed(
            client=client,
            status=status,
            direction=direction,
            agent_id=agent_id,
            date_from=date_from,
            date_to=date_to,
            search=search,
            per_page=per_page,
            page=page,
            max_retries=max_retries,
        )
    )


def iterate(
    *,
    client: AuthenticatedClient | Client,
    status: CallStatus | Unset = UNSET,
    direction: CallDirection | Unset = UNSET,
    agent_id: str | Unset = UNSET,
    date_from: datetime.date | Unset = UNSET,
    date_to: datetime.date | Unset = UNSET,
    search: str | Unset = UNSET,
    per_page: int | Unset = 20,
    max_retries: int | None = None,
) -> Iterator[CallListItem]:
    """Every item of every page, lazily: one request a page, from page 1 to `pagination.last_page`.

    The filters are those of `sync_or_raise`; errors raise as there.
    """
    page = 1
    while True:
        answer = sync_or_raise(
            client=client,
            status=status,
            direction=direction,
            agent_id=agent_id,
            date_from=date_from,
            date_to=date_to,
            search=search,
            per_page=per_page,
            page=page,
            max_retries=max_retries,
        )
        yield from answer.data
        if page >= answer.pagination.last_page or not answer.data:
            return
        page += 1


async def aiterate(
    *,
    client: AuthenticatedClient | Client,
    status: CallStatus | Unset = UNSET,
    direction: CallDirection | Unset = UNSET,
    agent_id: str | Unset = UNSET,
    date_from: datetime.date | Unset = UNSET,
    date_to: datetime.date | Unset = UNSET,
    search: str | Unset = UNSET,
    per_page: int | Unset = 20,
    max_retries: int | None = None,
) -> AsyncIterator[CallListItem]:
    """`iterate`, async: `async for call in aiterate(client=client): ...`."""
    page = 1
    while True:
        answer = await asyncio_or_raise(
            client=client,
            status=status,
            direction=direction,
            agent_id=agent_id,
            date_from=date_from,
            date_to=date_to,
            search=search,
            per_page=per_page,
            page=page,
            max_retries=max_retries,
        )
        for item in answer.data:
            yield item
        if page >= answer.pagination.last_page or not answer.data:
            return
        page += 1
