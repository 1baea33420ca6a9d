"""The mock's instants as text: the forms the vendor's pages show."""

from __future__ import annotations

import re

import pytest

from mock_server.spec.document import DEFAULT_SPEC, load_document
from mock_server.state.clock import iso_z, iso_z_micro, iso_z_seconds, iso_z_seconds_or_none

AT = 1756941591.25  # 2025-09-03T23:19:51.25Z


def test_call_times_are_whole_seconds_as_the_call_pages_show_them() -> None:
    assert iso_z_seconds(AT) == "2025-09-03T23:19:51Z"
    assert iso_z_seconds(1756941591.999999) == "2025-09-03T23:19:51Z"  # floor: never a later second
    assert iso_z_seconds_or_none(None) is None
    assert iso_z(AT) == "2025-09-03T23:19:51.250000Z"


def test_webhook_times_have_six_fraction_digits_as_the_webhook_pages_show_them() -> None:
    assert iso_z_micro(AT) == "2025-09-03T23:19:51.250000Z"
    assert iso_z_micro(1756941591.0) == "2025-09-03T23:19:51.000000Z"


@pytest.mark.parametrize("text", [iso_z_seconds(AT), iso_z_micro(AT), iso_z_micro(1756941591.0)])
def test_every_form_matches_the_specs_timestamp_patterns(text: str) -> None:
    schemas = load_document(DEFAULT_SPEC)["components"]["schemas"]
    for name in ("Timestamp", "WebhookTimestamp"):
        assert re.fullmatch(schemas[name]["pattern"], text), (name, text)
