"""The predictions stored at the start of submitted attempts, scored against their results (the
Brier score): pure maths, no collection."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from srs.exam.fitting import MIN_ATTEMPTS

__all__ = ["Calibration", "calibration_of"]


@dataclass(frozen=True)
class Calibration:
    """Predictions made at the start of submitted attempts, against their results.

    Attributes:
        attempts: submitted attempts that have a prediction.
        mean_predicted: their mean predicted chance to pass (None without attempts).
        pass_rate: the share of them passed (None without attempts).
        brier: mean squared difference between predicted chance and outcome (1 pass, 0 fail);
            0 is perfect, 0.25 is what always predicting 50% scores (None without attempts).
        full_attempts: the deck's full attempts the model is checked on (retakes ask only
            missed questions, so they are left out); 0 for every deck at once.
        brier_before: the model's Brier score on them without recalibration, each prediction
            recomputed as at the attempt's start.
        brier_after: the same, recalibrated by a fit to the other attempts (leave-one-out);
            None until `minimum_attempts`.
        question_brier_before: the model's Brier score question by question on them.
        question_brier_after: the same, recalibrated leave-one-out; what decides.
        recalibrated: predictions are now recalibrated (question_brier_after was lower).
        minimum_attempts: full attempts needed before recalibration is considered.
    """

    attempts: int
    mean_predicted: float | None
    pass_rate: float | None
    brier: float | None
    full_attempts: int = 0
    brier_before: float | None = None
    brier_after: float | None = None
    question_brier_before: float | None = None
    question_brier_after: float | None = None
    recalibrated: bool = False
    minimum_attempts: int = MIN_ATTEMPTS

    def to_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def calibration_of(pairs: Sequence[tuple[float, float]]) -> Calibration:
    """Score (predicted chance, outcome) pairs, outcome 1.0 for a pass and 0.0 for a fail."""
    if not pairs:
        return Calibration(0, None, None, None)
    count = len(pairs)
    return Calibration(
        count,
        math.fsum(p for p, _ in pairs) / count,
        math.fsum(o for _, o in pairs) / count,
        math.fsum((p - o) ** 2 for p, o in pairs) / count,
    )
