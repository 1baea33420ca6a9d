"""The values an operation handler takes and returns."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from mock_server.scenarios import AGENT_NOT_FOUND, INVALID_DATA, VALIDATION_ERROR, Outcome
from mock_server.settings import Settings
from mock_server.spec.document import JSON
from mock_server.state.ports import Gate, Store
from mock_server.validation.violations import MAX_MESSAGE, Violation


@dataclass(frozen=True)
class Context:
    path_params: dict[str, str]
    query: dict[str, Any]
    body: JSON
    token: str
    store: Store  # the request's namespace of the state (`state.ports`)
    settings: Settings
    gate: Gate  # the request's rate-limit hit (made, or to be made by the operation's store call)
    body_bytes: int = 0  # size of the raw body

    @property
    def now(self) -> float:
        """The mock clock when the request was admitted (read with its rate-limit hit)."""
        admission = self.gate.admission
        if admission is None:
            raise RuntimeError("read `now` after the store call that carries the request's gate")
        return admission.now


@dataclass(frozen=True)
class Success:
    """An answer the operation made (a 2xx, or an error whose body is about this very request)."""

    status: int
    body: JSON


@dataclass(frozen=True)
class Failure:
    outcome: Outcome
    details: dict[str, Any] | None = None


Result = Success | Failure
Handler = Callable[[Context], Result | Awaitable[Result]]  # async when it waits for I/O (Test Webhook)
Classifier = Callable[[list[Violation]], Failure]


MAX_FIELDS = 20


def field_details(violations: list[Violation]) -> dict[str, Any]:
    """`details` of a VALIDATION_ERROR: every offending field (up to 20) and what is wrong with it."""
    return {
        "fields": [
            {"field": violation.field or violation.location[1], "message": violation.message[:MAX_MESSAGE]}
            for violation in violations[:MAX_FIELDS]
        ]
    }


def validation_error(violations: list[Violation]) -> Failure:
    """Make a Call's answer to invalid input with no more specific code: 400 VALIDATION_ERROR."""
    return Failure(VALIDATION_ERROR, field_details(violations))


def invalid_data(violations: list[Violation]) -> Failure:
    """The classifier of the other operations: 422 (the `error` envelope's VALIDATION_ERROR, or the
    webhook endpoints' `{message, errors}`: the responder fills in either from these details)."""
    return Failure(INVALID_DATA, field_details(violations))


def agent_status(context: Context) -> str | Failure:
    """The status of the path's agent ("published" or "draft"), or AGENT_NOT_FOUND."""
    agent_id = context.path_params["agent_id"]
    status = context.store.directory.agent_status(agent_id)
    return Failure(AGENT_NOT_FOUND, {"agent_id": agent_id}) if status is None else status


def page_of_rows(rows: list[Any], query: dict[str, Any]) -> Success:
    """One page of `rows` (the query's `page` and `per_page`, with the spec's defaults) and Laravel's
    paginator fields, in the success envelope."""
    per_page, page = int(query["per_page"]), int(query["page"])
    first = (page - 1) * per_page
    data = rows[first : first + per_page]
    pagination = {
        "current_page": page,
        "last_page": max(math.ceil(len(rows) / per_page), 1),
        "per_page": per_page,
        "total": len(rows),
        "from": first + 1 if data else None,
        "to": first + len(data) if data else None,
    }
    return Success(200, {"success": True, "data": data, "pagination": pagination})
