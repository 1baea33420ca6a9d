from __future__ import annotations

import pytest

from mock_server.state.ratelimit import FixedWindowLimiter


class FakeClock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_admits_exactly_the_limit_per_window() -> None:
    clock = FakeClock()
    limiter = FixedWindowLimiter(3, 60, clock)
    quotas = [limiter.hit("token:a") for _ in range(5)]
    assert [q.admitted for q in quotas] == [True, True, True, False, False]
    assert [q.remaining for q in quotas] == [2, 1, 0, 0, 0]
    assert {q.limit for q in quotas} == {3}
    assert quotas[-1].reset_epoch == 1_000_060
    assert quotas[-1].retry_after == 60


def test_the_window_resets_and_keys_are_separate() -> None:
    clock = FakeClock()
    limiter = FixedWindowLimiter(1, 60, clock)
    assert limiter.hit("a").admitted
    assert not limiter.hit("a").admitted
    assert limiter.hit("b").admitted
    clock.now += 59.5
    blocked = limiter.hit("a")
    assert not blocked.admitted
    assert blocked.retry_after == 1
    clock.now += 0.5
    assert limiter.hit("a").admitted


def test_peek_counts_nothing_and_exhaust_spends_the_window() -> None:
    clock = FakeClock()
    limiter = FixedWindowLimiter(2, 60, clock)
    assert limiter.peek("a").remaining == 2
    assert limiter.peek("a").remaining == 2
    limiter.exhaust("a")
    assert not limiter.hit("a").admitted


def test_keys_are_bounded() -> None:
    limiter = FixedWindowLimiter(1, 60, FakeClock(), max_keys=2)
    for key in ("a", "b", "c"):
        limiter.hit(key)
    assert limiter.hit("a").admitted  # "a" was forgotten, oldest first


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="rate limit"):
        FixedWindowLimiter(-1, 60, FakeClock())
