"""The end of a study session: what was done, and when to come back."""

from __future__ import annotations

from datetime import datetime, tzinfo

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from srs.study.scheduling import format_interval
from srs.study.session import StudySession
from srs.textsafe import displayable

__all__ = ["SummaryScreen", "next_due_text"]


def next_due_text(when: datetime | None, now: datetime, zone: tzinfo) -> str:
    """ "in 10m (14:32)" or "tomorrow at 04:00": when the next card is due, in local time."""
    if when is None:
        return "nothing left to study in these decks"
    if when <= now:
        return "now"
    local = when.astimezone(zone)
    days = (local.date() - now.astimezone(zone).date()).days
    clock = local.strftime("%H:%M")
    if days == 0:
        return f"in {format_interval(when - now)} ({clock})"
    if days == 1:
        return f"tomorrow at {clock}"
    return f"{local:%a %d %b} at {clock}"


class SummaryScreen(Screen[None]):
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
        minutes, seconds = divmod(int(s.time_spent.total_seconds()), 60)
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
                    (f"{minutes}m {seconds:02d}s", "bold"),
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
        from srs.tui.screens.review import ReviewScreen

        if self.session.undo() is not None:
            self.app.switch_screen(ReviewScreen(self.session, self.deck_title))
