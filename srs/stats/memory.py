"""How well the learner remembers: Anki's true retention table (review-card answers remembered,
young and mature, over five periods, beside the desired retention) and the FSRS memory figures
(distributions of stability, difficulty and retrievability, and the cards expected recalled)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from srs.collection.decks import study_settings
from srs.collection.settings import clock_for
from srs.collection.stats import MATURE_INTERVAL, memory_buckets, retention_counts
from srs.collection.store import Store
from srs.model.memory import curve_constants

__all__ = [
    "DIFFICULTY_EDGES",
    "MATURE_INTERVAL",
    "PERIODS",
    "RETRIEVABILITY_EDGES",
    "STABILITY_EDGES",
    "Bucket",
    "MemoryFigures",
    "Retained",
    "RetentionPeriod",
    "TrueRetention",
    "memory",
    "true_retention",
]

PERIODS = (("today", 1, 0), ("yesterday", 1, 1), ("week", 7, 0), ("month", 30, 0), ("year", 365, 0))
"""Anki's periods: (name, days, days back from today to the period's last day)."""

STABILITY_EDGES = (0.0, 1.0, 7.0, 21.0, 90.0, 365.0, math.inf)
"""Stability buckets in days; 21 is where a card turns mature."""

DIFFICULTY_EDGES = (1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0)
"""FSRS difficulty runs from 1 to 10: one bucket per unit."""

RETRIEVABILITY_EDGES = tuple(n / 10 for n in range(11))
"""Chance of recall now, in tenths."""


@dataclass(frozen=True)
class Retained:
    """Answers to review cards and those remembered (any rating above Again)."""

    answers: int = 0
    right: int = 0

    @property
    def retention(self) -> float | None:
        return self.right / self.answers if self.answers else None

    def __add__(self, other: Retained) -> Retained:
        return Retained(self.answers + other.answers, self.right + other.right)

    def to_dict(self) -> dict[str, object]:
        return {"answers": self.answers, "right": self.right, "retention": self.retention}


@dataclass(frozen=True)
class RetentionPeriod:
    """One row of the true retention table."""

    name: str
    days: int
    young: Retained
    mature: Retained

    @property
    def total(self) -> Retained:
        return self.young + self.mature

    def to_dict(self) -> dict[str, object]:
        return {
            "period": self.name,
            "days": self.days,
            "young": self.young.to_dict(),
            "mature": self.mature.to_dict(),
            "total": self.total.to_dict(),
        }


@dataclass(frozen=True)
class TrueRetention:
    """Anki's true retention table.

    Attributes:
        periods: today, yesterday, the last week, month and year (each ending today, but
            yesterday).
        desired: each deck's desired retention, by deck id: what FSRS aims the retention at.
    """

    periods: tuple[RetentionPeriod, ...]
    desired: dict[str, float]

    def to_dict(self) -> dict[str, object]:
        return {
            "mature_interval": MATURE_INTERVAL,
            "desired": self.desired,
            "periods": [period.to_dict() for period in self.periods],
        }


def true_retention(store: Store, deck_id: str | None = None) -> TrueRetention:
    """The share of review-card answers remembered, young and mature, per period.

    A review-card answer is one given while the card was in Review (not a new or (re)learning
    card's); it is mature when the card's interval was at least 21 days.

    Raises:
        CollectionError: no such deck.
    """
    settings = study_settings(store, None if deck_id is None else [deck_id])
    today = clock_for(store).study_day()
    longest = max(days + back for _, days, back in PERIODS)
    rows = retention_counts(store, today - timedelta(days=longest - 1), deck_id)
    periods = []
    for name, days, back in PERIODS:
        last = today - timedelta(days=back)
        first = last - timedelta(days=days - 1)
        young, mature = Retained(), Retained()
        for row in rows:
            if first <= row.day <= last:
                young += Retained(row.young, row.young_right)
                mature += Retained(row.mature, row.mature_right)
        periods.append(RetentionPeriod(name, days, young, mature))
    return TrueRetention(tuple(periods), {deck: s.desired_retention for deck, s in settings})


@dataclass(frozen=True)
class Bucket:
    """Cards whose value lies in [low, high) (the last bucket includes its high)."""

    low: float
    high: float
    cards: int

    def to_dict(self) -> dict[str, object]:
        return {
            "low": self.low,
            "high": None if math.isinf(self.high) else self.high,
            "cards": self.cards,
        }


@dataclass(frozen=True)
class MemoryFigures:
    """The memory of every studied card in the deck files (Anki's FSRS statistics).

    Attributes:
        cards: studied cards.
        expected_recalled: the cards expected to be recalled now: the sum of each card's
            chance of recall (retrievability).
        stability: cards per stability bucket (days).
        difficulty: cards per difficulty bucket (1-10).
        retrievability: cards per bucket of the chance of recall now.
    """

    cards: int
    expected_recalled: float
    stability: tuple[Bucket, ...]
    difficulty: tuple[Bucket, ...]
    retrievability: tuple[Bucket, ...]

    @property
    def mean_retrievability(self) -> float | None:
        return self.expected_recalled / self.cards if self.cards else None

    def to_dict(self) -> dict[str, object]:
        return {
            "cards": self.cards,
            "expected_recalled": self.expected_recalled,
            "mean_retrievability": self.mean_retrievability,
            "stability": [b.to_dict() for b in self.stability],
            "difficulty": [b.to_dict() for b in self.difficulty],
            "retrievability": [b.to_dict() for b in self.retrievability],
        }


def memory(store: Store, deck_id: str | None = None) -> MemoryFigures:
    """The distributions of the studied cards' memory, and the cards expected recalled now.

    Each card's retrievability is the model's (`srs.model.memory.forgetting_curve`, with its
    deck's parameters, over fractional days, as `srs cards` shows it), summed by SQLite.

    Raises:
        CollectionError: no such deck.
    """
    edges = (STABILITY_EDGES, DIFFICULTY_EDGES, RETRIEVABILITY_EDGES)
    counts = tuple([0] * (len(e) - 1) for e in edges)
    cards, recalled = 0, []
    now = store.clock.now()
    for deck, settings in study_settings(store, None if deck_id is None else [deck_id]):
        curve = curve_constants(settings.parameters)
        for *buckets, count, recall in memory_buckets(store, now, deck, curve, edges):
            for histogram, bucket in zip(counts, buckets, strict=True):
                histogram[bucket] += count
            cards += count
            recalled.append(recall)
    stability, difficulty, retrievability = (
        tuple(Bucket(e[n], e[n + 1], c) for n, c in enumerate(histogram))
        for e, histogram in zip(edges, counts, strict=True)
    )
    return MemoryFigures(cards, math.fsum(recalled), stability, difficulty, retrievability)
