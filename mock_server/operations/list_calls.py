"""List Calls (listCalls, listAgentCalls): current statuses, filters, Laravel-style pagination."""

from __future__ import annotations

from typing import Any

from mock_server.operations.agents import agent_summary
from mock_server.operations.base import Context, Failure, Result, agent_status, page_of_rows
from mock_server.state.calls import CallRecord
from mock_server.state.clock import iso_z_seconds, iso_z_seconds_or_none
from mock_server.state.lifecycle import CallView, view_at

NATIONAL_DIGITS = 10


def formatted(number: str) -> str:
    """The vendor's form `(XXX) XXX-XXXX` of ten national digits (`+1234567890` reads `(123) 456-7890`;
    the `1` of an eleven-digit `+1` number is dropped); any other number as it is."""
    digits = number[1:] if number.startswith("+") else ""
    if len(digits) == NATIONAL_DIGITS + 1 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) == NATIONAL_DIGITS and digits.isdigit():
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return number


def list_item(call: CallRecord, view: CallView, with_agent: bool) -> dict[str, Any]:
    """A call as List Calls shows it (with its `agent`), or as Get Agent Calls does (without)."""
    created = iso_z_seconds(call.created_at.timestamp())
    item: dict[str, Any] = {
        "id": call.id,
        "sid": call.id,
        "to": call.to,
        "to_formatted": formatted(call.to),
        "from": call.from_number,
        "from_formatted": formatted(call.from_number),
        "is_testing": call.is_testing,
        "direction": call.direction,
        "status": view.status,
        "duration": view.duration,
        "created_at": created,
        "updated_at": iso_z_seconds_or_none(view.updated_at) or created,
        "ended_reason": view.ended_reason,
    }
    if with_agent:
        item["agent"] = agent_summary(call.agent_id)
    return item


def _matches(call: CallRecord, view: CallView, query: dict[str, Any], agent_id: str | None) -> bool:
    day = call.created_at.date().isoformat()
    search = query.get("search")
    return (
        (agent_id is None or call.agent_id == agent_id)
        and query.get("status") in {None, view.status}
        and query.get("direction") in {None, call.direction}
        and ("date_from" not in query or day >= query["date_from"])
        and ("date_to" not in query or day <= query["date_to"])
        and (search is None or search in call.to or search == call.id)
    )


async def page_of(context: Context, agent_id: str | None, with_agent: bool) -> Result:
    store, query = context.store, context.query
    calls = await store.calls.all(context.gate)
    now = context.now
    rows: list[dict[str, Any]] = []  # page and per_page: the spec's defaults (1, 20) filled in
    for call in reversed(calls):  # newest first
        view = view_at(call, store.durations, now)
        if _matches(call, view, query, agent_id):
            rows.append(list_item(call, view, with_agent))
    return page_of_rows(rows, query)


async def handle_all(context: Context) -> Result:
    return await page_of(context, context.query.get("agent_id"), with_agent=True)


async def handle_agent(context: Context) -> Result:
    status = agent_status(context)
    if isinstance(status, Failure):
        return status
    return await page_of(context, context.path_params["agent_id"], with_agent=False)
