"""The end of a study session: what was done, and when to come back."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from srs.queue import SessionSummary
from srs.scheduling import format_interval

__all__ = ["SummaryScreen", "next_due_text"]


def next_due_text(when: datetime | None, now: datetime | None = None) -> str:
    """ "in 10m (14:32)", "tomorrow at 04:00" style text for the next card, in local time."""
    if when is None:
        return "nothing left to study in these decks"
    now = now or datetime.now(UTC)
    local = when.astimezone()
    if when <= now:
        return "now"
    days = (local.date() - now.astimezone().date()).days
    clock = local.strftime("%H:%M")
    if days == 0:
        return f"in {format_interval(when - now)} ({clock})"
    if days == 1:
        return f"tomorrow at {clock}"
    return f"{local:%a %d %b} at {clock}"


class SummaryScreen(Screen[None]):
    """Cards reviewed, percent correct, time spent, next card due."""

    BINDINGS = [
        Binding("enter,escape", "app.pop_screen", "Dashboard", id="summary.back"),
    ]

    def __init__(self, summary: SessionSummary, title: str) -> None:
        super().__init__()
        self.summary = summary
        self.title = title

    def compose(self) -> ComposeResult:
        s = self.summary
        minutes, seconds = divmod(int(s.time_spent.total_seconds()), 60)
        yield Header()
        with Vertical(id="summary"):
            yield Static(Content.styled("Session complete", "bold $success"), id="summary-title")
            yield Static(
                Content.assemble(
                    ("Cards reviewed  ", "dim"),
                    (str(s.cards_reviewed), "bold"),
                    "\n",
                    ("Correct         ", "dim"),
                    (f"{s.percent_correct:.0f}%", "bold"),
                    "\n",
                    ("Time spent      ", "dim"),
                    (f"{minutes}m {seconds:02d}s", "bold"),
                    "\n",
                    ("Next card due   ", "dim"),
                    (next_due_text(s.next_due), "bold"),
                ),
                id="summary-body",
            )
        yield Footer()
