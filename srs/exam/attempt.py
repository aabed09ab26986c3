"""A mock-exam attempt as stored: its questions, the answers and flags given, and its result.

Values only, read with `load_attempt` (the rows come from `srs.collection.attempts`);
`srs.exam.engine` changes attempts, `srs.exam.results` reports on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from srs.collection.attempts import AttemptRecord, attempt_answers, attempt_record
from srs.collection.store import Store
from srs.exam.form import ExamError, needed_to_pass
from srs.model.deck import Card

__all__ = [
    "Attempt",
    "AttemptKind",
    "ExamQuestion",
    "attempt_row",
    "load_attempt",
]


class AttemptKind(StrEnum):
    """What an attempt asks."""

    FULL = "full"
    """A fresh form drawn from the whole deck (or its blueprint)."""
    RETAKE = "retake"
    """The questions missed in an earlier attempt."""


@dataclass(frozen=True)
class ExamQuestion:
    """One question of an attempt.

    Attributes:
        position: its place in the attempt, from 0 (shown as `number`).
        card_id: the card asked.
        card: the card's content.
        choices: the option texts, in the order shown (kept, so a resumed attempt shows the
            same order).
        chosen: the texts picked, in shown order; empty while unanswered.
        flagged: marked for another look before submitting.
        correct: the verdict, frozen at submission (None before).
    """

    position: int
    card_id: int
    card: Card
    choices: tuple[str, ...]
    chosen: tuple[str, ...] = ()
    flagged: bool = False
    correct: bool | None = None

    @property
    def number(self) -> int:
        """The question's number as shown, from 1."""
        return self.position + 1

    @property
    def answered(self) -> bool:
        return bool(self.chosen)

    @property
    def picks(self) -> int:
        """Options to pick: 1, or a select-all card's number of right options (the screen says
        "choose 2", as real exams do)."""
        return len(self.card.answers)

    @property
    def is_select_all(self) -> bool:
        return self.picks > 1


@dataclass(frozen=True)
class Attempt:
    """One attempt at a deck's mock exam, as stored.

    Attributes:
        id: the attempt's row id.
        deck_id: the deck examined.
        kind: a full form or a retake of missed questions.
        started_at: when it began.
        deadline: when time runs out (None: untimed).
        pass_mark: the fraction of questions to get right, e.g. 0.7.
        questions: the questions, in order.
        submitted_at: when it was submitted (None while in progress); the deadline when time
            ran out.
        timed_out: time ran out before the learner submitted.
        score: right answers (None while in progress).
        predicted_pass: the chance of passing this form, predicted at the start.
        predicted_score: the number right expected at the start.
        retake_of: for a retake, the attempt whose missed questions it asks.
    """

    id: int
    deck_id: str
    kind: AttemptKind
    started_at: datetime
    deadline: datetime | None
    pass_mark: float
    questions: tuple[ExamQuestion, ...]
    submitted_at: datetime | None = None
    timed_out: bool = False
    score: int | None = None
    predicted_pass: float | None = None
    predicted_score: float | None = None
    retake_of: int | None = None

    @property
    def question_count(self) -> int:
        return len(self.questions)

    @property
    def answered_count(self) -> int:
        return sum(q.answered for q in self.questions)

    @property
    def flagged_count(self) -> int:
        return sum(q.flagged for q in self.questions)

    @property
    def unanswered_positions(self) -> tuple[int, ...]:
        """Positions (from 0) of the questions not answered: the summary before submitting."""
        return tuple(q.position for q in self.questions if not q.answered)

    @property
    def flagged_positions(self) -> tuple[int, ...]:
        """Positions (from 0) of the flagged questions."""
        return tuple(q.position for q in self.questions if q.flagged)

    @property
    def needed(self) -> int:
        """Right answers needed to pass."""
        return needed_to_pass(self.pass_mark, self.question_count)

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def passed(self) -> bool | None:
        """Whether the score reaches the pass mark (None while in progress)."""
        return None if self.score is None else self.score >= self.needed

    def time_left(self, now: datetime) -> timedelta | None:
        """Time until the deadline, never below zero (None: untimed)."""
        if self.deadline is None:
            return None
        return max(self.deadline - now, timedelta(0))

    def is_overdue(self, now: datetime) -> bool:
        """Time has run out and the attempt is still open."""
        return self.submitted_at is None and self.deadline is not None and now >= self.deadline


def attempt_row(store: Store, attempt_id: int) -> AttemptRecord:
    """The attempt's stored row (its state, without the questions).

    Raises:
        ExamError: no such attempt.
    """
    record = attempt_record(store, attempt_id)
    if record is None:
        raise ExamError(f"no exam attempt {attempt_id} in the collection")
    return record


def load_attempt(store: Store, attempt_id: int) -> Attempt:
    """The attempt as stored, with its questions, answers, flags and option order.

    Raises:
        ExamError: no such attempt.
    """
    record = attempt_row(store, attempt_id)
    questions = tuple(
        ExamQuestion(a.position, a.card_id, a.card, a.choices, a.chosen, a.flagged, a.correct)
        for a in attempt_answers(store, attempt_id)
    )
    return Attempt(
        attempt_id,
        record.deck_id,
        AttemptKind(record.kind),
        record.started_at,
        record.deadline,
        record.pass_mark,
        questions,
        record.submitted_at,
        record.timed_out,
        record.score,
        record.predicted_pass,
        record.predicted_score,
        record.retake_of,
    )
