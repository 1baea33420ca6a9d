"""Server-sent events for the inspector's open pages.

Nothing is added to the request path while no page is open: the journal's `watchers` list is empty
then (one check of an empty list). The first page to open adds one watcher, the last to close
removes it. Each page has a bounded queue; a page that does not keep up loses rows (it can reload).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass, field

from mock_server.state.journal import JournalEntry, RequestJournal

MAX_PAGES = 16  # open streams at once; more get 503 (each costs a task and a queue)
QUEUE_SIZE = 256  # rows waiting for one page
TICK_SECONDS = 0.5  # how often a page of calls is checked for changes
MAX_STREAM_SECONDS = 300.0  # a stream ends then and the browser reconnects (a server can stop)
RETRY_MS = 1000
KEEP_ALIVE_TICKS = 30  # a comment line every 15 s keeps idle connections open


@dataclass(eq=False)
class Page:
    """One open page: which rows it wants, and the queue of those waiting."""

    wants: Callable[[JournalEntry], bool]
    queue: asyncio.Queue[JournalEntry] = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))
    dropped: int = 0


class Streams:
    def __init__(self, journal: RequestJournal) -> None:
        self.journal = journal
        self.pages: set[Page] = set()

    def _on_entry(self, entry: JournalEntry) -> None:
        for page in self.pages:
            if page.wants(entry):
                try:
                    page.queue.put_nowait(entry)
                except asyncio.QueueFull:
                    page.dropped += 1

    @property
    def full(self) -> bool:
        return len(self.pages) >= MAX_PAGES

    def open(self, wants: Callable[[JournalEntry], bool]) -> Page:
        page = Page(wants)
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


async def events(
    streams: Streams,
    page: Page,
    render_row: Callable[[JournalEntry], str],
    changed: Callable[[], object] | None,
) -> AsyncGenerator[str, None]:
    """The page's stream: a `request` event per new matching row; with `changed`, a `calls` event
    whenever its value changes (checked every TICK_SECONDS). Ends after MAX_STREAM_SECONDS."""
    loop = asyncio.get_running_loop()
    ends = loop.time() + MAX_STREAM_SECONDS
    last = changed() if changed is not None else None
    ticks = 0
    try:
        yield f"retry: {RETRY_MS}\n: talq inspector stream\n\n"
        if changed is not None:
            yield sse("calls", "changed")  # what changed between the page's rendering and this stream
        while loop.time() < ends:
            try:
                entry = await asyncio.wait_for(page.queue.get(), TICK_SECONDS)
            except TimeoutError:
                entry = None
            if entry is not None:
                yield sse("request", render_row(entry))
            if changed is not None:
                now = changed()
                if now != last or entry is not None:
                    last = now
                    yield sse("calls", "changed")
            elif entry is None:
                ticks += 1
                if ticks % KEEP_ALIVE_TICKS == 0:
                    yield ": keep-alive\n\n"
    finally:
        streams.close(page)
