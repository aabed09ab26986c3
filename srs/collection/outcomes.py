"""The `exam_outcomes` table: how a sitting of the real exam went, beside what srs predicted for
that day (`srs plan DECK --result`), the calibration point that counts most."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from srs.clock import from_db, to_db
from srs.collection.store import Store

__all__ = ["ExamOutcome", "add_outcome", "exam_outcomes", "has_outcome"]


@dataclass(frozen=True)
class ExamOutcome:
    """One real exam sat.

    Attributes:
        deck_id: the deck prepared with.
        exam_date: the day of the exam.
        passed: the learner passed.
        score: the score as a share of the questions (0-1), when the learner gave it.
        predicted_pass: the chance to pass srs predicted for that day (None: no plan then).
        predicted_score: the expected score srs predicted, as a share (0-1).
        recorded_at: when the outcome was recorded.
    """

    deck_id: str
    exam_date: date
    passed: bool
    score: float | None
    predicted_pass: float | None
    predicted_score: float | None
    recorded_at: datetime


def add_outcome(store: Store, outcome: ExamOutcome) -> None:
    """Store an outcome (inside the caller's `Store.write()`)."""
    store.conn.execute(
        "INSERT INTO exam_outcomes (deck_id, exam_date, passed, score, predicted_pass, "
        "predicted_score, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            outcome.deck_id,
            outcome.exam_date.isoformat(),
            int(outcome.passed),
            outcome.score,
            outcome.predicted_pass,
            outcome.predicted_score,
            to_db(outcome.recorded_at),
        ),
    )


def exam_outcomes(store: Store, deck_id: str | None = None) -> list[ExamOutcome]:
    """The recorded outcomes of one deck (None: every deck), oldest exam first."""
    where, params = ("WHERE deck_id = ?", (deck_id,)) if deck_id is not None else ("", ())
    rows = store.conn.execute(
        "SELECT deck_id, exam_date, passed, score, predicted_pass, predicted_score, recorded_at "
        f"FROM exam_outcomes {where} ORDER BY exam_date, id",
        params,
    )
    return [
        ExamOutcome(
            deck, date.fromisoformat(day), bool(passed), score, chance, expected, from_db(at)
        )
        for deck, day, passed, score, chance, expected, at in rows
    ]


def has_outcome(store: Store, deck_id: str, exam_date: date) -> bool:
    """An outcome of the deck's exam on that day is recorded."""
    row = store.conn.execute(
        "SELECT 1 FROM exam_outcomes WHERE deck_id = ? AND exam_date = ? LIMIT 1",
        (deck_id, exam_date.isoformat()),
    ).fetchone()
    return row is not None
