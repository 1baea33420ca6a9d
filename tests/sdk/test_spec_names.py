"""The header names hand-written in openapi/sdk are the ones openapi/talq.yaml defines.

The templates cannot read `components.headers` or the webhook's parameters, so `ratelimit.py` and
`webhooks.py` spell the names out; these tests fail when the spec and the SDK part ways.
"""

from __future__ import annotations

import re
from typing import Any

import attrs
from talq_client import RateLimit, webhooks

NOW = 1705314600.0


def test_rate_limit_reads_each_header_the_spec_defines(spec: dict[str, Any]) -> None:
    names = list(spec["components"]["headers"])
    assert len(names) == len(attrs.fields(RateLimit)), names  # one RateLimit attribute per spec header
    # Distinct values in the spec's own spelling (a plain dict: no case folding to hide a misspelling).
    headers = {name: str(int(NOW) + 60 + index) for index, name in enumerate(names)}
    full = RateLimit.from_headers(headers, now=NOW)
    assert None not in attrs.astuple(full), full
    read_by: dict[str, str] = {}
    for name in names:
        partial = RateLimit.from_headers({k: v for k, v in headers.items() if k != name}, now=NOW)
        missing = [f.name for f in attrs.fields(RateLimit) if getattr(partial, f.name) is None]
        assert len(missing) == 1, (name, missing)
        read_by[name] = missing[0]
    assert sorted(read_by.values()) == sorted(f.name for f in attrs.fields(RateLimit))


def test_signature_header_is_the_webhooks_parameter(spec: dict[str, Any]) -> None:
    parameters = spec["webhooks"]["callEvent"]["post"]["parameters"]
    header = [p for p in parameters if p["in"] == "header"]
    assert [p["name"] for p in header] == [webhooks.SIGNATURE_HEADER]
    value = webhooks.sign(b'{"id": "evt_1"}', "whsec_test", int(NOW))
    assert re.fullmatch(header[0]["schema"]["pattern"], value), value
