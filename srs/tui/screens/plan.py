"""The exam plan of a deck: where the learner will stand on exam day, and the days to it as two
charts (daily minutes, the chance to pass by day) and as a table of the same numbers."""

from __future__ import annotations

import os
from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, LoadingIndicator, Static
from textual_plotext import PlotextPlot

from srs.model.percent import chance_text
from srs.plan import ExamPlan, clear_exam_date
from srs.study.custom import CustomStudy
from srs.textsafe import displayable
from srs.tui.base import SrsScreen
from srs.tui.charts import whole_ticks
from srs.tui.widgets.planner import Planner

__all__ = ["PlanScreen"]

CRAM_CARDS = 20
"""How many of the weakest cards the cram key studies: a short session, repeatable."""

COLUMNS = ("Date", "Reviews", "New", "Minutes", "Chance to pass", "")
"""The table's columns: the chart's numbers, and a flag on the days over the minutes."""


class PlanScreen(SrsScreen[None]):
    """The summary, the advice when days need more than the learner's minutes, the charts and
    the table. It shows at once; the plan (up to a second on a large deck) is made by a worker
    and filled in when it is ready, and made again whenever the screen is shown again."""

    CSS_PATH = "plan.tcss"

    BINDINGS = [
        Binding("d", "set_date", "Exam date", id="plan.date", tooltip="Set or change the date"),
        Binding("x", "clear_date", "Clear date", id="plan.clear", tooltip="No exam date"),
        Binding(
            "w",
            "cram",
            "Cram",
            id="plan.cram",
            tooltip=f"Study the {CRAM_CARDS} cards least likely to be recalled now",
        ),
        Binding("escape", "app.pop_screen", "Back", id="plan.back"),
        Binding("question_mark", "app.toggle_keys", "Keys", id="plan.keys"),
    ]

    def __init__(self, deck_id: str, title: str) -> None:
        """Args:
        deck_id: the deck.
        title: its title (deck text: shown literally).
        """
        super().__init__()
        self.deck_id = deck_id
        self.deck_title = title
        self.mark_color = "default" if os.environ.get("NO_COLOR") else None
        """The colour of every chart mark: None, plotext's own; "default", the text's."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="plan"):
            yield Static(id="plan-summary")
            yield Static(id="plan-advice")
            yield LoadingIndicator(id="plan-loading")
            with Horizontal(id="plan-charts"):
                yield PlotextPlot(id="plan-minutes")
                yield PlotextPlot(id="plan-chance")
            yield DataTable(id="plan-days", cursor_type="row", zebra_stripes=True)
        yield Planner()
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"Exam plan · {displayable(self.deck_title)}"
        table = self.query_one(DataTable)
        for label in COLUMNS:
            table.add_column(Text(label, justify="left" if label == "Date" else "right"))
        # Charts that must read without colour: plotext's colourless theme when the terminal
        # asks for none. Textual then turns each colour into a grey of its brightness, which
        # left the budget and exam-day lines dark grey on black: every mark is drawn in the
        # text's own colour instead (the markers carry the meaning alone).
        if self.mark_color is not None:
            for plot in self.query(PlotextPlot):
                plot.theme = "clear"
        self._show(None)

    def on_screen_resume(self) -> None:
        """Also runs when the screen is first shown; after a session or a new date the plan
        has changed."""
        self.query_one(Planner).plan(self.app.store, [self.deck_id])

    @on(Planner.Planned)
    def _planned(self, event: Planner.Planned) -> None:
        if event.deck_id != self.deck_id:
            return
        self.query_one("#plan-loading").display = False
        if event.plan is not None:
            self._show(event.plan)
            return
        summary = self.query_one("#plan-summary", Static)
        if event.error is not None:
            summary.update(Content.styled(f"No plan: {displayable(event.error)}", "$error"))
        else:
            summary.update(
                Content.assemble(
                    "No exam date ahead for this deck. ",
                    ("d", "bold"),
                    ": set the date of your exam, and srs plans the days to it.",
                )
            )
        self._show_figures(False)

    def _show(self, plan: ExamPlan | None) -> None:
        """The plan's summary, advice, charts and table (None: still being made)."""
        summary = self.query_one("#plan-summary", Static)
        advice = self.query_one("#plan-advice", Static)
        if plan is None:
            summary.update(Content.styled("Planning…", "dim italic"))
            advice.display = False
            self._show_figures(False)
            return
        summary.update(
            Content.assemble(
                (plan.summary_line(), "bold"),
                "\n",
                (
                    f"Exam on {plan.exam_date.isoformat()} · {plan.new_cards} cards not yet "
                    f"introduced · {chance_text(plan.pass_chance_if_stopped)} if you stopped "
                    f"today · expected score {chance_text(plan.expected_score_exam_day)}",
                    "dim",
                ),
            )
        )
        advice.display = plan.advice is not None
        advice.update(Content.styled(plan.advice or "", "$warning"))
        self._show_figures(True)
        self._draw_minutes(plan)
        self._draw_chance(plan)
        self._fill_table(plan)

    def _show_figures(self, shown: bool) -> None:
        self.query_one("#plan-charts").display = shown
        self.query_one(DataTable).display = shown

    def _draw_minutes(self, plan: ExamPlan) -> None:
        """Bars of each day's minutes, and the learner's daily minutes as a line across."""
        widget = self.query_one("#plan-minutes", PlotextPlot)
        plt = widget.plt
        plt.clear_data()
        plt.clear_figure()
        days = list(range(len(plan.forecast)))
        minutes = [day.minutes for day in plan.forecast]
        plt.bar(days, minutes, marker="sd", width=1, color=self.mark_color)
        plt.hline(plan.minutes_per_day, color=self.mark_color)
        top = max(max(minutes), plan.minutes_per_day)
        plt.ylim(0, top * 1.1)
        plt.yticks(*whole_ticks(top))
        plt.xticks(*_date_ticks(plan))
        plt.title(f"Minutes a day (── your {plan.minutes_per_day})")
        widget.refresh()

    def _draw_chance(self, plan: ExamPlan) -> None:
        """The chance to pass if the exam were that day, to exam day (the line at the end)."""
        widget = self.query_one("#plan-chance", PlotextPlot)
        plt = widget.plt
        plt.clear_data()
        plt.clear_figure()
        days = list(range(len(plan.forecast)))
        plt.plot(
            days,
            [day.pass_chance * 100 for day in plan.forecast],
            marker="braille",
            color=self.mark_color,
        )
        # Exam day is the last day; the room after it keeps its line clear of the frame.
        plt.vline(days[-1], color=self.mark_color)
        plt.xlim(0, days[-1] + max(1, len(days) // 20))
        plt.ylim(0, 100)
        plt.yticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
        plt.xticks(*_date_ticks(plan))
        plt.title("Chance to pass by day (│ exam)")
        widget.refresh()

    def _fill_table(self, plan: ExamPlan) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for day in plan.forecast:
            table.add_row(
                Text(day.date.isoformat()),
                Text(str(day.reviews), justify="right"),
                Text(str(day.new), justify="right"),
                Text(f"{day.minutes:.1f}", justify="right"),
                Text(chance_text(day.pass_chance), justify="right"),
                Text("over your minutes" if day.over_budget else "", style="bold"),
                key=day.date.isoformat(),
            )

    def action_set_date(self) -> None:
        self.app.ask_exam_date(self.deck_id, self._date_changed)

    def _date_changed(self, changed: bool) -> None:
        if changed:
            self.query_one("#plan-loading").display = True
            self.on_screen_resume()

    def action_clear_date(self) -> None:
        with self.app.errors_as_notifications():
            clear_exam_date(self.app.store, self.deck_id)
            self.notify("Exam date cleared: scheduling is FSRS's own again.")
            self.on_screen_resume()

    def action_cram(self) -> None:
        self.app.open_review([self.deck_id], self.deck_title, CustomStudy.weakest(CRAM_CARDS))


def _date_ticks(plan: ExamPlan) -> tuple[list[float], list[str]]:
    """Today, the middle and exam day, as short dates under the x axis."""
    last = len(plan.forecast) - 1
    positions = sorted({0, last // 2, last})
    return [float(n) for n in positions], [_short(plan.forecast[n].date) for n in positions]


def _short(day: date) -> str:
    return f"{day:%b} {day.day}"
