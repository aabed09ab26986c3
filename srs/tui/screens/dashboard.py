"""The dashboard: every deck's counts, the streak, and the way into study."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static

from srs.study.optimize import optimization_suggested
from srs.study.overview import DeckOverview, deck_overview, deck_titles, study_streak
from srs.tui.base import SrsScreen
from srs.tui.format import chance_text
from srs.tui.safe import literal_text
from srs.tui.widgets.pass_predictor import PassPredictor

__all__ = ["DashboardScreen"]


class DashboardScreen(SrsScreen[None]):
    """One row per deck: New / Learning / Due today / Reviewed today."""

    BINDINGS = [
        Binding(
            "enter",
            "study_selected",
            "Study deck",
            id="dashboard.study",
            priority=True,
            tooltip="Review the selected deck's cards due today",
        ),
        Binding(
            "a",
            "study_all",
            "Study all",
            id="dashboard.study_all",
            tooltip="Review every deck's due cards together",
        ),
        Binding(
            "e",
            "exam",
            "Mock exam",
            id="dashboard.exam",
            tooltip="Sit the selected deck's timed mock exam",
        ),
        Binding("r", "refresh", "Refresh", id="dashboard.refresh", show=False),
        Binding("question_mark", "app.toggle_keys", "Keys", id="dashboard.keys"),
        Binding("q", "app.quit", "Quit", id="dashboard.quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="streak")
        yield DataTable(id="decks", cursor_type="row", zebra_stripes=True)
        yield Static(id="empty")
        yield Static(id="optimize")
        yield PassPredictor()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#decks", DataTable)
        table.add_column("Deck", key="deck")
        for label in ("New", "Learning", "Due", "Today"):
            table.add_column(Text(label, justify="right"), key=label.lower())
        # The mock exam: predicted chance to pass, and the expected score.
        table.add_column(Text("Exam: pass · score", justify="right"), key="pass chance")

    def on_screen_resume(self) -> None:
        """Also runs when the dashboard is first shown."""
        self.action_refresh()

    def action_refresh(self) -> None:
        """Re-read the counts (after a session, an import elsewhere, or a new day); the app
        cannot go on without them."""
        with self.app.errors_stop_the_app():
            self._show_overview()

    def _show_overview(self) -> None:
        store = self.app.store
        rows = deck_overview(store)
        table = self.query_one("#decks", DataTable)
        selected = table.cursor_row
        table.clear()
        # Long titles are cut so the counts stay on screen (the other columns need ~56 cells).
        width = max(16, self.size.width - 56)
        pending = Text("…", style="dim", justify="right")
        for row in rows:
            title = row.title if len(row.title) <= width else row.title[: width - 1] + "…"
            table.add_row(literal_text(title), *self._counts(row), pending, key=row.deck_id)
        if rows:
            table.move_cursor(row=min(selected, len(rows) - 1))
            self.query_one(PassPredictor).predict(store, [row.deck_id for row in rows])
        streak = study_streak(store)
        reviewed = sum(r.reviewed_today for r in rows)
        due = sum(r.due_today + r.new_today for r in rows)
        self.query_one("#streak", Static).update(
            Content.assemble(
                ("Streak ", "dim"),
                (f"{streak} day{'s' * (streak != 1)}", "bold $warning"),
                ("   Reviewed today ", "dim"),
                (str(reviewed), "bold"),
                ("   To study today ", "dim"),
                (str(due), "bold $accent"),
            )
        )
        empty = self.query_one("#empty", Static)
        empty.display = not rows
        empty.update("No decks yet. Import one from a terminal:  srs import DECK.yaml")
        suggested = optimization_suggested(store)
        hint = self.query_one("#optimize", Static)
        hint.display = bool(suggested)
        hint.update(
            Content(
                "New reviews to fit FSRS to your memory: "
                + ", ".join(f"srs optimize {deck} ({n:,})" for deck, n in suggested.items())
            )
        )

    @staticmethod
    def _counts(row: DeckOverview) -> tuple[Text, ...]:
        def count(value: int, style: str) -> Text:
            return Text(str(value), style=style if value else "dim", justify="right")

        return (
            count(row.new_today, "bold blue"),
            count(row.learning, "bold red"),
            count(row.due_today, "bold green"),
            count(row.reviewed_today, ""),
        )

    @on(PassPredictor.Predicted)
    def _show_pass_chance(self, event: PassPredictor.Predicted) -> None:
        table = self.query_one("#decks", DataTable)
        if event.deck_id not in table.rows:
            return
        prediction = event.prediction
        if prediction is None:
            cell = Text("—", style="dim", justify="right")
        else:
            score = f"{prediction.expected_score:.1f}/{prediction.questions}"
            text = f"{chance_text(prediction.pass_chance)} · {score}"
            cell = Text(text, style="bold", justify="right")
        table.update_cell(event.deck_id, "pass chance", cell)

    def action_exam(self) -> None:
        selected = self._selected_deck()
        if selected is not None:
            self.app.open_exam_start(selected[0])

    def _selected_deck(self) -> tuple[str, str] | None:
        """The selected deck's id and title."""
        table = self.query_one("#decks", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        assert key is not None
        return key, deck_titles(self.app.store).get(key, key)

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_study_selected()

    def action_study_selected(self) -> None:
        selected = self._selected_deck()
        if selected is not None:
            self.app.open_review([selected[0]], selected[1])

    def action_study_all(self) -> None:
        self.app.open_review(None, "All decks")
