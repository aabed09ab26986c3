"""Exam plans, made off the UI thread: a plan projects every card of the deck to the exam date
(0.2-0.8 s on 10,000 cards), which no screen may wait for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.widget import Widget

from srs.collection.settings import get_settings
from srs.collection.store import Store
from srs.tui.widgets.reading import post_each

if TYPE_CHECKING:
    from srs.plan import ExamPlan

__all__ = ["Planner"]


class Planner(Widget):
    """Makes decks' exam plans in a worker and posts each one as it is ready.

    It shows nothing: a screen that shows plans (the dashboard, the plan screen) holds one,
    calls `plan`, and handles `Planner.Planned`. A new request cancels the one still running;
    leaving the screen cancels it too. Read as every background figure is (`reading.post_each`).
    """

    DEFAULT_CSS = "Planner { display: none; }"

    @dataclass
    class Planned(Message):
        """One deck's plan; None when the deck has no exam date ahead, or `error` says why it
        could not be made."""

        deck_id: str
        plan: ExamPlan | None
        error: str | None = None

    @work(thread=True, exclusive=True, exit_on_error=False)
    def plan(self, store: Store, deck_ids: list[str]) -> None:
        """Plan each deck in turn (`post_each`)."""
        post_each(
            store,
            deck_ids,
            _planned,
            lambda deck_id, error: self.Planned(deck_id, None, error),
            self.post_message,
        )


def _planned(store: Store, deck_id: str) -> Planner.Planned:
    """The deck's plan; None when it has no exam date ahead."""
    # Most decks have no date: the settings say so without the plan's checks of the exam.
    if get_settings(store, deck_id).exam_date is None:
        return Planner.Planned(deck_id, None)
    from srs.plan import exam_plan

    return Planner.Planned(deck_id, exam_plan(store, deck_id))
