"""Which calls still have webhook events to emit, and when to look at each next.

`unsettled` maps a call id to how many of its transitions are dealt with; `due` is a heap of (when to
look at the call next, call id), so each tick of the webhook pump looks only at the calls that are
due, not at every unsettled call. `webhooks.events` reads and updates it; `MockState` keeps it in step
with the call store (a new call, an ended call, an evicted call).
"""

from __future__ import annotations

import heapq


class EventSchedule:
    def __init__(self) -> None:
        self.unsettled: dict[str, int] = {}
        self.due: list[tuple[float, str]] = []

    def watch(self, call_id: str) -> None:
        """Have the next tick of the webhook pump look at this call (new, or just ended)."""
        self.unsettled.setdefault(call_id, 0)
        heapq.heappush(self.due, (0.0, call_id))

    def at(self, when: float, call_id: str) -> None:
        """Look at this call again at `when` (mock epoch seconds)."""
        heapq.heappush(self.due, (when, call_id))

    def forget(self, call_id: str) -> None:
        """The call is gone (evicted) or settled: nothing more to emit for it."""
        self.unsettled.pop(call_id, None)

    def reset(self) -> None:
        self.unsettled.clear()
        self.due.clear()
