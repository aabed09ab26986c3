"""A yes-or-no question before a change that cannot be undone (forgetting a card)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from srs.tui.safe import literal

__all__ = ["ConfirmScreen", "forget_question"]


def forget_question(key: str) -> Content:
    """What is asked before a card (`key`: its id in the deck file) is forgotten."""
    return Content.assemble(
        ("Forget ", "bold"),
        literal(key, "bold"),
        ("?", "bold"),
        "\n\nIt becomes a new card, studied from scratch. Its review history is kept; "
        "this cannot be undone.",
    )


class ConfirmScreen(ModalScreen[bool]):
    """The question over the screen that asked it; y answers yes, n or escape no."""

    CSS_PATH = "confirm.tcss"

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: Content) -> None:
        """Args:
        question: the question, built by the caller with deck text through `srs.tui.safe`.
        """
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(self.question, id="confirm-text")
            with Horizontal(id="confirm-buttons"):
                yield Button("Yes (y)", id="yes", variant="error")
                yield Button("No (n)", id="no")

    def on_mount(self) -> None:
        # No is focused: an enter pressed out of habit must not do what cannot be undone.
        self.query_one("#no", Button).focus()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
