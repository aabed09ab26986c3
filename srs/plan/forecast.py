"""The forecast (pure): each card projected forward with FSRS, study day by study day, to exam day.

Expected values, not a random draw: on each review the learner recalls the card with the chance
the model gives (R on that day) and answers Good, or forgets it, answers Again and relearns it the
same day. The card leaves the review with the expected stability and difficulty of the two
outcomes, and the day counts the expected answers (1 + (1 - R) x relearning steps). So the same
collection always gives the same plan, and no per-card py-fsrs object is made: the stability and
difficulty updates below are FSRS-6's (py-fsrs's `Scheduler`, checked against it in tests),
over plain lists.

New cards introduced on the same day with the same shape and pool follow the same path: they
are one entry standing for that many cards.

Time is counted in days from the start of today's study day: answers of a later day are given at
a third of it, the chance of passing "if the exam were that day" is taken at its middle (today:
now, before today's study).
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from srs.plan.chance import form_chance
from srs.study.examday import capped_interval
from srs.study.intervals import days_per_stability

__all__ = ["DayRow", "Forecast", "ForecastInput", "Track", "forecast"]

_GRID = 1000
"""Recall is looked up in per-shape tables of this many steps (the chance model, tabulated)."""
_EVALUATIONS = 50_000
"""Card-days of chance evaluated at most; bigger plans evaluate every few days, in between
the chance is interpolated (it changes smoothly at deck level)."""
_STABILITY_MIN = 0.001


@dataclass(frozen=True)
class Track:
    """A studied card where the forecast starts it.

    Attributes:
        stability: FSRS stability, days.
        difficulty: FSRS difficulty.
        last: its last answer, in days since today's day start (0 or less).
        due: the study day (0 = today; earlier: overdue) of its next review.
        steps: (re)learning steps left: answers on its due day beyond the first.
        pool: the exam pool it is drawn in (-1: the exam cannot ask it).
        picks: ways of picking its options (the guess rate depends on it).
    """

    stability: float
    difficulty: float
    last: float
    due: int
    steps: int
    pool: int
    picks: int


@dataclass(frozen=True)
class ForecastInput:
    """Everything the forecast reads, already out of the collection.

    Attributes:
        days: study days from today to exam day (0: the exam is today).
        now: days since today's day start now.
        studied: the cards answered before.
        new: (pool, picks) of each card not yet introduced, in the order it will be.
        new_per_day: new cards introduced per day from today.
        pool_counts: questions drawn from each pool.
        needed: right answers needed to pass.
        chance: the chance of answering right given recall R (None: never studied) and picks.
        parameters: FSRS-6 weights.
        desired_retention: the deck's daily target.
        exam_retention: the exam-day target (None: no cap, plain scheduling).
        maximum_interval: days.
        first: stability, difficulty and interval (days) of a new card after its first day.
        first_answers: answers a new card takes on its first day.
        relearning_answers: answers a lapse adds on its day.
        seconds_per_answer: the learner's mean time per answer.
        minutes_per_day: the learner's daily minutes (None: unlimited). A day that needs more
            does what fits, reviews and new cards cut alike (the queue mixes them); the due
            cards left over come first the next day.
    """

    days: int
    now: float
    studied: Sequence[Track]
    new: Sequence[tuple[int, int]]
    new_per_day: int
    pool_counts: Sequence[int]
    needed: int
    chance: Callable[[float | None, int], float]
    parameters: Sequence[float]
    desired_retention: float
    exam_retention: float | None
    maximum_interval: int
    first: tuple[float, float, int]
    first_answers: int
    relearning_answers: int
    seconds_per_answer: float
    minutes_per_day: float | None = None


@dataclass(frozen=True)
class DayRow:
    """One day of the forecast: expected answers the due cards ask for (with those left over
    from earlier days), new cards introduced, the minutes the day needs, and the chance to
    pass if the exam were that day."""

    day: int
    reviews: float
    new: int
    minutes: float
    pass_chance: float


@dataclass(frozen=True)
class Forecast:
    """The projection to exam day.

    Attributes:
        rows: one per day, today first, exam day last.
        pass_chance_exam_day: following the plan.
        expected_score_exam_day: the expected share right, following the plan.
        pass_chance_if_stopped: with no more study from now.
        expected_score_if_stopped: likewise.
        recall_exam_day: the mean chance of recall on exam day over the exam's cards.
    """

    rows: tuple[DayRow, ...]
    pass_chance_exam_day: float
    expected_score_exam_day: float
    pass_chance_if_stopped: float
    expected_score_if_stopped: float
    recall_exam_day: float


class _Cards:
    """The cards as parallel lists (the forecast's inner loops run over them)."""

    def __init__(self, source: ForecastInput) -> None:
        self.stability = [t.stability for t in source.studied]
        self.difficulty = [t.difficulty for t in source.studied]
        self.last = [t.last for t in source.studied]
        self.pool = [t.pool for t in source.studied]
        self.picks = [t.picks for t in source.studied]
        self.steps = [t.steps for t in source.studied]
        self.weight = [1] * len(source.studied)
        """Cards an entry stands for: new cards introduced together follow one path."""


def _tables(source: ForecastInput) -> dict[int, list[float]]:
    shapes = {t.picks for t in source.studied} | {picks for _, picks in source.new}
    return {
        picks: [source.chance(i / _GRID, picks) for i in range(_GRID + 1)]
        for picks in shapes
        if picks
    }


def forecast(source: ForecastInput) -> Forecast:
    """Project the cards to exam day, following the plan (new cards at `new_per_day`, every
    due card reviewed on its day, intervals capped for exam day when `exam_retention` is set).
    """
    w = source.parameters
    decay = -w[20]
    factor = 0.9 ** (1 / decay) - 1
    per_stability = days_per_stability(w[20], source.desired_retention)
    tables = _tables(source)
    cards = _Cards(source)
    buckets: list[list[int]] = [[] for _ in range(source.days + 1)]
    for index, track in enumerate(source.studied):
        if track.due <= source.days:
            buckets[max(track.due, 0)].append(index)
    prior = {picks: source.chance(None, picks) for picks in tables}

    def chances(at: float, introduced: int) -> tuple[float, float, float]:
        # The hot loop of a plan (every card, every evaluated day): one pass, locals only.
        pools: list[list[float]] = [[] for _ in source.pool_counts]
        asked = []
        counted = 0
        for s, last, pool, picks, weight in zip(
            cards.stability, cards.last, cards.pool, cards.picks, cards.weight, strict=True
        ):
            if pool < 0:
                continue
            r = (1 + factor * (at - last) / s) ** decay
            chance = tables[picks][int(r * _GRID + 0.5)]
            counted += weight
            if weight == 1:
                pools[pool].append(chance)
                asked.append(r)
            else:
                pools[pool] += [chance] * weight
                asked.append(r * weight)
        for pool, picks in source.new[introduced:]:
            if pool >= 0:
                pools[pool].append(prior[picks])
                counted += 1
        chance, score = form_chance(
            list(zip(pools, source.pool_counts, strict=True)), source.needed
        )
        return chance, score, math.fsum(asked) / counted if counted else 0.0

    stopped_chance, stopped_score, _ = chances(source.days + 0.5, 0)
    size = len(source.studied) + len(source.new)
    step = max(1, math.ceil(size * (source.days + 1) / _EVALUATIONS))
    evaluated: dict[int, tuple[float, float, float]] = {}
    rows: list[tuple[float, int, int]] = []
    introduced = 0
    w6, w7, w8, w9, w10 = w[6], w[7], w[8], w[9], w[10]
    w11, w12, w13, w14 = w[11], w[12], w[13], w[14]
    short = math.exp(w[17] * w[18])  # a Good answer's same-day stability factor, before S^-w19
    easy = w[4] - math.exp(w[5] * 3) + 1  # the mean-reversion target of difficulty
    gain = math.exp(w8)
    relearn = source.relearning_answers
    target = source.exam_retention
    budget = math.inf
    if source.minutes_per_day is not None:
        budget = source.minutes_per_day * 60 / source.seconds_per_answer
    for day in range(source.days + 1):
        moment = source.now if day == 0 else day + 1 / 3
        if day == 0:  # today's chance is the chance now, before today's study
            evaluated[0] = chances(source.now, introduced)
        due = buckets[day]
        each = [  # the expected answers of each due card (a lapse relearns)
            cards.steps[i] * cards.weight[i]
            if cards.steps[i]
            else (
                1
                + (1 - (1 + factor * (moment - cards.last[i]) / cards.stability[i]) ** decay)
                * relearn
            )
            * cards.weight[i]
            for i in due
        ]
        answers = sum(each)
        quota = min(source.new_per_day, len(source.new) - introduced)
        needed = answers + quota * source.first_answers
        new = quota
        if needed > budget:  # the day's minutes run out: do the first share of its cards
            share = budget / needed
            kept = bisect.bisect_right(list(itertools.accumulate(each)), share * answers)
            if day < source.days:
                buckets[day + 1][:0] = due[kept:]
            due = due[:kept]
            new = math.floor(share * quota)
        for index in due:
            s, d = cards.stability[index], cards.difficulty[index]
            pending, weight = cards.steps[index], cards.weight[index]
            if pending:  # (re)learning: the remaining steps, each answered Good
                cards.steps[index] = 0
                for _ in range(pending):
                    s *= max(1.0, short * s ** -w[19])
                    d = w7 * easy + (1 - w7) * d
            else:
                r = (1 + factor * (moment - cards.last[index]) / s) ** decay
                good = s * (1 + gain * (11 - d) * s**-w9 * (math.exp((1 - r) * w10) - 1))
                lost = min(
                    w11 * d**-w12 * ((s + 1) ** w13 - 1) * math.exp((1 - r) * w14), s / short
                )
                hard = d + 2 * w6 * (10 - d) / 9
                for _ in range(relearn):
                    lost *= max(1.0, short * max(lost, _STABILITY_MIN) ** -w[19])
                    hard = w7 * easy + (1 - w7) * hard
                s = max(r * good + (1 - r) * lost, _STABILITY_MIN)
                d = r * (w7 * easy + (1 - w7) * d) + (1 - r) * (w7 * easy + (1 - w7) * hard)
            d = min(max(d, 1.0), 10.0)
            cards.stability[index], cards.difficulty[index] = s, d
            cards.last[index] = moment
            interval = min(max(math.floor(s * per_stability + 0.5), 1), source.maximum_interval)
            if target is not None:
                interval = capped_interval(interval, s, source.days - day, target, w)
            if day + interval <= source.days:
                buckets[day + interval].append(index)
        first_s, first_d, first_interval = source.first
        for (pool, picks), weight in Counter(source.new[introduced : introduced + new]).items():
            cards.stability.append(first_s)
            cards.difficulty.append(first_d)
            cards.last.append(moment)
            cards.pool.append(pool)
            cards.picks.append(picks)
            cards.steps.append(0)
            cards.weight.append(weight)
            interval = first_interval
            if target is not None:
                interval = capped_interval(interval, first_s, source.days - day, target, w)
            if day + interval <= source.days:
                buckets[day + interval].append(len(cards.stability) - 1)
        introduced += new
        rows.append((answers, new, max(quota, new)))
        if day and (day % step == 0 or day == source.days):
            evaluated[day] = chances(day + 0.5, introduced)
    chance_rows = _interpolated(evaluated, source.days)
    minutes = source.seconds_per_answer / 60
    day_rows = tuple(
        DayRow(day, answers, new, (answers + asked * source.first_answers) * minutes, chance)
        for day, ((answers, new, asked), chance) in enumerate(zip(rows, chance_rows, strict=True))
    )
    final = evaluated[source.days]
    return Forecast(day_rows, final[0], final[1], stopped_chance, stopped_score, final[2])


def _interpolated(evaluated: dict[int, tuple[float, float, float]], days: int) -> list[float]:
    """The chance of each day: as evaluated, or on a straight line between evaluated days."""
    known = sorted(evaluated)
    result = []
    for day in range(days + 1):
        if day in evaluated:
            result.append(evaluated[day][0])
            continue
        after = next(k for k in known if k > day)
        before = max(k for k in known if k < day)
        share = (day - before) / (after - before)
        result.append(evaluated[before][0] * (1 - share) + evaluated[after][0] * share)
    return result
