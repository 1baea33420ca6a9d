"""Content negotiation: whether the client's `Accept` lets the mock answer JSON at all (else 406)."""

from __future__ import annotations

ACCEPTABLE = frozenset({"application/json", "application/*", "*/*", "application/problem+json"})


def acceptable(accept: str | None) -> bool:
    """Whether an answer in application/json (or problem+json) satisfies `accept`; no header: yes."""
    if accept is None or not accept.strip():
        return True
    return any(part.split(";", 1)[0].strip().lower() in ACCEPTABLE for part in accept.split(","))
