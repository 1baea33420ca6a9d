"""A call's lifecycle as a pure function of the call and the mock clock: no timers, no threads.

    initiated ──(delay_seconds + setup)──▶ ringing ──(ring)──▶ answered ──(talk)──▶ completed

Magic destination numbers (Twilio-like, documented in the README) change the script:

    +15005550001  busy       ringing, then busy                      (did_not_connect)
    +15005550002  no-answer  ringing, then no-answer                 (did_not_connect)
    +15005550003  failed     never rings: failed when it is placed   (did_not_connect)
    +15005550004  long call  answered until End Call ends it

End Call at time `e` keeps the transitions up to `e` and ends the call there (`completed`,
`ended_reason: ended_by_api`). Each transition is one webhook event; its index in the timeline makes
the event id stable.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import MappingProxyType

from mock_server.state.calls import CallRecord

BUSY_NUMBER = "+15005550001"
NO_ANSWER_NUMBER = "+15005550002"
FAILED_NUMBER = "+15005550003"
LONG_CALL_NUMBER = "+15005550004"
MAGIC_NUMBERS = MappingProxyType(
    {
        BUSY_NUMBER: "busy",
        NO_ANSWER_NUMBER: "no-answer",
        FAILED_NUMBER: "failed",
        LONG_CALL_NUMBER: "answered",
    }
)

INITIATED = "initiated"
RINGING = "ringing"
ANSWERED = "answered"
COMPLETED = "completed"
FINAL_STATUSES = frozenset({COMPLETED, "busy", "no-answer", "failed"})

STARTED = "event_phone_call_started"
CONNECTED = "event_phone_call_connected"
ENDED = "event_phone_call_ended"
DID_NOT_CONNECT = "event_phone_call_did_not_connect"
ENDED_BY_API = "ended_by_api"
# Times go through datetime (microseconds) and back: compare them with this much slack.
EPSILON_SECONDS = 1e-6


@dataclass(frozen=True)
class Durations:
    setup: float = 1.0
    ring: float = 2.0
    talk: float = 5.0


@dataclass(frozen=True)
class Transition:
    at: float  # mock epoch seconds
    status: str
    event: str
    ended_reason: str | None = None


@dataclass(frozen=True)
class CallView:
    """The call as it is at one instant."""

    status: str
    started_at: float | None
    answered_at: float | None
    ended_at: float | None
    ended_reason: str | None
    updated_at: float
    duration: int

    @property
    def active(self) -> bool:
        return self.status not in FINAL_STATUSES


def timeline(call: CallRecord, durations: Durations) -> list[Transition]:
    """Every status change the call goes through, in order (after its creation as `initiated`)."""
    placed = call.created_at.timestamp() + call.delay_seconds + durations.setup
    outcome = MAGIC_NUMBERS.get(call.to, COMPLETED)
    steps: list[Transition]
    if outcome == "failed":
        steps = [Transition(placed, "failed", DID_NOT_CONNECT, "failed")]
    else:
        steps = [Transition(placed, RINGING, STARTED)]
        rung = placed + durations.ring
        if outcome in {"busy", "no-answer"}:
            steps.append(Transition(rung, outcome, DID_NOT_CONNECT, outcome))
        else:
            steps.append(Transition(rung, ANSWERED, CONNECTED))
            if outcome == COMPLETED:
                steps.append(Transition(rung + durations.talk, COMPLETED, ENDED, COMPLETED))
    if call.ended_at is not None:
        ended = call.ended_at.timestamp()
        steps = [step for step in steps if step.at <= ended + EPSILON_SECONDS]
        steps.append(Transition(ended, COMPLETED, ENDED, ENDED_BY_API))
    return steps


def lifetime(call: CallRecord, durations: Durations) -> float | None:
    """Seconds from the call's creation to its end by itself (its final transition), or None when only
    End Call ends it (the long-call number). End Call's one-step check on the shared store uses it."""
    last = timeline(replace(call, ended_at=None), durations)[-1]
    return last.at - call.created_at.timestamp() if last.status in FINAL_STATUSES else None


def happened(steps: list[Transition], now: float) -> list[Transition]:
    """The transitions that have happened by `now`."""
    return [step for step in steps if step.at <= now + EPSILON_SECONDS]


def view_at(call: CallRecord, durations: Durations, now: float) -> CallView:
    """The call's status and timestamps at `now` (mock epoch seconds)."""
    return view_of(call, happened(timeline(call, durations), now), now)


def view_of(call: CallRecord, happened: list[Transition], now: float) -> CallView:
    status, updated = INITIATED, call.created_at.timestamp()
    started = answered = ended = None
    reason = None
    for step in happened:
        status, updated = step.status, step.at
        if step.event == STARTED:
            started = step.at
        elif step.event == CONNECTED:
            answered = step.at
        if step.status in FINAL_STATUSES:
            ended, reason = step.at, step.ended_reason
    # whole seconds; EPSILON absorbs the float error of epoch arithmetic (29.999999 s is 30)
    duration = (
        0
        if answered is None
        else int(max((ended if ended is not None else now) - answered, 0) + EPSILON_SECONDS)
    )
    return CallView(status, started, answered, ended, reason, updated, duration)
