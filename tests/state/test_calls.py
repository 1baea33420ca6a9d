from __future__ import annotations

from datetime import UTC, datetime

from mock_server.state.calls import CallRecord, CallStore


def _call(store: CallStore) -> CallRecord:
    return CallRecord(
        id=store.new_id(),
        agent_id="agent_1",
        to="+1234567890",
        created_at=datetime(2024, 1, 15, 10, 30, tzinfo=UTC),
        is_testing=False,
        delay_seconds=0,
        payload={},
        context={},
    )


def test_oldest_calls_are_evicted_first() -> None:
    store = CallStore(max_calls=2, seed=1)
    calls = [_call(store) for _ in range(3)]
    for call in calls:
        store.add(call)
    assert [c.id for c in store.all()] == [calls[1].id, calls[2].id]
    assert store.evicted == 1
    assert store.get(calls[0].id) is None


def test_stored_bytes_are_bounded_too() -> None:
    store = CallStore(max_calls=100, seed=1, max_bytes=3100)
    for _ in range(10):
        call = _call(store)
        call.size = 1000
        store.add(call)
    assert len(store) == 2  # each costs its size plus a 512-byte overhead
    assert store.bytes <= 3100
    assert store.evicted == 8


def test_ids_are_reproducible_with_a_seed_and_unique() -> None:
    first, second = CallStore(10, seed=5), CallStore(10, seed=5)
    ids = [first.new_id() for _ in range(3)]
    assert ids == [second.new_id() for _ in range(3)]
    assert len(set(ids)) == 3
    assert all(i.startswith("call_") for i in ids)


def test_as_data_is_the_documented_shape() -> None:
    data = _call(CallStore(1, seed=1)).as_data("initiated")
    assert set(data) == {"id", "agent_id", "to", "status", "created_at"}
    assert data["created_at"] == "2024-01-15T10:30:00Z"
