"""Ids of the things the mock creates (`call_…`, `wh_…`): 64 random bits in hex, reproducible with a
seed, never one already taken."""

from __future__ import annotations

import random
from collections.abc import Container


class IdGenerator:
    def __init__(self, prefix: str, seed: int | None = None) -> None:
        self.prefix = prefix
        self._seed = seed
        self._random = random.Random(seed)  # noqa: S311 - ids, not secrets

    def new(self, taken: Container[str]) -> str:
        """A fresh id, not one of `taken`."""
        while True:
            candidate = f"{self.prefix}{self._random.getrandbits(64):016x}"
            if candidate not in taken:
                return candidate

    def reset(self) -> None:
        """Start the sequence again (a reset mock gives the same ids as a fresh one)."""
        self._random = random.Random(self._seed)  # noqa: S311
