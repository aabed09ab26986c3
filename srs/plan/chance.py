"""The chance to pass a form drawn from pools, fast enough to be computed for many days of a
forecast: exact (as `srs.exam.probability`) for small pools, a mixture of binomials for large.

A form of n questions drawn from a pool of N cards scores like a draw from the pool's "would be
right" cards, whose number K is Poisson-binomial over the pool (docs/exam.md). For a large pool,
K is very nearly normal (mean sum p, variance sum p(1 - p)) and a draw of n among N is very
nearly binomial with K / N: the score's distribution is a mixture of binomials over a few
quadrature points of K. Below `EXACT_STEPS` arithmetic steps the pool is computed exactly, so
small decks get the same figure as the dashboard's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import repeat
from operator import mul, sub

from srs.exam.probability import form_score_distribution

__all__ = ["EXACT_STEPS", "form_chance"]

EXACT_STEPS = 40_000
"""Pools up to this many steps (cards times the width of their distribution) are exact."""

_NODES = tuple(-3.0 + 0.5 * n for n in range(13))
_WEIGHTS = tuple(math.exp(-z * z / 2) for z in _NODES)
_WEIGHTS = tuple(w / math.fsum(_WEIGHTS) for w in _WEIGHTS)
"""Points and weights of the standard normal, for the mixture over K (13 points, +-3 sd)."""


def _binomial(count: int, p: float) -> list[float]:
    p = min(max(p, 0.0), 1.0)
    return [math.comb(count, k) * p**k * (1 - p) ** (count - k) for k in range(count + 1)]


def _pool_distribution(chances: Sequence[float], total: float, count: int) -> list[float]:
    """The distribution of right answers among `count` questions drawn from a pool whose
    chances of being answered right are `chances` (summing to `total`)."""
    size = len(chances)
    spread = sum(map(mul, chances, map(sub, repeat(1.0), chances)))
    if size * min(size + 1, 20 + 18 * math.sqrt(spread)) <= EXACT_STEPS or count >= size:
        return form_score_distribution(chances, count)
    mean, sd = total, math.sqrt(spread)
    dist = [0.0] * (count + 1)
    for z, weight in zip(_NODES, _WEIGHTS, strict=True):
        for k, mass in enumerate(_binomial(count, (mean + z * sd) / size)):
            dist[k] += weight * mass
    return dist


def form_chance(pools: Sequence[tuple[Sequence[float], int]], needed: int) -> tuple[float, float]:
    """The chance of at least `needed` right answers, and the expected share right, on a form
    drawn from these pools (each: the chance of answering each card right, questions drawn)."""
    dist = [1.0]
    right = 0.0
    questions = 0
    for chances, count in pools:
        if not count:
            continue
        total = sum(chances)  # 100,000 cards: once, not also in the distribution
        right += count * total / len(chances)
        questions += count
        part = _pool_distribution(chances, total, count)
        joined = [0.0] * (len(dist) + len(part) - 1)
        for i, a in enumerate(dist):
            for j, b in enumerate(part):
                joined[i + j] += a * b
        dist = joined
    chance = min(1.0, math.fsum(dist[needed:]))
    return chance, (right / questions if questions else 0.0)
