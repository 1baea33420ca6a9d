"""Helpers of the proxy's tests: a proxy in front of an upstream, and reading its findings."""

from __future__ import annotations

import json

import httpx

MAKE_CALL = {"to": "+1234567890", "is_testing": True}
AUTH = {"Authorization": "Bearer talq_secret_token_123"}


def pointers(response: httpx.Response) -> set[str]:
    """The JSON pointers of the proxy's sl-violations header ("" entries when absent)."""
    header = response.headers.get("sl-violations")
    if header is None:
        return set()
    return {"".join("/" + part for part in entry["location"]) for entry in json.loads(header)}
