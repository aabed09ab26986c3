"""Statistics: what the learner did, what is coming, how well they remember, by topic.

`collect(store, deck_id)` computes every figure; each section also has its own function
(`today`, `history`, `forecast`, `true_retention`, `memory`, `topics`, `exams`), so a screen can
fill its figures in as each arrives. Aggregations run in SQL (`srs.collection.stats`); the rules
(a study day, the streak, a card's chance) are the engines' own.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from srs.collection.store import CollectionError, Store
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

    The memory figures, a scan of every card's memory, are read meanwhile on a connection of
    their own in a second thread: SQLite lets go of the interpreter while it reads, so that
    scan and the topics' use both cores (~40% less time at 100,000 cards,
    docs/performance.md); being another connection, it reads what is committed, so call this
    outside a write. A collection with no second connection (one in memory) is read on its
    own, one section after the other.

    Example: `collect(store, "aws").to_json()["true_retention"]`.

    Raises:
        CollectionError: no such deck.
    """
    try:
        reader = store.reader()
    except CollectionError:
        return _collected(store, deck_id, lambda: memory(store, deck_id))
    with reader, ThreadPoolExecutor(max_workers=1) as beside:
        return _collected(store, deck_id, beside.submit(memory, reader, deck_id).result)


def _collected(
    store: Store, deck_id: str | None, memory_figures: Callable[[], MemoryFigures]
) -> Stats:
    activity = (
        today(store, deck_id),
        history(store, deck_id),
        forecast(store, deck_id),
        true_retention(store, deck_id),
    )
    figures = topics(store, deck_id), exams(store, deck_id)
    return Stats(deck_id, *activity, memory_figures(), *figures)  # memory may still be read
