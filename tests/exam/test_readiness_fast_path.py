"""A large deck's pass chance is summed by SQLite (`topic_sums`): per topic, the same sums as
the chances the model gives each card from its whole memory, read card by card."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import timedelta

import pytest
from conftest import FakeClock, deck_yaml
from fsrs import Rating

from srs.clock import to_db
from srs.collection.exam_memory import exam_card_memories
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


# The planner's statistics of the 100,000-card benchmark collection's cards (`ANALYZE`, as
# `bench.collection` leaves it): seven topics, one deck, one card shape.
LARGE_DECK_STATISTICS = [
    ("cards", "cards_exam", "100000 100000 100000 100000 100000 14286 1 1"),
    ("cards", "cards_topic", "100000 14286 14286 14286"),
    ("cards", "cards_deck", "100000 100000 100000"),
    ("cards", "sqlite_autoindex_cards_1", "100000 100000 1"),
    ("memory", "memory_queue", "100000 33334 2"),
]


def chance_sums_plans(store: Store) -> list[list[str]]:
    """How SQLite reads the cards for `topic_sums`: its queries' plans (one a card shape), one
    line a step."""
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        topic_sums(store, "demo")
    finally:
        store.conn.set_trace_callback(None)
    queries = [s for s in statements if "sum(CASE" in s]
    return [
        [row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + query)] for query in queries
    ]


@pytest.mark.parametrize("statistics", [False, True], ids=["no statistics", "analyzed"])
def test_the_sums_read_the_exam_index_alone_in_topic_order(
    make_store: MakeStore, statistics: bool
) -> None:
    # Reading each card's row (through another index) or sorting the topics made the sums of a
    # 100,000-card deck take 1.6-2.6 times as long.
    store = make_store(deck_yaml(free=1, choice=8, select_all=3))
    if statistics:
        store.conn.execute("ANALYZE")
        store.conn.execute("DELETE FROM sqlite_stat1 WHERE tbl IN ('cards', 'memory')")
        store.conn.executemany("INSERT INTO sqlite_stat1 VALUES (?, ?, ?)", LARGE_DECK_STATISTICS)
        store.conn.execute("ANALYZE sqlite_schema")  # reload them

    plans = chance_sums_plans(store)

    assert len(plans) == 2  # multiple choice, select all
    for plan in plans:
        (cards_step,) = [step for step in plan if step.startswith(("SEARCH c ", "SCAN c"))]
        assert "COVERING INDEX cards_exam" in cards_step
        assert "option_count=? AND answer_count=?" in cards_step
        assert not any("TEMP B-TREE" in step for step in plan)
