"""The statistics of a deck (or of every deck): today, the history with its calendar, the
forecast, true retention, memory, topics weakest first, and mock exams; each chart's numbers in
a table beside it (docs/stats.md)."""

from __future__ import annotations

import os
from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Static
from textual_plotext import PlotextPlot

from srs.model.percent import chance_text
from srs.stats import ExamFigures, Forecast, History, MemoryFigures, Today, TrueRetention
from srs.stats.activity import WINDOWS, DayCount
from srs.stats.memory import MATURE_INTERVAL
from srs.textsafe import displayable
from srs.tui.base import SrsScreen
from srs.tui.charts import whole_ticks
from srs.tui.widgets.calendar import CalendarHeatmap
from srs.tui.widgets.stats_figures import (
    attempts_table,
    calibration_table,
    histogram,
    memory_text,
    retention_table,
    today_text,
    topics_table,
    week_table,
)
from srs.tui.widgets.stats_loader import Figures, StatsLoader

__all__ = ["StatsScreen"]

HEADINGS = {
    "today": "Today",
    "history": "History",
    "forecast": "Forecast: reviews due",
    "true_retention": "True retention",
    "memory": "Memory",
    "topics": "Topics, weakest first",
    "exams": "Mock exams",
}
"""Each section's heading, in the order shown (the cheapest figures on top)."""


class StatsScreen(SrsScreen[None]):
    """Every section shows at once with a loading indicator; a worker fills each in as it is
    computed, cheapest first, so the page scrolls and escape works while the slow ones load."""

    CSS_PATH = "stats.tcss"

    BINDINGS = [
        Binding(
            "w",
            "window",
            "Window",
            id="stats.window",
            tooltip="The history's window: the last 30, 90 or 365 days",
        ),
        Binding("escape", "app.pop_screen", "Back", id="stats.back"),
        Binding("question_mark", "app.toggle_keys", "Keys", id="stats.keys"),
    ]

    def __init__(self, deck_id: str | None, title: str) -> None:
        """Args:
        deck_id: the deck (None: every deck together).
        title: its title (deck text: shown literally), or "All decks".
        """
        super().__init__()
        self.deck_id = deck_id
        self.deck_title = title
        self.window = WINDOWS[0]
        """The history chart's days."""
        self.history: History | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats"):
            for name in HEADINGS:
                yield Static(HEADINGS[name], classes="heading")
                with Vertical(id=f"section-{name}", classes="section"):
                    yield from self._section(name)
        yield StatsLoader()
        yield Footer()

    @staticmethod
    def _section(name: str) -> ComposeResult:
        """The widgets a section's figures go in (filled when they arrive)."""
        yield Static(id=name, classes="summary")
        if name == "history":
            yield PlotextPlot(id="history-chart", classes="chart")
            yield CalendarHeatmap(id="calendar")
            yield Static(id="history-table", classes="table")
        elif name in ("forecast", "exams"):
            yield PlotextPlot(id=f"{name}-chart", classes="chart")
            yield Static(id=f"{name}-table", classes="table")
        elif name == "true_retention":
            yield Static(id="true_retention-table", classes="table")
        elif name == "memory":
            with Horizontal(id="histograms"):
                for part in ("stability", "difficulty", "retrievability"):
                    yield Static(id=part, classes="histogram")
        if name == "exams":
            yield Static(id="calibration", classes="table")

    def on_mount(self) -> None:
        self.title = f"Statistics · {displayable(self.deck_title)}"
        self.query_one("#stats").focus()
        # Charts that must read without colour: plotext's colourless theme when the terminal
        # asks for none (the markers are chosen to carry alone).
        if os.environ.get("NO_COLOR"):
            for plot in self.query(PlotextPlot):
                plot.theme = "clear"
        for section in self.query(".section"):
            section.loading = True
        self.query_one(StatsLoader).load(self.app.store, self.deck_id)

    @on(StatsLoader.Loaded)
    def _loaded(self, event: StatsLoader.Loaded) -> None:
        section = self.query_one(f"#section-{event.section}")
        section.loading = False
        if event.error is not None or event.figures is None:
            for child in section.children:
                child.display = False
            summary = self.query_one(f"#{event.section}", Static)
            summary.display = True
            summary.update(
                Content.styled(f"Not available: {displayable(event.error or '')}", "$error")
            )
            return
        self._fill(event.section, event.figures)

    def _fill(self, name: str, figures: Figures) -> None:
        summary = self.query_one(f"#{name}", Static)
        if isinstance(figures, Today):
            summary.update(today_text(figures))
        elif isinstance(figures, History):
            self.history = figures
            self._show_history()
        elif isinstance(figures, Forecast):
            summary.update(Content.styled("Today's count holds the overdue cards.", "dim"))
            self._bars("forecast-chart", figures.days, "Reviews due per day")
            self.query_one("#forecast-table", Static).update(week_table(figures.days, "Due"))
        elif isinstance(figures, TrueRetention):
            self._show_retention(figures)
        elif isinstance(figures, MemoryFigures):
            self._show_memory(figures)
        elif isinstance(figures, ExamFigures):
            self._show_exams(figures)
        else:
            summary.update(
                topics_table(figures, with_deck=self.deck_id is None)
                if figures
                else Content.styled("No cards.", "dim")
            )

    def action_window(self) -> None:
        self.window = WINDOWS[(WINDOWS.index(self.window) + 1) % len(WINDOWS)]
        if self.history is not None:
            self._show_history()

    def _show_history(self) -> None:
        history = self.history
        assert history is not None
        window = history.window(self.window)
        streak = history.streak
        self.query_one("#history", Static).update(
            Content.assemble(
                ("Streak ", "dim"),
                (f"{streak} day{'s' * (streak != 1)}", "bold"),
                ("   Last ", "dim"),
                (f"{self.window} days", "bold"),
                (" (w: 30/90/365): ", "dim"),
                (f"{window['answers']} answers", "bold"),
                f" on {window['days_studied']} days, {window['per_day']:.1f} a day",
            )
        )
        days = history.last(self.window)
        self._bars("history-chart", days, f"Answers per day, last {self.window} days")
        self.query_one(CalendarHeatmap).show(history.days)
        self.query_one("#history-table", Static).update(week_table(days, "Answers"))

    def _bars(self, chart: str, days: Sequence[DayCount], title: str) -> None:
        """Bars of a count per day, dated at the first, middle and last day."""
        widget = self.query_one(f"#{chart}", PlotextPlot)
        plt = widget.plt
        plt.clear_data()
        plt.clear_figure()
        counts = [day.count for day in days]
        # Days without a count get no bar (plotext would draw a sliver on the axis).
        drawn = [n for n, count in enumerate(counts) if count]
        if drawn:
            plt.bar(drawn, [counts[n] for n in drawn], marker="sd", width=0.8)
        top = max(counts, default=0)
        plt.ylim(0, max(top, 1) * 1.1)
        plt.yticks(*whole_ticks(top))
        last = len(days) - 1
        positions = sorted({0, last // 2, last})
        plt.xticks(
            [float(n) for n in positions],
            [f"{days[n].day:%b} {days[n].day.day}" for n in positions],
        )
        plt.xlim(-0.5, len(days) - 0.5)
        plt.title(title)
        widget.refresh()

    def _show_retention(self, retention: TrueRetention) -> None:
        desired = ", ".join(chance_text(value) for value in sorted(set(retention.desired.values())))
        self.query_one("#true_retention", Static).update(
            Content.assemble(
                ("Review-card answers remembered; mature from ", "dim"),
                f"{MATURE_INTERVAL} days",
                ("; desired retention ", "dim"),
                (desired or "-", "bold"),
            )
        )
        self.query_one("#true_retention-table", Static).update(retention_table(retention))

    def _show_memory(self, memory: MemoryFigures) -> None:
        self.query_one("#memory", Static).update(memory_text(memory))
        self.query_one("#stability", Static).update(histogram("Stability (days)", memory.stability))
        self.query_one("#difficulty", Static).update(histogram("Difficulty", memory.difficulty))
        self.query_one("#retrievability", Static).update(
            histogram("Recall now", memory.retrievability, 100, "%")
        )

    def _show_exams(self, exams: ExamFigures) -> None:
        summary = self.query_one("#exams", Static)
        chart = self.query_one("#exams-chart", PlotextPlot)
        for part in (chart, self.query_one("#exams-table"), self.query_one("#calibration")):
            part.display = bool(exams.attempts)
        if not exams.attempts:
            summary.update(Content.styled("No submitted mock exams yet.", "dim"))
            return
        passed = sum(attempt.passed for attempt in exams.attempts)
        count = len(exams.attempts)
        summary.update(f"{count} attempt{'s' * (count != 1)}, {passed} passed")
        plt = chart.plt
        plt.clear_data()
        plt.clear_figure()
        numbers = list(range(1, len(exams.attempts) + 1))
        plt.plot(numbers, [100 * a.share for a in exams.attempts], marker="●")
        plt.plot(numbers, [100 * a.pass_mark for a in exams.attempts], marker="─")
        plt.ylim(0, 100)
        plt.xlim(0.5, len(numbers) + 0.5)
        plt.xticks([float(n) for n in numbers], [str(n) for n in numbers])
        plt.yticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
        plt.title("Score per attempt (● score, ─ pass line)")
        chart.refresh()
        with_deck = self.deck_id is None
        self.query_one("#exams-table", Static).update(attempts_table(exams, with_deck=with_deck))
        self.query_one("#calibration", Static).update(calibration_table(exams))
