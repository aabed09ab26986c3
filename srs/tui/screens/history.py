"""Every attempt at a deck's mock exam, with the trend; enter reopens an attempt's results."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static

from srs.clock import format_duration
from srs.exam.attempt import AttemptKind
from srs.exam.results import exam_history, exam_trend
from srs.model.percent import chance_text, percent_text
from srs.tui.base import SrsScreen

__all__ = ["HistoryScreen"]


class HistoryScreen(SrsScreen[None]):
    """Date, kind, score, pass or fail, duration, predicted chance; the trend above."""

    CSS_PATH = "history.tcss"

    BINDINGS = [
        Binding(
            "enter",
            "open",
            "Results",
            id="history.open",
            tooltip="The selected attempt's results, every question with your answer",
        ),
        Binding("escape", "app.pop_screen", "Back", id="history.back"),
    ]

    def __init__(self, deck_id: str) -> None:
        super().__init__()
        self.deck_id = deck_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="trend")
        yield DataTable(id="attempts", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"Exam history · {self.deck_id}"
        store = self.app.store
        history = exam_history(store, self.deck_id)
        trend = exam_trend(history)
        if trend.attempts == 0:
            text = Content("No submitted attempts yet.")
        else:
            latest = [entry for entry in history if entry.kind is AttemptKind.FULL][-1]
            text = Content.assemble(
                ("Full attempts ", "dim"),
                (str(trend.attempts), "bold"),
                ("   Latest ", "dim"),
                (percent_text(latest.score, latest.total), "bold"),
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
            predicted = "" if entry.predicted_pass is None else chance_text(entry.predicted_pass)
            table.add_row(
                f"{entry.started_at:%Y-%m-%d %H:%M}",
                str(entry.kind),
                f"{entry.score} / {entry.total}",
                percent_text(entry.score, entry.total),
                "PASS" if entry.passed else "FAIL",
                format_duration(entry.duration) + (" ⏱" if entry.timed_out else ""),
                predicted,
                key=str(entry.attempt_id),
            )
        table.focus()

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        table = self.query_one("#attempts", DataTable)
        if table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        assert key is not None
        self.app.open_results(int(key))
