"""One attempt to POST a webhook body: signed, bounded in time, only to an allowed host, logged.

Shared by the dispatcher (call events, with retries) and Test Webhook (one attempt, answered at once);
`stop_workers` is the shutdown of both dispatchers (in memory and on the shared store).
The attempt keeps what the receiver answered (status, the first characters of its body, its headers).
"""

from __future__ import annotations

import asyncio
import time

import httpx

from mock_server.http import url_host_allowed
from mock_server.state.clock import iso_z
from mock_server.state.webhook_registry import MAX_RESPONSE_BODY, MAX_RESPONSE_HEADERS, Attempt
from mock_server.waiting import cancel_and_wait
from mock_server.webhooks.signing import SIGNATURE_HEADER, sign

USER_AGENT = "talq-mock-webhooks/1"
MAX_HEADER_VALUE = 200
NOT_ALLOWED = "the URL is not http(s) to a host of webhook_allowed_hosts"


async def post_once(
    client: httpx.AsyncClient,
    url: str,
    body: bytes,
    secret: str | None,
    timeout: float,
    allowed_hosts: frozenset[str],
    number: int = 1,
) -> Attempt:
    """POST `body` to `url` once and say how it went (never raises for the receiver's failures)."""
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
    signature = None
    if secret is not None:
        signature = headers[SIGNATURE_HEADER] = sign(secret, body)
    at = iso_z(time.time())
    started = time.perf_counter()
    if not url_host_allowed(url, allowed_hosts):
        return Attempt(number, at, None, NOT_ALLOWED, 0.0, signature=signature)
    try:
        response = await client.post(url, content=body, headers=headers, timeout=timeout)
    except httpx.TimeoutException:
        return Attempt(
            number, at, None, f"no answer within {timeout:g} s", _elapsed(started), signature=signature
        )
    except httpx.HTTPError as problem:
        error = f"{type(problem).__name__}: {problem}"[:300]
        return Attempt(number, at, None, error, _elapsed(started), signature=signature)
    kept = {
        name: value[:MAX_HEADER_VALUE]
        for name, value in list(response.headers.items())[:MAX_RESPONSE_HEADERS]
    }
    text = response.content[: MAX_RESPONSE_BODY * 4].decode("utf-8", "replace")[:MAX_RESPONSE_BODY]
    return Attempt(number, at, response.status_code, None, _elapsed(started), text, kept, signature)


def _elapsed(started: float) -> float:
    return (time.perf_counter() - started) * 1000


async def stop_workers(workers: dict[str, asyncio.Task[None]]) -> None:
    """Cancel every delivery worker, wait for each to end, and forget them (both dispatchers' shutdown)."""
    await cancel_and_wait(list(workers.values()))
    workers.clear()
