"""The confirmation before submitting an exam: what is unanswered and flagged."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from srs.exam.attempt import Attempt

__all__ = ["SubmitScreen"]


def _numbers(positions: tuple[int, ...]) -> str:
    return ", ".join(str(p + 1) for p in positions)


class SubmitScreen(ModalScreen[bool]):
    """Submit now? Lists unanswered and flagged questions; y/enter submits, n/escape returns."""

    CSS_PATH = "submit.tcss"

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Submit", id="submit.yes"),
        Binding("n,escape", "answer(False)", "Keep working", id="submit.no"),
    ]

    def __init__(self, attempt: Attempt) -> None:
        super().__init__()
        self.attempt = attempt

    def compose(self) -> ComposeResult:
        a = self.attempt
        lines: list[Content | str | tuple[str, str]] = [
            ("Submit the exam?", "bold"),
            "\n\n",
            f"{a.answered_count} of {a.question_count} questions answered.",
        ]
        if a.unanswered_positions:
            lines += [
                "\n",
                ("Unanswered: ", "bold $error"),
                _numbers(a.unanswered_positions),
                (" (they count as wrong)", "dim"),
            ]
        if a.flagged_positions:
            lines += ["\n", ("Flagged: ", "bold $warning"), _numbers(a.flagged_positions)]
        with Vertical(id="submit-box"):
            yield Static(Content.assemble(*lines), id="submit-text")
            with Horizontal(id="submit-buttons"):
                yield Button("Submit (y)", id="yes", variant="primary")
                yield Button("Keep working (n)", id="no")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
