"""The card browser (`srs cards`): each card's memory, its chance of recall now, and sorting."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from conftest import FakeClock, deck_yaml
from fsrs import Rating
from fsrs.scheduler import DEFAULT_PARAMETERS

from srs.collection.settings import get_settings
from srs.collection.store import CollectionError, Store
from srs.decks.importer import import_decks
from srs.decks.validate import parse_deck
from srs.model.memory import Memory, MemoryState, forgetting_curve, retrievability
from srs.study.answers import bury_card, record_answer, suspend_card
from srs.study.browse import SORT_COLUMNS, Search, browse_cards, browse_page, card_details

MakeStore = Callable[..., Store]
NOW = datetime(2025, 1, 6, 12, tzinfo=UTC)


def card_id(store: Store, key: str) -> int:
    return int(store.conn.execute("SELECT id FROM cards WHERE key = ?", (key,)).fetchone()[0])


def answer(store: Store, key: str, *ratings: Rating) -> None:
    for rating in ratings:
        record_answer(store, card_id(store, key), rating, duration_ms=1000)


# --- retrievability (pure) ------------------------------------------------------------------


def test_retrievability_is_ninety_percent_after_one_stability_of_days() -> None:
    memory = Memory(MemoryState.Review, None, 10.0, 5.0, NOW, NOW - timedelta(days=10))

    assert retrievability(memory, NOW, DEFAULT_PARAMETERS) == pytest.approx(0.9)


def test_retrievability_counts_fractions_of_a_day() -> None:
    """py-fsrs counts whole days: a card answered 12 hours ago would read as certain."""
    memory = Memory(MemoryState.Review, None, 2.0, 5.0, NOW, NOW - timedelta(hours=12))

    chance = retrievability(memory, NOW, DEFAULT_PARAMETERS)

    assert chance == pytest.approx(forgetting_curve(0.5, 2.0, DEFAULT_PARAMETERS))
    assert chance is not None and 0.9 < chance < 1


def test_a_new_card_has_no_retrievability_and_time_never_runs_backwards() -> None:
    answered = Memory(MemoryState.Review, None, 2.0, 5.0, NOW, NOW)

    assert retrievability(Memory(), NOW, DEFAULT_PARAMETERS) is None
    assert retrievability(answered, NOW - timedelta(days=1), DEFAULT_PARAMETERS) == 1.0


# --- the browser ----------------------------------------------------------------------------


def test_each_card_is_listed_in_file_order_with_its_memory(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=3), clock=clock)
    answer(store, "free-1", Rating.Good, Rating.Good)
    answer(store, "free-2", Rating.Again)
    suspend_card(store, card_id(store, "free-2"))
    clock.advance(hours=12)

    rows = browse_cards(store, "demo")

    assert [(r.key, r.state, r.reviews, r.lapses, r.suspended) for r in rows] == [
        ("free-0", MemoryState.New, 0, 0, False),
        ("free-1", MemoryState.Review, 2, 0, False),
        ("free-2", MemoryState.Learning, 1, 0, True),
    ]
    new, learned, _ = rows
    assert new.due is None and new.stability is None and new.retrievability is None
    assert learned.last_review == clock.now() - timedelta(hours=12)
    assert learned.stability is not None
    assert learned.retrievability == pytest.approx(
        forgetting_curve(0.5, learned.stability, get_settings(store, "demo").parameters)
    )


def test_buried_and_leech_cards_are_marked(make_store: MakeStore, clock: FakeClock) -> None:
    store = make_store(deck_yaml(free=2), clock=clock)
    bury_card(store, card_id(store, "free-0"))
    store.conn.execute("UPDATE cards SET leech = 1 WHERE key = 'free-1'")

    rows = browse_cards(store, "demo")

    assert [(r.buried, r.leech) for r in rows] == [(True, False), (False, True)]
    clock.advance(days=1)
    assert [r.buried for r in browse_cards(store, "demo")] == [False, False]


def test_cards_gone_from_the_deck_file_are_left_out(make_store: MakeStore) -> None:
    store = make_store(deck_yaml(free=3))
    import_decks(store, [parse_deck(deck_yaml(free=2))])

    assert [row.key for row in browse_cards(store, "demo")] == ["free-0", "free-1"]


def test_sorting_puts_cards_without_a_value_last_either_way(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=4), clock=clock)
    answer(store, "free-1", Rating.Good, Rating.Good)
    clock.advance(days=3)
    answer(store, "free-3", Rating.Easy)
    clock.advance(days=2)

    weakest = browse_cards(store, "demo", sort="retrievability")
    strongest = browse_cards(store, "demo", sort="retrievability", reverse=True)

    assert [r.key for r in weakest] == ["free-1", "free-3", "free-0", "free-2"]
    assert [r.key for r in strongest] == ["free-3", "free-1", "free-0", "free-2"]
    first, second = (r.retrievability or 0.0 for r in weakest[:2])
    assert 0 < first < second


def test_every_column_sorts(make_store: MakeStore, clock: FakeClock) -> None:
    store = make_store(deck_yaml(free=3), clock=clock)
    answer(store, "free-2", Rating.Good)

    for column in SORT_COLUMNS:
        rows = browse_cards(store, "demo", sort=column, reverse=True)
        assert sorted(r.key for r in rows) == ["free-0", "free-1", "free-2"]
    assert [r.key for r in browse_cards(store, "demo", sort="id", reverse=True)] == [
        "free-2",
        "free-1",
        "free-0",
    ]
    assert browse_cards(store, "demo", sort="reviews", reverse=True)[0].key == "free-2"


def test_topics_sort_without_regard_to_case(make_store: MakeStore) -> None:
    deck = b"""deck: topics
title: Topics
cards:
  - {id: a, question: A?, answer: A, topic: beta}
  - {id: b, question: B?, answer: B}
  - {id: c, question: C?, answer: C, topic: Alpha}
"""
    store = make_store(deck)

    assert [r.key for r in browse_cards(store, "topics", sort="topic")] == ["c", "a", "b"]


def test_unknown_sort_column_and_unknown_deck_are_refused(make_store: MakeStore) -> None:
    store = make_store(deck_yaml(free=1))

    with pytest.raises(ValueError, match="cannot sort by 'colour'"):
        browse_cards(store, "demo", sort="colour")
    with pytest.raises(CollectionError, match="no deck 'other'"):
        browse_cards(store, "other")


# --- pages and search (the app's browser) ---------------------------------------------------

SEARCH_DECK = b"""deck: search
title: Search
cards:
  - {id: s3-basics, question: S3?, answer: Object storage, topic: Storage, tags: [aws, core]}
  - {id: ec2, question: What is EC2?, answer: Virtual machines, topic: Compute, tags: [aws]}
  - {id: percent, question: What is 100% of it?, answer: All of it, topic: Maths}
  - {id: glacier, question: Cold storage tier?, answer: Glacier, topic: Storage, tags: [Core]}
"""


def keys(store: Store, text: str) -> list[str]:
    return [row.key for row in browse_page(store, "search", search=Search.parse(text)).rows]


def test_search_finds_words_in_any_text_and_ignores_case(make_store: MakeStore) -> None:
    store = make_store(SEARCH_DECK)

    assert keys(store, "storage") == ["s3-basics", "glacier"]  # answer and question
    assert keys(store, "EC2") == ["ec2"]
    assert keys(store, "what virtual") == ["ec2"]  # every word must match
    assert keys(store, "100%") == ["percent"]  # % is a character, not a wildcard
    assert keys(store, "") == ["s3-basics", "ec2", "percent", "glacier"]


def test_search_by_topic_and_by_whole_tag(make_store: MakeStore) -> None:
    store = make_store(SEARCH_DECK)

    assert keys(store, "topic:storage") == ["s3-basics", "glacier"]
    assert keys(store, "tag:core") == ["s3-basics", "glacier"]
    assert keys(store, "tag:cor") == []
    assert keys(store, 'topic:"Storage" tag:aws') == ["s3-basics"]


def test_search_text_is_read_as_typed() -> None:
    assert Search.parse('topic:"Model collapse" teacher TAG:x') == Search(
        ("teacher",), ("Model collapse",), ("x",)
    )
    assert Search.parse('unbalanced "quote') == Search(("unbalanced", '"quote'))


def test_pages_follow_the_order_and_count_every_match(make_store: MakeStore) -> None:
    store = make_store(deck_yaml(free=7))

    first = browse_page(store, "demo", sort="id", reverse=True, limit=3)
    second = browse_page(store, "demo", sort="id", reverse=True, offset=3, limit=3)
    last = browse_page(store, "demo", sort="id", reverse=True, offset=6, limit=3)
    searched = browse_page(store, "demo", search=Search.parse("answer"), offset=6, limit=3)

    assert [r.key for r in first.rows + second.rows + last.rows] == [
        f"free-{n}" for n in range(6, -1, -1)
    ]
    assert (first.total, second.total, last.total, searched.total) == (7, 7, 7, 7)
    assert [r.key for r in searched.rows] == ["free-6"]


def test_a_card_shows_its_whole_history_with_source_and_interval(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=2))
    answer(store, "free-0", Rating.Good)
    clock.advance(minutes=10)
    record_answer(store, card_id(store, "free-0"), Rating.Good, duration_ms=2500, source="custom")

    details = card_details(store, card_id(store, "free-0"))

    assert details.content.question == "Free question 0?"
    assert details.row.reviews == 2 and details.row.state is MemoryState.Review
    assert [(e.rating, e.source, e.duration_ms) for e in details.history] == [
        (Rating.Good, "review", 1000),
        (Rating.Good, "custom", 2500),
    ]
    first, second = details.history
    assert first.reviewed_at == NOW and first.interval == timedelta(minutes=10)
    assert second.interval is not None and second.interval >= timedelta(days=1)
    assert card_details(store, card_id(store, "free-1")).history == ()
