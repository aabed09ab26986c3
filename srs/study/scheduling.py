"""FSRS through py-fsrs: memory states, scheduling an answer, and rating previews.

py-fsrs does the arithmetic; this module adapts it to the collection. A card's memory is the
`memory` row (`Memory`); `schedule` turns a memory and a rating into the next memory with
FSRS-6 (default parameters until personal ones are set) and a fuzz seeded per card, so the same
history always gives the same schedule. `preview` shows what each rating would do before the
learner picks one. Memory values are `srs.model.memory`'s, per-deck settings `srs.model.settings`'s.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from fsrs import Rating, Scheduler, State
from fsrs.scheduler import FUZZ_RANGES

from srs.model.memory import Memory, MemoryState
from srs.model.settings import DeckSettings

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


def _fuzzed_days(days: int, maximum: int, seed: str) -> int:
    """py-fsrs's fuzz ranges, drawn from a generator seeded per card and answer.

    One seed gives one fraction for every rating, so fuzzed Hard <= Good <= Easy still holds.
    """
    if days < 2.5:
        return days
    delta = 1.0
    for fuzz_range in FUZZ_RANGES:
        delta += fuzz_range["factor"] * max(
            min(float(days), fuzz_range["end"]) - fuzz_range["start"], 0.0
        )
    high = min(round(days + delta), maximum)
    low = min(max(2, round(days - delta)), high)
    fraction = random.Random(seed).random()
    return min(low + math.floor(fraction * (high - low + 1)), high)


def schedule(
    memory: Memory, rating: Rating, *, card_id: int, now: datetime, settings: DeckSettings
) -> Memory:
    """The card's memory after answering `rating` at `now`.

    A `now` earlier than the last review (the clock moved back) counts as the last review's
    time, so a review is never dated before the previous one.

    Args:
        memory: the card's memory before the answer.
        rating: Again, Hard, Good or Easy.
        card_id: the card (seeds the fuzz, with the number of answers).
        now: an aware datetime.
        settings: the deck's settings.
    """
    if now.tzinfo is None:
        raise ValueError("naive datetime: answers are timed with aware datetimes")
    when = now.astimezone(UTC)
    if memory.last_review is not None and when < memory.last_review:
        when = memory.last_review
    card, _ = scheduler_for(settings).review_card(memory.to_fsrs(card_id, when), rating, when)
    reps = memory.reps + 1
    due: datetime = card.due
    if settings.fuzz and card.state == State.Review:
        days = _fuzzed_days((due - when).days, settings.maximum_interval, f"{card_id}:{reps}")
        due = when + timedelta(days=days)
    lapsed = memory.state is MemoryState.Review and rating == Rating.Again
    return Memory(
        MemoryState(int(card.state)),
        card.step,
        card.stability,
        card.difficulty,
        due,
        when,
        reps,
        memory.lapses + lapsed,
    )


@dataclass(frozen=True)
class Preview:
    """What one rating would do, shown before the learner picks it."""

    rating: Rating
    due: datetime
    interval: timedelta
    memory: Memory

    @property
    def text(self) -> str:
        """The interval in short form: "10m", "4d", "3.2mo"."""
        return format_interval(self.interval)


def preview(
    memory: Memory, *, card_id: int, now: datetime, settings: DeckSettings
) -> dict[Rating, Preview]:
    """Per rating, the due date and interval that answering it now would give."""
    result = {}
    for rating in Rating:
        after = schedule(memory, rating, card_id=card_id, now=now, settings=settings)
        assert after.due is not None and after.last_review is not None
        result[rating] = Preview(rating, after.due, after.due - after.last_review, after)
    return result


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
