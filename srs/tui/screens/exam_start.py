"""Before the first question: the exam's shape, the predicted chance to pass, or a resume offer."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from srs.collection.store import Store
from srs.exam.attempt import Attempt
from srs.exam.engine import start_exam, unfinished_attempt
from srs.exam.form import ExamError, required_exam_spec
from srs.exam.readiness import deck_readiness
from srs.tui.format import chance_text
from srs.tui.safe import literal
from srs.tui.screens.exam import ExamScreen, time_text
from srs.tui.screens.results import ResultsScreen

__all__ = ["ExamStartScreen", "open_exam"]


def open_exam(app: App[object], store: Store, attempt: Attempt, *, resumed: bool = False) -> None:
    """Push the exam screen; when it is submitted (or time runs out), show the results."""

    def finished(result: Attempt | None) -> None:
        if result is not None and result.is_submitted:
            app.push_screen(ResultsScreen(store, result))

    app.push_screen(ExamScreen(store, attempt, resumed=resumed), finished)


class ExamStartScreen(Screen[None]):
    """Questions, pass mark, time limit and predicted chance; enter begins (or resumes)."""

    CSS_PATH = "exam_start.tcss"

    BINDINGS = [
        Binding("enter", "begin", "Begin / resume", id="exam_start.begin", priority=True),
        Binding("h", "history", "History", id="exam_start.history"),
        Binding("escape", "app.pop_screen", "Back", id="exam_start.back"),
    ]

    def __init__(self, store: Store, deck_id: str, deck_title: str) -> None:
        super().__init__()
        self.store = store
        self.deck_id = deck_id
        self.deck_title = deck_title

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="start"):
            yield Static(id="start-title")
            yield Static(id="start-body")
            yield Static(id="start-action")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Mock exam"
        self.refresh_page()

    def on_screen_resume(self) -> None:
        self.refresh_page()

    def refresh_page(self) -> None:
        spec = required_exam_spec(self.store, self.deck_id)
        prediction = deck_readiness(self.store, self.deck_id)
        self.in_progress = unfinished_attempt(self.store, self.deck_id)
        self.query_one("#start-title", Static).update(
            Content.assemble(
                literal(spec.title, "bold"), (" · ", "dim"), literal(self.deck_title, "dim")
            )
        )
        limit = time_text_or_none(spec.time_limit)
        chance = chance_text(prediction.pass_chance)
        if prediction.method != "exact":
            chance += f" (±{prediction.standard_error:.1%})"
        self.query_one("#start-body", Static).update(
            Content.assemble(
                ("Questions         ", "dim"),
                (str(spec.questions), "bold"),
                "\n",
                ("Pass mark         ", "dim"),
                (f"{spec.pass_mark:.0%} ({prediction.needed} of {spec.questions})", "bold"),
                "\n",
                ("Time limit        ", "dim"),
                (limit, "bold"),
                "\n\n",
                ("Chance to pass    ", "dim"),
                (chance, "bold $accent"),
                "\n",
                ("Expected score    ", "dim"),
                (f"{prediction.expected_score:.1f} of {spec.questions}", "bold"),
                "\n\n",
                ("No feedback until you submit. Answers are saved as you go.", "italic dim"),
            )
        )
        if self.in_progress is None:
            action = Content.styled("enter: begin · h: past attempts · esc: back", "bold")
        else:
            a = self.in_progress
            left = a.time_left(self.store.clock.now())
            clock = f", {time_text(left)} left (the clock kept running)" if left else ""
            action = Content.assemble(
                ("An attempt is in progress: ", "bold $warning"),
                f"{a.answered_count} of {a.question_count} answered{clock}.\n",
                ("enter: resume it · h: past attempts · esc: back", "bold"),
            )
        self.query_one("#start-action", Static).update(action)

    def action_begin(self) -> None:
        try:
            if self.in_progress is not None:
                open_exam(self.app, self.store, self.in_progress, resumed=True)
            else:
                open_exam(self.app, self.store, start_exam(self.store, self.deck_id))
        except ExamError as exc:
            self.notify(str(exc), severity="error", markup=False)

    def action_history(self) -> None:
        from srs.tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.store, self.deck_id))


def time_text_or_none(seconds: int | None) -> str:
    """A time limit as the start page shows it: "none", "90 seconds", "30 minutes", "1h 30m"."""
    if seconds is None:
        return "none"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes and not secs:
        return f"{minutes} minute{'s' * (minutes != 1)}"
    return f"{minutes * 60 + secs} seconds"
