"""The memory queries the study session is built on, where the session tests do not reach."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from srs.clock import Clock
from srs.collection.cards import bury_until, card_ids_by_key, set_suspended
from srs.collection.memory import deck_queue, set_memory
from srs.collection.settings import clock_for
from srs.collection.store import Store
from srs.decks.importer import import_decks
from srs.model.deck import Card, Deck
from srs.model.memory import Memory, MemoryState

MakeStore = Callable[..., Store]


def _due(state: MemoryState, due: datetime) -> Memory:
    return Memory(state, 0, 10.0, 5.0, due, due - timedelta(days=10), 3, 0)


# A deck of 5,000 cards or more is read through the memory_queue index, a smaller one through
# the deck's: both must pick the same cards.
@pytest.mark.parametrize("size", [20, 5000])
def test_queue_takes_due_and_new_cards_by_the_same_rules_in_small_and_large_decks(
    make_store: MakeStore, clock: Clock, size: int
) -> None:
    store = make_store(clock=clock)
    cards = tuple(Card(f"free-{n}", f"Question {n}?", (f"Answer {n}",)) for n in range(size))
    import_decks(store, [Deck("demo", "Demo", cards)])
    keys = [f"free-{n}" for n in range(12)]
    ids = [card_ids_by_key(store, "demo", keys)[key] for key in keys]
    now = clock.now()
    today = clock_for(store).study_day(now)
    day_end = clock_for(store).next_day_start(now)
    with store.write():
        set_suspended(store, ids[0], True)
        bury_until(store, ids[1], today + timedelta(days=1))
        set_memory(store, ids[2], _due(MemoryState.Review, now - timedelta(days=2)))
        set_memory(store, ids[3], _due(MemoryState.Review, now - timedelta(days=1)))
        set_memory(store, ids[4], _due(MemoryState.Review, now - timedelta(days=3)))
        set_memory(store, ids[5], _due(MemoryState.Review, day_end + timedelta(hours=1)))
        set_memory(store, ids[6], _due(MemoryState.Learning, now + timedelta(minutes=10)))
        set_memory(store, ids[7], _due(MemoryState.Relearning, now - timedelta(minutes=5)))

    queue = deck_queue(store, "demo", today=today, until=day_end, new_limit=3, review_limit=2)

    assert set(queue.learning) == {ids[6], ids[7]}
    assert [card_id for _, card_id in queue.reviews] == [ids[4], ids[2]]
    assert queue.new == ids[8:11]
