"""The end of a study session: what was done, and when to come back."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, Header, Static

from srs.clock import format_duration
from srs.model.percent import percent_text
from srs.study.session import StudySession
from srs.tui.base import SrsScreen
from srs.tui.format import next_due_text, session_title

__all__ = ["SummaryScreen"]


class SummaryScreen(SrsScreen[None]):
    """Cards reviewed, percent correct, time spent, next card due (or what is left, when the
    learner ended the session early); `u` takes the last answer back, `c` studies more."""

    CSS_PATH = "summary.tcss"

    BINDINGS = [
        Binding("enter,escape", "app.pop_screen", "Dashboard", id="summary.back"),
        Binding("u", "undo", "Undo last answer", id="summary.undo"),
        Binding(
            "c",
            "custom_study",
            "Custom study",
            id="summary.custom",
            tooltip="A topic, the last exam's misses, extra new cards, reviews ahead",
        ),
    ]

    def __init__(self, session: StudySession, title: str) -> None:
        super().__init__()
        self.session = session
        self.deck_title = title

    def compose(self) -> ComposeResult:
        s = self.session.summary()
        clock = self.session.clock
        answers = f" ({s.answers} answers)" if s.answers != s.cards_reviewed else ""
        left = self.session.counts().total
        heading = (
            Content.styled("Session complete", "bold $success")
            if self.session.is_finished
            else Content.assemble(
                ("Session ended", "bold $warning"),
                (f" · {left} card{'s' * (left != 1)} left in this session", "dim"),
            )
        )
        yield Header()
        with Vertical(id="summary"):
            yield Static(heading, id="summary-title")
            yield Static(
                Content.assemble(
                    ("Cards reviewed  ", "dim"),
                    (f"{s.cards_reviewed}{answers}", "bold"),
                    "\n",
                    ("Correct         ", "dim"),
                    (percent_text(s.correct, s.answers), "bold"),
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
        self.title = session_title(self.session, self.deck_title)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.session.can_undo if action == "undo" else True

    def action_custom_study(self) -> None:
        decks = self.session.deck_ids
        self.app.open_custom_study(None if decks is None else list(decks), self.deck_title)

    def action_undo(self) -> None:
        """Take the last answer back and continue the session with that card."""
        with self.app.errors_as_notifications():
            if self.session.undo() is not None:
                self.app.continue_review(self.session, self.deck_title)
