"""What the plan reads of a deck: each card in its blueprint topic's pool, and the learner's pace
from their latest answers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import FakeClock
from fsrs import Rating

from srs.collection.backup import write_backup
from srs.collection.planning import plan_cards
from srs.collection.store import Store
from srs.exam.form import ExamError
from srs.exam.readiness import deck_readiness
from srs.plan import exam_plan, set_exam_date
from srs.study.answers import bury_card, record_answer, suspend_card, undo_answer, unsuspend_card

Make = Callable[..., Store]
START = datetime(2025, 3, 3, 9, tzinfo=UTC)


def blueprint_deck(blueprint: dict[str, int], topics: dict[str, int]) -> bytes:
    lines = ["deck: bp", "title: Blueprint", "exam:", "  questions: 10", "  pass_mark: 80%"]
    lines += ["  blueprint:", *(f"    {topic}: {count}" for topic, count in blueprint.items())]
    lines.append("cards:")
    for topic, count in topics.items():
        for n in range(count):
            lines += [
                f"  - id: {topic}{n}",
                f"    question: {topic} question {n}?",
                f"    answer: Right {n}",
                f"    distractors: [Wrong {n}a, Wrong {n}b, Wrong {n}c]",
                f"    topic: {topic}",
            ]
    return ("\n".join(lines) + "\n").encode()


def card_ids(store: Store, deck_id: str) -> list[int]:
    return [card_id for card_id, _ in plan_cards(store, deck_id)]


def test_todays_chance_of_a_blueprint_exam_is_the_dashboards(make_store: Make) -> None:
    clock = FakeClock(START)
    deck = blueprint_deck({"Maths": 7, "Art": 3}, {"Maths": 20, "Art": 20, "Music": 5})
    store = make_store(deck, clock=clock)
    for card_id in card_ids(store, "bp")[:20]:  # every Maths card learnt, Art and Music new
        record_answer(store, card_id, Rating.Easy, duration_ms=4000)
    set_exam_date(store, "bp", date(2025, 3, 30))

    plan = exam_plan(store, "bp")

    assert plan is not None
    dashboard = deck_readiness(store, "bp").pass_chance
    assert 0.3 < dashboard < 0.8  # Art's 3 new cards decide it (7 Art questions: 0.001)
    assert plan.pass_chance_now == pytest.approx(dashboard, abs=0.01)


def test_a_blueprint_topic_with_too_few_cards_stops_the_plan(make_store: Make) -> None:
    store = make_store(blueprint_deck({"Maths": 7, "Art": 3}, {"Maths": 20, "Art": 3}))
    set_exam_date(store, "bp", date(2025, 3, 30))
    suspend_card(store, card_ids(store, "bp")[20])  # the first Art card

    with pytest.raises(ExamError, match="needs 3 questions on 'Art'"):
        exam_plan(store, "bp")


def test_minutes_come_from_the_time_of_the_latest_thousand_answers(make_store: Make) -> None:
    clock = FakeClock(START)
    store = make_store(blueprint_deck({"Maths": 10}, {"Maths": 50}), clock=clock)
    cards = card_ids(store, "bp")
    at = START - timedelta(days=20)

    def answer(times: int, duration_ms: int) -> None:
        nonlocal at
        for n in range(times):
            record_answer(store, cards[n % 50], Rating.Good, duration_ms=duration_ms, at=at)
            at += timedelta(minutes=5)

    answer(200, 50_000)  # too old to count
    at += timedelta(days=10)
    answer(600, 5_000)
    at += timedelta(days=2)
    answer(500, 8_000)
    set_exam_date(store, "bp", date(2025, 3, 30))

    plan = exam_plan(store, "bp")

    assert plan is not None
    assert plan.seconds_per_answer == pytest.approx((500 * 5.0 + 500 * 8.0) / 1000)


def test_a_plan_made_again_after_an_answer_or_its_undo_uses_the_pace_then(make_store: Make):
    clock = FakeClock(START)
    store = make_store(blueprint_deck({"Maths": 10}, {"Maths": 20}), clock=clock)
    cards = card_ids(store, "bp")
    for card_id in cards[:4]:
        record_answer(store, card_id, Rating.Good, duration_ms=6000)
    set_exam_date(store, "bp", date(2025, 3, 30))

    def pace() -> float:
        plan = exam_plan(store, "bp")
        assert plan is not None
        return plan.seconds_per_answer

    before = pace()
    answer = record_answer(store, cards[4], Rating.Good, duration_ms=36_000)
    after_answer = pace()
    undo_answer(store, answer)

    assert (before, after_answer, pace()) == (6.0, 12.0, 6.0)


def planned_deck(make_store: Make) -> tuple[Store, FakeClock, list[int]]:
    """A blueprint deck with an exam date, planned once (its cards are kept from then on)."""
    clock = FakeClock(START)
    store = make_store(
        blueprint_deck({"Maths": 7, "Art": 3}, {"Maths": 30, "Art": 20}), clock=clock
    )
    set_exam_date(store, "bp", date(2025, 3, 30))
    exam_plan(store, "bp")
    return store, clock, card_ids(store, "bp")


def test_a_plan_made_again_after_answers_is_the_plan_a_new_process_makes(
    make_store: Make, tmp_path: Path
) -> None:
    # The plan keeps the deck's cards between reads and reads again only the cards answered
    # since: the plans must be those of a collection read whole.
    store, clock, cards = planned_deck(make_store)
    hide = [suspend_card, bury_card, unsuspend_card]
    for n, rating in enumerate([3, 1, 3, 4, 1, 3, 2, 3]):
        clock.advance(minutes=7)
        record_answer(store, cards[n * 5 % len(cards)], Rating(rating), duration_ms=5000)
        if n % 2:  # a card suspended, buried or unsuspended: read again alone too
            hide[n // 2 % 3](store, cards[n * 3])
        made_again = exam_plan(store, "bp")
        copy = Store.open(write_backup(store, tmp_path / f"copy-{n}.db"), clock)
        try:
            assert made_again == exam_plan(copy, "bp")
        finally:
            copy.close()


def test_a_suspension_or_burial_reads_that_card_again_not_the_deck(make_store: Make) -> None:
    store, _clock, cards = planned_deck(make_store)
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    for change in (suspend_card, bury_card, unsuspend_card):
        change(store, cards[4])
        statements.clear()
        exam_plan(store, "bp")
        reads = [s for s in statements if "julianday(m.last_review)" in s]
        assert reads and all("json_each" in s for s in reads), change.__name__
    store.conn.set_trace_callback(None)
