"""The results of a mock exam: the score, topics, and every question with its explanation."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static

from srs.clock import format_duration
from srs.exam.attempt import Attempt
from srs.exam.engine import retake_missed, start_exam
from srs.exam.results import (
    ExamResult,
    QuestionReview,
    RepeatedChoice,
    exam_result,
    repeated_wrong_choices,
)
from srs.model.percent import chance_text, percent_text
from srs.tui.base import SrsScreen
from srs.tui.safe import literal, literal_text, markdown

__all__ = ["ResultsScreen"]


class ResultsScreen(SrsScreen[None]):
    """Score line, time used, per-topic table, then the question review (all, or missed only).

    Reopened from the history, escape goes back there; just after submitting, to the dashboard.
    """

    CSS_PATH = "results.tcss"

    BINDINGS = [
        Binding("m", "toggle_missed", "Missed only", id="results.missed"),
        Binding("r", "retake", "Retake missed", id="results.retake"),
        Binding("N", "new_attempt", "New attempt", id="results.new"),
        Binding("h", "history", "History", id="results.history"),
        Binding("escape", "leave", "Back", id="results.leave"),
    ]

    def __init__(self, attempt: Attempt, *, reopened: bool = False) -> None:
        super().__init__()
        self.result: ExamResult = exam_result(attempt)
        self.repeated: dict[int, list[RepeatedChoice]] = {}
        self.missed_only = False
        self.reopened = reopened

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="results"):
            yield Static(id="score")
            yield DataTable(id="topics", cursor_type="none", zebra_stripes=True)
            yield Static(id="filter")
            yield Vertical(id="questions")
        yield Footer()

    async def on_mount(self) -> None:
        r = self.result
        for item in repeated_wrong_choices(self.app.store, r.attempt):
            self.repeated.setdefault(item.position, []).append(item)
        self.title = f"Results · {r.attempt.deck_id}"
        verdict = ("PASS", "bold $success") if r.passed else ("FAIL", "bold $error")
        lines: list[Content | str | tuple[str, str]] = [
            (r.score_text.rsplit(" · ", 1)[0] + " · ", "bold"),
            verdict,
            "\n",
            ("Time used ", "dim"),
            format_duration(r.time_used),
        ]
        if r.attempt.timed_out:
            lines.append(("  (time ran out)", "$warning"))
        if r.attempt.predicted_pass is not None:
            lines += [
                "\n",
                ("Predicted chance to pass at the start ", "dim"),
                chance_text(r.attempt.predicted_pass),
            ]
        self.query_one("#score", Static).update(Content.assemble(*lines))
        table = self.query_one("#topics", DataTable)
        table.add_columns("Topic", "Right", "Of", "%")
        for topic in r.topics:
            table.add_row(
                literal_text(topic.topic or "(no topic)"),
                str(topic.right),
                str(topic.total),
                percent_text(topic.right, topic.total),
            )
        await self.show_questions()

    async def show_questions(self) -> None:
        shown = self.result.missed if self.missed_only else self.result.questions
        heading = "Missed questions" if self.missed_only else "All questions"
        self.query_one("#filter", Static).update(
            Content.assemble((heading, "bold"), (f"  ({len(shown)}) · m: toggle", "dim"))
        )
        container = self.query_one("#questions", Vertical)
        await container.remove_children()
        widgets = [w for q in shown for w in self._question(q)]
        await container.mount_all(widgets or [Static("Nothing missed.")])

    def _question(self, q: QuestionReview) -> tuple[Static, Static]:
        """A heading line (mark, number, question) and an indented body."""
        mark = ("✓ ", "bold $success") if q.correct else ("✗ ", "bold $error")
        flagged = self.result.attempt.questions[q.position].flagged
        heading = Content.assemble(
            mark,
            (f"{q.number}. ", "bold"),
            markdown(q.question, "bold"),
            ("  ⚑ flagged", "bold $warning") if flagged else "",
        )
        yours = (
            Content(" · ").join(markdown(text) for text in q.chosen)
            if q.chosen
            else Content("(not answered)")
        )
        parts: list[Content | str | tuple[str, str]] = [("Your answer  ", "dim"), yours]
        if not q.correct:
            right = Content(" · ").join(markdown(text, "$success") for text in q.answers)
            parts += ["\n", ("Correct      ", "dim"), right]
        if q.feedback:
            parts += ["\n", markdown(q.feedback)]
        for option, feedback in q.chosen_feedback:
            parts += [
                "\n",
                markdown(option, "italic"),
                (": ", "italic"),
                markdown(feedback, "italic"),
            ]
        if q.explanation:
            parts += ["\n", markdown(q.explanation, "italic $text-muted")]
        for repeat in self.repeated.get(q.position, []):
            parts += ["\n", literal(repeat.message, "bold $warning")]
        return (
            Static(heading, classes="question-heading"),
            Static(Content.assemble(*parts), classes="question-body"),
        )

    async def action_toggle_missed(self) -> None:
        self.missed_only = not self.missed_only
        await self.show_questions()

    def _start(self, make: Callable[[], Attempt]) -> None:
        """Sit a new attempt in place of these results."""
        with self.app.errors_as_notifications():
            attempt = make()
            self.dismiss()
            self.app.open_exam(attempt)

    def action_retake(self) -> None:
        self._start(lambda: retake_missed(self.app.store, self.result.attempt))

    def action_new_attempt(self) -> None:
        self._start(lambda: start_exam(self.app.store, self.result.attempt.deck_id))

    def action_history(self) -> None:
        if self.reopened:
            self.dismiss()
        else:
            self.app.open_history(self.result.attempt.deck_id)

    def action_leave(self) -> None:
        if self.reopened:
            self.dismiss()
        else:
            self.app.action_dashboard()
