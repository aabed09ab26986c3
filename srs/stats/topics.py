"""The exam's domains at a glance: per topic, its cards, the mean chance of answering one right
now, and how the answers to it are going (the last week against the 30 days before), weakest
first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from srs.collection.decks import study_settings
from srs.collection.settings import clock_for
from srs.collection.stats import topic_counts_since
from srs.collection.store import Store
from srs.exam.readiness import topic_sums

__all__ = ["EARLIER_DAYS", "RECENT_DAYS", "TopicFigures", "topics"]

RECENT_DAYS = 7
"""The trend's recent window: the last 7 study days, today included."""

EARLIER_DAYS = 30
"""What the recent window is compared with: the 30 study days before it."""


@dataclass(frozen=True)
class TopicFigures:
    """One topic of a deck.

    Attributes:
        deck_id: the deck.
        topic: the topic as written in the deck (None: cards without one).
        cards: its cards in the deck file.
        chance: the mean chance of answering one of its exam cards right now, as the pass
            chance computes it (None: no multiple-choice card).
        recent_answers / recent_right: answers in the last `RECENT_DAYS` days, and right ones.
        earlier_answers / earlier_right: the same over the `EARLIER_DAYS` days before.
    """

    deck_id: str
    topic: str | None
    cards: int
    chance: float | None
    recent_answers: int
    recent_right: int
    earlier_answers: int
    earlier_right: int

    @property
    def recent_share(self) -> float | None:
        return self.recent_right / self.recent_answers if self.recent_answers else None

    @property
    def earlier_share(self) -> float | None:
        return self.earlier_right / self.earlier_answers if self.earlier_answers else None

    @property
    def trend(self) -> float | None:
        """Percentage points of right answers gained, recent window against earlier one (None
        unless both windows hold answers)."""
        recent, earlier = self.recent_share, self.earlier_share
        return None if recent is None or earlier is None else 100 * (recent - earlier)

    def to_dict(self) -> dict[str, object]:
        return {
            "deck": self.deck_id,
            "topic": self.topic,
            "cards": self.cards,
            "chance": self.chance,
            "recent": {
                "days": RECENT_DAYS,
                "answers": self.recent_answers,
                "right": self.recent_right,
                "share_right": self.recent_share,
            },
            "earlier": {
                "days": EARLIER_DAYS,
                "answers": self.earlier_answers,
                "right": self.earlier_right,
                "share_right": self.earlier_share,
            },
            "trend": self.trend,
        }


def _weakest_first(topic: TopicFigures) -> tuple[bool, float, bool, float, str, str]:
    """Lowest chance first, then lowest recent share right; unknowns after the known."""
    chance, recent = topic.chance, topic.recent_share
    return (
        chance is None,
        chance or 0.0,
        recent is None,
        recent or 0.0,
        topic.deck_id,
        topic.topic or "",
    )


def topics(store: Store, deck_id: str | None = None) -> tuple[TopicFigures, ...]:
    """Every topic of the deck (None: of every deck), weakest first.

    The slowest figure: each card's chance is the one the pass chance is built from, summed per
    topic by `srs.exam.readiness.topic_sums`; the answers per topic come from the per-day sums.

    Raises:
        CollectionError: no such deck.
    """
    decks = [deck for deck, _ in study_settings(store, None if deck_id is None else [deck_id])]
    today = clock_for(store).study_day()
    recent = today - timedelta(days=RECENT_DAYS - 1)
    earlier = recent - timedelta(days=EARLIER_DAYS)
    chances = {
        (deck, topic): total / cards
        for deck in decks
        for topic, (cards, total) in topic_sums(store, deck).items()
        if cards
    }
    figures = []
    for row in topic_counts_since(store, earlier, recent, deck_id):
        mean = chances.get((row.deck_id, row.topic))
        figures.append(TopicFigures(row.deck_id, row.topic, row.cards, mean, *row[3:]))
    return tuple(sorted(figures, key=_weakest_first))
