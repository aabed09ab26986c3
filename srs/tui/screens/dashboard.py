"""The dashboard: every deck's counts, the streak, and the way into study."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import get_current_worker

from srs.exam.form import ExamError, exam_spec
from srs.exam.readiness import deck_readiness
from srs.study.overview import DeckOverview, deck_overview, deck_titles, study_streak
from srs.study.session import StudySession, next_study_time
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
        for label in ("New", "Learning", "Due", "Today"):
            table.add_column(Text(label, justify="right"), key=label.lower())
        # The mock exam: predicted chance to pass, and the expected score.
        table.add_column(Text("Exam: pass · score", justify="right"), key="pass chance")

    def on_screen_resume(self) -> None:
        """Also runs when the dashboard is first shown."""
        self.action_refresh()

    def action_refresh(self) -> None:
        """Re-read the counts (after a session, an import elsewhere, or a new day)."""
        store = self.app.store  # type: ignore[attr-defined]
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
            self.load_pass_chances([row.deck_id for row in rows])
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

    @dataclass
    class PassChance(Message):
        """A deck's predicted chance to pass, computed off the UI thread."""

        deck_id: str
        text: str

    @work(thread=True, exclusive=True, exit_on_error=False, group="pass-chance")
    def load_pass_chances(self, deck_ids: list[str]) -> None:
        """Predict each deck's chance to pass on a connection of its own: a deck of 100,000
        cards takes about a second, which the dashboard must not wait for."""
        with self.app.store.reader() as store:  # type: ignore[attr-defined]
            for deck_id in deck_ids:
                if get_current_worker().is_cancelled:
                    return
                try:
                    has_exam = exam_spec(store, deck_id) is not None
                    prediction = deck_readiness(store, deck_id) if has_exam else None
                except ExamError:
                    prediction = None
                text = "—"
                if prediction is not None:
                    score = f"{prediction.expected_score:.1f}/{prediction.questions}"
                    text = f"{chance_text(prediction.pass_chance)} · {score}"
                self.post_message(self.PassChance(deck_id, text))

    @on(PassChance)
    def _show_pass_chance(self, event: PassChance) -> None:
        table = self.query_one("#decks", DataTable)
        if event.deck_id in table.rows:
            style = "dim" if event.text == "—" else "bold"
            cell = Text(event.text, style=style, justify="right")
            table.update_cell(event.deck_id, "pass chance", cell)

    def action_exam(self) -> None:
        selected = self._selected_deck()
        if selected is not None:
            self.open_exam(selected[0])

    def open_exam(self, deck_id: str) -> None:
        """The deck's mock-exam start page (or why there is none)."""
        store = self.app.store  # type: ignore[attr-defined]
        if exam_spec(store, deck_id) is None:
            self.notify(
                "This deck has no mock exam: add an 'exam:' block to its file.", markup=False
            )
            return
        self.app.push_screen(ExamStartScreen(store, deck_id, deck_titles(store)[deck_id]))

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
