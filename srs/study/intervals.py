"""Anki's rules for the wait after an answer (pure): study days, fuzz, Hard < Good < Easy.

py-fsrs gives each rating's new stability; these rules turn it into the days Anki would give
(rslib/src/scheduler/states/): intervals counted in study days, fuzzed within bounds taken from
the unrounded interval, never shorter than the card's interval unless its memory shrank, capped
before the exam date; and the due time of a (re)learning step. `srs.study.scheduling` (an answer,
a preview) and `srs.study.logreplay` (a replayed log) both apply them, so a replay gives exactly
what the answer gave.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from functools import lru_cache
from hashlib import blake2b

from fsrs import Rating
from fsrs.scheduler import FUZZ_RANGES

from srs.clock import Clock
from srs.model.memory import Memory, MemoryState
from srs.model.settings import DeckSettings
from srs.study.examday import capped_interval

__all__ = [
    "anki_round",
    "card_identity",
    "days_per_stability",
    "exam_capped",
    "fuzz_fraction",
    "fuzzed",
    "learning_due",
    "review_days",
    "scheduled_days",
]

DAY = timedelta(days=1)


def learning_due(
    when: datetime, step: timedelta, clock: Clock, today: date
) -> tuple[datetime, timedelta]:
    """A (re)learning step's due time and the interval shown for it, answered at `when` on
    the study day `today`.

    As Anki (`IntervalKind::maybe_as_days`): a step that ends on a later study day is due from
    the start of that day and shown in whole days, like the reviews of that day (a 10-minute
    step answered at 03:58, with the day starting at 04:00, is a "1d" card of the next day); a
    step that ends today is due at its exact time.
    """
    due = when + step
    if due < clock.day_start(today + DAY):
        return due, step
    day = clock.study_day(due)
    return clock.day_start(day), timedelta(days=(day - today).days)


def review_days(
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
    per_stability = days_per_stability(settings.parameters[20], settings.desired_retention)
    days: dict[Rating, int] = {}
    if memory.state is MemoryState.Review:
        shortest = 1
        for rating in (Rating.Hard, Rating.Good, Rating.Easy):
            if rating not in stabilities:  # an answer computes the chain only up to its rating
                break
            raw = stabilities[rating] * per_stability
            lowest = max(kept_interval(raw, previous, maximum), shortest)
            days[rating] = fuzzed(raw, lowest, maximum, fraction)
            shortest = days[rating] + 1
        if Rating.Again in graduating:
            raw = stabilities[Rating.Again] * per_stability
            days[Rating.Again] = min(max(anki_round(raw), 1), maximum)
        return days
    for rating in graduating:
        lowest = 1
        if rating == Rating.Easy:
            good = stabilities[Rating.Good] * per_stability
            lowest = fuzzed(good, 1, maximum, fraction) + 1
        raw = stabilities[rating] * per_stability
        days[rating] = fuzzed(max(anki_round(raw), 1), lowest, maximum, fraction)
    return days


def exam_capped(
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


def fuzz_fraction(card: str, reps: int, settings: DeckSettings) -> float | None:
    """Where in its fuzz range the card's next review interval falls, in [0, 1) (None: fuzz
    off): the same for the same card and answer on every device and Python (a hash of the
    card's identity and its answer count; ten times faster than seeding a `random.Random`)."""
    if not settings.fuzz:
        return None
    digest = blake2b(f"{card}:{reps + 1}".encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return (int.from_bytes(digest) >> 11) / _TWO_TO_53


_TWO_TO_53 = float(2**53)


@lru_cache(maxsize=32)
def days_per_stability(decay: float, retention: float) -> float:
    """FSRS's interval for a stability of one day, before rounding (Anki takes its fuzz bounds
    from the unrounded interval; py-fsrs only gives the rounded one)."""
    factor = math.pow(0.9, -1 / decay) - 1
    return (math.pow(retention, -1 / decay) - 1) / factor


def scheduled_days(memory: Memory, clock: Clock) -> int:
    """The interval a review card was given: study days from its last review to its due."""
    if memory.due is None or memory.last_review is None:
        return 0
    return (clock.study_day(memory.due) - clock.study_day(memory.last_review)).days


def anki_round(days: float) -> int:
    """Half away from zero, as Rust's `f32::round` (Python's `round` goes to the even)."""
    return math.floor(days + 0.5)


def fuzz_bounds(days: float, minimum: int, maximum: int) -> tuple[int, int]:
    """The fewest and most days fuzz may give, within `minimum`..`maximum` (Anki's
    `constrained_fuzz_bounds`): a day either way plus a share of the interval that shrinks as
    it grows (py-fsrs's and Anki's FUZZ_RANGES); none under 2.5 days."""
    if minimum > maximum:
        minimum = maximum
    if days < minimum:
        days = minimum
    elif days > maximum:
        days = maximum
    if days < 2.5:  # `anki_round` written out here and below: a call costs more than it
        lower = upper = math.floor(days + 0.5)
    else:
        for start, factor, before in _FUZZ_STEPS:
            if days >= start:
                delta = 1.0 + (before + factor * (days - start))
                break
        lower = math.floor(days - delta + 0.5)
        upper = math.floor(days + delta + 0.5)
    lower = min(max(lower, minimum), maximum)
    upper = min(max(upper, minimum), maximum)
    if upper == lower and 2 < upper < maximum:
        upper = lower + 1
    return lower, upper


def _fuzz_steps() -> tuple[tuple[float, float, float], ...]:
    """FUZZ_RANGES as (start, factor, share of the ranges below), the highest start first.

    `fuzz_bounds` runs two or three times an answer (440,000 times in a 300,000-answer
    import): it adds the share of the range the interval falls in to the precomputed share of
    the full ranges below it (the ranges meet end to start), the very floats in the very order
    of the sum over every range (the ranges above add exact zeros), without summing each time.
    """
    steps = []
    before = 0.0
    for fuzz in FUZZ_RANGES:
        steps.append((fuzz["start"], fuzz["factor"], before))
        before += fuzz["factor"] * (fuzz["end"] - fuzz["start"])
    return tuple(reversed(steps))


_FUZZ_STEPS = _fuzz_steps()


def fuzzed(days: float, minimum: int, maximum: int, fraction: float | None) -> int:
    """A review interval of at least `minimum` (and at least 1) and at most `maximum` days,
    fuzzed with `fraction` (None: fuzz off, just rounded). Anki's `with_review_fuzz`."""
    maximum = max(maximum, 1)
    minimum = min(max(minimum, 1), maximum)
    if fraction is None:
        return min(max(anki_round(days), minimum), maximum)
    lower, upper = fuzz_bounds(days, minimum, maximum)
    return math.floor(lower + fraction * (1 + upper - lower))


def kept_interval(days: float, previous: int, maximum: int) -> int:
    """The least a passing review may give, so fuzz never shortens a card that did not shrink
    (Anki's `minimum_review_fuzz_interval`): a day more than before if the new interval is
    longer, the same if the old one is within its fuzz range, otherwise no floor."""
    if anki_round(days) > previous:
        return previous + 1
    if previous <= fuzz_bounds(days, 1, maximum)[1]:
        return previous
    return 0
