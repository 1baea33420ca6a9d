"""Project checks added to schemathesis' own, for pytest and for the CLI (`hooks` in schemathesis.toml).

schemathesis validates each answer against its status' schema, but an error body whose `code` is a
valid ErrorCode for the wrong status (a 404 saying INVALID_TOKEN) passes the schema. And since
schemathesis.toml declares 400 an expected status for valid data (AGENT_INACTIVE is a documented
outcome of a valid request), a valid request refused with any *other* 400 code must still fail.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis import GenerationMode

from contract_tests.oracle import contract

# The one documented 400 that valid data may get: the agent exists but is a draft.
VALID_DATA_400_CODE = "AGENT_INACTIVE"


def _error_code(response: schemathesis.Response) -> str | None:
    try:
        body: Any = response.json()
    except Exception:  # not JSON: other checks report it
        return None
    error = body.get("error") if isinstance(body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return code if isinstance(code, str) else None


@schemathesis.check
def error_code_matches_status(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case[Any]
) -> bool | None:
    """An error body's code must be one the spec documents (in its examples) for that status."""
    documented = contract().responses.get(response.status_code)
    code = _error_code(response)
    if documented is None or code is None or response.status_code < 400:
        return None
    if code not in documented.codes:
        raise AssertionError(
            f"Error code {code!r} is not documented for status {response.status_code}; "
            f"the spec documents {sorted(documented.codes)} there."
        )
    return True


@schemathesis.check
def valid_data_400_is_agent_inactive(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case[Any]
) -> bool | None:
    """Valid data may be refused with 400 only for AGENT_INACTIVE (see schemathesis.toml)."""
    meta = case.meta
    if meta is None or meta.generation.mode is not GenerationMode.POSITIVE or response.status_code != 400:
        return None
    code = _error_code(response)
    if code != VALID_DATA_400_CODE:
        raise AssertionError(f"Valid data was refused with 400 {code!r}; only {VALID_DATA_400_CODE} may be.")
    return True


PROJECT_CHECKS = (error_code_matches_status, valid_data_400_is_agent_inactive)
