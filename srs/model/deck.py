"""A deck as values: its cards, their choices, and the exam it sets. Pure and immutable.

`srs.decks` builds these from YAML (and back); the collection stores them; the engines read them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Card", "Choice", "Deck", "ExamSpec", "parse_duration", "parse_pass_mark"]

_DURATION = re.compile(r"(?:([0-9]{1,4})h)?(?:([0-9]{1,6})m)?(?:([0-9]{1,8})s)?")
_PERCENT = re.compile(r"([0-9]{1,3}(?:\.[0-9]{1,6})?)\s*%")
_FRACTION = re.compile(r"0?\.[0-9]{1,17}|1(?:\.0{1,17})?|0")


# Slots: a 100,000-card deck holds 400,000 of these two (40-48 bytes less each than a dict).
@dataclass(frozen=True, slots=True)
class Choice:
    """A wrong option of a multiple-choice card, with optional feedback for picking it."""

    text: str
    feedback: str | None = None


@dataclass(frozen=True, slots=True)
class Card:
    """One question as the deck states it (content only; memory state lives in the store)."""

    id: str
    question: str
    answers: tuple[str, ...]
    distractors: tuple[Choice, ...] = ()
    topic: str | None = None
    tags: tuple[str, ...] = ()
    feedback_correct: str | None = None
    feedback_incorrect: str | None = None
    explanation: str | None = None

    @property
    def is_multiple_choice(self) -> bool:
        return bool(self.distractors)


@dataclass(frozen=True)
class ExamSpec:
    """The `exam:` block: what one mock-exam attempt looks like."""

    questions: int
    pass_mark: float
    title: str = "Mock exam"
    time_limit: int | None = None
    """Seconds, or None for an untimed exam."""
    blueprint: tuple[tuple[str, int], ...] = ()
    """Questions drawn per topic; empty means drawn from the whole deck."""


@dataclass(frozen=True)
class Deck:
    id: str
    title: str
    cards: tuple[Card, ...]
    description: str | None = None
    exam: ExamSpec | None = None


def parse_duration(text: str) -> int | None:
    """`90s`, `30m`, `1h30m` -> seconds; None when malformed or zero."""
    match = _DURATION.fullmatch(text.strip())
    if not match or not any(match.groups()):
        return None
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    total = hours * 3600 + minutes * 60 + seconds
    return total or None


def parse_pass_mark(text: str) -> float | None:
    """`70%` or `0.7` -> 0.7; None when malformed or outside (0, 1]."""
    text = text.strip()
    if match := _PERCENT.fullmatch(text):
        value = float(match.group(1)) / 100
    elif _FRACTION.fullmatch(text):
        value = float(text)
    else:
        return None
    return value if 0 < value <= 1 else None
