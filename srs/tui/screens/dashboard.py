"""The dashboard: every deck's counts (the table is `srs.tui.widgets.deck_table`), the streak,
and the way into study."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static

from srs.collection.store import Store
from srs.exam.probability import Prediction
from srs.study.overview import DeckOverview
from srs.tui.base import SrsScreen
from srs.tui.read_ahead import ReadAhead, dashboard_counts
from srs.tui.safe import literal
from srs.tui.widgets.deck_table import DeckTable
from srs.tui.widgets.pass_predictor import PassPredictor, last_known
from srs.tui.widgets.planner import Planner
from srs.tui.widgets.sync_indicator import SyncIndicator

__all__ = ["DashboardScreen"]


class DashboardScreen(SrsScreen[None]):
    """One row per deck: new, learning, due and done today, and the mock exam's pass chance;
    the selected deck's full title and expected exam score below."""

    # At 80 columns the footer holds seven keys: the ways into study and the screens; the rest
    # (all decks, options, sync, refresh, quit) are in the `?` panel.
    BINDINGS = [
        Binding(
            "enter",
            "study_selected",
            "Study",
            id="dashboard.study",
            priority=True,
            tooltip="Review the selected deck's cards due today",
        ),
        Binding(
            "a",
            "study_all",
            "All",
            id="dashboard.study_all",
            show=False,
            tooltip="Review every deck's due cards together",
        ),
        Binding(
            "c",
            "custom_study",
            "Custom",
            id="dashboard.custom",
            tooltip="A topic, the last exam's misses, extra new cards, reviews ahead",
        ),
        Binding(
            "e",
            "exam",
            "Exam",
            id="dashboard.exam",
            tooltip="Sit the selected deck's timed mock exam",
        ),
        Binding(
            "b",
            "browse",
            "Browse",
            id="dashboard.browse",
            tooltip="The selected deck's cards: sort, search, open one with its history",
        ),
        Binding(
            "p",
            "plan",
            "Plan",
            id="dashboard.plan",
            tooltip="The selected deck's plan to its exam date, day by day",
        ),
        Binding(
            "o",
            "options",
            "Options",
            id="dashboard.options",
            show=False,
            tooltip="The selected deck's study settings",
        ),
        Binding(
            "y",
            "sync",
            "Sync",
            id="dashboard.sync",
            show=False,
            tooltip="Share this device's answers and merge other devices' (srs sync)",
        ),
        Binding(
            "r",
            "refresh",
            "Refresh",
            id="dashboard.refresh",
            show=False,
            tooltip="Read the counts again",
        ),
        Binding(
            "s",
            "stats",
            "Stats",
            id="dashboard.stats",
            tooltip="The selected deck's figures and charts; S: every deck's together",
        ),
        # The same description: the keys panel lists `s S` on one line.
        Binding(
            "S",
            "stats_all",
            "Stats",
            id="dashboard.stats_all",
            show=False,
            tooltip="The selected deck's figures and charts; S: every deck's together",
        ),
        Binding("question_mark", "app.toggle_keys", "Keys", id="dashboard.keys"),
        Binding("q", "app.quit", "Quit", id="dashboard.quit", show=False),
    ]

    def __init__(self, ahead: ReadAhead | None = None) -> None:
        """Args:
        ahead: the reads begun while the app starts (`read_ahead`): their counts serve the
            first showing if nothing was written since.
        """
        super().__init__()
        self.ahead = ahead
        self.predictions: dict[str, Prediction | None] = {}
        self.plans: dict[str, str] = {}
        """Each deck's plan summary as last made: shown at once while the worker redoes it."""
        self.asked: set[str] = set()
        """Decks whose exam outcome was asked for in this run (not asked again until the next)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="streak")
        yield DeckTable()
        with Vertical(id="selection"):
            yield Static(id="selected")
            yield Static(id="plan-line")
        yield Static(id="empty")
        yield Static(id="optimize")
        yield PassPredictor()
        yield Planner()
        yield SyncIndicator()
        yield Footer()

    def on_screen_resume(self) -> None:
        """Also runs when the dashboard is first shown."""
        self.action_refresh()

    def action_refresh(self) -> None:
        """Re-read the counts (after a session, an import elsewhere, or a new day); the app
        cannot go on without them."""
        with self.app.errors_stop_the_app():
            self._show_overview()
        self.query_one(SyncIndicator).show_status(self.app.store)

    def _show_overview(self) -> None:
        store = self.app.store
        ahead, self.ahead = self.ahead, None
        counts = ahead.fresh_counts(store) if ahead is not None else None
        if counts is None:
            counts = dashboard_counts(store)
        rows = counts.decks
        self.predictions = {}
        for row in rows:
            known = last_known(store, row.deck_id)
            if known is not None:
                self.predictions[row.deck_id] = known
        self.query_one(DeckTable).show_decks(rows, self.predictions, self.size.width)
        if rows:
            # After the counts are drawn: the workers' threads would slow the first paint,
            # and so would the plan's modules (~20 ms), imported to ask how an exam went.
            self.call_after_refresh(self._when_drawn, store, rows)
        else:
            self._show_optimize_hint({})
        self._show_selected()
        streak = counts.streak
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

    def _when_drawn(self, store: Store, rows: list[DeckOverview]) -> None:
        """What the dashboard shows once it is ready: pass chances, plans, the optimize hint;
        and the question of how an exam went."""
        deck_ids = [row.deck_id for row in rows]
        self.query_one(PassPredictor).predict(store, deck_ids)
        self.query_one(Planner).plan(store, deck_ids)
        self._suggest_optimizing(store)
        self._ask_exam_outcome(rows)

    @work(thread=True, exclusive=True, group="optimize", exit_on_error=False)
    def _suggest_optimizing(self, store: Store) -> None:
        """Decks with enough new answers to fit FSRS again: it counts every answer (0.1-0.2 s
        on a million), so it is read on a connection of its own, off the UI thread. Its module
        (with the FSRS fitter) is imported here too: the dashboard is drawn without it."""
        from srs.study.optimize import optimization_suggested

        with store.reader() as reader:
            suggested = optimization_suggested(reader)
        self.app.call_from_thread(self._show_optimize_hint, suggested)

    def _show_optimize_hint(self, suggested: dict[str, int]) -> None:
        hint = self.query_one("#optimize", Static)
        hint.display = bool(suggested)
        hint.update(
            Content(
                "New reviews to fit FSRS to your memory: "
                + ", ".join(f"srs optimize {deck} ({n:,})" for deck, n in suggested.items())
            )
        )

    @on(PassPredictor.Predicted)
    def _show_pass_chance(self, event: PassPredictor.Predicted) -> None:
        table = self.query_one(DeckTable)
        if event.deck_id not in table.rows:
            return
        self.predictions[event.deck_id] = event.prediction
        table.show_chance(event.deck_id, event.prediction)
        self._show_selected()

    def action_sync(self) -> None:
        self.query_one(SyncIndicator).start_sync(self.app.store)

    @on(SyncIndicator.Synced)
    def _synced(self) -> None:
        self.action_refresh()

    @on(Planner.Planned)
    def _show_plan(self, event: Planner.Planned) -> None:
        if event.plan is None:
            self.plans.pop(event.deck_id, None)
        else:
            self.plans[event.deck_id] = event.plan.summary_line()
        self._show_selected()

    def _ask_exam_outcome(self, rows: list[DeckOverview]) -> None:
        """Once an exam date has come, ask how it went (once a run: escape asks next time)."""
        from srs.plan import pending_outcome

        if not self.is_current:
            return
        for row in rows:
            exam = pending_outcome(self.app.store, row.deck_id)
            if exam is not None and row.deck_id not in self.asked:
                self.asked.add(row.deck_id)
                self.app.ask_exam_outcome(row.deck_id, row.title, exam, lambda _: None)
                return

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        """The selected deck's whole title, and what its mock exam is expected to score."""
        line = self.query_one("#selected", Static)
        selected = self._selected_deck()
        line.display = selected is not None
        if selected is None:
            self._show_plan_line(None)
            return
        deck_id, title = selected
        exam = Content.styled("Mock exam: …", "dim")
        if deck_id in self.predictions:
            prediction = self.predictions[deck_id]
            exam = Content.styled(
                "No mock exam"
                if prediction is None
                else f"Mock exam: {prediction.expected_score:.1f} of {prediction.questions} "
                f"right expected, {prediction.needed} needed to pass",
                "dim",
            )
        line.update(Content.assemble(literal(title, "bold"), "\n", exam))
        self._show_plan_line(self.plans.get(deck_id))

    def _show_plan_line(self, plan: str | None) -> None:
        """The selected deck's plan to its exam date, on a line of its own: shown or hidden as
        a whole, so the layout makes room for it when the planner's worker delivers it."""
        line = self.query_one("#plan-line", Static)
        line.display = plan is not None
        if plan is not None:
            line.update(Content.assemble(("Exam plan: ", "dim"), (plan, "bold")))

    def action_exam(self) -> None:
        selected = self._selected_deck()
        if selected is not None:
            self.app.open_exam_start(selected[0])

    def _selected_deck(self) -> tuple[str, str] | None:
        """The selected deck's id and title."""
        return self.query_one(DeckTable).selected_deck()

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_study_selected()

    def action_study_selected(self) -> None:
        selected = self._selected_deck()
        if selected is not None:
            self.app.open_review([selected[0]], selected[1])

    def action_study_all(self) -> None:
        self.app.open_review(None, "All decks")

    def action_custom_study(self) -> None:
        selected = self._selected_deck()
        if selected is not None:
            self.app.open_custom_study([selected[0]], selected[1])

    def action_browse(self) -> None:
        selected = self._selected_deck()
        if selected is not None:
            self.app.open_browser(*selected)

    def action_plan(self) -> None:
        selected = self._selected_deck()
        if selected is not None:
            self.app.open_plan(*selected)

    def action_stats(self) -> None:
        selected = self._selected_deck()
        if selected is not None:
            self.app.open_stats(*selected)

    def action_stats_all(self) -> None:
        self.app.open_stats(None, "All decks")

    def action_options(self) -> None:
        selected = self._selected_deck()
        if selected is not None:
            self.app.open_options(selected[0])
