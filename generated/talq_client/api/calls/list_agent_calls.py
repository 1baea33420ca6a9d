import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.call_direction import CallDirection
from ...models.call_list_response import CallListResponse
from ...models.call_status import CallStatus
from ...models.error_response import ErrorResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    agent_id: str,
    *,
    status: CallStatus | Unset = UNSET,
    direction: CallDirection | Unset = UNSET,
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
        "url": "/agents/{agent_id}/calls".format(
            agent_id=quote(str(agent_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CallListResponse | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = CallListResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CallListResponse | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    agent_id: str,
    *,
    client: AuthenticatedClient | Client,
    status: CallStatus | Unset = UNSET,
    direction: CallDirection | Unset = UNSET,
    date_from: datetime.date | Unset = UNSET,
    date_to: datetime.date | Unset = UNSET,
    search: str | Unset = UNSET,
    per_page: int | Unset = 20,
    page: int | Unset = 1,
) -> Response[CallListResponse | ErrorResponse]:
    """List an agent's calls

     List Calls for one agent, with the same filters and pagination.

    Args:
        agent_id (str):
        status (CallStatus | Unset): Where the call is in its lifecycle. A new call is
            `initiated`.
        direction (CallDirection | Unset): Whether the agent placed the call (`outbound`) or
            received it (`inbound`).
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
        agent_id=agent_id,
        status=status,
        direction=direction,
        date_from=date_from,
        date_to=date_to,
        search=search,
        per_page=per_page,
        page=page,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    agent_id: str,
    *,
    client: AuthenticatedClient | Client,
    status: CallStatus | Unset = UNSET,
    direction: CallDirection | Unset = UNSET,
    date_from: datetime.date | Unset = UNSET,
    date_to: datetime.date | Unset = UNSET,
    search: str | Unset = UNSET,
    per_page: int | Unset = 20,
    page: int | Unset = 1,
) -> CallListResponse | ErrorResponse | None:
    """List an agent's calls

     List Calls for one agent, with the same filters and pagination.

    Args:
        agent_id (str):
        status (CallStatus | Unset): Where the call is in its lifecycle. A new call is
            `initiated`.
        direction (CallDirection | Unset): Whether the agent placed the call (`outbound`) or
            received it (`inbound`).
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
        agent_id=agent_id,
        client=client,
        status=status,
        direction=direction,
        date_from=date_from,
        date_to=date_to,
        search=search,
        per_page=per_page,
        page=page,
    ).parsed


async def asyncio_detailed(
    agent_id: str,
    *,
    client: AuthenticatedClient | Client,
    status: CallStatus | Unset = UNSET,
    direction: CallDirection | Unset = UNSET,
    date_from: datetime.date | Unset = UNSET,
    date_to: datetime.date | Unset = UNSET,
    search: str | Unset = UNSET,
    per_page: int | Unset = 20,
    page: int | Unset = 1,
) -> Response[CallListResponse | ErrorResponse]:
    """List an agent's calls

     List Calls for one agent, with the same filters and pagination.

    Args:
        agent_id (str):
        status (CallStatus | Unset): Where the call is in its lifecycle. A new call is
            `initiated`.
        direction (CallDirection | Unset): Whether the agent placed the call (`outbound`) or
            received it (`inbound`).
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
        agent_id=agent_id,
        status=status,
        direction=direction,
        date_from=date_from,
        date_to=date_to,
        search=search,
        per_page=per_page,
        page=page,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    agent_id: str,
    *,
    client: AuthenticatedClient | Client,
    status: CallStatus | Unset = UNSET,
    direction: CallDirection | Unset = UNSET,
    date_from: datetime.date | Unset = UNSET,
    date_to: datetime.date | Unset = UNSET,
    search: str | Unset = UNSET,
    per_page: int | Unset = 20,
    page: int | Unset = 1,
) -> CallListResponse | ErrorResponse | None:
    """List an agent's calls

     List Calls for one agent, with the same filters and pagination.

    Args:
        agent_id (str):
        status (CallStatus | Unset): Where the call is in its lifecycle. A new call is
            `initiated`.
        direction (CallDirection | Unset): Whether the agent placed the call (`outbound`) or
            received it (`inbound`).
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
            agent_id=agent_id,
            client=client,
            status=status,
            direction=direction,
            date_from=date_from,
            date_to=date_to,
            search=search,
            per_page=per_page,
            page=page,
        )
    ).parsed
