"""Statistics, computed off the UI thread: on a large collection some sections take seconds
(true retention reads a year of answers, the topics every card's chance), which no screen may
wait for. The same pattern as `PassPredictor`."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from textual import work
from textual.message import Message
from textual.widget import Widget
from textual.worker import get_current_worker

from srs.collection.store import CollectionError, Store
from srs.stats import (
    ExamFigures,
    Forecast,
    History,
    MemoryFigures,
    Today,
    TopicFigures,
    TrueRetention,
    exams,
    forecast,
    history,
    memory,
    today,
    topics,
    true_retention,
)

__all__ = ["SECTIONS", "Figures", "StatsLoader"]

Figures = (
    Today
    | Forecast
    | History
    | ExamFigures
    | MemoryFigures
    | TrueRetention
    | tuple[TopicFigures, ...]
)
"""What one section's function returns."""

SECTIONS: tuple[tuple[str, Callable[[Store, str | None], Figures]], ...] = (
    ("today", today),
    ("forecast", forecast),
    ("history", history),
    ("exams", exams),
    ("memory", memory),
    ("true_retention", true_retention),
    ("topics", topics),
)
"""Each section's name and function, cheapest first (docs/stats.md): the screen fills in
from the top while the slow ones are still being read."""


class StatsLoader(Widget):
    """Computes a deck's statistics section by section in a worker and posts each one as it is
    ready.

    It shows nothing: the stats screen holds one, calls `load`, and handles
    `StatsLoader.Loaded`. Leaving the screen cancels the worker: the section being computed
    finishes, and nothing after it is read.
    """

    DEFAULT_CSS = "StatsLoader { display: none; }"

    @dataclass
    class Loaded(Message):
        """One section's figures (`section`: its name in `SECTIONS`), or `error` saying why
        they could not be read."""

        section: str
        figures: Figures | None
        error: str | None = None

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self, store: Store, deck_id: str | None) -> None:
        """Every section in turn, on a read-only connection of the worker's own (WAL lets it
        read while the app writes)."""
        try:
            reader = store.reader()
        except CollectionError as exc:
            for name, _ in SECTIONS:
                self.post_message(self.Loaded(name, None, str(exc)))
            return
        with reader:
            for name, compute in SECTIONS:
                try:
                    loaded = self.Loaded(name, compute(reader, deck_id))
                except (CollectionError, sqlite3.Error) as exc:
                    loaded = self.Loaded(name, None, str(exc))
                if get_current_worker().is_cancelled:
                    return
                self.post_message(loaded)
