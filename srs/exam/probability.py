"""The probability of a mock exam's score: pure maths, no collection.

Each question is answered right with probability P = R + (1 - R) * g: R is the chance of knowing
the answer and g the chance of guessing it among the options shown. The number right on a form
is Poisson-binomial over its questions. A form is drawn at random from pools of cards (the whole
deck, or one pool per blueprint topic), and the chance to pass is averaged over every form the
exam could draw. That average is computed exactly: a form of n questions drawn from a pool of N
cards scores like a hypergeometric draw from the pool's "would be right" cards, whose number is
Poisson-binomial over the pool (see docs/exam.md). When that costs too much (pools of many
thousands of cards), a pool so large that a form almost never could draw a card twice scores
like a binomial draw at the pool's mean chance, within a stated bound; Monte Carlo, with its
standard error, is left for what neither covers.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

__all__ = [
    "BINOMIAL_BOUND",
    "EXACT_BUDGET",
    "MONTE_CARLO_SAMPLES",
    "Method",
    "PoolSummary",
    "Prediction",
    "answer_probability",
    "binomial_prediction",
    "form_score_distribution",
    "pass_chance",
    "predict",
    "repeat_chance",
    "score_distribution",
    "uniform_guess",
]

EXACT_BUDGET = 4_000_000
"""Where the binomial estimate is not close enough, up to this many arithmetic steps
(estimated) the average over forms is exact; a 1,000-card pool takes about 300,000 (7 ms).
Beyond it, Monte Carlo is used when it is cheaper (pools of thousands of cards drawn for long
forms)."""

BINOMIAL_BOUND = 0.005
"""The most a binomial estimate may be off (half a percentage point) for `predict` to use it:
on a pool that large the exact average costs seconds, and Monte Carlo's standard error is
three times that."""

MONTE_CARLO_SAMPLES = 1000
"""Forms drawn by the Monte Carlo estimate: a standard error of at most 1.6 points."""

_NEGLIGIBLE = 1e-16
"""Probability mass at the edges of a pool's distribution dropped as it is built (the total
dropped stays below 1e-12 for a 10,000-card pool)."""

Method = Literal["auto", "exact", "binomial", "monte_carlo"]


@dataclass(frozen=True)
class Prediction:
    """The chance to pass, and the expected number right.

    Attributes:
        pass_chance: probability of at least `needed` right answers.
        expected_score: expected number of right answers.
        questions: questions on a form.
        needed: right answers needed to pass.
        method: 'exact'; for very large decks 'binomial' or 'monte_carlo'.
        standard_error: of `pass_chance` by Monte Carlo (0.0 otherwise).
        error_bound: the most a binomial `pass_chance` can differ from the exact one (0.0
            otherwise).
    """

    pass_chance: float
    expected_score: float
    questions: int
    needed: int
    method: Literal["exact", "binomial", "monte_carlo"] = "exact"
    standard_error: float = 0.0
    error_bound: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


# --- one question ---------------------------------------------------------------------------


def uniform_guess(options: int, answers: int = 1) -> float:
    """The chance of a blind guess being right: one way of picking `answers` options among
    `options` is right (a select-all screen says how many to pick), so 1 / C(k, m)."""
    return 1.0 / math.comb(options, answers)


def answer_probability(retrievability: float, guess: float) -> float:
    """The chance of answering a question right: known (R), or else guessed (g).

    Args:
        retrievability: the chance of recalling the answer now.
        guess: the chance of picking the right option(s) without recalling them.
    """
    return retrievability + (1.0 - retrievability) * guess


# --- the score on a form --------------------------------------------------------------------


def score_distribution(probabilities: Iterable[float]) -> list[float]:
    """The Poisson-binomial distribution: [P(0 right), P(1 right), ...] for independent
    questions answered right with these probabilities (exact dynamic programming)."""
    offset, dist = _poisson_binomial(probabilities, trim=False)
    assert offset == 0
    return dist


def _poisson_binomial(probabilities: Iterable[float], *, trim: bool) -> tuple[int, list[float]]:
    """(offset, dist): dist[i] = P(offset + i right). With `trim`, negligible tails are dropped
    as they form, which keeps a large pool's work proportional to its spread, not its size."""
    dist = [1.0]
    offset = 0
    for p in probabilities:
        q = 1.0 - p
        # new[i] = q * old[i] + p * old[i - 1], with 0.0 beyond either end: a plain loop is
        # 2.5x faster than zipping shifted copies (Monte Carlo runs it for each form drawn).
        below = 0.0
        step = []
        for a in dist:
            step.append(q * a + p * below)
            below = a
        step.append(q * 0.0 + p * below)
        dist = step
        if trim:
            while len(dist) > 1 and dist[-1] < _NEGLIGIBLE:
                dist.pop()
            start = 0
            while start < len(dist) - 1 and dist[start] < _NEGLIGIBLE:
                start += 1
            if start:
                dist = dist[start:]
                offset += start
    return offset, dist


def form_score_distribution(pool: Sequence[float], count: int) -> list[float]:
    """Right answers on `count` questions drawn at random from a pool of cards, averaged over
    every draw: [P(0 right), ..., P(count right)].

    Picture each card of the pool as known-or-not before the draw (Poisson-binomial over the
    pool); a uniform draw of `count` cards then holds a hypergeometric number of the known
    ones. Summing over the number known gives the exact average over all C(N, count) forms.

    Raises:
        ValueError: `count` is not between 0 and the pool's size.
    """
    size = len(pool)
    if not 0 <= count <= size:
        raise ValueError(f"cannot draw {count} questions from {size} cards")
    if count == size:
        return score_distribution(pool)
    offset, known = _poisson_binomial(pool, trim=True)
    dist = [0.0] * (count + 1)
    log_forms = _log_comb(size, count)
    for index, weight in enumerate(known):
        _add_hypergeometric(dist, weight, size, offset + index, count, log_forms)
    return dist


def _log_comb(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def _add_hypergeometric(
    dist: list[float], weight: float, size: int, known: int, count: int, log_forms: float
) -> None:
    """Add weight * P(s known cards among `count` drawn from `size`, `known` of them known).

    Starts at the mode (computed from log-gamma, where it cannot underflow) and walks out with
    the ratio of neighbouring terms.
    """
    low, high = max(0, count - (size - known)), min(count, known)
    mode = min(max((count + 1) * (known + 1) // (size + 2), low), high)
    others = size - known
    peak = weight * math.exp(_log_comb(known, mode) + _log_comb(others, count - mode) - log_forms)
    dist[mode] += peak
    term = peak
    for s in range(mode, high):
        term *= (known - s) * (count - s) / ((s + 1) * (others - count + s + 1))
        dist[s + 1] += term
    term = peak
    for s in range(mode, low, -1):
        term *= s * (others - count + s) / ((known - s + 1) * (count - s + 1))
        dist[s - 1] += term


def _convolve(first: list[float], second: list[float]) -> list[float]:
    result = [0.0] * (len(first) + len(second) - 1)
    for i, a in enumerate(first):
        for j, b in enumerate(second):
            result[i + j] += a * b
    return result


class PoolSummary(NamedTuple):
    """What the binomial estimate needs of a pool: enough to have it from SQL sums, without
    each card's chance (`srs.exam.readiness` for a large deck).

    Attributes:
        size: cards in the pool.
        total: the sum of their chances.
        questions: questions a form draws from it.
    """

    size: int
    total: float
    questions: int


def repeat_chance(pools: Sequence[tuple[int, int]]) -> float:
    """The chance that drawing each pool's questions with replacement would repeat a card,
    for pools given as (cards, questions): the most a binomial estimate (each question right
    with its pool's mean chance) can differ from the exact average over forms.

    Why: draw cards with replacement and let each drawn card be known afresh; then every
    question is right with the pool's mean chance, independently (binomial), and given no
    card repeats, the draw is a uniform form answered as the exact model has it. The two
    differ only on a repeat.
    """
    distinct = 1.0
    for size, questions in pools:
        for drawn in range(1, questions):
            distinct *= 1.0 - drawn / size
    return 1.0 - distinct


def binomial_prediction(pools: Sequence[PoolSummary], needed: int) -> Prediction:
    """The chance to pass with each question right with its pool's mean chance, and how far
    that can be from the exact average over forms (`repeat_chance`)."""
    dist = [1.0]
    for pool in pools:
        if pool.questions:
            dist = _convolve(dist, score_distribution([pool.total / pool.size] * pool.questions))
    return Prediction(
        min(1.0, math.fsum(dist[needed:])),
        math.fsum(pool.questions * pool.total / pool.size for pool in pools if pool.questions),
        sum(pool.questions for pool in pools),
        needed,
        "binomial",
        error_bound=repeat_chance([(pool.size, pool.questions) for pool in pools]),
    )


def _exact_cost(pools: Sequence[tuple[Sequence[float], int]]) -> float:
    """Roughly the arithmetic steps of the exact average: pool size times distribution width."""
    cost = 0.0
    for probabilities, count in pools:
        spread = math.sqrt(sum(p * (1.0 - p) for p in probabilities))
        width = min(len(probabilities) + 1, 20 + 18 * spread)
        cost += len(probabilities) * width + width * (count + 1)
    return cost


def predict(
    pools: Sequence[tuple[Sequence[float], int]],
    needed: int,
    *,
    method: Method = "auto",
    rng: random.Random | None = None,
    samples: int = MONTE_CARLO_SAMPLES,
) -> Prediction:
    """The chance of at least `needed` right answers on a form drawn from these pools.

    Args:
        pools: per pool, the chance of answering each of its cards right, and how many
            questions the form draws from it (all of them: that form is certain).
        needed: right answers needed to pass.
        method: 'exact', 'binomial', 'monte_carlo', or 'auto': binomial where that is within
            `BINOMIAL_BOUND` (pools of tens of thousands of cards), else exact up to
            `EXACT_BUDGET` steps or when cheaper than Monte Carlo, else Monte Carlo.
        rng: the Monte Carlo draws' source (default: seeded, so the number does not jitter
            between refreshes).
        samples: forms drawn by Monte Carlo.

    Raises:
        ValueError: a pool is smaller than its count.
    """
    if method == "auto":
        if repeat_chance([(len(ps), count) for ps, count in pools]) <= BINOMIAL_BOUND:
            method = "binomial"
        else:
            # A Monte Carlo step costs about twice an exact one (measured): like with like.
            questions = sum(count for _, count in pools)
            monte_carlo_cost = 2 * samples * questions * (questions + 1) / 2
            exact = _exact_cost(pools) <= max(EXACT_BUDGET, monte_carlo_cost)
            method = "exact" if exact else "monte_carlo"
    if method == "binomial":
        summaries = [PoolSummary(len(ps), math.fsum(ps), count) for ps, count in pools]
        return binomial_prediction(summaries, needed)
    questions = sum(count for _, count in pools)
    expected = sum(count * math.fsum(ps) / len(ps) for ps, count in pools if count)
    if method == "monte_carlo":
        chance, error = _monte_carlo(pools, needed, rng or random.Random(0), samples)
        return Prediction(chance, expected, questions, needed, "monte_carlo", error)
    dist = [1.0]
    for probabilities, count in pools:
        dist = _convolve(dist, form_score_distribution(probabilities, count))
    chance = min(1.0, math.fsum(dist[needed:]))
    return Prediction(chance, expected, questions, needed)


def _monte_carlo(
    pools: Sequence[tuple[Sequence[float], int]], needed: int, rng: random.Random, samples: int
) -> tuple[float, float]:
    """Mean and standard error of the exact pass chance of `samples` random forms."""
    for probabilities, count in pools:
        if not 0 <= count <= len(probabilities):
            raise ValueError(f"cannot draw {count} questions from {len(probabilities)} cards")
    chances = []
    for _ in range(samples):
        form = [p for ps, count in pools for p in rng.sample(ps, count)]
        chances.append(pass_chance(form, needed))
    mean = math.fsum(chances) / samples
    if samples < 2:
        return mean, math.inf
    variance = math.fsum((c - mean) ** 2 for c in chances) / (samples - 1)
    return mean, math.sqrt(variance / samples)


def pass_chance(chances: Sequence[float], needed: int) -> float:
    """The chance of at least `needed` right answers on one form (exact)."""
    return min(1.0, math.fsum(score_distribution(chances)[needed:]))
