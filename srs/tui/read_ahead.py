"""What the study app reads ahead while it starts: the dashboard's counts, and whether a mock
exam needs the exam engine at start.

This module imports no Textual, so the command line starts the read before importing the app:
SQLite counts without the GIL (~100 ms at 100,000 cards) while Textual is imported and sets up.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TypeVar

from srs.collection.attempts import open_attempt_id, unlogged_attempt_ids
from srs.collection.store import CollectionError, Store
from srs.study.overview import DeckOverview, deck_overview, study_streak

__all__ = ["DashboardCounts", "ReadAhead", "dashboard_counts", "read_ahead"]

T = TypeVar("T")

_READ_ERRORS = (CollectionError, sqlite3.Error)


@dataclass(frozen=True)
class DashboardCounts:
    """What the dashboard shows of the collection: each deck's counts and the study streak."""

    decks: list[DeckOverview]
    streak: int


def dashboard_counts(store: Store) -> DashboardCounts:
    """Read what the dashboard shows (~100 ms at 100,000 cards and a million answers)."""
    return DashboardCounts(deck_overview(store), study_streak(store))


@dataclass(frozen=True)
class ReadAhead:
    """The reads begun by `read_ahead`, each waited for when first needed."""

    exams: Future[bool]
    """Whether an attempt is in progress or a submission was left unlogged (read first)."""
    counts: Future[DashboardCounts]
    changes: int
    """The app's connection's `own_changes()` when the reads began."""

    def exams_pending(self) -> bool:
        """Whether the app must load the exam engine at start: to submit an attempt whose time
        ran out, offer to resume one, or log a submission a crash interrupted. True when it
        could not be read (the engine then reads again, and a real problem shows there)."""
        try:
            return self.exams.result()
        except _READ_ERRORS:
            return True

    def fresh_counts(self, store: Store) -> DashboardCounts | None:
        """The counts once read; None when the app has written since (they may be stale) or
        they could not be read (read again on the UI thread: a real problem shows there)."""
        try:
            counts = self.counts.result()
        except _READ_ERRORS:
            return None
        return counts if store.own_changes() == self.changes else None


def read_ahead(store: Store) -> ReadAhead:
    """Start reading, in a thread on a connection of its own, what the app's start needs."""
    exams: Future[bool] = Future()
    counts: Future[DashboardCounts] = Future()

    def read() -> None:
        try:
            with store.reader() as reader:
                _settle(exams, lambda: _exams_pending(reader))
                _settle(counts, lambda: dashboard_counts(reader))
        except BaseException as exc:  # no connection: delivered to the UI thread as well
            for future in (exams, counts):
                if not future.done():
                    future.set_exception(exc)

    changes = store.own_changes()
    threading.Thread(target=read, name="srs-read-ahead", daemon=True).start()
    return ReadAhead(exams, counts, changes)


def _settle(future: Future[T], read: Callable[[], T]) -> None:
    """The read's result, or what it raised, for `ReadAhead` to deliver on the UI thread."""
    try:
        future.set_result(read())
    except BaseException as exc:
        future.set_exception(exc)


def _exams_pending(store: Store) -> bool:
    return open_attempt_id(store) is not None or bool(unlogged_attempt_ids(store))
