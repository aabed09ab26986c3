"""The srs study app: the dashboard first, or straight into a review."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from srs.collection.store import CollectionError, Store
from srs.exam.engine import expire_overdue, unfinished_attempt
from srs.exam.form import ExamError, required_exam_spec
from srs.study.overview import deck_titles
from srs.study.session import StudySession
from srs.tui.commands import DeckCommands
from srs.tui.screens.dashboard import DashboardScreen
from srs.tui.screens.exam_start import ExamStartScreen
from srs.tui.screens.review import ReviewScreen

__all__ = ["SrsApp", "run_app"]


class SrsApp(App[None]):
    """Spaced repetition for exam preparation."""

    TITLE = "srs"
    COMMANDS = App.COMMANDS | {DeckCommands}
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
        self, store: Store, *, review: list[str] | bool | None = False, exam: str | None = None
    ) -> None:
        """Args:
        store: the open collection.
        review: False for the dashboard; a list of deck ids (None: all decks) to open
            straight into a review session.
        exam: a deck id to open straight on its mock exam's start page.
        """
        super().__init__()
        self.store = store
        self.start_review = review
        self.start_exam = exam

    def on_mount(self) -> None:
        self.push_screen(DashboardScreen())
        for expired in expire_overdue(self.store):
            self.notify(
                f"Your mock exam of {expired.deck_id} ran out of time while srs was closed: it "
                "was submitted as it stood at the deadline (see its history).",
                title="Exam",
                severity="warning",
                markup=False,
                timeout=10,
            )
        # An attempt left open (srs closed or killed mid-exam) is offered first: its clock runs.
        in_progress = unfinished_attempt(self.store)
        exam_deck = self.start_exam or (in_progress.deck_id if in_progress else None)
        if exam_deck is not None:
            self._open_exam_start(exam_deck)
        elif self.start_review is not False:
            decks = self.start_review if isinstance(self.start_review, list) else None
            try:
                session = StudySession(self.store, decks)
            except CollectionError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            titles = deck_titles(self.store)
            title = ", ".join(titles.get(d, d) for d in decks) if decks else "All decks"
            self.push_screen(ReviewScreen(session, title))

    def _open_exam_start(self, deck_id: str) -> None:
        try:
            required_exam_spec(self.store, deck_id)
        except ExamError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.push_screen(ExamStartScreen(self.store, deck_id, deck_titles(self.store)[deck_id]))

    def action_dashboard(self) -> None:
        """Back to the dashboard from any depth (results, history, start page)."""
        while len(self.screen_stack) > 2 and not isinstance(self.screen, DashboardScreen):
            self.pop_screen()

    def action_toggle_keys(self) -> None:
        """The key panel (`?`): every binding of the current screen."""
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()


def run_app(
    store: Store, *, review: list[str] | bool | None = False, exam: str | None = None
) -> None:
    SrsApp(store, review=review, exam=exam).run()
