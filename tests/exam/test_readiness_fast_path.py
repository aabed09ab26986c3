"""A large deck's pass chance is summed by SQLite (`topic_sums`): per topic, the same sums as
the chances the model gives each card from its whole memory, read card by card."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import timedelta

import pytest
from conftest import FakeClock, deck_yaml
from fsrs import Rating
from helpers import query_plans, use_large_collection_statistics, with_and_without_statistics

from srs.clock import to_db
from srs.collection.exam_memory import exam_card_memories, exam_shapes, later_choice_answers
from srs.collection.settings import get_settings
from srs.collection.store import Store
from srs.exam.readiness import chance_model, topic_sums
from srs.model.memory import recall_at
from srs.study.answers import record_answer

MakeStore = Callable[..., Store]


def straightforward_sums(store: Store, deck_id: str) -> dict[str | None, tuple[int, float]]:
    """Per topic: cards, and the sum of their chances, each chance from the card's memory
    read whole, R from `recall_at` with datetimes."""
    parameters = get_settings(store, deck_id).parameters
    chance_of = chance_model(store, deck_id)
    now = store.clock.now()
    chances: dict[str | None, list[float]] = {}
    for card in exam_card_memories(store, deck_id):
        recall = recall_at(card.stability, card.last_review, now, parameters)
        chance = chance_of(recall, math.comb(card.options, card.answers))
        chances.setdefault(card.topic, []).append(chance)
    return {topic: (len(each), math.fsum(each)) for topic, each in chances.items()}


def assert_same_sums(
    fast: dict[str | None, tuple[int, float]], expected: dict[str | None, tuple[int, float]]
) -> None:
    assert fast.keys() == expected.keys()
    for topic, (cards, total) in expected.items():
        # SQLite reads each last answer to the millisecond: a few parts in 10^10.
        assert fast[topic] == (cards, pytest.approx(total, rel=1e-9))


def test_each_topics_sums_equal_the_chances_computed_from_each_cards_whole_memory(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=1, choice=8, select_all=3), clock=clock)
    ids = [row[0] for row in store.conn.execute("SELECT id FROM cards ORDER BY id")]
    choice, select_all = ids[1:9], ids[9:]
    # Real answers: first answers right and wrong, learning, review and relearning cards.
    for card_id, rating in zip(choice[:5], [1, 3, 3, 4, 3], strict=True):
        record_answer(store, card_id, Rating(rating), duration_ms=2000, choice=["Right"])
    record_answer(store, select_all[0], Rating.Good, duration_ms=2000, choice=["Right"])
    clock.advance(days=2, hours=5, minutes=13, seconds=7.25)
    for card_id, rating in zip(choice[1:5], [3, 1, 3, 3], strict=True):
        record_answer(store, card_id, Rating(rating), duration_ms=2000, choice=["Right"])
    clock.advance(days=9, minutes=41, seconds=0.999621)
    now = clock.now()
    with store.write():
        # A last answer in the future (another device's clock): no time elapsed.
        store.conn.execute(
            "UPDATE memory SET state = 2, stability = 3.5, last_review = ? WHERE card_id = ?",
            (to_db(now + timedelta(hours=3)), choice[5]),
        )
        # A fraction of a second SQLite's own date parsing would round up to the next second.
        store.conn.execute(
            "UPDATE memory SET state = 2, stability = 0.004, last_review = ? WHERE card_id = ?",
            (to_db((now - timedelta(minutes=3)).replace(microsecond=999_621)), select_all[1]),
        )
        store.conn.execute("UPDATE cards SET suspended = 1 WHERE id = ?", (choice[6],))

    fast = topic_sums(store, "demo")

    expected = straightforward_sums(store, "demo")
    assert_same_sums(fast, expected)
    cards, total = fast[None]
    assert cards == 11 and 1 < total < cards - 1


def exam_deck(make_store: MakeStore, statistics: bool) -> Store:
    """A deck of free-recall, multiple-choice and select-all cards, with the 100,000-card
    collection's planner statistics when `statistics`."""
    store = make_store(deck_yaml(free=1, choice=8, select_all=3))
    if statistics:
        use_large_collection_statistics(store.conn)
    return store


@with_and_without_statistics
def test_the_sums_read_the_exam_index_alone_in_topic_order(
    make_store: MakeStore, statistics: bool
) -> None:
    # Reading each card's row (through another index) or sorting the topics made the sums of a
    # 100,000-card deck take 1.6-2.6 times as long.
    store = exam_deck(make_store, statistics)

    plans = query_plans(store.conn, lambda: topic_sums(store, "demo"), "sum(CASE")

    assert len(plans) == 2  # multiple choice, select all
    for plan in plans:
        (cards_step,) = [step for step in plan if step.startswith(("SEARCH c ", "SCAN c"))]
        assert "COVERING INDEX cards_exam" in cards_step
        assert "option_count=? AND answer_count=?" in cards_step
        assert not any("TEMP B-TREE" in step for step in plan)


@with_and_without_statistics
def test_the_shapes_are_each_found_by_a_seek_in_the_exam_index(
    make_store: MakeStore, statistics: bool
) -> None:
    # Without the statistics, SELECT DISTINCT read every card's entry: 14 ms at 100,000 cards.
    store = exam_deck(make_store, statistics)

    [plan] = query_plans(store.conn, lambda: exam_shapes(store, "demo"), "cards")

    assert exam_shapes(store, "demo") == sorted(
        {(card.options, card.answers) for card in exam_card_memories(store, "demo")}
    )
    card_steps = [step for step in plan if step.startswith(("SEARCH c ", "SCAN c"))]
    assert len(card_steps) == 4
    assert all("COVERING INDEX cards_exam (deck_id=? AND retired=?" in s for s in card_steps)


@with_and_without_statistics
def test_the_latest_answers_are_read_newest_first_with_each_cards_row(
    make_store: MakeStore, statistics: bool
) -> None:
    # With the statistics, SQLite first built a Bloom filter of every card: 75 ms against 32 at
    # 100,000 cards, for a read that stops after a few thousand answers.
    store = exam_deck(make_store, statistics)

    plans = query_plans(store.conn, lambda: later_choice_answers(store, "demo", 100), "LIMIT")

    # The log newest first, within the rows read up to (its id range), each card's row after.
    assert plans == [
        [
            "SEARCH r USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)",
            "SEARCH c USING INTEGER PRIMARY KEY (rowid=?)",
        ]
    ]
