"""FSRS through py-fsrs: memory states, scheduling an answer, and rating previews.

py-fsrs does the arithmetic; this module adapts it to the collection. A card's memory is the
`memory` row (`Memory`); `schedule` turns a memory and a rating into the next memory with
FSRS-6 (default parameters until personal ones are set) and a fuzz seeded per card, so the same
history always gives the same schedule. `preview` shows what each rating would do before the
learner picks one. Per-deck settings are in `srs.settings`.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from functools import lru_cache
from typing import Any

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State
from fsrs.scheduler import FUZZ_RANGES

from srs.clock import from_db, to_db
from srs.settings import DeckSettings

__all__ = [
    "MEMORY_COLUMNS",
    "Memory",
    "MemoryState",
    "Preview",
    "format_interval",
    "preview",
    "schedule",
    "scheduler_for",
]


class MemoryState(IntEnum):
    """A card's place in the schedule: py-fsrs's `State`, plus New (never answered)."""

    New = 0
    Learning = 1
    Review = 2
    Relearning = 3


@dataclass(frozen=True)
class Memory:
    """One `memory` row: what the scheduler knows about a card.

    Attributes:
        state: New, Learning, Review or Relearning.
        step: the (re)learning step, None outside the learning states.
        stability: FSRS stability in days (None while New).
        difficulty: FSRS difficulty, 1-10 (None while New).
        due: when the card is next due (None while New).
        last_review: when it was last answered (None while New).
        reps: answers given so far.
        lapses: times a Review card was answered Again.
    """

    state: MemoryState = MemoryState.New
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0

    COLUMNS = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")
    """The `memory` columns, in the order `from_row` and `to_row` use."""

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Memory:
        """Build from the `COLUMNS` values of a `memory` row."""
        state, step, stability, difficulty, due, last_review, reps, lapses = row
        return cls(
            MemoryState(state),
            step,
            stability,
            difficulty,
            None if due is None else from_db(due),
            None if last_review is None else from_db(last_review),
            reps,
            lapses,
        )

    def to_row(
        self,
    ) -> tuple[int, int | None, float | None, float | None, str | None, str | None, int, int]:
        """The `COLUMNS` values to store (times as fixed-width UTC text)."""
        return (
            int(self.state),
            self.step,
            self.stability,
            self.difficulty,
            None if self.due is None else to_db(self.due),
            None if self.last_review is None else to_db(self.last_review),
            self.reps,
            self.lapses,
        )

    def to_json(self) -> str:
        """The row as JSON (as logged in `reviews.before`/`after`); floats round-trip exactly."""
        return json.dumps(
            dict(zip(self.COLUMNS, self.to_row(), strict=True)), separators=(",", ":")
        )

    @classmethod
    def from_json(cls, text: str) -> Memory:
        data = json.loads(text)
        return cls.from_row([data[column] for column in cls.COLUMNS])

    def to_fsrs(self, card_id: int, now: datetime) -> FsrsCard:
        """The py-fsrs Card for this memory (built directly: `Card.from_dict` loses a 0.0)."""
        if self.state is MemoryState.New:
            return FsrsCard(card_id=card_id, state=State.Learning, step=0, due=now)
        return FsrsCard(
            card_id=card_id,
            state=State(int(self.state)),
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due or now,
            last_review=self.last_review,
        )


MEMORY_COLUMNS = ", ".join(f"m.{column}" for column in Memory.COLUMNS)
"""SQL: the columns `Memory.from_row` reads, from the `memory` table aliased `m`."""


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
