"""Statistics: what the learner did, what is coming, how well they remember, by topic.

`collect(store, deck_id)` computes every figure; each section also has its own function
(`today`, `history`, `forecast`, `true_retention`, `memory`, `topics`, `exams`), so a screen can
fill its figures in as each arrives. Aggregations run in SQL (`srs.collection.stats`); the rules
(a study day, the streak, a card's chance) are the engines' own.
"""

from __future__ import annotations

from dataclasses import dataclass

from srs.collection.store import Store
from srs.stats.activity import Forecast, History, Today, forecast, history, today
from srs.stats.exams import ExamFigures, exams
from srs.stats.memory import MemoryFigures, TrueRetention, memory, true_retention
from srs.stats.topics import TopicFigures, topics

__all__ = [
    "ExamFigures",
    "Forecast",
    "History",
    "MemoryFigures",
    "Stats",
    "Today",
    "TopicFigures",
    "TrueRetention",
    "collect",
    "exams",
    "forecast",
    "history",
    "memory",
    "today",
    "topics",
    "true_retention",
]


@dataclass(frozen=True)
class Stats:
    """Every figure of `srs stats`, for one deck or every deck (`deck_id` None)."""

    deck_id: str | None
    today: Today
    history: History
    forecast: Forecast
    true_retention: TrueRetention
    memory: MemoryFigures
    topics: tuple[TopicFigures, ...]
    exams: ExamFigures

    def to_json(self) -> dict[str, object]:
        """Every figure as JSON values (`srs stats --json`): dates ISO, shares 0-1."""
        return {
            "deck": self.deck_id,
            "today": self.today.to_dict(),
            "reviews_per_day": self.history.to_dict(),
            "forecast": self.forecast.to_dict(),
            "true_retention": self.true_retention.to_dict(),
            "memory": self.memory.to_dict(),
            "topics": [topic.to_dict() for topic in self.topics],
            "exams": self.exams.to_dict(),
        }


def collect(store: Store, deck_id: str | None = None) -> Stats:
    """Every figure for the deck (None: every deck).

    Example: `collect(store, "aws").to_json()["true_retention"]`.

    Raises:
        CollectionError: no such deck.
    """
    return Stats(
        deck_id,
        today(store, deck_id),
        history(store, deck_id),
        forecast(store, deck_id),
        true_retention(store, deck_id),
        memory(store, deck_id),
        topics(store, deck_id),
        exams(store, deck_id),
    )
