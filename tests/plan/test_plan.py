"""The exam plan: set a date, follow the plan day by day, skip days, record the outcome."""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from conftest import FakeClock, UseZone
from fsrs import Rating
from helpers import invoke

from srs.clock import SYSTEM_ZONE
from srs.collection.planning import plan_cards
from srs.collection.settings import clock_for, get_settings, set_setting
from srs.collection.store import Store
from srs.exam.readiness import real_exams
from srs.model.memory import MemoryState, forgetting_curve
from srs.plan import (
    clear_exam_date,
    exam_plan,
    pending_outcome,
    record_outcome,
    set_exam_date,
)
from srs.study.session import StudySession

Make = Callable[..., Store]


def exam_deck(cards: int = 60, deck_id: str = "exam") -> bytes:
    lines = [f"deck: {deck_id}", "title: Exam", "exam:", "  questions: 10", "  pass_mark: 70%"]
    lines.append("cards:")
    for n in range(cards):
        lines += [
            f"  - id: c{n}",
            f"    question: Question {n}?",
            f"    answer: Right {n}",
            f"    distractors: [Wrong {n}a, Wrong {n}b, Wrong {n}c]",
        ]
    return ("\n".join(lines) + "\n").encode()


def study_day(store: Store, clock: FakeClock, recall: float, rng: random.Random) -> None:
    """Answer today's queue: Good with chance `recall`, else Again (learning cards waited for)."""
    session = StudySession(store, ["exam"], rng=rng)
    end = clock_for(store).next_day_start()
    while True:
        card = session.next_card()
        if card is None:
            due = session.next_due()
            if due is None or due >= end:
                return
            clock.set(max(due, clock.now()))
            continue
        rating = Rating.Good if rng.random() < recall else Rating.Again
        session.answer(card.id, rating, duration_ms=8000)
        clock.advance(seconds=8)


def follow_plan(store: Store, clock: FakeClock, days: int, rng: random.Random) -> None:
    """Each morning: set the deck's new cards to the plan's, study the queue."""
    for _ in range(days):
        plan = exam_plan(store, "exam")
        assert plan is not None
        set_setting(store, "exam", "new_per_day", str(plan.new_per_day))
        study_day(store, clock, 0.9, rng)
        clock.advance(days=1)
        clock.set(clock.now().replace(hour=9, minute=0))


def test_plan_followed_day_by_day_reaches_exam_day_with_every_card_in_time(make_store: Make):
    clock = FakeClock(datetime(2025, 1, 6, 9, tzinfo=UTC))
    store = make_store(exam_deck(60), clock=clock)
    exam = date(2025, 2, 5)
    set_exam_date(store, "exam", exam)
    plan = exam_plan(store, "exam")
    assert plan is not None
    assert plan.days_left == 30 and plan.new_cards == 60
    follow_plan(store, clock, 30, random.Random(1))
    assert clock_for(store).study_day() == exam
    settings = get_settings(store, "exam")
    memories = [memory for _, memory in plan_cards(store, "exam")]
    assert all(m.state is not MemoryState.New for m in memories)
    clock_ = clock_for(store)
    for memory in memories:
        assert memory.due is not None and memory.last_review is not None
        assert memory.stability is not None
        if clock_.study_day(memory.due) > exam:
            elapsed = (exam - clock_.study_day(memory.last_review)).days
            recall = forgetting_curve(elapsed, memory.stability, settings.parameters)
            assert recall >= settings.exam_day_retention
    final = exam_plan(store, "exam")
    assert final is not None and final.days_left == 0 and final.new_cards == 0


def test_plan_json_has_one_forecast_row_per_day_to_exam_day(tmp_path: Path):
    deck = tmp_path / "exam.yaml"
    deck.write_bytes(exam_deck(40))
    db = tmp_path / "c.db"
    assert invoke(db, "import", str(deck)).exit_code == 0
    exam = (datetime.now(UTC) + timedelta(days=20)).date()
    result = invoke(db, "plan", "exam", "--exam-date", exam.isoformat(), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    for key in (
        "exam_date",
        "days_left",
        "new_per_day",
        "pass_chance_now",
        "pass_chance_exam_day",
        "pass_chance_if_stopped",
        "expected_score_exam_day",
    ):
        assert key in data
    assert len(data["forecast"]) == data["days_left"] + 1
    assert data["forecast"][-1]["date"] == exam.isoformat()
    assert sum(row["new"] for row in data["forecast"]) == 40
    assert data["pass_chance_exam_day"] > data["pass_chance_if_stopped"]
    shown = invoke(db, "plan", "exam")
    assert shown.exit_code == 0 and "on exam day" in shown.output


def test_plan_errors_are_one_line(tmp_path: Path):
    deck = tmp_path / "exam.yaml"
    deck.write_bytes(exam_deck(20))
    db = tmp_path / "c.db"
    invoke(db, "import", str(deck))
    for args, words in (
        (("exam", "--exam-date", "2001-01-01"), "in the past"),
        (("exam", "--exam-date", "2030-02-30"), "not a date"),
        (("nope", "--exam-date", "2099-01-01"), "nope"),
        (("exam",), "no exam date"),
    ):
        result = invoke(db, "plan", *args)
        assert result.exit_code == 1, args
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and words in lines[0], result.output


def test_a_result_that_cannot_be_recorded_is_refused_and_records_nothing(tmp_path: Path):
    deck = tmp_path / "exam.yaml"
    deck.write_bytes(exam_deck(20))
    db = tmp_path / "c.db"
    invoke(db, "import", str(deck))
    refused = [invoke(db, "plan", "exam", "--result", "pass")]
    invoke(db, "plan", "exam", "--exam-date", "2099-01-01")
    refused.append(invoke(db, "plan", "exam", "--result", "pass"))
    out_of_range = invoke(db, "plan", "exam", "--result", "fail", "--score", "150")

    for result, words in zip(refused, ("no exam date", "still ahead"), strict=True):
        lines = result.output.strip().splitlines()
        assert result.exit_code == 1 and len(lines) == 1 and words in lines[0], result.output
    assert out_of_range.exit_code == 2 and "--score" in out_of_range.output
    calibration = json.loads(invoke(db, "exam", "calibration", "exam", "--json").stdout)
    assert calibration["real_exams"] == []


def test_plan_across_dst_and_the_day_start_counts_study_days(make_store: Make, use_zone: UseZone):
    use_zone("Europe/Berlin")
    # 03:30 local on Friday 28 March is still Thursday's study day (the day starts at 04:00).
    clock = FakeClock(datetime(2025, 3, 28, 2, 30, tzinfo=UTC), zone=SYSTEM_ZONE)
    store = make_store(exam_deck(30), clock=clock)
    set_exam_date(store, "exam", date(2025, 4, 2))
    plan = exam_plan(store, "exam")
    assert plan is not None
    assert plan.days_left == 6
    dates = [row.date for row in plan.forecast]
    assert dates[0] == date(2025, 3, 27) and dates[-1] == date(2025, 4, 2)
    assert all(b - a == timedelta(days=1) for a, b in itertools.pairwise(dates))
    clock.advance(hours=1)  # 04:30 local: Friday's study day
    later = exam_plan(store, "exam")
    assert later is not None and later.days_left == 5


def test_a_learner_who_skips_days_gets_a_catch_up_plan_or_a_flag(make_store: Make):
    clock = FakeClock(datetime(2025, 1, 6, 9, tzinfo=UTC))
    store = make_store(exam_deck(200), clock=clock)
    set_exam_date(store, "exam", date(2025, 2, 5), minutes_per_day=60)
    first = exam_plan(store, "exam")
    assert first is not None
    follow_plan(store, clock, 3, random.Random(2))
    clock.advance(days=10)  # ten days without study
    caught = exam_plan(store, "exam")
    assert caught is not None
    assert caught.new_per_day > first.new_per_day
    assert sum(row.new for row in caught.forecast) == caught.new_cards
    assert caught.over_budget_days == ()
    set_setting(store, "exam", "minutes_per_day", "5")
    tight = exam_plan(store, "exam")
    assert tight is not None and tight.over_budget_days
    assert tight.advice is not None and "--minutes-per-day" in tight.advice


def test_setting_the_date_shortens_intervals_that_would_pass_it(make_store: Make):
    clock = FakeClock(datetime(2025, 1, 6, 9, tzinfo=UTC))
    store = make_store(exam_deck(20), clock=clock)
    set_setting(store, "exam", "learning_steps", "none")
    study_day(store, clock, 1.0, random.Random(3))
    clock.advance(days=5)
    study_day(store, clock, 1.0, random.Random(3))  # reviews push intervals out
    before = {card_id: memory.due for card_id, memory in plan_cards(store, "exam")}
    today = clock_for(store).study_day()
    longest = max(clock_for(store).study_day(due) for due in before.values() if due is not None)
    exam = longest - timedelta(days=1)  # the longest intervals would end just past it
    assert exam > today
    set_exam_date(store, "exam", exam)
    after = dict(plan_cards(store, "exam"))
    settings = get_settings(store, "exam")
    clock_ = clock_for(store)
    moved = [card_id for card_id, memory in after.items() if memory.due != before[card_id]]
    assert moved
    for memory in after.values():
        assert memory.due is not None and memory.last_review is not None
        if memory.state is MemoryState.Review and clock_.study_day(memory.due) > exam:
            elapsed = (exam - clock_.study_day(memory.last_review)).days
            assert memory.stability is not None
            recall = forgetting_curve(elapsed, memory.stability, settings.parameters)
            assert recall >= settings.exam_day_retention
    clear_exam_date(store, "exam")
    assert get_settings(store, "exam").exam_date is None
    assert exam_plan(store, "exam") is None


def test_the_outcome_is_recorded_beside_the_prediction_and_shown_by_calibration(
    make_store: Make, tmp_path: Path
):
    clock = FakeClock(datetime(2025, 1, 6, 9, tzinfo=UTC))
    store = make_store(exam_deck(30), clock=clock)
    set_exam_date(store, "exam", date(2025, 1, 10))
    assert pending_outcome(store, "exam") is None
    clock.advance(days=5)
    assert pending_outcome(store, "exam") == date(2025, 1, 10)
    assert exam_plan(store, "exam") is None
    outcome = record_outcome(store, "exam", True, 0.8)
    assert outcome.predicted_pass is not None and 0 <= outcome.predicted_pass <= 1
    assert pending_outcome(store, "exam") is None
    outcomes, scored = real_exams(store, "exam")
    assert [o.passed for o in outcomes] == [True] and scored.attempts == 1
    store.close()
    shown = invoke(store.path, "exam", "calibration", "exam")
    assert "real exam 2025-01-10: PASS" in shown.output, shown.output


def test_plan_text_flags_days_over_the_minutes_and_prints_the_advice(tmp_path: Path):
    deck = tmp_path / "exam.yaml"
    deck.write_bytes(exam_deck(200))
    db = tmp_path / "c.db"
    assert invoke(db, "import", str(deck)).exit_code == 0
    exam = (datetime.now(UTC) + timedelta(days=5)).date()
    result = invoke(db, "plan", "exam", "--exam-date", exam.isoformat(), "--minutes-per-day", "5")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.endswith("over your minutes") for line in lines), result.output
    assert "raise the minutes (srs plan exam --minutes-per-day" in lines[-1]
    assert "exam_day_retention" in lines[-1]
