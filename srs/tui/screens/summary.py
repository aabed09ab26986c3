"""The end of a study session: what was done, and when to come back."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, Header, Static

from srs.clock import format_duration
from srs.study.session import StudySession
from srs.textsafe import displayable
from srs.tui.base import SrsScreen
from srs.tui.format import next_due_text

__all__ = ["SummaryScreen"]


class SummaryScreen(SrsScreen[None]):
    """Cards reviewed, percent correct, time spent, next card due; `u` takes the last one back."""

    CSS_PATH = "summary.tcss"

    BINDINGS = [
        Binding("enter,escape", "app.pop_screen", "Dashboard", id="summary.back"),
        Binding("u", "undo", "Undo last answer", id="summary.undo"),
    ]

    def __init__(self, session: StudySession, title: str) -> None:
        super().__init__()
        self.session = session
        self.deck_title = title

    def compose(self) -> ComposeResult:
        s = self.session.summary()
        clock = self.session.clock
        answers = f" ({s.answers} answers)" if s.answers != s.cards_reviewed else ""
        yield Header()
        with Vertical(id="summary"):
            yield Static(Content.styled("Session complete", "bold $success"), id="summary-title")
            yield Static(
                Content.assemble(
                    ("Cards reviewed  ", "dim"),
                    (f"{s.cards_reviewed}{answers}", "bold"),
                    "\n",
                    ("Correct         ", "dim"),
                    (f"{s.percent_correct:.0f}%", "bold"),
                    "\n",
                    ("Time spent      ", "dim"),
                    (format_duration(s.time_spent), "bold"),
                    "\n",
                    ("Next card due   ", "dim"),
                    (next_due_text(s.next_due, clock.now(), clock.zone), "bold"),
                ),
                id="summary-body",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.title = displayable(self.deck_title)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.session.can_undo if action == "undo" else True

    def action_undo(self) -> None:
        """Take the last answer back and continue the session with that card."""
        with self.app.errors_as_notifications():
            if self.session.undo() is not None:
                self.app.continue_review(self.session, self.deck_title)
