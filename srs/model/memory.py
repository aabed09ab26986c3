"""A card's memory: where it stands in the FSRS schedule, as stored and as py-fsrs sees it."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum
from typing import Any

from fsrs import Card as FsrsCard
from fsrs import State

from srs.clock import from_db, to_db

__all__ = [
    "Memory",
    "MemoryState",
    "curve_constants",
    "forgetting_curve",
    "recall_at",
    "retrievability",
]


class MemoryState(IntEnum):
    """A card's place in the schedule: py-fsrs's `State`, plus New (never answered)."""

    New = 0
    Learning = 1
    Review = 2
    Relearning = 3


_Row = tuple[int, int | None, float | None, float | None, str | None, str | None, int, int]
"""A memory's `COLUMNS` values as stored."""


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

    def to_row(self) -> _Row:
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
        """The row as JSON (as logged in `reviews.before`/`after`); floats round-trip exactly.

        The text `json.dumps` makes of the `COLUMNS` dict, written out directly (times hold
        nothing to escape, a float's JSON is its repr): two for every answer logged, and
        `json.dumps` was a fifth of an import's rows. NaN and infinity go through it.
        """
        return self.row_json(self.to_row())

    @classmethod
    def row_json(cls, row: _Row) -> str:
        """`to_json` of the memory whose `to_row` is `row` (the log's insert makes the row
        once, for the answer's time and for the JSON)."""
        state, step, stability, difficulty, due, last_review, reps, lapses = row
        if not (_finite(stability) and _finite(difficulty)):
            return json.dumps(dict(zip(cls.COLUMNS, row, strict=True)), separators=(",", ":"))
        return (
            f'{{"state":{state},"step":{_json(step)},"stability":{_json(stability)},'
            f'"difficulty":{_json(difficulty)},"due":{_json_text(due)},'
            f'"last_review":{_json_text(last_review)},"reps":{reps},"lapses":{lapses}}}'
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


def forgetting_curve(elapsed_days: float, stability: float, parameters: Sequence[float]) -> float:
    """FSRS-6's chance of recall `elapsed_days` after the last review of a memory this stable.

    R = (1 + factor * t / S) ** decay, with decay = -w[20] and factor = 0.9 ** (1 / decay) - 1,
    so that R is 90% when t equals the stability. The one formula: the card browser, the
    optimizer's evaluation (and the pass chance) all predict with it.
    """
    decay, factor = curve_constants(parameters)
    recall: float = (1 + factor * elapsed_days / stability) ** decay
    return recall


def curve_constants(parameters: Sequence[float]) -> tuple[float, float]:
    """`forgetting_curve`'s (decay, factor) for these weights: R = (1 + factor * t / S) **
    decay. For loops over many cards, which compute them once."""
    decay = -parameters[20]
    factor: float = 0.9 ** (1 / decay) - 1
    return decay, factor


def retrievability(memory: Memory, now: datetime, parameters: Sequence[float]) -> float | None:
    """The chance of recalling the card at `now`; None for a card never answered.

    Elapsed time is fractional days: py-fsrs's `get_card_retrievability` counts whole 24-hour
    periods, so anything answered within the last day would read as certain (R = 1).

    Args:
        memory: the card's memory.
        now: an aware datetime (a `now` before the last review counts as no time elapsed).
        parameters: the deck's 21 FSRS-6 weights.
    """
    return recall_at(memory.stability, memory.last_review, now, parameters)


def recall_at(
    stability: float | None,
    last_review: datetime | None,
    now: datetime,
    parameters: Sequence[float],
) -> float | None:
    """`retrievability` from the two values it reads (the pass chance reads only these for a
    100,000-card deck, not whole memories)."""
    if stability is None or last_review is None:
        return None
    elapsed = max(now - last_review, timedelta(0)) / timedelta(days=1)
    return forgetting_curve(elapsed, stability, parameters)


def _finite(value: float | None) -> bool:
    return value is None or math.isfinite(value)


def _json(value: float | None) -> str:
    """A number as `json.dumps` writes it (its repr), None as null."""
    return "null" if value is None else repr(value)


def _json_text(text: str | None) -> str:
    """A `to_db` time as a JSON string (it holds nothing to escape), None as null."""
    return "null" if text is None else f'"{text}"'
