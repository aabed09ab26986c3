"""Forget (as Anki's): a card becomes new again and is studied from scratch; its history stays."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FakeClock, deck_yaml
from fsrs import Rating

from srs.collection.memory import memory_of
from srs.collection.store import CollectionError, Store
from srs.model.memory import MemoryState
from srs.study.answers import forget_card, record_answer, suspend_card, undo_answer
from srs.study.browse import card_details
from srs.study.history import import_log
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


def test_a_forgotten_card_stays_forgotten_when_import_log_replays_its_history(
    make_store: MakeStore, clock: FakeClock, tmp_path: Path
) -> None:
    store = make_store(deck_yaml(free=1), clock=clock)
    card = card_id(store, "free-0")
    earlier = clock.now() - timedelta(days=3)
    record_answer(store, card, Rating.Good, duration_ms=1000)
    clock.advance(minutes=10)
    forget_card(store, card)
    clock.advance(minutes=10)
    log = tmp_path / "log.csv"
    log.write_text(
        f"card_id,review_rating,review_time,review_duration\nfree-0,4,{earlier.isoformat()},900\n"
    )

    import_log(store, "demo", log)

    details = card_details(store, card)
    assert details.row.state is MemoryState.New and details.row.due is None
    assert (details.row.reviews, len(details.history)) == (2, 2)


def test_an_answer_after_a_forget_is_replayed_from_a_new_card(
    make_store: MakeStore, clock: FakeClock, tmp_path: Path
) -> None:
    store = make_store(deck_yaml(free=2), clock=clock)
    forgotten_card, fresh_card = card_id(store, "free-0"), card_id(store, "free-1")
    earlier = clock.now() - timedelta(days=3)
    record_answer(store, forgotten_card, Rating.Easy, duration_ms=1000)
    clock.advance(minutes=10)
    forget_card(store, forgotten_card)
    clock.advance(minutes=10)
    record_answer(store, forgotten_card, Rating.Good, duration_ms=1000)
    record_answer(store, fresh_card, Rating.Good, duration_ms=1000)
    before_import = memory_of(store, forgotten_card)
    log = tmp_path / "log.csv"
    log.write_text(
        f"card_id,review_rating,review_time,review_duration\nfree-0,1,{earlier.isoformat()},900\n"
    )

    import_log(store, "demo", log)

    after = memory_of(store, forgotten_card)
    fresh = memory_of(store, fresh_card)
    assert after is not None and fresh is not None and before_import is not None
    assert (after.state, after.stability, after.due) == (fresh.state, fresh.stability, fresh.due)
    assert (after.reps, after.lapses) == (3, 0)
    assert (after.stability, after.due) == (before_import.stability, before_import.due)
