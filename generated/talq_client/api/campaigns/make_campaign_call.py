from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors, retries
from ...client import AuthenticatedClient, Client
from ...models.campaign_call_created import CampaignCallCreated
from ...models.campaign_error_response import CampaignErrorResponse
from ...models.duplicate_campaign_call import DuplicateCampaignCall
from ...models.error_response import ErrorResponse
from ...models.make_campaign_call_request import MakeCampaignCallRequest
from ...types import Response


def _get_kwargs(
    campaign_id: str,
    *,
    body: MakeCampaignCallRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/campaigns/{campaign_id}/call".format(
            campaign_id=quote(str(campaign_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_documented(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    CampaignCallCreated
    | CampaignErrorResponse
    | DuplicateCampaignCall
    | ErrorResponse
    | None
):
    if response.status_code == 201:
        response_201 = CampaignCallCreated.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = CampaignErrorResponse.from_dict(response.json())

        return response_404

    if response.status_code == 408:
        response_408 = ErrorResponse.from_dict(response.json())

        return response_408

    if response.status_code == 409:
        response_409 = DuplicateCampaignCall.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = ErrorResponse.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = ErrorResponse.from_dict(response.json())

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
    CampaignCallCreated
    | CampaignErrorResponse
    | DuplicateCampaignCall
    | ErrorResponse
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
    CampaignCallCreated | CampaignErrorResponse | DuplicateCampaignCall | ErrorResponse
]:
    return Response(
        status_code=_status(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
        http_response=response,
    )


def sync_detailed(
    campaign_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: MakeCampaignCallRequest,
    max_retries: int | None = None,
) -> Response[
    CampaignCallCreated | CampaignErrorResponse | DuplicateCampaignCall | ErrorResponse
]:
    """Make Campaign Call

     Queues a call under the campaign: it inherits the campaign's agent, schedule (days, hours, time
    zone) and retry policy, and becomes a call of that agent (in List Calls, ended by End Call,
    with its webhook events) at its `scheduled_at`. A second call to a number that already has an
    active or queued call in this campaign is refused with 409 and that call, unless
    `allow_duplicates` is true. For one-off calls, use Make a Call.

    Args:
        campaign_id (str):
        body (MakeCampaignCallRequest): The call to queue under the campaign.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CampaignCallCreated | CampaignErrorResponse | DuplicateCampaignCall | ErrorResponse]
    """

    kwargs = _get_kwargs(
        campaign_id=campaign_id,
        body=body,
    )

    response = retries.send(client, kwargs, max_retries)

    return _build_response(client=client, response=response)


def sync(
    campaign_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: MakeCampaignCallRequest,
    max_retries: int | None = None,
) -> (
    CampaignCallCreated
    | CampaignErrorResponse
    | DuplicateCampaignCall
    | ErrorResponse
    | None
):
    """Make Campaign Call

     Queues a call under the campaign: it inherits the campaign's agent, schedule (days, hours, time
    zone) and retry policy, and becomes a call of that agent (in List Calls, ended by End Call,
    with its webhook events) at its `scheduled_at`. A second call to a number that already has an
    active or queued call in this campaign is refused with 409 and that call, unless
    `allow_duplicates` is true. For one-off calls, use Make a Call.

    Args:
        campaign_id (str):
        body (MakeCampaignCallRequest): The call to queue under the campaign.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CampaignCallCreated | CampaignErrorResponse | DuplicateCampaignCall | ErrorResponse
    """

    return sync_detailed(
        campaign_id=campaign_id,
        client=client,
        body=body,
        max_retries=max_retries,
    ).parsed


async def asyncio_detailed(
    campaign_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: MakeCampaignCallRequest,
    max_retries: int | None = None,
) -> Response[
    CampaignCallCreated | CampaignErrorResponse | DuplicateCampaignCall | ErrorResponse
]:
    """Make Campaign Call

     Queues a call under the campaign: it inherits the campaign's agent, schedule (days, hours, time
    zone) and retry policy, and becomes a call of that agent (in List Calls, ended by End Call,
    with its webhook events) at its `scheduled_at`. A second call to a number that already has an
    active or queued call in this campaign is refused with 409 and that call, unless
    `allow_duplicates` is true. For one-off calls, use Make a Call.

    Args:
        campaign_id (str):
        body (MakeCampaignCallRequest): The call to queue under the campaign.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CampaignCallCreated | CampaignErrorResponse | DuplicateCampaignCall | ErrorResponse]
    """

    kwargs = _get_kwargs(
        campaign_id=campaign_id,
        body=body,
    )

    response = await retries.send_async(client, kwargs, max_retries)

    return _build_response(client=client, response=response)


async def asyncio(
    campaign_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: MakeCampaignCallRequest,
    max_retries: int | None = None,
) -> (
    CampaignCallCreated
    | CampaignErrorResponse
    | DuplicateCampaignCall
    | ErrorResponse
    | None
):
    """Make Campaign Call

     Queues a call under the campaign: it inherits the campaign's agent, schedule (days, hours, time
    zone) and retry policy, and becomes a call of that agent (in List Calls, ended by End Call,
    with its webhook events) at its `scheduled_at`. A second call to a number that already has an
    active or queued call in this campaign is refused with 409 and that call, unless
    `allow_duplicates` is true. For one-off calls, use Make a Call.

    Args:
        campaign_id (str):
        body (MakeCampaignCallRequest): The call to queue under the campaign.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CampaignCallCreated | CampaignErrorResponse | DuplicateCampaignCall | ErrorResponse
    """

    return (
        await asyncio_detailed(
            campaign_id=campaign_id,
            client=client,
            body=body,
            max_retries=max_retries,
        )
    ).parsed


def _unwrap(
    response: Response[
        CampaignCallCreated
        | CampaignErrorResponse
        | DuplicateCampaignCall
        | ErrorResponse
    ],
) -> CampaignCallCreated:
    if (
        isinstance(response.parsed, CampaignCallCreated)
        and 200 <= response.status_code < 300
    ):
        return response.parsed
    raise errors.error_from_response(response)


def sync_or_raise(
    campaign_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: MakeCampaignCallRequest,
    max_retries: int | None = None,
) -> CampaignCallCreated:
    """Make Campaign Call: the `CampaignCallCreated`, or raises.

    Raises:
        errors.TalqError: one subclass per error code (errors.RateLimitExceededError, ...), with the
            status, message, details and rate limit; errors.UnexpectedResponseError for an answer the
            spec does not document.
        httpx.TransportError: when the connection failed after the retries.
    """
    return _unwrap(
        sync_detailed(
            campaign_id=campaign_id,
            client=client,
            body=body,
            max_retries=max_retries,
        )
    )


async def asyncio_or_raise(
    campaign_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: MakeCampaignCallRequest,
    max_retries: int | None = None,
) -> CampaignCallCreated:
    """`sync_or_raise`, async."""
    return _unwrap(
        await asyncio_detailed(
            campaign_id=campaign_id,
            client=client,
            body=body,
            max_retries=max_retries,
        )
    )
