"""The dashboard: every deck's counts, the streak, and the way into study."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from srs.exam_form import ExamError, exam_spec
from srs.queue import StudySession, next_study_time
from srs.readiness import deck_readiness
from srs.store import Store
from srs.study import DeckOverview, deck_overview, deck_titles, study_streak
from srs.tui.format import chance_text
from srs.tui.safe import literal_text
from srs.tui.screens.exam_start import ExamStartScreen
from srs.tui.screens.review import ReviewScreen
from srs.tui.screens.summary import next_due_text

__all__ = ["DashboardScreen"]


class DashboardScreen(Screen[None]):
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
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#decks", DataTable)
        table.add_column("Deck", key="deck")
        for label in ("New", "Learning", "Due", "Today", "Pass chance"):
            table.add_column(Text(label, justify="right"), key=label.lower())
        self.action_refresh()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        """Re-read the counts (after a session, an import elsewhere, or a new day)."""
        store = self.app.store  # type: ignore[attr-defined]
        rows = deck_overview(store)
        table = self.query_one("#decks", DataTable)
        selected = table.cursor_row
        table.clear()
        # Long titles are cut so the counts stay on screen (the columns need ~52 cells).
        width = max(16, self.size.width - 56)
        for row in rows:
            title = row.title if len(row.title) <= width else row.title[: width - 1] + "…"
            cells = (literal_text(title), *self._counts(row), self._pass_chance(store, row))
            table.add_row(*cells, key=row.deck_id)
        if rows:
            table.move_cursor(row=min(selected, len(rows) - 1))
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

    @staticmethod
    def _pass_chance(store: Store, row: DeckOverview) -> Text:
        """The predicted chance to pass the deck's mock exam now ("—" without an exam)."""
        if exam_spec(store, row.deck_id) is None:
            return Text("—", style="dim", justify="right")
        try:
            chance = deck_readiness(store, row.deck_id).pass_chance
        except ExamError:
            return Text("—", style="dim", justify="right")
        return Text(chance_text(chance), style="bold", justify="right")

    def action_exam(self) -> None:
        selected = self._selected_deck()
        if selected is None:
            return
        store = self.app.store  # type: ignore[attr-defined]
        if exam_spec(store, selected[0]) is None:
            self.notify(
                "This deck has no mock exam: add an 'exam:' block to its file.", markup=False
            )
            return
        self.app.push_screen(ExamStartScreen(store, selected[0], selected[1]))

    def _selected_deck(self) -> tuple[str, str] | None:
        """The selected deck's id and title."""
        table = self.query_one("#decks", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        assert key is not None
        return key, deck_titles(self.app.store)[key]  # type: ignore[attr-defined]

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_study_selected()

    def action_study_selected(self) -> None:
        selected = self._selected_deck()
        if selected is not None:
            self.study([selected[0]], selected[1])

    def action_study_all(self) -> None:
        self.study(None, "All decks")

    def study(self, deck_ids: list[str] | None, title: str) -> None:
        store = self.app.store  # type: ignore[attr-defined]
        session = StudySession(store, deck_ids)
        if session.is_finished:
            clock = session.clock
            when = next_due_text(next_study_time(store, deck_ids), clock.now(), clock.zone)
            self.notify(f"Nothing to study now; the next card is due {when}.", markup=False)
            return
        self.app.push_screen(ReviewScreen(session, title))
