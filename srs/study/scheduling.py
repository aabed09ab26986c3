"""FSRS through py-fsrs: memory states, scheduling an answer, and rating previews.

py-fsrs does the memory arithmetic; this module adapts it to the collection and to Anki's
rules. A card's memory is the `memory` row (`Memory`); `preview` turns a memory into what each
rating would do, and `schedule` is the one rating's outcome, so the buttons show exactly what
an answer then does. Memory values are `srs.model.memory`'s, per-deck settings
`srs.model.settings`'s; the learner's days come from the `Clock` the caller passes.

Where Anki and py-fsrs differ, srs does what Anki does (rslib/src/scheduler/states/):
- elapsed time is counted in **study days** (the day starts at the collection's hour, in the
  learner's zone), not in 24-hour periods: a review the next morning, 20 hours after the last,
  is one day later. py-fsrs is given a last review shifted so that its own whole-day count is
  the study-day difference;
- a review card's Hard < Good < Easy, each fuzzed within bounds taken from the unrounded
  interval, and not shorter than the interval it had (unless the memory shrank);
- a learning step that ends on a later study day is due from the start of that day
  (`srs.study.intervals`, where these rules live).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import cached_property, lru_cache

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

from srs.clock import Clock
from srs.model.memory import Memory, MemoryState
from srs.model.settings import DeckSettings
from srs.study.intervals import (
    exam_capped,
    fuzz_fraction,
    learning_due,
    review_days,
    scheduled_days,
)

__all__ = [
    "NEEDED_RATINGS",
    "Preview",
    "format_interval",
    "preview",
    "schedule",
    "scheduler_for",
]


# --- scheduling -----------------------------------------------------------------------------


@lru_cache(maxsize=32)
def _scheduler(
    parameters: tuple[float, ...],
    retention: float,
    learning: tuple[timedelta, ...],
    relearning: tuple[timedelta, ...],
    maximum_interval: int,
) -> Scheduler:
    return Scheduler(
        parameters, retention, learning, relearning, maximum_interval, enable_fuzzing=False
    )


def scheduler_for(settings: DeckSettings) -> Scheduler:
    """The py-fsrs Scheduler for these settings (cached; its own unseeded fuzz is off)."""
    return _scheduler(
        settings.parameters,
        settings.desired_retention,
        settings.learning_steps,
        settings.relearning_steps,
        settings.maximum_interval,
    )


@dataclass(frozen=True)
class Preview:
    """What one rating would do, shown before the learner picks it.

    Attributes:
        rating: the rating.
        due: when the card would be due.
        interval: the wait as the button shows it: whole days for a review card and for a
            learning step that ends on a later study day, the step itself otherwise.
        memory: the card's memory after this rating.
    """

    rating: Rating
    due: datetime
    interval: timedelta
    memory: Memory

    @property
    def text(self) -> str:
        """The interval in short form: "10m", "4d", "3.2mo"."""
        return format_interval(self.interval)


def schedule(
    memory: Memory,
    rating: Rating,
    *,
    card: str,
    now: datetime,
    settings: DeckSettings,
    clock: Clock,
) -> Memory:
    """The card's memory after answering `rating` at `now`.

    Example: `schedule(memory, Rating.Good, card=card_identity("aws", "s3-1"), now=at,
    settings=s, clock=c)`.

    Args:
        memory: the card's memory before the answer.
        rating: Again, Hard, Good or Easy.
        card: the card's stable identity (`card_identity`): it seeds the fuzz, with the
            number of answers, so every device fuzzes the card alike.
        now: an aware datetime. One earlier than the last review (the clock moved back)
            counts as the last review's time, so a review is never dated before the previous.
        settings: the deck's settings.
        clock: the learner's days (zone and day start); only its calendar is used, never
            its `now`.
    """
    rating = Rating(rating)
    outcomes = _outcomes(memory, NEEDED_RATINGS[rating], card, now, settings, clock)
    return outcomes[rating].memory


NEEDED_RATINGS = {
    Rating.Again: (Rating.Again,),
    Rating.Hard: (Rating.Hard,),
    Rating.Good: (Rating.Hard, Rating.Good),
    Rating.Easy: (Rating.Hard, Rating.Good, Rating.Easy),
}
"""The ratings whose outcome one rating's depends on (Good is longer than Hard, Easy than
Good): an answer computes only those, a preview all four."""


def preview(
    memory: Memory,
    *,
    card: str,
    now: datetime,
    settings: DeckSettings,
    clock: Clock,
) -> dict[Rating, Preview]:
    """Per rating, the memory, due date and interval that answering it at `now` would give.

    The ratings are computed together because Anki's rules tie them: on a review card Good is
    at least a day longer than Hard, and Easy than Good. Arguments as for `schedule`.
    """
    return _outcomes(memory, tuple(Rating), card, now, settings, clock)


def _outcomes(
    memory: Memory,
    ratings: tuple[Rating, ...],
    card: str,
    now: datetime,
    settings: DeckSettings,
    clock: Clock,
) -> dict[Rating, Preview]:
    """What each of `ratings` would do (`preview`'s work, for some ratings)."""
    if now.tzinfo is None:
        raise ValueError("naive datetime: answers are timed with aware datetimes")
    when = now.astimezone(UTC)
    if memory.last_review is not None and when < memory.last_review:
        when = memory.last_review
    # The system zone is looked up (in the environment) on every conversion; an answer makes
    # five of them, so the zone is resolved once here (a third of `schedule`'s own time).
    clock = Clock(clock.now_fn, clock.local_zone, clock.rollover_hour)
    moment = _Moment(when, clock)
    scheduler = scheduler_for(settings)
    before = _as_py_fsrs_sees_it(memory, moment)
    cards = {rating: scheduler.review_card(before, rating, when)[0] for rating in ratings}
    fraction = fuzz_fraction(card, memory.reps, settings)
    stabilities = {rating: _stability(card) for rating, card in cards.items()}
    graduating = [rating for rating, card in cards.items() if card.state == State.Review]
    previous = scheduled_days(memory, clock) if memory.state is MemoryState.Review else 0
    days = review_days(memory, stabilities, graduating, settings, fraction, previous)
    days = exam_capped(days, stabilities, settings, moment.today)
    result = {}
    for rating, reviewed in cards.items():
        if rating in days:
            interval = timedelta(days=days[rating])
            due = moment.days_later(days[rating])
        else:
            due, interval = moment.learning_due(reviewed.due - when)
        lapsed = memory.state is MemoryState.Review and rating == Rating.Again
        after = Memory(
            MemoryState(int(reviewed.state)),
            reviewed.step,
            reviewed.stability,
            reviewed.difficulty,
            due,
            when,
            memory.reps + 1,
            memory.lapses + lapsed,
        )
        result[rating] = Preview(rating, due, interval, after)
    return result


@dataclass(frozen=True)
class _Moment:
    """The answer's time in the learner's calendar, each conversion made once for all four
    ratings (with the system zone, zone conversions are most of a preview's cost)."""

    when: datetime
    clock: Clock

    @cached_property
    def local(self) -> datetime:
        return self.when.astimezone(self.clock.local_zone)

    @cached_property
    def today(self) -> date:
        return self.clock.study_day(self.local)

    def days_later(self, days: int) -> datetime:
        """The same wall-clock time `days` days later (so a DST change cannot move the due
        date into a neighbouring study day)."""
        return (self.local + timedelta(days=days)).astimezone(UTC)

    def learning_due(self, step: timedelta) -> tuple[datetime, timedelta]:
        """A (re)learning step's due time and the interval shown for it."""
        return learning_due(self.when, step, self.clock, self.today)


def _stability(card: FsrsCard) -> float:
    assert card.stability is not None, "py-fsrs sets a stability on every answer"
    return card.stability


def _as_py_fsrs_sees_it(memory: Memory, moment: _Moment) -> FsrsCard:
    """The py-fsrs card, its last review moved so that py-fsrs's count of whole 24-hour
    periods up to the answer is the number of study days between them (as Anki counts)."""
    when = moment.when
    if memory.last_review is None:
        return memory.to_fsrs(0, when)
    days = (moment.today - moment.clock.study_day(memory.last_review)).days
    return replace(memory, last_review=when - timedelta(days=days)).to_fsrs(0, when)


def format_interval(interval: timedelta) -> str:
    """An interval as short text: "45s", "10m", "1.5h", "4d", "3.2mo", "1.5y".

    Months are 30 days and years 365, as Anki shows them.
    """
    seconds = max(interval.total_seconds(), 0.0)
    days = seconds / 86400
    if seconds < 60:
        return f"{round(seconds)}s"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if days < 1:
        return f"{_one_decimal(seconds / 3600)}h"
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{_one_decimal(days / 30)}mo"
    return f"{_one_decimal(days / 365)}y"


def _one_decimal(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")
