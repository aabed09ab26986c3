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
- a learning step that ends on a later study day is due from the start of that day.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import cached_property, lru_cache

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State
from fsrs.scheduler import FUZZ_RANGES

from srs.clock import Clock
from srs.model.memory import Memory, MemoryState
from srs.model.settings import DeckSettings
from srs.study.examday import capped_interval

__all__ = [
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
    card_id: int,
    now: datetime,
    settings: DeckSettings,
    clock: Clock,
) -> Memory:
    """The card's memory after answering `rating` at `now`.

    Example: `schedule(memory, Rating.Good, card_id=42, now=at, settings=s, clock=c)`.

    Args:
        memory: the card's memory before the answer.
        rating: Again, Hard, Good or Easy.
        card_id: the card (seeds the fuzz, with the number of answers).
        now: an aware datetime. One earlier than the last review (the clock moved back)
            counts as the last review's time, so a review is never dated before the previous.
        settings: the deck's settings.
        clock: the learner's days (zone and day start); only its calendar is used, never
            its `now`.
    """
    rating = Rating(rating)
    outcomes = _outcomes(memory, _NEEDS[rating], card_id, now, settings, clock)
    return outcomes[rating].memory


_NEEDS = {
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
    card_id: int,
    now: datetime,
    settings: DeckSettings,
    clock: Clock,
) -> dict[Rating, Preview]:
    """Per rating, the memory, due date and interval that answering it at `now` would give.

    The ratings are computed together because Anki's rules tie them: on a review card Good is
    at least a day longer than Hard, and Easy than Good. Arguments as for `schedule`.
    """
    return _outcomes(memory, tuple(Rating), card_id, now, settings, clock)


def _outcomes(
    memory: Memory,
    ratings: tuple[Rating, ...],
    card_id: int,
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
    before = _as_py_fsrs_sees_it(memory, card_id, moment)
    cards = {rating: scheduler.review_card(before, rating, when)[0] for rating in ratings}
    fraction = random.Random(f"{card_id}:{memory.reps + 1}").random() if settings.fuzz else None
    days = _review_days(memory, cards, settings, fraction, clock)
    if settings.exam_date is not None:  # before the exam, keep recall on the day (examday.py)
        to_exam = (settings.exam_date - moment.today).days
        days = {
            rating: capped_interval(
                n,
                _stability(cards[rating]),
                to_exam,
                settings.exam_day_retention,
                settings.parameters,
            )
            for rating, n in days.items()
        }
    result = {}
    for rating, card in cards.items():
        if rating in days:
            interval = timedelta(days=days[rating])
            due = moment.days_later(days[rating])
        else:
            due, interval = moment.learning_due(card.due - when)
        lapsed = memory.state is MemoryState.Review and rating == Rating.Again
        after = Memory(
            MemoryState(int(card.state)),
            card.step,
            card.stability,
            card.difficulty,
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

    @cached_property
    def day_end(self) -> datetime:
        return self.clock.day_start(self.today + timedelta(days=1))

    def days_later(self, days: int) -> datetime:
        """The same wall-clock time `days` days later (so a DST change cannot move the due
        date into a neighbouring study day)."""
        return (self.local + timedelta(days=days)).astimezone(UTC)

    def learning_due(self, step: timedelta) -> tuple[datetime, timedelta]:
        """A (re)learning step's due time and the interval shown for it.

        A step that ends on a later study day is due from the start of that day, and shown in
        whole days, as Anki's day-learning cards are: a 1-day step answered at 10:00 is ready
        at tomorrow's day start, like the reviews of that day.
        """
        due = self.when + step
        if due < self.day_end:
            return due, step
        day = self.clock.study_day(due)
        return self.clock.day_start(day), timedelta(days=(day - self.today).days)


def _as_py_fsrs_sees_it(memory: Memory, card_id: int, moment: _Moment) -> FsrsCard:
    """The py-fsrs card, its last review moved so that py-fsrs's count of whole 24-hour
    periods up to the answer is the number of study days between them (as Anki counts)."""
    when = moment.when
    if memory.last_review is None:
        return memory.to_fsrs(card_id, when)
    days = (moment.today - moment.clock.study_day(memory.last_review)).days
    return replace(memory, last_review=when - timedelta(days=days)).to_fsrs(card_id, when)


def _review_days(
    memory: Memory,
    cards: dict[Rating, FsrsCard],
    settings: DeckSettings,
    fraction: float | None,
    clock: Clock,
) -> dict[Rating, int]:
    """The interval in days of each rating that leaves the card in Review, by Anki's rules.

    From a review card, Hard, Good and Easy each get at least a day more than the one before
    (and at least the card's current interval when the memory did not shrink); Again without
    relearning steps keeps its plain interval, unfuzzed. From (re)learning, a graduating
    interval is fuzzed around its rounded value, and Easy is longer than Good would be.
    """
    maximum = settings.maximum_interval
    days_per_stability = _days_per_stability(settings.parameters[20], settings.desired_retention)
    raw = {rating: _stability(card) * days_per_stability for rating, card in cards.items()}
    graduating = [rating for rating, card in cards.items() if card.state == State.Review]
    days: dict[Rating, int] = {}
    if memory.state is MemoryState.Review:
        previous = _scheduled_days(memory, clock)
        shortest = 1
        for rating in (Rating.Hard, Rating.Good, Rating.Easy):
            if rating not in raw:  # an answer computes the chain only up to its rating
                break
            lowest = max(_kept_interval(raw[rating], previous, maximum), shortest)
            days[rating] = _fuzzed(raw[rating], lowest, maximum, fraction)
            shortest = days[rating] + 1
        if Rating.Again in graduating:
            days[Rating.Again] = min(max(_round(raw[Rating.Again]), 1), maximum)
        return days
    for rating in graduating:
        lowest = 1
        if rating == Rating.Easy:
            lowest = _fuzzed(raw[Rating.Good], 1, maximum, fraction) + 1
        days[rating] = _fuzzed(max(_round(raw[rating]), 1), lowest, maximum, fraction)
    return days


@lru_cache(maxsize=32)
def _days_per_stability(decay: float, retention: float) -> float:
    """FSRS's interval for a stability of one day, before rounding (Anki takes its fuzz bounds
    from the unrounded interval; py-fsrs only gives the rounded one)."""
    factor = math.pow(0.9, -1 / decay) - 1
    return (math.pow(retention, -1 / decay) - 1) / factor


def _stability(card: FsrsCard) -> float:
    assert card.stability is not None, "py-fsrs sets a stability on every answer"
    return card.stability


def _scheduled_days(memory: Memory, clock: Clock) -> int:
    """The interval a review card was given: study days from its last review to its due."""
    if memory.due is None or memory.last_review is None:
        return 0
    return (clock.study_day(memory.due) - clock.study_day(memory.last_review)).days


def _round(days: float) -> int:
    """Half away from zero, as Rust's `f32::round` (Python's `round` goes to the even)."""
    return math.floor(days + 0.5)


def _fuzz_bounds(days: float, minimum: int, maximum: int) -> tuple[int, int]:
    """The fewest and most days fuzz may give, within `minimum`..`maximum` (Anki's
    `constrained_fuzz_bounds`): a day either way plus a share of the interval that shrinks as
    it grows (py-fsrs's and Anki's FUZZ_RANGES); none under 2.5 days."""
    minimum = min(minimum, maximum)
    days = min(max(days, minimum), maximum)
    delta = 0.0
    if days >= 2.5:
        delta = 1.0 + sum(
            factor * max(min(days, end) - start, 0.0) for start, end, factor in _FUZZ_RANGES
        )
    lower = min(max(_round(days - delta), minimum), maximum)
    upper = min(max(_round(days + delta), minimum), maximum)
    if upper == lower and 2 < upper < maximum:
        upper = lower + 1
    return lower, upper


_FUZZ_RANGES = tuple((fuzz["start"], fuzz["end"], fuzz["factor"]) for fuzz in FUZZ_RANGES)
"""FUZZ_RANGES as tuples (start, end, factor): read on every answer, faster than the dicts."""


def _fuzzed(days: float, minimum: int, maximum: int, fraction: float | None) -> int:
    """A review interval of at least `minimum` (and at least 1) and at most `maximum` days,
    fuzzed with `fraction` (None: fuzz off, just rounded). Anki's `with_review_fuzz`."""
    maximum = max(maximum, 1)
    minimum = min(max(minimum, 1), maximum)
    if fraction is None:
        return min(max(_round(days), minimum), maximum)
    lower, upper = _fuzz_bounds(days, minimum, maximum)
    return math.floor(lower + fraction * (1 + upper - lower))


def _kept_interval(days: float, previous: int, maximum: int) -> int:
    """The least a passing review may give, so fuzz never shortens a card that did not shrink
    (Anki's `minimum_review_fuzz_interval`): a day more than before if the new interval is
    longer, the same if the old one is within its fuzz range, otherwise no floor."""
    if _round(days) > previous:
        return previous + 1
    if previous <= _fuzz_bounds(days, 1, maximum)[1]:
        return previous
    return 0


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
