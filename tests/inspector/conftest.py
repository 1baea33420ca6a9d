"""The inspector's tests: a live mock with the clock frozen, and Debian's chromium driven by Playwright
(`executable_path`, a fresh user-data-dir; never `playwright install`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Playwright, sync_playwright
from talq_client import AuthenticatedClient

from mock_server.settings import Settings
from mock_server.testing import LiveMock, serve
from mock_server.waiting import wait_until

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPORTS = Path(__file__).resolve().parents[2] / "reports"
TOKEN = "talq_demo"
AGENT = "agent_123456"
# The clock frozen (only advancing moves it), quick webhook retries, reproducible ids.
SETTINGS = Settings(time_scale=0, seed=3, webhook_backoff_seconds=0.2, webhook_poll_seconds=0.01)


@pytest.fixture
def mock() -> Iterator[LiveMock]:
    with serve(SETTINGS) as live:
        yield live


@pytest.fixture
def sdk(mock: LiveMock) -> Iterator[AuthenticatedClient]:
    with AuthenticatedClient(base_url=mock.api_url, token=TOKEN) as client:
        yield client


@pytest.fixture(scope="module")  # not longer: its event loop would stay on this thread
def playwright() -> Iterator[Playwright]:
    assert CHROMIUM.is_file(), f"{CHROMIUM} is missing: run `make chromium` (apt-get install chromium)"
    with sync_playwright() as driver:
        yield driver


def launch(playwright: Playwright, user_data: Path, javascript: bool = True) -> BrowserContext:
    return playwright.chromium.launch_persistent_context(
        str(user_data),
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        java_script_enabled=javascript,
        accept_downloads=True,
        viewport={"width": 1400, "height": 1000},
    )


@pytest.fixture
def browser(playwright: Playwright, tmp_path: Path) -> Iterator[BrowserContext]:
    context = launch(playwright, tmp_path / "chromium-profile")
    try:
        yield context
    finally:
        context.close()


def pages_open(mock: LiveMock, count: int = 1) -> None:
    """Wait until `count` inspector pages stream (so that what happens next reaches them live)."""
    inspector = mock.app.inspector
    assert inspector is not None  # the in-memory store's mock has one
    streams = inspector.streams
    wait_until(lambda: len(streams.pages) >= count, timeout=10, what=f"{count} open inspector stream(s)")


def screenshot(page: object, name: str) -> Path:
    REPORTS.mkdir(exist_ok=True)
    path = REPORTS / f"inspector-{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path
