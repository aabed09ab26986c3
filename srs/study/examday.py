"""The exam-day cap (pure): before the exam, no review is planned past exam day when that would
let the card's chance of recall on the day fall below the exam-day target.

Daily study aims at `desired_retention` (0.90) when a card comes due; exam day is the one day
that counts, so it gets a target of its own (`exam_day_retention`, 0.95). A review interval that
would end after the exam is kept when the card's recall on exam day, counted in study days from
the answer, stays at or above the target; otherwise it is shortened to the days after which the
forgetting curve reaches the target. The next review then comes before the exam, and the card
leaves it with a stability that carries it over the day. From exam day on, intervals are
FSRS's own.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from srs.clock import Clock
from srs.model.memory import Memory, MemoryState, forgetting_curve
from srs.model.settings import DeckSettings

__all__ = ["capped_interval", "capped_memory", "days_to_target"]


def days_to_target(stability: float, target: float, parameters: Sequence[float]) -> float:
    """The days after which a memory this stable falls to `target` recall (the inverse of
    `srs.model.memory.forgetting_curve`)."""
    decay = -parameters[20]
    factor: float = 0.9 ** (1 / decay) - 1
    days: float = stability / factor * (target ** (1 / decay) - 1)
    return days


def capped_interval(
    days: int, stability: float, days_to_exam: int, target: float, parameters: Sequence[float]
) -> int:
    """A review interval of `days`, shortened when it ends after the exam and the card's recall
    on exam day would be below `target`.

    Args:
        days: the interval FSRS gave, in study days.
        stability: the card's stability after the answer.
        days_to_exam: study days from the answer to the exam (0 or less: the exam is today or
            past, and nothing is capped).
        target: the exam-day recall target.
        parameters: the deck's FSRS-6 weights.
    """
    if days_to_exam <= 0 or days <= days_to_exam:
        return days
    if forgetting_curve(days_to_exam, stability, parameters) >= target:
        return days
    shortest = math.floor(days_to_target(stability, target, parameters))
    return min(days, days_to_exam, max(1, shortest))


def capped_memory(memory: Memory, today: date, settings: DeckSettings, clock: Clock) -> Memory:
    """A review card's memory with its due date moved as `capped_interval` says, counted from
    its last review, but never before `today` (setting an exam date applies the cap to the
    cards already scheduled). Other cards, and any card when no exam date is set or the exam
    is today or past, come back unchanged.
    """
    exam = settings.exam_date
    if (
        exam is None
        or exam <= today
        or memory.state is not MemoryState.Review
        or memory.due is None
        or memory.last_review is None
        or memory.stability is None
    ):
        return memory
    last = clock.study_day(memory.last_review)
    days = (clock.study_day(memory.due) - last).days
    capped = capped_interval(
        days,
        memory.stability,
        (exam - last).days,
        settings.exam_day_retention,
        settings.parameters,
    )
    if capped == days:
        return memory
    day = max(last + timedelta(days=capped), today)
    return replace(memory, due=clock.day_start(day))
