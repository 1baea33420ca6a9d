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


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> Generator[None]:
    """A test marked `after_module` checks what the other tests of its module recorded: it runs after
    them, whatever the order, and only when all of them are selected (else it is deselected, and
    reported as such, never skipped)."""
    collected = list(items)
    yield  # selection (-k, -m, ...) and any reordering happen here
    order_after_module(config, collected, items)


def order_after_module(config: pytest.Config, collected: list[pytest.Item], items: list[pytest.Item]) -> None:
    selected = set(items)
    late: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in [item for item in items if item.get_closest_marker("after_module") is not None]:
        others = [
            other
            for other in collected
            if getattr(other, "module", None) is getattr(item, "module", None)
            and other.get_closest_marker("after_module") is None
        ]
        (late if all(other in selected for other in others) else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    items[:] = [item for item in items if item not in late and item not in dropped] + late
