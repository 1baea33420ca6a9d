from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.make_call_request import MakeCallRequest
from ...models.make_call_response import MakeCallResponse
from ...types import Response


def _get_kwargs(
    agent_id: str,
    *,
    body: MakeCallRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/agents/{agent_id}/call".format(
            agent_id=quote(str(agent_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | MakeCallResponse | None:
    if response.status_code == 200:
        response_200 = MakeCallResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 402:
        response_402 = ErrorResponse.from_dict(response.json())

        return response_402

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

    if response.status_code == 408:
        response_408 = ErrorResponse.from_dict(response.json())

        return response_408

    if response.status_code == 413:
        response_413 = ErrorResponse.from_dict(response.json())

        return response_413

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | MakeCallResponse]:
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
    body: MakeCallRequest,
) -> Response[ErrorResponse | MakeCallResponse]:
    """Make a Call

     Starts an outbound phone call from the voice agent `agent_id` to the number `to`. The call is
    placed after `delay_seconds`. The answer carries the new call's `id`, which identifies the
    call in List Calls and in every webhook event about it.

    Args:
        agent_id (str):
        body (MakeCallRequest): What to call and how. Unknown extra properties are accepted and
            ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | MakeCallResponse]
    """

    kwargs = _get_kwargs(
        agent_id=agent_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    agent_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: MakeCallRequest,
) -> ErrorResponse | MakeCallResponse | None:
    """Make a Call

     Starts an outbound phone call from the voice agent `agent_id` to the number `to`. The call is
    placed after `delay_seconds`. The answer carries the new call's `id`, which identifies the
    call in List Calls and in every webhook event about it.

    Args:
        agent_id (str):
        body (MakeCallRequest): What to call and how. Unknown extra properties are accepted and
            ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | MakeCallResponse
    """

    return sync_detailed(
        agent_id=agent_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    agent_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: MakeCallRequest,
) -> Response[ErrorResponse | MakeCallResponse]:
    """Make a Call

     Starts an outbound phone call from the voice agent `agent_id` to the number `to`. The call is
    placed after `delay_seconds`. The answer carries the new call's `id`, which identifies the
    call in List Calls and in every webhook event about it.

    Args:
        agent_id (str):
        body (MakeCallRequest): What to call and how. Unknown extra properties are accepted and
            ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | MakeCallResponse]
    """

    kwargs = _get_kwargs(
        agent_id=agent_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    agent_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: MakeCallRequest,
) -> ErrorResponse | MakeCallResponse | None:
    """Make a Call

     Starts an outbound phone call from the voice agent `agent_id` to the number `to`. The call is
    placed after `delay_seconds`. The answer carries the new call's `id`, which identifies the
    call in List Calls and in every webhook event about it.

    Args:
        agent_id (str):
        body (MakeCallRequest): What to call and how. Unknown extra properties are accepted and
            ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | MakeCallResponse
    """

    return (
        await asyncio_detailed(
            agent_id=agent_id,
            client=client,
            body=body,
        )
    ).parsed
