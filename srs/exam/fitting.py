"""Fitting the pass-chance model to the learner's own answers: pure maths, no collection.

Three fits, each a maximum a posteriori estimate whose prior is "no change" (see docs/exam.md):
- guessing (`fit_guessing`): the chance g of picking the right option(s) without recalling
  them, per card shape, and the prior R0 for cards never answered, from first answers and
  from answers the model expected to be forgotten;
- recall calibration (`fit_recalibration` with a guess rate as floor): how the model's R
  compares with the learner's answers to studied cards;
- recalibration against mock exams (`check_recalibration`): a Platt scaling of each
  question's chance, kept only when leave-one-attempt-out says it predicts better.
Stored predictions are scored against results in `srs.exam.calibration`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from typing import ClassVar

from srs.exam.probability import pass_chance

__all__ = [
    "GUESS_PRIOR_WEIGHT",
    "MIN_ATTEMPTS",
    "PRIOR_WEIGHT",
    "Guessing",
    "ObservedAnswer",
    "Recalibration",
    "RecalibrationCheck",
    "ScoredForm",
    "check_recalibration",
    "fit_guessing",
    "fit_recalibration",
]

MIN_ATTEMPTS = 10
"""Full attempts before a deck's predictions may be recalibrated against them: with fewer,
the leave-one-out check let noise through in the readiness bench (see docs/exam.md)."""


# --- guessing, from the learner's own answers -----------------------------------------------------

PRIOR_WEIGHT = 10.0
"""How many first answers the "knows nothing yet" prior for cards never answered is worth:
imaginary first answers right only as often as blind guessing."""

GUESS_PRIOR_WEIGHT = 20.0
"""How many blind guesses (right 1/C(k, m) of the time) the prior of each card shape's guess
rate is worth."""

_FIT_ROUNDS = 1000
_FIT_TOLERANCE = 1e-9


@dataclass(frozen=True)
class ObservedAnswer:
    """Answers to multiple-choice cards, as evidence of how the learner guesses.

    Attributes:
        picks: the ways of picking that card's options (C(k, m)): its shape.
        recall: the memory model's R when it was answered; None for a card's first answer,
            whose R is the unknown prior for cards never answered.
        right: it was right.
        count: how many such answers (first answers come aggregated; may be fractional).
    """

    picks: int
    recall: float | None
    right: bool
    count: float = 1.0


@dataclass(frozen=True)
class Guessing:
    """How the learner answers what they do not recall, and what they know before studying.

    Attributes:
        rates: per card shape (ways of picking, C(k, m)), the chance of a right guess.
        prior_recall: R for cards never answered (R0).
    """

    rates: Mapping[int, float] = field(default_factory=dict)
    prior_recall: float = 0.0

    def rate(self, picks: int) -> float:
        """The guess rate of cards of this shape (a blind guess for a shape never answered)."""
        return self.rates.get(picks, 1.0 / picks)


def _with_priors(answers: Iterable[ObservedAnswer]) -> list[ObservedAnswer]:
    """The answers, and the first answers of a learner who knows nothing yet that the prior of
    R0 is worth (`PRIOR_WEIGHT` of them, shared out over the shapes as the real ones are)."""
    data = list(answers)
    first: dict[int, float] = {}
    for a in data:
        if a.recall is None:
            first[a.picks] = first.get(a.picks, 0.0) + a.count
    total = sum(first.values())
    for picks, count in first.items():
        weight = PRIOR_WEIGHT * count / total
        data.append(ObservedAnswer(picks, None, True, weight / picks))
        data.append(ObservedAnswer(picks, None, False, weight * (1.0 - 1.0 / picks)))
    return data


@dataclass
class _ShapeAnswers:
    """One card shape's answers, summed where they count alike in the guessing fit: a wrong
    answer is a guess whatever its R, and every first answer has the same R (R0), so only the
    right answers to studied cards need a term each in every round."""

    wrong: float = 0.0
    first: float = 0.0
    first_right: float = 0.0
    later_right: list[tuple[float, float, float]] = field(default_factory=list)
    """(count, R, 1 - R) of each right answer to a studied card."""

    def add(self, answer: ObservedAnswer) -> None:
        if answer.recall is None:
            self.first += answer.count
        if not answer.right:
            self.wrong += answer.count
        elif answer.recall is None:
            self.first_right += answer.count
        else:
            self.later_right.append((answer.count, answer.recall, 1.0 - answer.recall))


def fit_guessing(answers: Iterable[ObservedAnswer]) -> Guessing:
    """The guess rates and the prior R0 that make the learner's answers most likely.

    Each answer is right with P = R + (1 - R) * g: R is the model's for an answer to a card
    already studied, R0 for a first answer; g is one rate per card shape. Fitted by
    expectation-maximisation (whether each right answer was recalled or guessed is the hidden
    part), as a maximum a posteriori estimate. Both priors say "no knowledge, blind guesses":
    R0's is worth `PRIOR_WEIGHT` first answers right only as often as guessing, each rate's
    `GUESS_PRIOR_WEIGHT` blind guesses. First answers right more often than guessing explains
    raise R0 before g (a learner who knew some cards); first answers right less often can
    only lower g (a learner drawn to distractors), and so can studied cards the model says
    are forgotten, answered right less often than 1/C(k, m) would make them.
    """
    data = _with_priors(answers)
    rates = {a.picks: 1.0 / a.picks for a in data}
    prior = 0.5 if any(a.recall is None for a in data) else 0.0
    shapes = {picks: _ShapeAnswers() for picks in rates}
    for a in data:
        shapes[a.picks].add(a)
    first = sum(shape.first for shape in shapes.values())
    for _ in range(_FIT_ROUNDS):
        new_rates = {}
        known_first = 0.0
        for picks, shape in shapes.items():
            rate = rates[picks]
            known = prior / (prior + (1.0 - prior) * rate)
            known_first += shape.first_right * known
            # The right answers expected to be guesses (the others were recalled).
            guessed = shape.first_right * (1.0 - known) + sum(
                [count * (1.0 - r / (r + rest * rate)) for count, r, rest in shape.later_right]
            )
            new_rates[picks] = (guessed + GUESS_PRIOR_WEIGHT / picks) / (
                guessed + shape.wrong + GUESS_PRIOR_WEIGHT
            )
        new_prior = known_first / first if first else 0.0
        change = max([abs(new_prior - prior)] + [abs(new_rates[p] - rates[p]) for p in rates])
        rates, prior = new_rates, new_prior
        if change < _FIT_TOLERANCE:
            break
    return Guessing(rates, prior)


# --- recalibration: Platt scaling, of a recall or of a chance -------------------------------------

_EDGE = 1e-4
"""Chances are kept this far from 0 and 1 on the logit scale (a certain question would
otherwise have an infinite logit)."""

_PRIOR_PRECISION = 1.0
"""A recalibration's prior: intercept ~ N(0, 1), slope ~ N(1, 1) (no change)."""

_EXAM_PRIOR_PRECISION = 4.0
"""The prior of a recalibration against mock exams: intercept ~ N(0, 1/4), slope ~ N(1, 1/4).
Tighter, because the answers it corrects for are already recalibrated once."""


def _logit(chance: float) -> float:
    chance = min(max(chance, _EDGE), 1.0 - _EDGE)
    return math.log(chance / (1.0 - chance))


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _log_sigmoid(z: float) -> float:
    return -math.log1p(math.exp(-z)) if z >= 0 else z - math.log1p(math.exp(z))


@dataclass(frozen=True)
class Recalibration:
    """Platt scaling: logit x' = intercept + slope * logit x, for a recall or a chance.

    (0, 1) changes nothing. A learner the model flatters gets a negative intercept; a slope
    below 1 pulls confident values towards the middle.
    """

    intercept: float = 0.0
    slope: float = 1.0

    def apply(self, value: float) -> float:
        # sigmoid(intercept + slope * logit x), as 1 / (1 + e^-intercept * (1 / x - 1) ^
        # slope): one power instead of a logarithm and an exponential, and x named once, as
        # SQLite computes it over a whole deck (`srs.collection.exam_memory.chance_sums`).
        value = min(max(value, _EDGE), 1.0 - _EDGE)
        odds: float = (1.0 / value - 1.0) ** self.slope
        return 1.0 / (1.0 + self.odds_scale * odds)

    edge: ClassVar[float] = _EDGE
    """Values are kept this far from 0 and 1 before they are calibrated."""

    @cached_property
    def odds_scale(self) -> float:
        """e^-intercept: `apply` is 1 / (1 + odds_scale * (1 / x - 1) ** slope)."""
        return math.exp(-self.intercept)


def fit_recalibration(
    points: Iterable[tuple[float, float, bool]], prior_precision: float = _PRIOR_PRECISION
) -> Recalibration:
    """The Platt scaling that makes these answers most likely.

    Each point is (value, floor, right): the answer was right with probability
    floor + (1 - floor) * value', value' the recalibrated value. With floor 0 that recalibrates
    a chance itself; with a guess rate as the floor, a recall that guessing adds to. A maximum
    a posteriori fit (prior intercept ~ N(0, 1 / prior_precision), slope ~ N(1, same), so a
    few answers move it little and none leave it at (0, 1)), by Fisher scoring, each step
    halved until the posterior improves.
    """
    # Answers alike to a hundredth of a logit are counted together: thousands of answers then
    # cost a few hundred terms.
    xs = Counter((round(_logit(value), 2), floor, right) for value, floor, right in points)

    def log_posterior(a: float, b: float) -> float:
        total = -0.5 * prior_precision * (a * a + (b - 1.0) ** 2)
        for (x, floor, right), count in xs.items():
            z = a + b * x
            if right and floor:
                total += count * math.log(floor + (1.0 - floor) * _sigmoid(z))
            elif right:
                total += count * _log_sigmoid(z)
            else:
                total += count * (math.log1p(-floor) + _log_sigmoid(-z))
        return total

    a, b = 0.0, 1.0
    best = log_posterior(a, b)
    for _ in range(50):
        ga, gb = -prior_precision * a, -prior_precision * (b - 1.0)
        iaa = ibb = prior_precision
        iab = 0.0
        for (x, floor, right), count in xs.items():
            s = _sigmoid(a + b * x)
            chance = floor + (1.0 - floor) * s
            # d log-likelihood / dz and its Fisher information, simplified to stay finite.
            score = count * ((1.0 - floor) * s * (1.0 - s) / chance if right else -s)
            information = count * (1.0 - floor) * s * s * (1.0 - s) / chance
            ga += score
            gb += score * x
            iaa += information
            iab += information * x
            ibb += information * x * x
        det = iaa * ibb - iab * iab
        da = (ibb * ga - iab * gb) / det
        db = (iaa * gb - iab * ga) / det
        step = 1.0
        while (value := log_posterior(a + step * da, b + step * db)) < best:
            step /= 2
            if step < 1e-6:
                return Recalibration(a, b)
        a, b, best = a + step * da, b + step * db, value
        if step * (abs(da) + abs(db)) < 1e-9:
            break
    return Recalibration(a, b)


# --- recalibration against mock exams -------------------------------------------------------------


@dataclass(frozen=True)
class ScoredForm:
    """A submitted attempt as evidence: the model's chance for each question, and the result.

    Attributes:
        chances: the model's chance of a right answer to each question, at the start.
        right: whether each was answered right (unanswered counts as wrong, as in the score).
        needed: right answers needed to pass.
    """

    chances: Sequence[float]
    right: Sequence[bool]
    needed: int

    @property
    def passed(self) -> bool:
        return sum(self.right) >= self.needed


@dataclass(frozen=True)
class RecalibrationCheck:
    """Whether recalibrating against past attempts would have predicted them better.

    Attributes:
        attempts: the attempts judged.
        brier_before: the Brier score of the model's pass chances for them (None without
            attempts).
        brier_after: the same, each attempt's chance recalibrated by a fit to the others
            (leave-one-out); None below `MIN_ATTEMPTS`.
        question_brier_before: the Brier score of the model's chance of each question.
        question_brier_after: the same, recalibrated leave-one-out (None below
            `MIN_ATTEMPTS`): what decides.
        recalibration: fitted to every attempt, when the leave-one-out per-question score was
            lower; None otherwise (predictions stay as the model makes them).
    """

    attempts: int
    brier_before: float | None = None
    brier_after: float | None = None
    question_brier_before: float | None = None
    question_brier_after: float | None = None
    recalibration: Recalibration | None = None


def check_recalibration(
    forms: Sequence[ScoredForm], minimum: int = MIN_ATTEMPTS
) -> RecalibrationCheck:
    """Judge a Platt recalibration of per-question chances by leave-one-out over attempts.

    For each attempt, a recalibration is fitted to the questions of all the others and applied
    to its own. The recalibration (fitted to them all) is kept only if those held-out chances
    score a lower Brier score, question by question, than the model's own: per question
    rather than per pass or fail, because twenty answers an attempt say far more than one
    verdict (in the readiness bench, judging by verdicts let more noise through). The pass
    chances are scored both ways too, for the learner to see.
    """
    if not forms:
        return RecalibrationCheck(0)
    outcomes = [float(form.passed) for form in forms]
    answers = [float(right) for form in forms for right in form.right]
    before = _brier([pass_chance(form.chances, form.needed) for form in forms], outcomes)
    question_before = _brier([p for form in forms for p in form.chances], answers)
    if len(forms) < minimum:
        return RecalibrationCheck(len(forms), before, None, question_before)
    points = [
        [(chance, 0.0, right) for chance, right in zip(form.chances, form.right, strict=True)]
        for form in forms
    ]
    held_out: list[list[float]] = []
    for index, form in enumerate(forms):
        others = chain.from_iterable(points[:index] + points[index + 1 :])
        fit = fit_recalibration(others, _EXAM_PRIOR_PRECISION)
        held_out.append([fit.apply(p) for p in form.chances])
    after = _brier(
        [pass_chance(chances, form.needed) for chances, form in zip(held_out, forms, strict=True)],
        outcomes,
    )
    question_after = _brier([p for chances in held_out for p in chances], answers)
    kept = None
    if question_after < question_before:
        kept = fit_recalibration(chain.from_iterable(points), _EXAM_PRIOR_PRECISION)
    return RecalibrationCheck(len(forms), before, after, question_before, question_after, kept)


def _brier(predicted: Sequence[float], outcomes: Sequence[float]) -> float:
    return math.fsum((p - o) ** 2 for p, o in zip(predicted, outcomes, strict=True)) / len(outcomes)
