"""Credits per token: each non-test call spends one; test calls are free."""

from __future__ import annotations

from collections.abc import Mapping


class CreditLedger:
    def __init__(self, default_credits: int, initial: Mapping[str, int] | None = None) -> None:
        self.default_credits = default_credits
        self._initial = dict(initial or {})
        self._balances: dict[str, int] = dict(self._initial)

    def balance(self, token: str) -> int:
        return self._balances.get(token, self.default_credits)

    def spend(self, token: str) -> bool:
        """Spend one credit of `token`; False (and nothing spent) when none is left.

        Atomic on the event loop: there is no `await` between the check and the spend.
        """
        left = self.balance(token)
        if left <= 0:
            return False
        self._balances[token] = left - 1
        return True

    def reset(self) -> None:
        self._balances = dict(self._initial)
