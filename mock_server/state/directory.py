"""Who exists: tokens (with their starting credits) and agents (published or draft).

Open mode (the default): every well-formed token and every agent id exists, except the magic
values of the scenario table. Strict mode (a config file lists tokens and/or agents): only those.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping

from mock_server import scenarios
from mock_server.settings import Settings


def contains_constant_time(token: str, tokens: Iterable[str]) -> bool:
    """Whether `token` is one of `tokens`, comparing each in constant time (no early exit)."""
    candidate = token.encode()
    found = False
    for known in tokens:
        found |= hmac.compare_digest(candidate, known.encode())
    return found


class Directory:
    """Who exists. Publish and Unpublish Agent change an agent's status (`set_status`), until reset."""

    def __init__(self, settings: Settings) -> None:
        self._tokens = dict(settings.tokens) if settings.tokens is not None else None
        self._agents = dict(settings.agents) if settings.agents is not None else None
        self.revoked = frozenset(settings.revoked_tokens) | (
            {scenarios.REVOKED_TOKEN} if self._tokens is None else set()
        )
        self._changed: dict[str, tuple[str, float]] = {}  # agent id -> (status, when, mock epoch s)

    def token_known(self, token: str) -> bool:
        return self._tokens is None or contains_constant_time(token, self._tokens)

    def token_revoked(self, token: str) -> bool:
        return contains_constant_time(token, self.revoked)

    def starting_credits(self) -> dict[str, int]:
        if self._tokens is not None:
            return dict(self._tokens)
        return {scenarios.NO_CREDITS_TOKEN: 0}

    def always_rate_limited(self, token: str) -> bool:
        return self._tokens is None and token == scenarios.RATE_LIMITED_TOKEN

    def agent_status(self, agent_id: str) -> str | None:
        """ "published", "draft", or None when there is no such agent."""
        changed = self._changed.get(agent_id)
        if changed is not None:
            return changed[0]
        if self._agents is not None:
            return self._agents.get(agent_id)
        if agent_id == scenarios.MISSING_AGENT:
            return None
        if agent_id in {scenarios.DRAFT_AGENT, scenarios.UNREADY_AGENT}:
            return scenarios.AGENT_DRAFT
        return scenarios.AGENT_PUBLISHED

    def ready_to_publish(self, agent_id: str) -> bool:
        """Whether the agent is configured well enough to be published (all but `agent_unready`)."""
        return self._agents is not None or agent_id != scenarios.UNREADY_AGENT

    def set_status(self, agent_id: str, status: str, at: float) -> None:
        """Publish (`published`) or unpublish (`draft`) an existing agent at mock time `at`."""
        self._changed[agent_id] = (status, at)

    def status_changed_at(self, agent_id: str) -> float | None:
        """When Publish or Unpublish Agent last changed the agent (mock epoch seconds), if ever."""
        changed = self._changed.get(agent_id)
        return None if changed is None else changed[1]

    def load(self, changed: Mapping[str, tuple[str, float]]) -> None:
        """Take these statuses (agent id -> (status, when)) as every change made so far: the shared
        store's, read by a worker that caches them."""
        self._changed = dict(changed)

    def reset(self) -> None:
        """Forget every status Publish and Unpublish Agent set."""
        self._changed.clear()
