"""Shared fixtures and hooks of the contract tests."""

from __future__ import annotations

from collections.abc import Generator

import pytest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Tell a test module which of its tests passed (`on_test_passed(item)`, if it defines one)."""
    report = yield
    if report.when == "call" and report.passed:
        module = getattr(item, "module", None)
        on_test_passed = getattr(module, "on_test_passed", None)
        if callable(on_test_passed):
            on_test_passed(item)
    return report


@pytest.fixture
def anyio_backend() -> str:
    """The async client tests run on asyncio (the event loop the mock and httpx use here)."""
    return "asyncio"
