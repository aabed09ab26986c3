"""Every attempt at a deck's mock exam, with the trend."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from srs.collection.store import Store
from srs.exam.results import exam_history, exam_trend
from srs.tui.format import chance_text

__all__ = ["HistoryScreen"]


class HistoryScreen(Screen[None]):
    """Date, kind, score, pass or fail, duration, predicted chance; the trend above."""

    CSS_PATH = "history.tcss"

    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="history.back")]

    def __init__(self, store: Store, deck_id: str) -> None:
        super().__init__()
        self.store = store
        self.deck_id = deck_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="trend")
        yield DataTable(id="attempts", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"Exam history · {self.deck_id}"
        history = exam_history(self.store, self.deck_id)
        trend = exam_trend(history)
        if trend.attempts == 0:
            text = Content("No submitted attempts yet.")
        else:
            text = Content.assemble(
                ("Full attempts ", "dim"),
                (str(trend.attempts), "bold"),
                ("   Latest ", "dim"),
                (f"{trend.latest_percent:.0f}%", "bold"),
            )
            if trend.slope is not None:
                arrow = "↗" if trend.slope > 0.5 else "↘" if trend.slope < -0.5 else "→"
                text += Content.assemble(
                    ("   Trend ", "dim"),
                    (f"{arrow} {trend.slope:+.1f} points per attempt", "bold"),
                )
        self.query_one("#trend", Static).update(text)
        table = self.query_one("#attempts", DataTable)
        table.add_columns("Date", "Kind", "Score", "%", "Result", "Time", "Predicted")
        for entry in reversed(history):
            minutes, seconds = divmod(int(entry.duration.total_seconds()), 60)
            predicted = "" if entry.predicted_pass is None else chance_text(entry.predicted_pass)
            table.add_row(
                entry.started_at.astimezone(self.store.clock.zone).strftime("%Y-%m-%d %H:%M"),
                str(entry.kind),
                f"{entry.score} / {entry.total}",
                f"{entry.percent:.0f}%",
                "PASS" if entry.passed else "FAIL",
                f"{minutes}m {seconds:02d}s" + (" ⏱" if entry.timed_out else ""),
                predicted,
            )
