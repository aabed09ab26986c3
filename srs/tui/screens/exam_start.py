"""Before the first question: the exam's shape, the predicted chance to pass, or a resume offer."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, Header, Static

from srs.clock import format_duration
from srs.collection.settings import get_settings
from srs.exam.attempt import Attempt
from srs.exam.engine import start_exam, unfinished_attempt
from srs.exam.form import needed_to_pass, required_exam_spec
from srs.exam.probability import Prediction
from srs.model.deck import ExamSpec
from srs.model.percent import chance_text
from srs.study.overview import deck_titles
from srs.tui.base import SrsScreen
from srs.tui.safe import literal
from srs.tui.widgets.pass_predictor import PassPredictor, last_known

__all__ = ["ExamStartScreen"]

COMPUTING = Content.styled("computing…", "dim italic")
"""What the page shows until the chance to pass is known."""


class ExamStartScreen(SrsScreen[None]):
    """Questions, pass mark, time limit and predicted chance; enter begins (or resumes).

    The page shows at once, with the chance to pass as last computed; the current one (about a
    second on a deck of 100,000 cards) is computed by a worker and filled in when it is ready.
    """

    CSS_PATH = "exam_start.tcss"

    BINDINGS = [
        Binding("enter", "begin", "Begin / resume", id="exam_start.begin", priority=True),
        Binding("h", "history", "History", id="exam_start.history"),
        Binding(
            "d",
            "exam_date",
            "Exam date",
            id="exam_start.date",
            tooltip="Set or change the date of the real exam, which srs plans to",
        ),
        Binding("escape", "app.pop_screen", "Back", id="exam_start.back"),
    ]

    spec: ExamSpec
    """The deck's exam, as read when the page was last shown."""

    def __init__(self, deck_id: str) -> None:
        super().__init__()
        self.deck_id = deck_id
        self.in_progress: Attempt | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="start"):
            yield Static(id="start-title")
            yield Static(id="start-body")
            yield Static(id="start-action")
        yield PassPredictor()
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Mock exam"

    def on_screen_resume(self) -> None:
        """Also runs when the page is first shown; after an attempt the chance has changed."""
        self.refresh_page()

    def refresh_page(self) -> None:
        """Show what is known at once, and start predicting the chance to pass."""
        store = self.app.store
        with self.app.errors_as_notifications():
            self.spec = required_exam_spec(store, self.deck_id)
            self.in_progress = unfinished_attempt(store, self.deck_id)
            self.query_one("#start-title", Static).update(
                Content.assemble(
                    literal(self.spec.title, "bold"),
                    (" · ", "dim"),
                    literal(deck_titles(store).get(self.deck_id, self.deck_id), "dim"),
                )
            )
            known = last_known(store, self.deck_id)
            if known is None:
                self._show_body(COMPUTING, COMPUTING)
            else:
                self._show_chance(known, fresh=False)
            self.query_one(PassPredictor).predict(store, [self.deck_id])
            self._show_action()

    @on(PassPredictor.Predicted)
    def _show_prediction(self, event: PassPredictor.Predicted) -> None:
        prediction = event.prediction
        if prediction is None:
            error = event.error or "this deck has no mock exam"
            self._show_body(Content.styled(f"unavailable: {error}", "$error"), Content("—"))
            return
        self._show_chance(prediction, fresh=True)

    def _show_chance(self, prediction: Prediction, *, fresh: bool) -> None:
        """The chance and expected score; the last computed ones (`fresh` False) dim, marked
        as being updated."""
        chance = chance_text(prediction.pass_chance)
        # An estimate's margin (Monte Carlo's standard error, or the binomial's bound), to
        # 0.1%: one that small would read "±0.0%".
        margin = max(prediction.standard_error, prediction.error_bound)
        if margin >= 0.0005:
            chance += f" (±{margin:.1%})"
        expected = f"{prediction.expected_score:.1f} of {prediction.questions}"
        if not fresh:
            self._show_body(
                Content.assemble((chance, "dim"), (" (updating…)", "dim italic")),
                Content.styled(expected, "dim"),
            )
            return
        self._show_body(Content.styled(chance, "bold $accent"), Content.styled(expected, "bold"))

    def _show_body(self, chance: Content, expected: Content) -> None:
        spec = self.spec
        limit = "none" if spec.time_limit is None else format_duration(spec.time_limit, "words")
        needed = needed_to_pass(spec.pass_mark, spec.questions)
        self.query_one("#start-body", Static).update(
            Content.assemble(
                ("Questions         ", "dim"),
                (str(spec.questions), "bold"),
                "\n",
                ("Pass mark         ", "dim"),
                (f"{spec.pass_mark:.0%} ({needed} of {spec.questions})", "bold"),
                "\n",
                ("Time limit        ", "dim"),
                (limit, "bold"),
                "\n\n",
                ("Chance to pass    ", "dim"),
                chance,
                "\n",
                ("Expected score    ", "dim"),
                expected,
                "\n\n",
                ("No feedback until you submit. Answers are saved as you go.", "italic dim"),
            )
        )

    def _show_action(self) -> None:
        attempt = self.in_progress
        exam_date = get_settings(self.app.store, self.deck_id).exam_date
        when = (
            Content.styled("\nd: set the date of your real exam", "dim")
            if exam_date is None
            else Content.styled(f"\nReal exam on {exam_date.isoformat()} · d: change it", "dim")
        )
        if attempt is None:
            action = Content.assemble(("enter: begin · h: past attempts · esc: back", "bold"), when)
        else:
            left = attempt.time_left(self.app.store.clock.now())
            clock = ""
            if left:
                clock = f", {format_duration(left, 'clock')} left (the clock kept running)"
            action = Content.assemble(
                ("An attempt is in progress: ", "bold $warning"),
                f"{attempt.answered_count} of {attempt.question_count} answered{clock}.\n",
                ("enter: resume it · h: past attempts · esc: back", "bold"),
                when,
            )
        self.query_one("#start-action", Static).update(action)

    def action_begin(self) -> None:
        if self.in_progress is not None:
            self.app.open_exam(self.in_progress, resumed=True)
            return
        with self.app.errors_as_notifications():
            self.app.open_exam(start_exam(self.app.store, self.deck_id))

    def action_history(self) -> None:
        self.app.open_history(self.deck_id)

    def action_exam_date(self) -> None:
        self.app.ask_exam_date(self.deck_id, self._date_saved)

    def _date_saved(self, saved: bool) -> None:
        if saved:
            self.refresh_page()
