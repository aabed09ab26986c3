"""The pass chance's model for one deck: what a question's chance is computed from, and its
saved form.

Fitting it reads the learner's first answers and latest answers and takes ~0.1-0.2 s at
100,000 cards, so a fitted model is kept in the collection (`srs.collection.chances`) with
the mark of what it was fitted to: a new process (the app started again, `srs status`) whose
collection has not changed since uses it instead of fitting again.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from srs.exam.fitting import Guessing, Recalibration
from srs.model.memory import Memory, retrievability

__all__ = ["ChanceModel"]

_FORM = 1
"""The saved form's version: a model saved in another form is fitted again. Raise it when the
form changes, and when the fit does (`srs.exam.readiness`): a model saved by an older fit
would otherwise be taken until the deck's next answer."""


@dataclass(frozen=True)
class ChanceModel:
    """What a question's chance is computed from, for one deck.

    Attributes:
        parameters: the deck's FSRS weights (for R).
        guessing: guess rates and the prior R0.
        recall: the learner's recall calibration (R as their answers show it).
        recalibration: against mock exams, once it has earned its place (None before).
    """

    parameters: Sequence[float]
    guessing: Guessing
    recall: Recalibration
    recalibration: Recalibration | None = None

    def chance(self, memory: Memory, options: int, answers: int, at: datetime) -> float:
        recall = retrievability(memory, at, self.parameters)
        return self.chance_of(recall, math.comb(options, answers))

    def chance_of(self, recall: float | None, picks: int) -> float:
        """The chance of a right answer from the model's R (None: never studied) and the
        number of ways of picking the card's options."""
        recall = self.guessing.prior_recall if recall is None else self.recall.apply(recall)
        guess = self.guessing.rate(picks)
        # answer_probability, inlined (a deck's hot loop), in the order SQLite's sums compute
        # it (`srs.collection.exam_memory.chance_sums`), so that the two agree to the last bit.
        raw = guess + (1.0 - guess) * recall
        return raw if self.recalibration is None else self.recalibration.apply(raw)

    def to_dict(self) -> dict[str, object]:
        """The saved form: JSON-ready, every float exact (JSON writes a float's repr)."""
        return {
            "form": _FORM,
            "parameters": list(self.parameters),
            "rates": {str(picks): rate for picks, rate in self.guessing.rates.items()},
            "prior_recall": self.guessing.prior_recall,
            "recall": _pair(self.recall),
            "recalibration": None if self.recalibration is None else _pair(self.recalibration),
        }

    @classmethod
    def from_dict(cls, values: Mapping[str, object]) -> ChanceModel | None:
        """The model `to_dict` saved, or None for anything else (another form, a value
        edited by hand)."""
        try:
            if values["form"] != _FORM:
                return None
            rates = values["rates"]
            if not isinstance(rates, dict):
                return None
            recalibration = values["recalibration"]
            return cls(
                [_number(p) for p in _items(values["parameters"])],
                Guessing(
                    {int(picks): _number(rate) for picks, rate in rates.items()},
                    _number(values["prior_recall"]),
                ),
                _recalibration(values["recall"]),
                None if recalibration is None else _recalibration(recalibration),
            )
        except (KeyError, TypeError, ValueError):
            return None


def _pair(recalibration: Recalibration) -> list[float]:
    return [recalibration.intercept, recalibration.slope]


def _recalibration(value: object) -> Recalibration:
    intercept, slope = _items(value)
    return Recalibration(_number(intercept), _number(slope))


def _items(value: object) -> list[object]:
    if not isinstance(value, list):
        raise TypeError(f"not a list: {value!r}")
    return value


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"not a number: {value!r}")
    return float(value)
