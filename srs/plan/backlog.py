"""The forecast's due cards waiting for a review (pure): what a day asks for, without weighing
every waiting card again each day.

When the learner's minutes cannot clear the due cards, they wait, first come first served, and
each day asks for all of them: one answer each, plus relearning for the share forgotten, which
grows as they wait. A 100,000-card deck on 30 minutes a day carries tens of thousands of cards
for weeks: weighing each of them each day was a million evaluations of the forgetting curve.
Here the waiting cards are kept in blocks of `_BLOCK`, in the order they fell due. A block's
summed recall is computed card by card when it joins, then 1, 2, 4, 8 and 16 days later and
every `_NODE_DAYS` days after that (the curves bend most early); on the days between it is
interpolated. Recall follows R = (1 + f t / S) ** decay, so R ** (1 / decay) is a straight
line in time for each card: the block's mean recall is interpolated on that scale, through
the last three node days, which is exact for a block of cards of one stability and last
review, and close for the rest (on the 100,000-card bench deck the days' expected answers
differ from weighing every card by at most 0.003%: docs/plan.md). The front block, the cards
a day reaches, is always weighed card by card, and which cards a day reviews is decided card
by card, as before.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from itertools import repeat
from operator import add, mul, sub, truediv

__all__ = ["Backlog", "Cards"]

_BLOCK = 256
"""Cards per block: the front block is weighed card by card each day."""
_NODE_DAYS = 16
"""Days between a waiting block's exact sums, once it has waited that long."""


@dataclass
class Cards:
    """The forecast's cards as parallel lists (its inner loops run over them).

    Attributes:
        stability, difficulty: FSRS memory.
        last: the last answer, in days since today's day start.
        pool, picks: the exam pool (-1: none) and ways of picking the options.
        steps: (re)learning steps left on the due day (0: a review).
        weight: cards an entry stands for (new cards introduced together follow one path).
    """

    stability: list[float]
    difficulty: list[float]
    last: list[float]
    pool: list[int]
    picks: list[int]
    steps: list[int]
    weight: list[int]


@dataclass(frozen=True)
class _Curve:
    """What a day's expected answers need besides the cards: R = (1 + factor t / S) ** decay,
    a lapse adds `relearn` answers, and the moment of each day (today: now, later days a third
    of the way in)."""

    factor: float
    decay: float
    relearn: int
    now: float

    def moment(self, day: int) -> float:
        return self.now if day == 0 else day + 1 / 3


class _Block:
    """Waiting cards in the order they fell due, with their summed recall on node days."""

    __slots__ = (
        "base",
        "born",
        "fixed",
        "line",
        "members",
        "nodes",
        "offset",
        "ones",
        "recall_weight",
        "scale",
        "slope",
    )

    base: list[float]
    fixed: float
    nodes: list[tuple[int, float]]
    offset: list[float]
    recall_weight: list[int]
    scale: int
    slope: list[float]

    def __init__(self, members: list[int], cards: Cards, curve: _Curve, day: int) -> None:
        self.members = members
        steps = list(map(cards.steps.__getitem__, members))
        weights = list(map(cards.weight.__getitem__, members))
        stability = map(cards.stability.__getitem__, members)
        self.slope = list(map(truediv, repeat(curve.factor), stability))
        last = map(cards.last.__getitem__, members)
        self.offset = list(map(sub, repeat(1.0), map(mul, self.slope, last)))
        """1 + factor (t - last) / S = offset + slope t: one multiplication and one addition
        per card at each moment."""
        self.recall_weight = weights
        self.base = list(map(mul, repeat(1 + curve.relearn), weights))
        """Each card's answers if it were forgotten (a lapse relearns)."""
        if any(steps):  # a learning card asks for its steps, whatever its recall
            self.recall_weight = [
                0 if step else weight for step, weight in zip(steps, weights, strict=True)
            ]
            self.base = [
                step * weight if step else base
                for step, weight, base in zip(steps, weights, self.base, strict=True)
            ]
        self.fixed = sum(self.base)
        self.scale = sum(self.recall_weight)
        self.ones = weights.count(1) == len(weights) and not any(steps)
        """Every entry one card, none learning: the recall sum needs no weights."""
        self.born = day
        self.nodes = [(day, self.recall(curve, day))]
        self.line = (0.0, 0.0, 0.0)
        """The mean recall's curve between the last two nodes, on the linear scale."""

    def recall(self, curve: _Curve, day: int, start: int = 0) -> float:
        """The summed recall on `day` of the block's cards from `start` on, card by card."""
        offset, slope = self.offset, self.slope
        if start:
            offset, slope = offset[start:], slope[start:]
        grown = map(mul, slope, repeat(curve.moment(day)))
        recall = map(pow, map(add, offset, grown), repeat(curve.decay))
        total: float = (
            sum(recall) if self.ones else sum(map(mul, self.recall_weight[start:], recall))
        )
        return total

    def exact(self, curve: _Curve, day: int, start: int) -> float:
        """The expected answers on `day` of the block's cards from `start` on, card by card."""
        rest: float = sum(self.base[start:])
        return rest - curve.relearn * self.recall(curve, day, start)

    def answers(self, curve: _Curve, day: int, last_day: int) -> float:
        """The block's expected answers on `day` (no earlier than the last asked), from its
        sums on the node days."""
        if not self.scale:
            return self.fixed
        if day > self.nodes[-1][0]:
            self._advance(curve, day, last_day)
        last, high = self.nodes[-1]
        if day == last:
            return self.fixed - curve.relearn * high
        a, b, c = self.line
        at = curve.moment(day)
        mean: float = (a + at * (b + at * c)) ** curve.decay
        return self.fixed - curve.relearn * self.scale * mean

    def _advance(self, curve: _Curve, day: int, last_day: int) -> None:
        """Sum the recall on the next node days up to `day`: 1, 2, 4, 8 ... days after the
        block joined (the curves bend most early), then every `_NODE_DAYS` days."""
        while day > self.nodes[-1][0]:
            latest = self.nodes[-1][0]
            after = min(latest + min(max(latest - self.born, 1), _NODE_DAYS), last_day)
            self.nodes.append((after, self.recall(curve, after)))
        del self.nodes[:-3]
        # The mean recall on the scale where each card's recall is a straight line in time,
        # through the last three nodes (two while the block is young): a + b t + c t^2.
        inverse = 1 / curve.decay
        points = [(curve.moment(d), (r / self.scale) ** inverse) for d, r in self.nodes]
        if len(points) == 2:
            (t0, y0), (t1, y1) = points
            slope = (y1 - y0) / (t1 - t0)
            self.line = (y0 - slope * t0, slope, 0.0)
            return
        (t0, y0), (t1, y1), (t2, y2) = points
        c = ((y2 - y1) / (t2 - t1) - (y1 - y0) / (t1 - t0)) / (t2 - t0)
        b = (y1 - y0) / (t1 - t0) - c * (t0 + t1)
        self.line = (y0 - b * t0 - c * t0 * t0, b, c)


class Backlog:
    """The due cards waiting for a review, in the order the learner meets them (the longest
    waiting first). A waiting card's memory does not change until it leaves.

    Args:
        cards: the forecast's cards.
        factor, decay: the forgetting curve, R = (1 + factor t / S) ** decay.
        relearn: answers a lapse adds.
        now: today's moment, in days since today's day start.
        days: the last day of the forecast.
    """

    def __init__(
        self, cards: Cards, factor: float, decay: float, relearn: int, now: float, days: int
    ) -> None:
        self._cards = cards
        self._curve = _Curve(factor, decay, relearn, now)
        self._days = days
        self._blocks: deque[_Block] = deque()
        self._taken = 0
        """Cards of the front block already reviewed."""

    def add(self, indices: list[int], day: int) -> None:
        """Cards falling due on `day` join at the back."""
        for start in range(0, len(indices), _BLOCK):
            self._blocks.append(
                _Block(indices[start : start + _BLOCK], self._cards, self._curve, day)
            )

    def _each(self, index: int, moment: float) -> float:
        """One card's expected answers at `moment`."""
        cards, curve = self._cards, self._curve
        weight = cards.weight[index]
        if cards.steps[index]:
            return cards.steps[index] * weight
        recall: float = (
            1 + curve.factor * (moment - cards.last[index]) / cards.stability[index]
        ) ** curve.decay
        return (1 + (1 - recall) * curve.relearn) * weight

    def answers(self, day: int) -> float:
        """The expected answers every waiting card asks for on `day`: the front block card by
        card, the others from their sums."""
        if not self._blocks:
            return 0.0
        front, *waiting = self._blocks
        total = front.exact(self._curve, day, self._taken)
        for block in waiting:
            total += block.answers(self._curve, day, self._days)
        return total

    def take(self, day: int, limit: float) -> list[int]:
        """Remove and return the first cards whose expected answers on `day` add up to no
        more than `limit`."""
        moment = self._curve.moment(day)
        taken: list[int] = []
        spent = 0.0
        while self._blocks:
            members = self._blocks[0].members
            for position in range(self._taken, len(members)):
                spent += self._each(members[position], moment)
                if spent > limit:
                    taken += members[self._taken : position]
                    self._taken = position
                    return taken
            taken += members[self._taken :]
            self._blocks.popleft()
            self._taken = 0
        return taken

    def take_all(self) -> list[int]:
        """Remove and return every waiting card."""
        taken = [i for block in self._blocks for i in block.members]
        del taken[: self._taken]
        self._blocks.clear()
        self._taken = 0
        return taken
