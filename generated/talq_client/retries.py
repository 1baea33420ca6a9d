"""Sending a request with retries (hand-written; copied in by `make generate`).

What is retried, at most `max_retries` times (the client's, default 2, or the call's):
- a 429, after `Retry-After` seconds, or, without it, until `X-RateLimit-Reset` when
  `X-RateLimit-Remaining` is 0, or else after an exponential backoff. A wait longer than the client's
  `max_retry_wait` is not slept: the 429 is answered at once (the `*_or_raise` functions raise
  `errors.RateLimitExceededError`).
- a connection that could not be made (nothing was sent), for every operation.
- a 408, 502, 503 or 504, a timeout or a connection lost after sending, only for operations safe to
  repeat (GET): Make a Call, End Call and Create a webhook are never sent twice after an ambiguous
  failure (the API has no idempotency key).

The backoff is `backoff_base * 2**attempt` seconds, at most `backoff_max`, less a random jitter of up
to a quarter. Each retry is logged (logger `talq_client`, level INFO). The client's `sleep` and
`async_sleep` do the waiting: tests pass their own, so that nothing sleeps for real.
"""

from __future__ import annotations

import asyncio
import logging
import random
from typing import TYPE_CHECKING, Any

import httpx

from .ratelimit import RateLimit

if TYPE_CHECKING:
    from .client import AuthenticatedClient, Client

__all__ = [
    "RETRIED_WHEN_SAFE",
    "SAFE_METHODS",
    "async_sleep",
    "backoff",
    "send",
    "send_async",
]

logger = logging.getLogger("talq_client")

SAFE_METHODS = frozenset({"get", "head", "options"})
RETRIED_WHEN_SAFE = frozenset({408, 502, 503, 504})
# Failures where the request never left: safe to send again whatever the operation.
NOTHING_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


async def async_sleep(seconds: float) -> None:
    """The default `async_sleep` of a client."""
    await asyncio.sleep(seconds)


def backoff(attempt: int, base: float, cap: float) -> float:
    """Seconds before retry number `attempt` (from 0): exponential, capped, with jitter."""
    delay: float = min(base * 2**attempt, cap)
    return delay * (1 - 0.25 * random.random())  # noqa: S311 - jitter, not cryptography


def _wait_for(
    response: httpx.Response,
    safe: bool,
    attempt: int,
    client: AuthenticatedClient | Client,
) -> float | None:
    """Seconds to wait before sending again, or None when this answer is final."""
    status = response.status_code
    if status == 429:
        limit = RateLimit.from_headers(response.headers)
        until_reset = limit.seconds_until_reset()
        if limit.retry_after is not None:
            wait = float(limit.retry_after)
        elif limit.remaining == 0 and until_reset is not None:
            wait = until_reset
        else:
            wait = backoff(attempt, client.backoff_base, client.backoff_max)
        return wait if wait <= client.max_retry_wait else None
    if safe and status in RETRIED_WHEN_SAFE:
        return backoff(attempt, client.backoff_base, client.backoff_max)
    return None


def _wait_after(
    error: httpx.TransportError,
    safe: bool,
    attempt: int,
    client: AuthenticatedClient | Client,
) -> float | None:
    if isinstance(error, NOTHING_SENT) or (
        safe
        and isinstance(
            error,
            httpx.TimeoutException | httpx.NetworkError | httpx.RemoteProtocolError,
        )
    ):
        return backoff(attempt, client.backoff_base, client.backoff_max)
    return None


def _next_wait(
    client: AuthenticatedClient | Client,
    kwargs: dict[str, Any],
    retries: int,
    attempt: int,
    outcome: httpx.Response | httpx.TransportError,
) -> float | None:
    """Seconds before sending again (logged), or None when `outcome` is final; keeps `client.rate_limit`."""
    safe = str(kwargs["method"]).lower() in SAFE_METHODS
    if isinstance(outcome, httpx.Response):
        client.rate_limit = RateLimit.from_headers(outcome.headers)
        wait = _wait_for(outcome, safe, attempt, client) if attempt < retries else None
        why = f"status {outcome.status_code}"
    else:
        wait = (
            _wait_after(outcome, safe, attempt, client) if attempt < retries else None
        )
        why = f"{type(outcome).__name__}: {outcome}"
    if wait is not None:
        logger.info(
            "talq_client: retrying %s %s in %.2f s (retry %d of %d): %s",
            str(kwargs["method"]).upper(),
            kwargs["url"],
            wait,
            attempt + 1,
            retries,
            why,
        )
    return wait


def send(
    client: AuthenticatedClient | Client,
    kwargs: dict[str, Any],
    max_retries: int | None = None,
) -> httpx.Response:
    """Send the request `kwargs` (for `httpx.Client.request`) with the retries above."""
    retries = client.max_retries if max_retries is None else max_retries
    http = client.get_httpx_client()
    attempt = 0
    while True:
        try:
            response = http.request(**kwargs)
        except httpx.TransportError as error:
            if (wait := _next_wait(client, kwargs, retries, attempt, error)) is None:
                raise
        else:
            if (wait := _next_wait(client, kwargs, retries, attempt, response)) is None:
                return response
        client.sleep(wait)
        attempt += 1


async def send_async(
    client: AuthenticatedClient | Client,
    kwargs: dict[str, Any],
    max_retries: int | None = None,
) -> httpx.Response:
    """`send`, with the client's `httpx.AsyncClient` and `async_sleep`."""
    retries = client.max_retries if max_retries is None else max_retries
    http = client.get_async_httpx_client()
    attempt = 0
    while True:
        try:
            response = await http.request(**kwargs)
        except httpx.TransportError as error:
            if (wait := _next_wait(client, kwargs, retries, attempt, error)) is None:
                raise
        else:
            if (wait := _next_wait(client, kwargs, retries, attempt, response)) is None:
                return response
        await client.async_sleep(wait)
        attempt += 1
