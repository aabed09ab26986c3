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
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import cached_property, lru_cache
from hashlib import blake2b

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State
from fsrs.scheduler import FUZZ_RANGES

from srs.clock import Clock
from srs.model.memory import Memory, MemoryState
from srs.model.settings import DeckSettings
from srs.study.examday import capped_interval

__all__ = [
    "LogScheduler",
    "Preview",
    "card_identity",
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
    outcomes = _outcomes(memory, _NEEDS[rating], card, now, settings, clock)
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
    fraction = _fuzz_fraction(card, memory.reps, settings)
    stabilities = {rating: _stability(card) for rating, card in cards.items()}
    graduating = [rating for rating, card in cards.items() if card.state == State.Review]
    previous = _scheduled_days(memory, clock) if memory.state is MemoryState.Review else 0
    days = _review_days(memory, stabilities, graduating, settings, fraction, previous)
    days = _exam_capped(days, stabilities, settings, moment.today)
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


def _as_py_fsrs_sees_it(memory: Memory, moment: _Moment) -> FsrsCard:
    """The py-fsrs card, its last review moved so that py-fsrs's count of whole 24-hour
    periods up to the answer is the number of study days between them (as Anki counts)."""
    when = moment.when
    if memory.last_review is None:
        return memory.to_fsrs(0, when)
    days = (moment.today - moment.clock.study_day(memory.last_review)).days
    return replace(memory, last_review=when - timedelta(days=days)).to_fsrs(0, when)


def _review_days(
    memory: Memory,
    stabilities: dict[Rating, float],
    graduating: list[Rating],
    settings: DeckSettings,
    fraction: float | None,
    previous: int,
) -> dict[Rating, int]:
    """The interval in days of each rating that leaves the card in Review, by Anki's rules.

    From a review card, Hard, Good and Easy each get at least a day more than the one before
    (and at least the card's current interval, `previous` days, when the memory did not
    shrink); Again without relearning steps keeps its plain interval, unfuzzed. From
    (re)learning, a graduating interval is fuzzed around its rounded value, and Easy is longer
    than Good would be. `stabilities` holds each computed rating's new stability, `graduating`
    the ratings that leave the card in Review.
    """
    maximum = settings.maximum_interval
    days_per_stability = _days_per_stability(settings.parameters[20], settings.desired_retention)
    days: dict[Rating, int] = {}
    if memory.state is MemoryState.Review:
        shortest = 1
        for rating in (Rating.Hard, Rating.Good, Rating.Easy):
            if rating not in stabilities:  # an answer computes the chain only up to its rating
                break
            raw = stabilities[rating] * days_per_stability
            lowest = max(_kept_interval(raw, previous, maximum), shortest)
            days[rating] = _fuzzed(raw, lowest, maximum, fraction)
            shortest = days[rating] + 1
        if Rating.Again in graduating:
            raw = stabilities[Rating.Again] * days_per_stability
            days[Rating.Again] = min(max(_round(raw), 1), maximum)
        return days
    for rating in graduating:
        lowest = 1
        if rating == Rating.Easy:
            good = stabilities[Rating.Good] * days_per_stability
            lowest = _fuzzed(good, 1, maximum, fraction) + 1
        raw = stabilities[rating] * days_per_stability
        days[rating] = _fuzzed(max(_round(raw), 1), lowest, maximum, fraction)
    return days


def _exam_capped(
    days: dict[Rating, int], stabilities: dict[Rating, float], settings: DeckSettings, today: date
) -> dict[Rating, int]:
    """The intervals capped before the deck's exam, to keep recall on the day (examday.py)."""
    if settings.exam_date is None:
        return days
    to_exam = (settings.exam_date - today).days
    return {
        rating: capped_interval(
            n, stabilities[rating], to_exam, settings.exam_day_retention, settings.parameters
        )
        for rating, n in days.items()
    }


def card_identity(deck_id: str, key: str) -> str:
    """A card's identity on every device (its deck and its id in the deck file): what seeds
    its fuzz. The collection's card ids depend on the order decks were imported in."""
    return f"{deck_id}\x1f{key}"


def _fuzz_fraction(card: str, reps: int, settings: DeckSettings) -> float | None:
    """Where in its fuzz range the card's next review interval falls, in [0, 1) (None: fuzz
    off): the same for the same card and answer on every device and Python (a hash of the
    card's identity and its answer count; ten times faster than seeding a `random.Random`)."""
    if not settings.fuzz:
        return None
    digest = blake2b(f"{card}:{reps + 1}".encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return (int.from_bytes(digest) >> 11) / _TWO_TO_53


_TWO_TO_53 = float(2**53)


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


# --- replaying a log ------------------------------------------------------------------------


class LogScheduler:
    """`schedule` for answers replayed in order (an import, a sync's merge): the same memory,
    several times faster.

    `schedule` builds py-fsrs Cards and reviews each rating an answer's interval depends on;
    a replay of 300,000 answers spent most of its time there. This keeps the memory as plain
    numbers through py-fsrs's own formulas (so the same floats), works a neighbouring rating
    out only on a review card, where Anki's Hard < Good < Easy can lengthen the answer's
    interval (and then only its stability), and reuses the study day of the answer before.
    `tests/study/test_replay.py` holds it to `schedule` on random logs.

    Example: `LogScheduler(settings, clock).answer(memory, Rating.Good, card=c, now=at)`.
    """

    def __init__(self, settings: DeckSettings, clock: Clock) -> None:
        self.settings = settings
        # The zone resolved once (see `_outcomes`).
        self.clock = Clock(clock.now_fn, clock.local_zone, clock.rollover_hour)
        self.scheduler = scheduler_for(settings)
        self._last: tuple[datetime, date] | None = None  # the last answer's time and day

    def study_day(self, at: datetime) -> date:
        """The learner's day of `at` (no conversion for the answer just scheduled)."""
        if self._last is not None and self._last[0] == at:
            return self._last[1]
        return self.clock.study_day(at)

    def answer(self, memory: Memory, rating: Rating, *, card: str, now: datetime) -> Memory:
        """The card's memory after answering `rating` at `now`: `schedule`'s, arguments as
        for it."""
        if now.tzinfo is None:
            raise ValueError("naive datetime: answers are timed with aware datetimes")
        last = memory.last_review
        if last is None and memory.state is not MemoryState.New:  # never stored: the slow way
            return schedule(
                memory, rating, card=card, now=now, settings=self.settings, clock=self.clock
            )
        rating = Rating(rating)
        when = now.astimezone(UTC)
        if last is not None and when < last:
            when = last
        clock = self.clock
        local = when.astimezone(clock.local_zone)
        today = (local - timedelta(hours=clock.rollover_hour)).date()
        elapsed = None if last is None else (today - self.study_day(last)).days
        self._last = (when, today)
        reviewing = memory.state is MemoryState.Review
        if reviewing:
            needs = _NEEDS[rating]
        else:  # from (re)learning only Easy looks at another rating: Good's interval
            needs = (Rating.Good, Rating.Easy) if rating == Rating.Easy else (rating,)
        stabilities = {each: self._stability(memory, each, elapsed) for each in needs}
        state, step, wait = self._step(memory, rating)
        if wait is None or reviewing:
            graduating = [rating] if state is State.Review else []
            fraction = _fuzz_fraction(card, memory.reps, self.settings)
            previous = _scheduled_days(memory, clock) if reviewing else 0
            days = _review_days(memory, stabilities, graduating, self.settings, fraction, previous)
            days = _exam_capped(days, stabilities, self.settings, today)
        if wait is None:
            due = (local + timedelta(days=days[rating])).astimezone(UTC)
        else:  # `_Moment.learning_due`
            due = when + wait
            if due >= clock.day_start(today + timedelta(days=1)):
                due = clock.day_start(clock.study_day(due))
        return Memory(
            MemoryState(int(state)),
            step,
            stabilities[rating],
            self._difficulty(memory, rating),
            due,
            when,
            memory.reps + 1,
            memory.lapses + (reviewing and rating == Rating.Again),
        )

    def _stability(self, memory: Memory, rating: Rating, elapsed: int | None) -> float:
        """The stability after `rating`, `elapsed` study days after the last review (as
        py-fsrs's `review_card` computes it)."""
        fsrs = self.scheduler
        stability, difficulty = memory.stability, memory.difficulty
        if stability is None or difficulty is None:
            return fsrs._initial_stability(rating=rating)
        if elapsed is not None and elapsed < 1:
            return fsrs._short_term_stability(stability=stability, rating=rating)
        recall = (1 + fsrs._FACTOR * max(0, elapsed or 0) / stability) ** fsrs._DECAY
        return fsrs._next_stability(
            difficulty=difficulty, stability=stability, retrievability=recall, rating=rating
        )

    def _difficulty(self, memory: Memory, rating: Rating) -> float:
        """The difficulty after `rating` (as py-fsrs's `review_card` computes it)."""
        if memory.stability is None or memory.difficulty is None:
            return self.scheduler._initial_difficulty(rating=rating, clamp=True)
        return self.scheduler._next_difficulty(difficulty=memory.difficulty, rating=rating)

    def _step(self, memory: Memory, rating: Rating) -> tuple[State, int | None, timedelta | None]:
        """The state and (re)learning step after `rating`, and the step's wait (None: the card
        is in Review, its interval in days), by py-fsrs's `review_card`."""
        fsrs = self.scheduler
        if memory.state is MemoryState.Review:
            if rating == Rating.Again and fsrs.relearning_steps:
                return State.Relearning, 0, fsrs.relearning_steps[0]
            return State.Review, None, None
        if memory.state is MemoryState.Relearning:
            state, steps = State.Relearning, fsrs.relearning_steps
        else:
            state, steps = State.Learning, fsrs.learning_steps
        step = memory.step or 0
        if not steps or (step >= len(steps) and rating != Rating.Again):
            return State.Review, None, None
        if rating == Rating.Again:
            return state, 0, steps[0]
        if rating == Rating.Hard:
            if step == 0:
                wait = steps[0] * 1.5 if len(steps) == 1 else (steps[0] + steps[1]) / 2.0
                return state, 0, wait
            return state, step, steps[step]
        if rating == Rating.Good and step + 1 < len(steps):
            return state, step + 1, steps[step + 1]
        return State.Review, None, None


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
