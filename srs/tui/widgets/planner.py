"""Exam plans, made off the UI thread: a plan projects every card of the deck to the exam date
(0.2-0.8 s on 10,000 cards), which no screen may wait for."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from textual import work
from textual.message import Message
from textual.widget import Widget
from textual.worker import get_current_worker

from srs.collection.settings import get_settings
from srs.collection.store import CollectionError, Store
from srs.plan import ExamPlan, exam_plan

__all__ = ["Planner"]


class Planner(Widget):
    """Makes decks' exam plans in a worker and posts each one as it is ready.

    It shows nothing: a screen that shows plans (the dashboard, the plan screen) holds one,
    calls `plan`, and handles `Planner.Planned`. A new request cancels the one still running;
    leaving the screen cancels it too. The same pattern as `PassPredictor`.
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
        """Plan each deck in turn, on a read-only connection of the worker's own (WAL lets it
        read while the app writes)."""
        try:
            reader = store.reader()
        except CollectionError as exc:
            for deck_id in deck_ids:
                self.post_message(self.Planned(deck_id, None, str(exc)))
            return
        with reader:
            for deck_id in deck_ids:
                planned = _planned(reader, deck_id)
                # A newer request (the screen shown again after a session) must not be
                # overwritten by an older one.
                if get_current_worker().is_cancelled:
                    return
                self.post_message(planned)


def _planned(store: Store, deck_id: str) -> Planner.Planned:
    """The deck's plan, or why there is none (shown, not left as "planning…")."""
    try:
        # Most decks have no date: the settings say so without the plan's checks of the exam.
        if get_settings(store, deck_id).exam_date is None:
            return Planner.Planned(deck_id, None)
        return Planner.Planned(deck_id, exam_plan(store, deck_id))
    except (CollectionError, sqlite3.Error) as exc:
        return Planner.Planned(deck_id, None, str(exc))
