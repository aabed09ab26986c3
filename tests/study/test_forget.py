"""Forget (as Anki's): a card becomes new again and is studied from scratch; its history stays."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import FakeClock, deck_yaml
from fsrs import Rating

from srs.collection.store import CollectionError, Store
from srs.model.memory import MemoryState
from srs.study.answers import forget_card, record_answer, suspend_card, undo_answer
from srs.study.browse import card_details
from srs.study.session import StudySession

MakeStore = Callable[..., Store]


def card_id(store: Store, key: str) -> int:
    return int(store.conn.execute("SELECT id FROM cards WHERE key = ?", (key,)).fetchone()[0])


def test_a_forgotten_card_is_new_again_with_its_history_and_counts_kept(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=2))
    card = card_id(store, "free-1")
    record_answer(store, card, Rating.Good, duration_ms=1000)
    clock.advance(minutes=10)
    record_answer(store, card, Rating.Again, duration_ms=1000)

    forget_card(store, card)

    details = card_details(store, card)
    assert details.row.state is MemoryState.New
    assert details.row.due is None and details.row.stability is None
    assert (details.row.reviews, len(details.history)) == (2, 2)


def test_a_forgotten_card_is_studied_again_among_the_new_cards_in_deck_order(
    make_store: MakeStore,
) -> None:
    store = make_store(deck_yaml(free=3))
    for key in ("free-0", "free-2"):
        record_answer(store, card_id(store, key), Rating.Easy, duration_ms=1000)

    forget_card(store, card_id(store, "free-2"))

    session = StudySession(store)
    assert session.counts().new == 2
    first = session.next_card()
    assert first is not None and first.content.id == "free-1"


def test_forget_keeps_the_suspension_and_blocks_undoing_an_earlier_answer(
    make_store: MakeStore,
) -> None:
    store = make_store(deck_yaml(free=1))
    card = card_id(store, "free-0")
    answer = record_answer(store, card, Rating.Good, duration_ms=1000)
    suspend_card(store, card)

    forget_card(store, card)

    assert card_details(store, card).row.suspended
    with pytest.raises(CollectionError, match="answered again since"):
        undo_answer(store, answer)


def test_forgetting_a_card_that_does_not_exist_is_refused(make_store: MakeStore) -> None:
    store = make_store(deck_yaml(free=1))

    with pytest.raises(CollectionError, match="no card 999"):
        forget_card(store, 999)
