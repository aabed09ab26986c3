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
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import add, getitem, mul, sub, truediv

from srs.plan.backlog import Backlog, Cards
from srs.plan.chance import form_chance
from srs.study.examday import capped_interval
from srs.study.intervals import days_per_stability

__all__ = ["DayRow", "Forecast", "ForecastInput", "Studied", "forecast"]

_GRID = 1000
"""Recall is looked up in per-shape tables of this many steps (the chance model, tabulated)."""
_EVALUATIONS = 50_000
"""Card-days of chance evaluated at most; bigger plans evaluate every few days, in between
the chance is interpolated (it changes smoothly at deck level)."""
_STABILITY_MIN = 0.001


@dataclass(frozen=True)
class Studied:
    """The studied cards where the forecast starts them, as columns: entry i of each is card
    i's (columns, which the forecast works on, rather than a tuple per card).

    Attributes:
        stability: FSRS stability, days.
        difficulty: FSRS difficulty.
        last: its last answer, in days since today's day start (0 or less).
        due: the study day of its next review (0 = today; earlier: overdue; any day after
            `days` stands for after the exam).
        steps: (re)learning steps left: answers on its due day beyond the first.
        pool: the exam pool it is drawn in (-1: the exam cannot ask it).
        picks: ways of picking its options (the guess rate depends on it).
    """

    stability: list[float] = field(default_factory=list)
    difficulty: list[float] = field(default_factory=list)
    last: list[float] = field(default_factory=list)
    due: list[int] = field(default_factory=list)
    steps: list[int] = field(default_factory=list)
    pool: list[int] = field(default_factory=list)
    picks: list[int] = field(default_factory=list)


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
    studied: Studied
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


def _cards(source: ForecastInput) -> tuple[Cards, list[list[int]]]:
    """The studied cards as the forecast's lists (copies: it changes them), and the cards
    falling due on each day."""
    studied = source.studied
    buckets: list[list[int]] = [[] for _ in range(source.days + 1)]
    last = source.days
    for index, day in enumerate(studied.due):
        if day <= 0:
            buckets[0].append(index)
        elif day <= last:
            buckets[day].append(index)
    cards = Cards(
        studied.stability.copy(),
        studied.difficulty.copy(),
        studied.last.copy(),
        studied.pool.copy(),
        studied.picks.copy(),
        studied.steps.copy(),
        [1] * len(studied.stability),
    )
    return cards, buckets


def _tables(source: ForecastInput) -> dict[int, list[float]]:
    shapes = set(source.studied.picks) | {picks for _, picks in source.new}
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
    cards, buckets = _cards(source)
    relearn = source.relearning_answers
    backlog = Backlog(cards, factor, decay, relearn, source.now, source.days)

    prior = {picks: source.chance(None, picks) for picks in tables}
    studied = len(source.studied.stability)
    waiting: list[tuple[list[int], list[float]]] = [([], []) for _ in source.pool_counts]
    for place, (pool, picks) in enumerate(source.new):
        if pool >= 0:
            waiting[pool][0].append(place)
            waiting[pool][1].append(prior[picks])
    # The studied cards an exam asks, each one entry, their tables and places in their pool
    # (fixed: only their memory changes): their chances are computed with C-level maps.
    asked_ids = [index for index in range(studied) if cards.pool[index] >= 0]
    shape_of = [tables[cards.picks[index]] for index in asked_ids]
    in_pool: list[list[int]] | None = None  # one pool: every asked card is in it
    if len(source.pool_counts) > 1:
        in_pool = [[] for _ in source.pool_counts]
        for place, index in enumerate(asked_ids):
            in_pool[cards.pool[index]].append(place)

    def studied_chances(
        at: float, ids: list[int], shapes: list[list[float]]
    ) -> tuple[list[float], list[float]]:
        # The hot loop of a plan (every card, every evaluated day): recall and chance right.
        since = map(sub, repeat(at), map(cards.last.__getitem__, ids))
        grown = map(truediv, map(mul, repeat(factor), since), map(cards.stability.__getitem__, ids))
        recall = list(map(pow, map(add, repeat(1.0), grown), repeat(decay)))
        steps = map(int, map(add, map(mul, recall, repeat(_GRID)), repeat(0.5)))
        return recall, list(map(getitem, shapes, steps))

    def chances(
        at: float, introduced: int, studied_part: tuple[list[float], list[float]]
    ) -> tuple[float, float, float]:
        asked, right = list(studied_part[0]), list(studied_part[1])  # both grow below
        pools = [right] if in_pool is None else [list(map(right.__getitem__, p)) for p in in_pool]
        counted = len(asked)
        for index in range(studied, len(cards.weight)):
            pool, weight = cards.pool[index], cards.weight[index]
            if pool < 0:
                continue
            r = (1 + factor * (at - cards.last[index]) / cards.stability[index]) ** decay
            pools[pool] += [tables[cards.picks[index]][int(r * _GRID + 0.5)]] * weight
            asked.append(r * weight)
            counted += weight
        for pool, (order, priors) in enumerate(waiting):  # new cards not yet introduced
            waits = priors[bisect.bisect_left(order, introduced) :]
            pools[pool] += waits
            counted += len(waits)
        chance, score = form_chance(
            list(zip(pools, source.pool_counts, strict=True)), source.needed
        )
        return chance, score, sum(asked) / counted if counted else 0.0

    exam_moment = source.days + 0.5
    stopped = studied_chances(exam_moment, asked_ids, shape_of)
    stopped_chance, stopped_score, _ = chances(exam_moment, 0, stopped)
    reviewed: set[int] = set()  # on exam day only these cards' chances differ from `stopped`'s

    def exam_day_chances() -> tuple[float, float, float]:
        changed = sorted(i for i in reviewed if i < studied and cards.pool[i] >= 0)
        places = list(map(bisect.bisect_left, repeat(asked_ids), changed))
        recall, right = studied_chances(
            exam_moment, changed, list(map(shape_of.__getitem__, places))
        )
        patched = list(stopped[0]), list(stopped[1])
        for place, r, chance in zip(places, recall, right, strict=True):
            patched[0][place], patched[1][place] = r, chance
        return chances(exam_moment, introduced, patched)

    size = studied + len(source.new)
    step = max(1, math.ceil(size * (source.days + 1) / _EVALUATIONS))
    evaluated: dict[int, tuple[float, float, float]] = {}
    rows: list[tuple[float, int, int]] = []
    introduced = 0
    w6, w7, w8, w9, w10 = w[6], w[7], w[8], w[9], w[10]
    w11, w12, w13, w14 = w[11], w[12], w[13], w[14]
    short = math.exp(w[17] * w[18])  # a Good answer's same-day stability factor, before S^-w19
    easy = w[4] - math.exp(w[5] * 3) + 1  # the mean-reversion target of difficulty
    gain = math.exp(w8)
    target = source.exam_retention
    budget = math.inf
    if source.minutes_per_day is not None:
        budget = source.minutes_per_day * 60 / source.seconds_per_answer
    for day in range(source.days + 1):
        moment = source.now if day == 0 else day + 1 / 3
        if day == 0:  # today's chance is the chance now, before today's study
            evaluated[0] = chances(
                source.now, introduced, studied_chances(source.now, asked_ids, shape_of)
            )
        backlog.add(buckets[day], day)
        answers = backlog.answers(day)
        quota = min(source.new_per_day, len(source.new) - introduced)
        new = quota
        fits = answers + quota * source.first_answers <= budget
        if not fits:
            # The day's minutes run out: do the first share of its cards (the queue mixes
            # new cards in among the reviews); the others wait for the next day.
            share = budget / (answers + quota * source.first_answers)
            due = backlog.take(day, share * answers)
            new = math.floor(share * quota)
        else:
            due = backlog.take_all()
        reviewed.update(due)
        done = 0.0  # the expected answers of the cards reviewed, card by card
        for index in due:
            s, d = cards.stability[index], cards.difficulty[index]
            pending, weight = cards.steps[index], cards.weight[index]
            if pending:  # (re)learning: the remaining steps, each answered Good
                done += pending * weight
                cards.steps[index] = 0
                for _ in range(pending):
                    s *= max(1.0, short * s ** -w[19])
                    d = w7 * easy + (1 - w7) * d
            else:
                r = (1 + factor * (moment - cards.last[index]) / s) ** decay
                done += (1 + (1 - r) * relearn) * weight
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
        rows.append((done if fits else answers, new, max(quota, new)))
        if day and day == source.days:
            evaluated[day] = exam_day_chances()
        elif day and day % step == 0:
            part = studied_chances(day + 0.5, asked_ids, shape_of)
            evaluated[day] = chances(day + 0.5, introduced, part)
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
