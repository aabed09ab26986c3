"""The exam plan of a deck: read the collection and forecast to the exam date (`forecast.py`);
the date itself and its outcome are `dates.py`'s. The rules are in docs/plan.md.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from operator import itemgetter

from fsrs import Rating

from srs.clock import Clock, to_db
from srs.collection.chances import KeptByMark, evidence_mark
from srs.collection.planning import PlanCard, answer_time_ms, julian_day, plan_reads
from srs.collection.settings import clock_for, get_settings
from srs.collection.store import CollectionError, Store
from srs.exam.form import check_pool, needed_to_pass, pool_demands, required_exam_spec
from srs.exam.readiness import chance_model
from srs.model.collector import collector_paused
from srs.model.memory import Memory, MemoryState
from srs.model.percent import chance_text
from srs.model.settings import DeckSettings
from srs.plan.forecast import Forecast, ForecastInput, Studied, forecast
from srs.study.scheduling import schedule

__all__ = [
    "DEFAULT_ANSWER_SECONDS",
    "ExamPlan",
    "PlanDay",
    "PlanError",
    "exam_plan",
    "forecast_input",
    "plan_at",
]

_DAY = timedelta(days=1)
DEFAULT_ANSWER_SECONDS = 12.0
"""Seconds per answer before the learner has answered anything in the deck."""


class PlanError(CollectionError):
    """The exam plan cannot do what was asked; the message says why."""


@dataclass(frozen=True)
class PlanDay:
    """One day of the plan: expected answers of studied cards, new cards, minutes, the chance
    to pass if the exam were that day, and whether it needs more than the learner's minutes."""

    date: date
    reviews: int
    new: int
    minutes: float
    pass_chance: float
    over_budget: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "date": self.date.isoformat(),
            "reviews": self.reviews,
            "new": self.new,
            "minutes": round(self.minutes, 1),
            "pass_chance": self.pass_chance,
            "over_budget": self.over_budget,
        }


@dataclass(frozen=True)
class ExamPlan:
    """A deck's plan to its exam date (chances 0-1, scores as the expected share right).

    Attributes:
        deck_id: the deck.
        exam_date: the study day of the exam.
        days_left: study days from today to it (0: the exam is today).
        new_cards: cards not yet introduced.
        new_per_day: new cards a day so that every card is in time (docs/plan.md).
        minutes_per_day: the learner's daily minutes, which each day is checked against.
        seconds_per_answer: the learner's mean time per answer the minutes come from.
        pass_chance_now: the chance to pass today.
        pass_chance_exam_day: on exam day, following the plan.
        pass_chance_if_stopped: on exam day, with no more study.
        expected_score_exam_day: the expected share right on exam day, following the plan.
        recall_exam_day: the mean chance of recall of the exam's cards on exam day.
        forecast: one row per day, today to exam day.
    """

    deck_id: str
    exam_date: date
    days_left: int
    new_cards: int
    new_per_day: int
    minutes_per_day: int
    seconds_per_answer: float
    pass_chance_now: float
    pass_chance_exam_day: float
    pass_chance_if_stopped: float
    expected_score_exam_day: float
    recall_exam_day: float
    forecast: tuple[PlanDay, ...]

    @property
    def over_budget_days(self) -> tuple[PlanDay, ...]:
        """The days that need more than `minutes_per_day`."""
        return tuple(day for day in self.forecast if day.over_budget)

    @property
    def mean_minutes(self) -> float:
        return sum(day.minutes for day in self.forecast) / len(self.forecast)

    @property
    def advice(self) -> str | None:
        """What to do when some days need more than the learner's minutes (None: none do)."""
        over = self.over_budget_days
        if not over:
            return None
        most = math.ceil(max(day.minutes for day in over))
        return (
            f"{len(over)} of {len(self.forecast)} days need more than {self.minutes_per_day} "
            f"min (up to {most}, first {over[0].date.isoformat()}): raise the minutes "
            f"(srs plan {self.deck_id} --minutes-per-day {most}), start earlier next time, "
            f"or accept a lower exam-day retention (srs config {self.deck_id} "
            "exam_day_retention 0.9)"
        )

    def summary_line(self) -> str:
        """One line for the dashboard and `srs plan`."""
        when = "exam today" if self.days_left == 0 else f"exam in {self.days_left} days"
        if self.days_left == 1:
            when = "exam tomorrow"
        return (
            f"{when} · {self.new_per_day} new/day · ~{round(self.mean_minutes)} min/day · "
            f"{chance_text(self.pass_chance_exam_day)} on exam day "
            f"({chance_text(self.pass_chance_now)} today)"
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "deck": self.deck_id,
            "exam_date": self.exam_date.isoformat(),
            "days_left": self.days_left,
            "new_cards": self.new_cards,
            "new_per_day": self.new_per_day,
            "minutes_per_day": self.minutes_per_day,
            "seconds_per_answer": round(self.seconds_per_answer, 1),
            "pass_chance_now": self.pass_chance_now,
            "pass_chance_exam_day": self.pass_chance_exam_day,
            "pass_chance_if_stopped": self.pass_chance_if_stopped,
            "expected_score_exam_day": self.expected_score_exam_day,
            "recall_exam_day": self.recall_exam_day,
            "over_budget_days": len(self.over_budget_days),
            "advice": self.advice,
            "forecast": [day.to_dict() for day in self.forecast],
        }


def _first_day(settings: DeckSettings) -> tuple[tuple[float, float, int], int, int]:
    """A new card answered Good through its learning steps: (stability, difficulty, interval)
    after its first day, the answers that day takes, and the days until its second review
    after that (answered Good when due): the lead a new card needs (docs/plan.md)."""
    clock = Clock(zone=UTC)
    plain = replace(settings, exam_date=None, fuzz=False)
    at = datetime(2025, 1, 6, 12, tzinfo=UTC)
    memory, answers = Memory(), 0
    while memory.state is not MemoryState.Review:
        memory = schedule(memory, Rating.Good, card="", now=at, settings=plain, clock=clock)
        answers += 1
        assert memory.due is not None
        at = max(at, memory.due)
    assert memory.stability is not None and memory.difficulty is not None
    assert memory.last_review is not None and memory.due is not None
    first = (memory.due - memory.last_review).days
    second = schedule(memory, Rating.Good, card="", now=memory.due, settings=plain, clock=clock)
    assert second.due is not None and second.last_review is not None
    lead = first + (second.due - second.last_review).days
    return (memory.stability, memory.difficulty, max(first, 1)), answers, lead


def _new_per_day(new_cards: int, days_left: int, lead: int) -> int:
    """Spread the new cards over the first third of the days left, and no later than `lead`
    days before the exam (its learning day and two reviews): with a fixed daily time, a card
    introduced earlier gets more reviews before the exam (docs/plan.md)."""
    if not new_cards:
        return 0
    window = max(1, min(days_left + 1 - lead, math.ceil((days_left + 1) / 3)))
    return math.ceil(new_cards / window)


def exam_plan(store: Store, deck_id: str) -> ExamPlan | None:
    """The deck's plan to its exam date; None when no date is set or the date has passed
    (`pending_outcome` then says whether to ask how it went).

    Raises:
        ExamError: no such deck, no mock exam in it, or too few cards for one.
    """
    settings = get_settings(store, deck_id)
    clock = clock_for(store)
    now = clock.now()
    if settings.exam_date is None or settings.exam_date < clock.study_day(now):
        required_exam_spec(store, deck_id)
        return None
    return plan_at(store, deck_id, settings, settings.exam_date, now)


@collector_paused()  # 100,000 cards make ~200,000 tuples and no cycles: nothing to collect
def plan_at(
    store: Store, deck_id: str, settings: DeckSettings, exam_date: date, now: datetime
) -> ExamPlan:
    """The plan as made at `now`, for an exam on `exam_date` (not before now's study day)."""
    source = forecast_input(store, deck_id, settings, exam_date, now)
    result: Forecast = forecast(source)
    today = exam_date - timedelta(days=source.days)
    budget = settings.minutes_per_day
    days = tuple(
        PlanDay(
            today + timedelta(days=row.day),
            round(row.reviews),
            row.new,
            row.minutes,
            row.pass_chance,
            row.minutes > budget,
        )
        for row in result.rows
    )
    return ExamPlan(
        deck_id,
        exam_date,
        source.days,
        len(source.new),
        max(source.new_per_day, result.rows[0].new),
        budget,
        source.seconds_per_answer,
        days[0].pass_chance,
        result.pass_chance_exam_day,
        result.pass_chance_if_stopped,
        result.expected_score_exam_day,
        result.recall_exam_day,
        days,
    )


def _split(
    cards: list[PlanCard], starts: list[str], since: float, latest: float
) -> tuple[Studied, list[tuple[int, int]]]:
    """The deck's cards as the forecast takes them: the studied ones as columns, the new ones
    as (pool, picks), both in deck order.

    Args:
        cards: as `plan_reads` reads them.
        starts: the start of each study day from tomorrow to the day after the exam, as
            stored text: a due date's day is how many of them it sorts after (0: today, or
            overdue).
        since: today's day start as SQLite's `julianday` (the last reviews are counted in
            days from it, as SQLite's own subtraction would).
        latest: a last review is taken as no later than this (now, in days since `since`).
    """
    studied, new = Studied(), []
    # Bound appends, a column each: a named tuple per card, regrouped into columns by the
    # forecast, took 30 ms more at 100,000 cards.
    add_stability, add_difficulty, add_last = (
        studied.stability.append,
        studied.difficulty.append,
        studied.last.append,
    )
    add_due, add_steps, add_pool, add_picks = (
        studied.due.append,
        studied.steps.append,
        studied.pool.append,
        studied.picks.append,
    )
    for _, _, pool, picks, steps, stability, difficulty, due, last in cards:
        if steps is None:
            new.append((pool, picks))
            continue
        assert stability is not None and last is not None and due is not None
        add_stability(stability)
        add_difficulty(difficulty or 5.0)
        add_last(min(last - since, latest))
        add_due(bisect.bisect_right(starts, due))
        add_steps(steps)
        add_pool(pool)
        add_picks(picks)
    return studied, new


_PACES: KeptByMark[float] = KeptByMark()
"""The learner's pace last read for each deck, with the `evidence_mark` it was read at: it
comes from the deck's latest answers only, so a plan made again before any answer reuses it
(its read took ~25 ms at 1,000,000 answers, the mark well under 1 ms)."""


def _answer_seconds(store: Store, deck_id: str) -> float:
    """The learner's mean seconds per answer in the deck (`answer_time_ms`)."""

    def read() -> float:
        mean_ms, _ = answer_time_ms(store, deck_id)
        return DEFAULT_ANSWER_SECONDS if mean_ms is None else mean_ms / 1000

    return _PACES.get(store, deck_id, evidence_mark(store, deck_id), read)


def forecast_input(
    store: Store, deck_id: str, settings: DeckSettings, exam_date: date, now: datetime
) -> ForecastInput:
    """Everything the plan's forecast reads, out of the collection in one read of the deck:
    the seam `bench.plan` times the reads and the forecast apart at."""
    spec = required_exam_spec(store, deck_id)
    clock = clock_for(store)
    today = clock.study_day(now)
    days_left = (exam_date - today).days
    start = clock.day_start(today)
    demands = pool_demands(spec)
    topics = [topic for topic, _ in demands if topic is not None] if spec.blueprint else None
    since_now = (now - start) / _DAY
    steps = len(settings.learning_steps), len(settings.relearning_steps)
    cards = plan_reads(store, deck_id, topics, steps=steps)
    sizes = Counter(map(itemgetter(2), cards))
    pool_of = {topic: n for n, (topic, _) in enumerate(demands)}  # a topic twice: the later
    for topic, count in demands:
        check_pool(deck_id, topic, sizes[pool_of[topic]], count)
    starts = [to_db(clock.day_start(today + k * _DAY)) for k in range(1, days_left + 2)]
    studied, new = _split(cards, starts, julian_day(store, start), since_now)
    first, first_answers, lead = _first_day(settings)
    per_day = _new_per_day(len(new), days_left, lead)
    seconds = _answer_seconds(store, deck_id)
    return ForecastInput(
        days=days_left,
        now=since_now,
        studied=studied,
        new=new,
        new_per_day=per_day,
        pool_counts=[count for _, count in demands],
        needed=needed_to_pass(spec.pass_mark, spec.questions),
        chance=chance_model(store, deck_id),
        parameters=settings.parameters,
        desired_retention=settings.desired_retention,
        exam_retention=settings.exam_day_retention,
        maximum_interval=settings.maximum_interval,
        first=first,
        first_answers=first_answers,
        relearning_answers=len(settings.relearning_steps),
        seconds_per_answer=seconds,
        minutes_per_day=settings.minutes_per_day,
    )
