"""Statistics, computed off the UI thread: on a large collection some sections take seconds
(true retention reads a year of answers, the topics every card's chance), which no screen may
wait for; read as every background figure is (`reading.post_each`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import work
from textual.message import Message
from textual.widget import Widget

from srs.collection.store import Store
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
from srs.tui.widgets.reading import post_each

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
        """Every section in turn, cheapest first (`post_each`)."""
        post_each(
            store,
            SECTIONS,
            lambda reader, section: self.Loaded(section[0], section[1](reader, deck_id)),
            lambda section, error: self.Loaded(section[0], None, error),
            self.post_message,
        )
