"""Shared fixtures: the parsed spec, read once per session."""

from __future__ import annotations

from typing import Any

import pytest

from mock_server.spec.document import DEFAULT_SPEC, load_document


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    """openapi/talq.yaml, parsed (read-only: copy before changing it)."""
    return load_document(DEFAULT_SPEC)
