"""What a screen may ask of the app: the collection, and the way to every other screen.

Screens never import one another (that grew two import cycles hidden in function bodies). They
call these methods on `self.app`, typed through `SrsScreen`; `SrsApp` (app.py) implements them
and is the one module that builds screens. This module imports no screen, so the imports run one
way: app -> screens -> base.

It is also where the app meets a collection that fails. A step the app can go on without (an
answer, a bury, opening a deck) runs in `errors_as_notifications()`: the learner reads why in a
notification, the screen stays as it was, and doing it again retries. A step it cannot go on
without (the dashboard's counts) runs in `errors_stop_the_app()`, and a collection error no step
handled is treated the same: the app exits, `run_app` raises the error once the terminal is
restored, and the command line prints it in one line with status 1.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from textual import getters
from textual.app import App
from textual.screen import Screen

from srs.collection.sqlite_file import explain
from srs.collection.store import CollectionError, Store

if TYPE_CHECKING:
    from srs.exam.attempt import Attempt
    from srs.study.custom import CustomStudy
    from srs.study.session import StudySession

__all__ = ["COLLECTION_ERRORS", "SrsAppBase", "SrsScreen"]

ResultT = TypeVar("ResultT")

COLLECTION_ERRORS = (CollectionError, sqlite3.Error)
"""What the collection raises when it cannot do what was asked. `Store.write()` turns SQLite's
errors into `CollectionError`; a raw `sqlite3.Error` comes from a read of a damaged file."""


class SrsAppBase(App[None]):
    """The open collection and the navigation between screens; `SrsApp` fills in each method."""

    store: Store
    """The open collection: the one way screens reach it (a worker reads through
    `store.reader()`, a connection of its own)."""

    failure: CollectionError | sqlite3.Error | None = None
    """The collection error that stopped the app, for `run_app` to raise once it has ended."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    @contextmanager
    def errors_as_notifications(self) -> Iterator[None]:
        """Run a step the app can go on without; if the collection fails it, say why.

        The rest of the block is skipped, so what the screen shows stays as it was (an answer
        not saved keeps its card and choice on screen) and doing the same again retries.
        """
        try:
            yield
        except COLLECTION_ERRORS as exc:
            self.report_error(exc)

    @contextmanager
    def errors_stop_the_app(self) -> Iterator[None]:
        """Run a step the app cannot go on without (the dashboard's counts); if the collection
        fails it, the app exits and `run_app` raises the error."""
        try:
            yield
        except COLLECTION_ERRORS as exc:
            self._stop(exc)

    def report_error(self, error: CollectionError | sqlite3.Error) -> None:
        """Tell the learner why the collection did not do what was asked."""
        if isinstance(error, CollectionError):
            text = str(error)
        else:
            text = f"the collection could not be read or written: {explain(error)}"
        self.notify(text, severity="error", markup=False, timeout=10)

    def _handle_exception(self, error: Exception) -> None:
        """Stop the app on a collection error no step handled, without a traceback.

        Textual stops the failed widget's message loop after this, so the app cannot safely
        go on: it exits, and `run_app` raises the error once the terminal is restored. Errors
        while it exits (a screen left half built) follow from this one and are not shown; any
        other error is a bug and gets Textual's traceback.
        """
        if self.failure is not None:
            return
        if not isinstance(error, COLLECTION_ERRORS):
            super()._handle_exception(error)
            return
        self._stop(error)

    def _stop(self, error: CollectionError | sqlite3.Error) -> None:
        """Exit with status 1, keeping the first error for `run_app`."""
        if self.failure is None:
            self.failure = error
        self.exit(return_code=1)

    def action_dashboard(self) -> None:
        """Back to the dashboard from any depth (results, history, start page)."""
        raise NotImplementedError

    def open_review(
        self, deck_ids: list[str] | None, title: str, custom: CustomStudy | None = None
    ) -> None:
        """Today's queue of these decks (None: all), or the `custom` selection of them; with
        nothing due today, custom study is offered, saying when the next card is due."""
        raise NotImplementedError

    def open_custom_study(
        self, deck_ids: list[str] | None, title: str, note: str | None = None
    ) -> None:
        """The choice of what to study beyond today's queue (`note`: why it is offered)."""
        raise NotImplementedError

    def open_options(self, deck_id: str) -> None:
        """The deck's study settings, to read and change."""
        raise NotImplementedError

    def continue_review(self, session: StudySession, title: str) -> None:
        """The review of `session` in place of the current screen (after an undo on the summary)."""
        raise NotImplementedError

    def show_summary(self, session: StudySession, title: str) -> None:
        """The end of `session` in place of the review screen."""
        raise NotImplementedError

    def open_exam_start(self, deck_id: str) -> None:
        """The deck's mock-exam start page, or a note when the deck has no exam."""
        raise NotImplementedError

    def open_exam(self, attempt: Attempt, *, resumed: bool = False) -> None:
        """Sit `attempt`; once it is submitted (or time runs out), its results."""
        raise NotImplementedError

    def open_history(self, deck_id: str) -> None:
        """Every submitted attempt at the deck's exam."""
        raise NotImplementedError

    def open_results(self, attempt_id: int) -> None:
        """A submitted attempt's results page, reopened from the history."""
        raise NotImplementedError

    def open_browser(self, deck_id: str, title: str) -> None:
        """Every card of the deck (`title`: its title), sortable and searchable."""
        raise NotImplementedError

    def open_card(self, card_id: int, then: Callable[[], None]) -> None:
        """One card with its memory and review history; `then` runs when it is closed (the
        browser shows what changed)."""
        raise NotImplementedError

    def confirm_forget(self, key: str, then: Callable[[bool], None]) -> None:
        """Ask whether to forget the card (`key`: its id in the deck file); `then` receives
        the answer."""
        raise NotImplementedError

    def open_stats(self, deck_id: str | None, title: str) -> None:
        """The statistics of the deck (None: every deck; `title`: its title)."""
        raise NotImplementedError

    def open_plan(self, deck_id: str, title: str) -> None:
        """The deck's exam plan (`title`: its title): the days to its exam date, charted."""
        raise NotImplementedError

    def ask_exam_date(self, deck_id: str, then: Callable[[bool], None]) -> None:
        """Ask for the deck's exam date and daily minutes, and save them; `then` receives
        whether they were saved."""
        raise NotImplementedError

    def ask_exam_outcome(
        self, deck_id: str, title: str, exam: date, then: Callable[[bool], None]
    ) -> None:
        """Ask how the real exam on `exam` went, and record it; `then` receives whether it
        was recorded (False: ask again another time)."""
        raise NotImplementedError

    def confirm_submit(self, attempt: Attempt, then: Callable[[bool], None]) -> None:
        """Ask whether to submit `attempt` (listing what is unanswered and flagged); `then`
        receives the answer."""
        raise NotImplementedError


class SrsScreen(Screen[ResultT]):
    """A screen of srs: `self.app` is typed, so `self.app.store` and the navigation check."""

    app = getters.app(SrsAppBase)
