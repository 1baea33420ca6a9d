"""The calls the mock has created, newest last, bounded: the oldest is evicted first.

A call's status is not stored: `state.lifecycle` computes it from the call and the mock clock. Which
calls still have webhook events to emit is `state.event_schedule`'s business.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mock_server.scenarios import MOCK_FROM_NUMBER
from mock_server.state.clock import iso_z_seconds
from mock_server.state.ids import IdGenerator


@dataclass
class CallRecord:
    id: str
    agent_id: str
    to: str
    created_at: datetime
    is_testing: bool
    delay_seconds: int
    payload: dict[str, Any]
    context: dict[str, Any]
    size: int = 0  # bytes of the request that created it: what keeping it costs, roughly
    from_number: str = MOCK_FROM_NUMBER
    direction: str = "outbound"
    ended_at: datetime | None = None  # set by End Call

    def as_data(self, status: str) -> dict[str, Any]:
        """The `data` object of Make a Call's 200 answer."""
        return {
            "id": self.id,
            "agent_id": self.agent_id,
            "to": self.to,
            "status": status,
            "created_at": iso_z_seconds(self.created_at.timestamp()),
        }


RECORD_OVERHEAD = 512  # bytes a record costs beyond its request, roughly


class CallStore:
    """At most `max_calls` calls and about `max_bytes` of them; the oldest is evicted first."""

    def __init__(self, max_calls: int, seed: int | None = None, max_bytes: int = 64 * 1024 * 1024) -> None:
        if max_calls < 1:
            raise ValueError("max_calls must be at least 1")
        self.max_calls = max_calls
        self.max_bytes = max_bytes
        self.bytes = 0
        self._ids = IdGenerator("call_", seed)
        self._calls: OrderedDict[str, CallRecord] = OrderedDict()
        self.evicted = 0

    def new_id(self) -> str:
        return self._ids.new(self._calls)

    def add(self, call: CallRecord) -> list[str]:
        """Keep `call`; the ids of the calls evicted to make room for it."""
        self._calls[call.id] = call
        self.bytes += call.size + RECORD_OVERHEAD
        evicted: list[str] = []
        while len(self._calls) > 1 and (len(self._calls) > self.max_calls or self.bytes > self.max_bytes):
            oldest_id, oldest = self._calls.popitem(last=False)
            evicted.append(oldest_id)
            self.bytes -= oldest.size + RECORD_OVERHEAD
            self.evicted += 1
        return evicted

    def get(self, call_id: str) -> CallRecord | None:
        return self._calls.get(call_id)

    def all(self) -> list[CallRecord]:
        return list(self._calls.values())

    def __len__(self) -> int:
        return len(self._calls)

    def reset(self) -> None:
        self._calls.clear()
        self.bytes = 0
        self._ids.reset()
        self.evicted = 0
