from __future__ import annotations

from mock_server.state.credits import CreditLedger


def test_spend_until_none_left_then_reset() -> None:
    ledger = CreditLedger(default_credits=2, initial={"talq_poor": 0})
    assert [ledger.spend("talq_a") for _ in range(3)] == [True, True, False]
    assert ledger.balance("talq_a") == 0
    assert not ledger.spend("talq_poor")
    assert ledger.balance("talq_b") == 2
    ledger.reset()
    assert ledger.balance("talq_a") == 2
    assert ledger.balance("talq_poor") == 0
