"""The exam date of a deck: set it (capping the cards already scheduled past it), clear it, and
record how the real exam went beside the chance predicted for that day.
"""

from __future__ import annotations

from datetime import date, timedelta

from srs.collection.memory import set_memory
from srs.collection.outcomes import ExamOutcome, add_outcome, has_outcome
from srs.collection.planning import plan_cards
from srs.collection.settings import clock_for, get_settings, set_setting
from srs.collection.store import Store
from srs.exam.form import required_exam_spec
from srs.plan.plan import PlanError, plan_at
from srs.study.examday import capped_memory

__all__ = ["clear_exam_date", "pending_outcome", "record_outcome", "set_exam_date"]


def set_exam_date(
    store: Store, deck_id: str, day: date, minutes_per_day: int | None = None
) -> None:
    """Set the deck's exam date (and the learner's daily minutes), and shorten the intervals of
    the cards already scheduled past it that would fall below the exam-day target on the day:
    one transaction. The plan itself is `exam_plan`'s (slow on a large deck: the app makes it
    in a worker, not in the dialog that sets the date).

    Raises:
        PlanError: the date is before today.
        ExamError: no such deck, or no mock exam in it.
        SettingError: minutes out of range.
    """
    required_exam_spec(store, deck_id)
    clock = clock_for(store)
    today = clock.study_day()
    if day < today:
        raise PlanError(
            f"the exam date {day.isoformat()} is in the past (today is {today.isoformat()})"
        )
    with store.write():
        set_setting(store, deck_id, "exam_date", day.isoformat())
        if minutes_per_day is not None:
            set_setting(store, deck_id, "minutes_per_day", str(minutes_per_day))
        settings = get_settings(store, deck_id)
        for card_id, memory in plan_cards(store, deck_id):
            capped = capped_memory(memory, today, settings, clock)
            if capped is not memory:
                set_memory(store, card_id, capped)


def clear_exam_date(store: Store, deck_id: str) -> None:
    """Remove the deck's exam date: scheduling is FSRS's own again from the next answer (the
    shortened intervals already planned only bring those reviews a little earlier).

    Raises:
        CollectionError: no such deck.
    """
    set_setting(store, deck_id, "exam_date", "default")


def pending_outcome(store: Store, deck_id: str) -> date | None:
    """The deck's exam date when it has passed (or is today) and no outcome is recorded yet:
    the dashboard then asks how it went."""
    exam = get_settings(store, deck_id).exam_date
    if exam is None or exam > clock_for(store).study_day() or has_outcome(store, deck_id, exam):
        return None
    return exam


def record_outcome(
    store: Store, deck_id: str, passed: bool, score: float | None = None
) -> ExamOutcome:
    """Record how the real exam went, beside the chance and score srs predicted for that day
    (the forecast as it stands now, for the exam date; no plan: none).

    Args:
        store: the collection.
        deck_id: the deck.
        passed: the learner passed.
        score: the score as a share of the questions, 0-1 (None: not given).

    Raises:
        PlanError: no exam date is set, the exam is still ahead, or the score is not 0-1.
    """
    if score is not None and not 0.0 <= score <= 1.0:
        raise PlanError(f"the score must be a percentage from 0 to 100, not {score * 100:g}")
    settings = get_settings(store, deck_id)
    exam = settings.exam_date
    clock = clock_for(store)
    if exam is None:
        raise PlanError(
            f"deck '{deck_id}' has no exam date: srs plan {deck_id} --exam-date YYYY-MM-DD"
        )
    if exam > clock.study_day():
        raise PlanError(f"the exam on {exam.isoformat()} is still ahead")
    predicted = _prediction_on(store, deck_id, exam)
    outcome = ExamOutcome(deck_id, exam, passed, score, *predicted, clock.now())
    with store.write():
        add_outcome(store, outcome)
    return outcome


def _prediction_on(store: Store, deck_id: str, exam: date) -> tuple[float | None, float | None]:
    """The chance and expected score predicted for the exam: the plan made at noon of the exam
    day (now, if that is earlier), from the memory as it stands (an answer given after the exam
    counts as given then)."""
    clock = clock_for(store)
    at = min(clock.now(), clock.day_start(exam) + timedelta(hours=8))
    plan = plan_at(store, deck_id, get_settings(store, deck_id), exam, at)
    return plan.pass_chance_exam_day, plan.expected_score_exam_day
