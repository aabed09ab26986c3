"""After the real exam: how did it go? The answer is stored beside what srs predicted for that
day (`srs plan DECK --result`), the best check there is of the predictions."""

from __future__ import annotations

from datetime import date

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from srs.collection.store import CollectionError
from srs.plan import record_outcome
from srs.textsafe import displayable
from srs.tui.base import SrsAppBase
from srs.tui.safe import literal

__all__ = ["ExamOutcomeScreen"]


class ExamOutcomeScreen(ModalScreen[bool]):
    """Passed or failed, and the score if the learner knows it; escape asks again another
    time. Dismissed with True once the outcome is recorded."""

    CSS_PATH = "exam_outcome.tcss"

    BINDINGS = [
        Binding("p", "record(True)", "Passed", id="outcome.passed"),
        Binding("f", "record(False)", "Failed", id="outcome.failed"),
        Binding("escape", "later", "Ask later", id="outcome.later"),
    ]

    app = getters.app(SrsAppBase)

    def __init__(self, deck_id: str, title: str, exam: date) -> None:
        """Args:
        deck_id: the deck.
        title: its title (deck text: shown literally).
        exam: the exam's date.
        """
        super().__init__()
        self.deck_id = deck_id
        self.deck_title = title
        self.exam = exam

    def compose(self) -> ComposeResult:
        with Vertical(id="outcome-box"):
            yield Static(
                Content.assemble(
                    ("How did your exam go?", "bold"),
                    "\n",
                    literal(self.deck_title),
                    (f" · {self.exam.isoformat()}", "dim"),
                )
            )
            yield Static("Your score in percent, if you know it", id="outcome-score-label")
            yield Input(id="outcome-score", type="number", placeholder="optional, e.g. 82")
            yield Static(id="outcome-error")
            with Horizontal(id="outcome-buttons"):
                yield Button("Passed (p)", id="passed", variant="success")
                yield Button("Failed (f)", id="failed", variant="error")
                yield Button("Ask later (esc)", id="later")

    def on_mount(self) -> None:
        self.query_one("#outcome-error", Static).display = False
        self.query_one("#passed", Button).focus()

    def on_input_submitted(self) -> None:
        self.query_one("#passed", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "later":
            self.action_later()
        else:
            self.action_record(event.button.id == "passed")

    def action_record(self, passed: bool) -> None:
        text = self.query_one(Input).value.strip()
        try:
            score = None if not text else float(text) / 100
            record_outcome(self.app.store, self.deck_id, passed, score)
        except (ValueError, CollectionError) as exc:
            error = self.query_one("#outcome-error", Static)
            error.update(Content.styled(displayable(str(exc)), "bold $error"))
            error.display = True
            return
        self.notify(
            f"Recorded: {'passed' if passed else 'failed'}, beside srs's prediction "
            "(srs exam calibration).",
            markup=False,
        )
        self.dismiss(True)

    def action_later(self) -> None:
        self.dismiss(False)
