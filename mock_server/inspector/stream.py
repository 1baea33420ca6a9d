"""Server-sent events for the inspector's open pages.

Nothing is added to the request path while no page is open: the journal's `watchers` list is empty
then (one check of an empty list). The first page to open adds one watcher, the last to close
removes it; with pages open, the watcher only appends the entry to each page's bounded deque. Each
page's stream task wakes every TICK_SECONDS, filters what arrived and renders at most
MAX_ROWS_PER_TICK rows (a person reads no more); the rest is counted in a `skipped` event.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass, field

from mock_server.state.journal import JournalEntry, RequestJournal

MAX_PAGES = 16  # open streams at once; more get 503 (each costs a task)
QUEUE_SIZE = 256  # entries waiting for one page's next tick (older ones are dropped)
TICK_SECONDS = 0.25  # how often a page's stream looks at what arrived
MAX_ROWS_PER_TICK = 5  # rows rendered per tick: 20 a second at most
CALLS_REFRESH_SECONDS = 1.0  # a page of calls is refreshed at most this often
MAX_STREAM_SECONDS = 300.0  # a stream ends then and the browser reconnects (a server can stop)
RETRY_MS = 1000
KEEP_ALIVE_TICKS = 60  # a comment line every 15 s keeps idle connections open


@dataclass(eq=False)
class Page:
    """One open page: the entries that arrived since its last tick, and how many there were."""

    pending: deque[JournalEntry] = field(default_factory=lambda: deque(maxlen=QUEUE_SIZE))
    arrived: int = 0


class Streams:
    def __init__(self, journal: RequestJournal) -> None:
        self.journal = journal
        self.pages: set[Page] = set()

    def _on_entry(self, entry: JournalEntry) -> None:
        for page in self.pages:
            page.pending.append(entry)
            page.arrived += 1

    @property
    def full(self) -> bool:
        return len(self.pages) >= MAX_PAGES

    def open(self) -> Page:
        page = Page()
        if not self.pages:
            self.journal.watchers.append(self._on_entry)
        self.pages.add(page)
        return page

    def close(self, page: Page) -> None:
        self.pages.discard(page)
        if not self.pages and self._on_entry in self.journal.watchers:
            self.journal.watchers.remove(self._on_entry)


def sse(event: str, html: str) -> str:
    """One server-sent event whose data is `html` (one `data:` line per line)."""
    data = "".join(f"data: {line}\n" for line in html.splitlines() or [""])
    return f"event: {event}\n{data}\n"


def take(page: Page, wants: Callable[[JournalEntry], bool]) -> tuple[list[JournalEntry], int]:
    """What arrived since the last tick: the rows to show (oldest first, at most MAX_ROWS_PER_TICK,
    the newest kept) and how many matching or dropped ones are not shown."""
    arrived, page.arrived = page.arrived, 0
    entries = list(page.pending)
    page.pending.clear()
    matching = [entry for entry in entries if wants(entry)]
    shown = matching[-MAX_ROWS_PER_TICK:]
    dropped = arrived - len(entries)  # lost from a full deque: they may have matched
    return shown, len(matching) - len(shown) + dropped


async def events(
    streams: Streams,
    wants: Callable[[JournalEntry], bool],
    render_row: Callable[[JournalEntry], str],
    changed: Callable[[], object] | None,
    missed: Callable[[], list[JournalEntry]] | None = None,
) -> AsyncGenerator[str, None]:
    """One page's stream: `request` events with new matching rows and a `skipped` count; with
    `changed`, a `calls` event whenever its value changed (at most every CALLS_REFRESH_SECONDS).
    `missed`: the entries that arrived before the stream opened, shown first. The page is opened
    here and closed when the stream ends (after MAX_STREAM_SECONDS: the browser reconnects), so a
    stream that never starts leaves no watcher behind."""
    page = streams.open()
    for entry in missed() if missed is not None else []:
        page.pending.append(entry)
        page.arrived += 1
    loop = asyncio.get_running_loop()
    ends = loop.time() + MAX_STREAM_SECONDS
    last = changed() if changed is not None else None
    refreshed = loop.time()
    ticks = skipped = 0
    try:
        yield f"retry: {RETRY_MS}\n: talq inspector stream\n\n"
        if changed is not None:
            yield sse("calls", "changed")  # what changed between the page's rendering and this stream
        while loop.time() < ends:
            await asyncio.sleep(TICK_SECONDS)
            ticks += 1
            sent = False
            if changed is None:
                shown, more = take(page, wants)
                for entry in shown:
                    yield sse("request", render_row(entry))
                if more:
                    skipped += more
                    yield sse("skipped", f"{skipped:,} more requests arrived than a page shows live: reload")
                sent = bool(shown or more)
            elif loop.time() - refreshed >= CALLS_REFRESH_SECONDS:
                now = changed()
                if now != last or page.arrived:
                    page.pending.clear()
                    page.arrived = 0
                    last, refreshed = now, loop.time()
                    yield sse("calls", "changed")
                    sent = True
            if not sent and ticks % KEEP_ALIVE_TICKS == 0:
                yield ": keep-alive\n\n"
    finally:
        streams.close(page)
