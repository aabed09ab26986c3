"""Statistics, computed off the UI thread: on a large collection some sections take seconds
(true retention reads a year of answers, the topics every card's chance), which no screen may
wait for; read as every background figure is (`reading.post_each`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

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

__all__ = ["BESIDE", "SECTIONS", "Figures", "StatsLoader"]

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

Section = Callable[[Store, str | None], Figures]
"""A section's function."""

SECTIONS: tuple[tuple[str, Section], ...] = (
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

BESIDE = "memory"
"""The section read by a worker of its own beside the others: its scan of every card's memory
and the topics' scan use both cores, as in `srs.stats.collect` (SQLite lets go of the
interpreter lock while it scans)."""


class StatsLoader(Widget):
    """Computes a deck's statistics section by section in two workers (`BESIDE` in one) and
    posts each one as it is ready.

    It shows nothing: the stats screen holds one, calls `load`, and handles
    `StatsLoader.Loaded`. Leaving the screen cancels the workers: the sections being computed
    finish, and nothing after them is read.
    """

    DEFAULT_CSS = "StatsLoader { display: none; }"

    @dataclass
    class Loaded(Message):
        """One section's figures (`section`: its name in `SECTIONS`), or `error` saying why
        they could not be read."""

        section: str
        figures: Figures | None
        error: str | None = None

    def load(self, store: Store, deck_id: str | None) -> None:
        """Every section: the memory figures in a worker of their own, the others in another,
        one after the other, cheapest first (`post_each`). A newer load cancels the older."""
        for group, beside in (("stats", False), ("stats-beside", True)):
            sections = [section for section in SECTIONS if (section[0] == BESIDE) == beside]
            self.run_worker(
                partial(self._read, store, deck_id, sections),
                group=group,
                thread=True,
                exclusive=True,
                exit_on_error=False,
            )

    def _read(
        self, store: Store, deck_id: str | None, sections: Sequence[tuple[str, Section]]
    ) -> None:
        post_each(
            store,
            sections,
            lambda reader, section: self.Loaded(section[0], section[1](reader, deck_id)),
            lambda section, error: self.Loaded(section[0], None, error),
            self.post_message,
        )
