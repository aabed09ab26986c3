"""The rows behind mock exams: attempts stored whole or not at all, which choices count as made,
which cards an exam can ask, and which answers show what a learner knew before studying."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from fsrs import Rating

from srs.clock import Clock
from srs.collection.attempts import (
    choices_in_submitted_attempts,
    insert_attempt,
    record_result,
    set_chosen,
)
from srs.collection.cards import bury_until, card_ids_by_key, exam_cards, set_suspended
from srs.collection.exam_memory import FirstAnswers, first_choice_answers
from srs.collection.store import CollectionError, Store
from srs.decks.importer import import_decks
from srs.model.deck import Card, Choice, Deck
from srs.study.answers import record_answer

MakeStore = Callable[..., Store]

FREE = Card("free", "Capital of France?", ("Paris",))
CHOICES = tuple(
    Card(
        f"choice-{n}",
        f"Question {n}?",
        (f"Right {n}",),
        (Choice(f"Wrong {n}a"), Choice(f"Wrong {n}b"), Choice(f"Wrong {n}c")),
    )
    for n in range(3)
)
SELECT = Card("select", "Pick both", ("Right a", "Right b"), (Choice("Wrong a"), Choice("Wrong b")))


def open_deck(make_store: MakeStore, clock: Clock, *cards: Card) -> Store:
    store = make_store(clock=clock)
    import_decks(store, [Deck("demo", "Demo", cards)])
    return store


def ids(store: Store, *keys: str) -> list[int]:
    found = card_ids_by_key(store, "demo", keys)
    return [found[key] for key in keys]


def new_attempt(store: Store, clock: Clock, questions: list[tuple[int, list[str]]]) -> int:
    return insert_attempt(
        store,
        deck_id="demo",
        kind="full",
        retake_of=None,
        started_at=clock.now(),
        deadline=None,
        pass_mark=0.5,
        predicted_pass=0.5,
        predicted_score=1.0,
        questions=questions,
    )


def count(store: Store, table: str) -> int:
    return int(store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_an_attempt_whose_questions_cannot_be_stored_leaves_no_attempt_behind(
    make_store: MakeStore, clock: Clock
) -> None:
    store = open_deck(make_store, clock, CHOICES[0])
    (card,) = ids(store, "choice-0")

    with pytest.raises(CollectionError, match="not saved"):
        new_attempt(store, clock, [(card, ["Right 0", "Wrong 0a"]), (999_999, ["gone"])])

    assert (count(store, "exam_attempts"), count(store, "exam_answers")) == (0, 0)


def test_choices_in_an_attempt_still_in_progress_do_not_count_as_made(
    make_store: MakeStore, clock: Clock
) -> None:
    store = open_deck(make_store, clock, CHOICES[0])
    (card,) = ids(store, "choice-0")
    options = ["Wrong 0a", "Right 0", "Wrong 0b"]
    submitted = new_attempt(store, clock, [(card, options)])
    set_chosen(store, submitted, 0, ["Wrong 0a"], clock.now())
    record_result(store, submitted, {0: False}, submitted_at=clock.now(), timed_out=False)
    in_progress = new_attempt(store, clock, [(card, options)])
    set_chosen(store, in_progress, 0, ["Wrong 0b"], clock.now())

    assert choices_in_submitted_attempts(store, [card]) == [(card, ("Wrong 0a",))]


def test_an_exam_asks_suspended_and_buried_cards_but_not_retired_or_free_recall_ones(
    make_store: MakeStore, clock: Clock
) -> None:
    store = open_deck(make_store, clock, FREE, *CHOICES)
    suspended, buried = ids(store, "choice-0", "choice-1")
    with store.write():
        set_suspended(store, suspended, True)
        bury_until(store, buried, date(2025, 1, 7))
    import_decks(store, [Deck("demo", "Demo", (FREE, *CHOICES[:2]))])  # retires choice-2

    assert exam_cards(store, "demo") == [(suspended, None), (buried, None)]
    assert exam_cards(store, "demo", [buried, 999_999]) == [(buried, None)]


def test_only_a_cards_first_answer_chosen_among_options_shows_what_was_known(
    make_store: MakeStore, clock: Clock
) -> None:
    store = open_deck(make_store, clock, FREE, *CHOICES[:2], SELECT)
    free, relearned, known, select = ids(store, "free", "choice-0", "choice-1", "select")
    later = clock.now() + timedelta(minutes=5)
    record_answer(store, free, Rating.Good, duration_ms=1000)
    record_answer(store, relearned, Rating.Again, duration_ms=1000, choice=["Wrong 0a"])
    record_answer(store, relearned, Rating.Good, duration_ms=1000, choice=["Right 0"], at=later)
    record_answer(store, known, Rating.Good, duration_ms=1000, choice=["Right 1"])
    record_answer(store, select, Rating.Good, duration_ms=1000, choice=["Right a", "Right b"])

    assert sorted(first_choice_answers(store, "demo")) == [
        FirstAnswers(options=4, answers=1, answered=2, right=1),
        FirstAnswers(options=4, answers=2, answered=1, right=1),
    ]
