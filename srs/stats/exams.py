"""Mock exams over time: each submitted attempt's score beside its pass line, and how the
chance to pass predicted at each start compares with the results (a calibration chart)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from srs.collection.attempts import submitted_attempts
from srs.collection.decks import require_deck
from srs.collection.settings import clock_for
from srs.collection.store import Store
from srs.exam.calibration import calibration_of
from srs.exam.form import needed_to_pass

__all__ = ["CALIBRATION_BINS", "AttemptPoint", "CalibrationBin", "ExamFigures", "exams"]

CALIBRATION_BINS = 5
"""Predicted chances are grouped in fifths: 0-20%, ..., 80-100%."""


@dataclass(frozen=True)
class AttemptPoint:
    """One submitted attempt.

    Attributes:
        deck_id: the deck examined.
        attempt_id: the attempt.
        kind: 'full' or 'retake'.
        day: the study day it started on.
        score: right answers.
        total: questions.
        pass_mark: the share of questions to get right (the pass line).
        passed: the score reached the pass mark.
        predicted_pass: the chance of passing predicted at its start (None: not stored).
    """

    deck_id: str
    attempt_id: int
    kind: str
    day: date
    score: int
    total: int
    pass_mark: float
    passed: bool
    predicted_pass: float | None

    @property
    def share(self) -> float:
        return self.score / self.total if self.total else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "deck": self.deck_id,
            "attempt": self.attempt_id,
            "kind": self.kind,
            "day": self.day.isoformat(),
            "score": self.score,
            "total": self.total,
            "share": self.share,
            "pass_mark": self.pass_mark,
            "passed": self.passed,
            "predicted_pass": self.predicted_pass,
        }


@dataclass(frozen=True)
class CalibrationBin:
    """Attempts whose predicted chance to pass lay in [low, high) (the last bin includes 1)."""

    low: float
    high: float
    attempts: int
    mean_predicted: float | None
    pass_rate: float | None

    def to_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class ExamFigures:
    """Every submitted attempt, oldest first, and the calibration of their predictions.

    Attributes:
        attempts: the attempts.
        bins: predicted chance against the share passed, per bin.
        brier: mean squared difference between prediction and outcome (None: no prediction).
    """

    attempts: tuple[AttemptPoint, ...]
    bins: tuple[CalibrationBin, ...]
    brier: float | None

    def to_dict(self) -> dict[str, object]:
        return {
            "attempts": [a.to_dict() for a in self.attempts],
            "calibration": {"bins": [b.to_dict() for b in self.bins], "brier": self.brier},
        }


def _bins(pairs: list[tuple[float, float]]) -> tuple[CalibrationBin, ...]:
    grouped: list[list[tuple[float, float]]] = [[] for _ in range(CALIBRATION_BINS)]
    for pair in pairs:
        grouped[min(int(pair[0] * CALIBRATION_BINS), CALIBRATION_BINS - 1)].append(pair)
    bins = []
    for n, group in enumerate(grouped):
        scored = calibration_of(group)
        bins.append(
            CalibrationBin(
                n / CALIBRATION_BINS,
                (n + 1) / CALIBRATION_BINS,
                scored.attempts,
                scored.mean_predicted,
                scored.pass_rate,
            )
        )
    return tuple(bins)


def exams(store: Store, deck_id: str | None = None) -> ExamFigures:
    """The submitted mock-exam attempts of the deck (None: of every deck).

    Raises:
        CollectionError: no such deck.
    """
    if deck_id is not None:
        require_deck(store, deck_id)
    clock = clock_for(store)
    points = []
    for record in submitted_attempts(store, deck_id):
        assert record.score is not None  # submission stores it
        passed = record.score >= needed_to_pass(record.pass_mark, record.questions)
        points.append(
            AttemptPoint(
                record.deck_id,
                record.id,
                record.kind,
                clock.study_day(record.started_at),
                record.score,
                record.questions,
                record.pass_mark,
                passed,
                record.predicted_pass,
            )
        )
    pairs = [(p.predicted_pass, float(p.passed)) for p in points if p.predicted_pass is not None]
    return ExamFigures(tuple(points), _bins(pairs), calibration_of(pairs).brier)
