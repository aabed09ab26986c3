"""The srs study app: the dashboard first, or straight into a review; the one place that builds
screens and moves between them.

Every screen but the dashboard is imported when first opened, the deck commands when the
palette first opens, and the exam engine at start only when an exam needs it: start-up imports
only what the dashboard draws (40 srs modules at the first paint instead of 86).
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding

from srs.tui.base import SrsAppBase
from srs.tui.read_ahead import ReadAhead, read_ahead
from srs.tui.screens.dashboard import DashboardScreen

if TYPE_CHECKING:
    from textual.command import Provider

    from srs.collection.store import Store
    from srs.exam.attempt import Attempt
    from srs.study.custom import CustomStudy
    from srs.study.session import StudySession

__all__ = ["SrsApp", "run_app"]

SWITCH_INTERVAL = 0.0005
"""Seconds a thread waiting for the GIL waits before it is handed over (Python's default: 5 ms).
Textual writes each frame from a thread of its own, while the event loop goes on with the next
layout or a worker computes: by default a drawn frame waited up to 5 ms to reach the terminal
(docs/performance.md, the seventh keypress pass)."""


def _deck_commands() -> type[Provider]:
    """The palette's deck commands, imported when the palette first opens."""
    from srs.tui.commands import DeckCommands

    return DeckCommands


def _collect_from_now_on() -> None:
    """Once the first screen is drawn: what start-up built (~75,000 objects: modules, classes,
    styles) lives as long as the app. Frozen, a full garbage collection no longer walks it:
    40 ms inside a keypress every ten cards or so, ~4 ms frozen. Collections start now if
    `run_tui` held them off during start-up."""
    gc.freeze()
    gc.enable()


class SrsApp(SrsAppBase):
    """Spaced repetition for exam preparation."""

    TITLE = "srs"
    COMMANDS = App.COMMANDS | {_deck_commands}
    CSS_PATH = [
        "srs.tcss",
        "widgets/choices.tcss",
        "widgets/rating_bar.tcss",
        "widgets/navigator.tcss",
    ]
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit"),
    ]

    def __init__(
        self,
        store: Store,
        *,
        review: list[str] | bool | None = False,
        exam: str | None = None,
        custom: CustomStudy | None = None,
        ahead: ReadAhead | None = None,
    ) -> None:
        """Args:
        store: the open collection.
        review: False for the dashboard; a list of deck ids (None: all decks) to open
            straight into a review session.
        exam: a deck id to open straight on its mock exam's start page.
        custom: with `review`, study this custom selection of the decks instead.
        ahead: the start's reads, begun before the app was imported (`read_ahead`); begun
            now when not given.
        """
        super().__init__(store)
        self.start_review = review
        self.start_exam = exam
        self.start_custom = custom
        self._ahead = ahead if ahead is not None else read_ahead(store)

    def on_mount(self) -> None:
        # From the app's queue, which Textual reads once its start-up batch is over: a screen
        # pushed inside the batch is laid out and rendered for a frame the batch drops, then
        # all over again (~50 ms of the start).
        self.call_later(self._start)

    def _start(self) -> None:
        """The dashboard, and the screen asked for over it; an exam's unfinished business."""
        self.push_screen(DashboardScreen(self._ahead))
        # The exam engine is imported only when an exam needs it (~15 ms of start-up).
        exams = self._ahead.exams_pending()
        if exams:
            self._submit_expired_exams()
        with self.errors_stop_the_app():
            self._open_first_screen(exams)
        self.call_after_refresh(_collect_from_now_on)

    def _submit_expired_exams(self) -> None:
        """Submit the attempts whose time ran out while srs was closed, and say so."""
        from srs.exam.engine import expire_overdue

        # An exam that cannot be submitted now (a full disk) is submitted at the next start.
        with self.errors_as_notifications():
            for expired in expire_overdue(self.store):
                self.notify(
                    f"Your mock exam of {expired.deck_id} ran out of time while srs was closed: "
                    "it was submitted as it stood at the deadline (see its history).",
                    title="Exam",
                    severity="warning",
                    markup=False,
                    timeout=10,
                )

    def _open_first_screen(self, exams: bool) -> None:
        """The exam or review asked for on the command line, over the dashboard; `exams`:
        whether an attempt may be in progress."""
        # An attempt left open (srs closed or killed mid-exam) is offered first: its clock runs.
        in_progress = None
        if exams:
            from srs.exam.engine import unfinished_attempt

            in_progress = unfinished_attempt(self.store)
        exam_deck = self.start_exam or (in_progress.deck_id if in_progress else None)
        if exam_deck is not None:
            self.open_exam_start(exam_deck)
        elif self.start_review is not False:
            from srs.study.overview import deck_titles

            decks = self.start_review if isinstance(self.start_review, list) else None
            titles = deck_titles(self.store)
            title = ", ".join(titles.get(d, d) for d in decks) if decks else "All decks"
            self.open_review(decks, title, self.start_custom)

    def action_dashboard(self) -> None:
        while len(self.screen_stack) > 2 and not isinstance(self.screen, DashboardScreen):
            self.pop_screen()

    def action_toggle_keys(self) -> None:
        """The key panel (`?`): the current screen's own keys."""
        from srs.tui.widgets.keys import KeysPanel

        if panels := self.screen.query(KeysPanel):
            panels.remove()
        else:
            self.screen.mount(KeysPanel())

    def open_review(
        self, deck_ids: list[str] | None, title: str, custom: CustomStudy | None = None
    ) -> None:
        from srs.study.session import StudySession
        from srs.study.upcoming import next_study_time
        from srs.tui.format import next_due_text
        from srs.tui.screens.custom_study import CustomStudyScreen
        from srs.tui.screens.review import ReviewScreen

        with self.errors_as_notifications():
            session = StudySession(self.store, deck_ids, custom=custom)
            if session.is_finished:
                clock = session.clock
                when = next_due_text(next_study_time(self.store, deck_ids), clock.now(), clock.zone)
                self.open_custom_study(deck_ids, title, f"Nothing to study now; next card: {when}.")
                return
            review = ReviewScreen(session, title)
            # Chosen on the custom study page: the review takes its place.
            if isinstance(self.screen, CustomStudyScreen):
                self.switch_screen(review)
            else:
                self.push_screen(review)

    def open_custom_study(
        self, deck_ids: list[str] | None, title: str, note: str | None = None
    ) -> None:
        from srs.tui.screens.custom_study import CustomStudyScreen
        from srs.tui.screens.summary import SummaryScreen

        screen = CustomStudyScreen(deck_ids, title, note)
        # From a session's summary: the summary is done with, and the next session ends on
        # a summary of its own.
        if isinstance(self.screen, SummaryScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def open_options(self, deck_id: str) -> None:
        from srs.tui.screens.options import OptionsScreen

        self.push_screen(OptionsScreen(deck_id))

    def continue_review(self, session: StudySession, title: str) -> None:
        from srs.tui.screens.review import ReviewScreen

        self.switch_screen(ReviewScreen(session, title))

    def show_summary(self, session: StudySession, title: str) -> None:
        from srs.tui.screens.summary import SummaryScreen

        self.switch_screen(SummaryScreen(session, title))

    def open_exam_start(self, deck_id: str) -> None:
        from srs.exam.form import required_exam_spec
        from srs.tui.screens.exam_start import ExamStartScreen

        with self.errors_as_notifications():
            required_exam_spec(self.store, deck_id)
            self.push_screen(ExamStartScreen(deck_id))

    def open_exam(self, attempt: Attempt, *, resumed: bool = False) -> None:
        from srs.tui.screens.exam import ExamScreen
        from srs.tui.screens.results import ResultsScreen

        def finished(result: Attempt | None) -> None:
            if result is not None and result.is_submitted:
                self.push_screen(ResultsScreen(result))

        self.push_screen(ExamScreen(attempt, resumed=resumed), finished)

    def open_history(self, deck_id: str) -> None:
        from srs.tui.screens.history import HistoryScreen

        self.push_screen(HistoryScreen(deck_id))

    def open_results(self, attempt_id: int) -> None:
        from srs.exam.attempt import load_attempt
        from srs.tui.screens.results import ResultsScreen

        with self.errors_as_notifications():
            self.push_screen(ResultsScreen(load_attempt(self.store, attempt_id), reopened=True))

    def open_browser(self, deck_id: str, title: str) -> None:
        from srs.tui.screens.browser import BrowserScreen

        self.push_screen(BrowserScreen(deck_id, title))

    def open_card(self, card_id: int, then: Callable[[], None]) -> None:
        from srs.tui.screens.card_detail import CardDetailScreen

        self.push_screen(CardDetailScreen(card_id), lambda _: then())

    def confirm_forget(self, key: str, then: Callable[[bool], None]) -> None:
        from srs.tui.screens.confirm import ConfirmScreen, forget_question

        self.push_screen(ConfirmScreen(forget_question(key)), lambda yes: then(bool(yes)))

    def open_plan(self, deck_id: str, title: str) -> None:
        from srs.exam.form import required_exam_spec
        from srs.tui.screens.plan import PlanScreen

        with self.errors_as_notifications():
            required_exam_spec(self.store, deck_id)
            self.push_screen(PlanScreen(deck_id, title))

    def open_stats(self, deck_id: str | None, title: str) -> None:
        from srs.tui.screens.stats import StatsScreen

        self.push_screen(StatsScreen(deck_id, title))

    def ask_exam_date(self, deck_id: str, then: Callable[[bool], None]) -> None:
        from srs.tui.screens.exam_date import ExamDateScreen

        self.push_screen(ExamDateScreen(deck_id), lambda saved: then(bool(saved)))

    def ask_exam_outcome(
        self, deck_id: str, title: str, exam: date, then: Callable[[bool], None]
    ) -> None:
        from srs.tui.screens.exam_outcome import ExamOutcomeScreen

        self.push_screen(
            ExamOutcomeScreen(deck_id, title, exam), lambda recorded: then(bool(recorded))
        )

    def confirm_submit(self, attempt: Attempt, then: Callable[[bool], None]) -> None:
        from srs.tui.screens.submit import SubmitScreen

        self.push_screen(SubmitScreen(attempt), lambda yes: then(bool(yes)))


def run_app(
    store: Store,
    *,
    review: list[str] | bool | None = False,
    exam: str | None = None,
    custom: CustomStudy | None = None,
    ahead: ReadAhead | None = None,
) -> int:
    """Run the study app on `store` until the learner quits (arguments as `SrsApp`'s).

    Returns:
        The exit status: 0, or 1 after a bug (Textual has printed its traceback).

    Raises:
        CollectionError: the collection failed in a way the app could not go on from
            (raised once the terminal is restored, for the caller to print in one line).
        sqlite3.Error: the same, from a read of a damaged file.
    """
    app = SrsApp(store, review=review, exam=exam, custom=custom, ahead=ahead)
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        app.run()
    finally:
        sys.setswitchinterval(switch_interval)
    if app.failure is not None:
        raise app.failure
    return app.return_code or 0
