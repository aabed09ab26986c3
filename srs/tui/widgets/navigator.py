"""The exam's question navigator: one cell per question (answered, flagged, current) and Submit."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal
from textual.message import Message
from textual.widgets import Button

from srs.exam.attempt import Attempt

__all__ = ["Navigator"]


class Navigator(Horizontal):
    """Click a number to jump to it; ✓ answered, ⚑ flagged."""

    @dataclass
    class Jump(Message):
        position: int

    @dataclass
    class SubmitPressed(Message):
        pass

    def __init__(self, count: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.count = count
        self.cell = len(str(count)) + 4
        """A cell's width: the widest number, ✓ and ⚑, and the button's padding (a fixed 5
        cut `13✓⚑` to `13✓`, hiding the flag of every question from 10 on)."""

    def compose(self) -> ComposeResult:
        with Grid(id="cells"):
            for position in range(self.count):
                cell = Button(str(position + 1), id=f"q-{position}", compact=True)
                cell.styles.width = cell.styles.min_width = self.cell
                yield cell
        yield Button("Submit", id="submit", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#cells", Grid).styles.grid_columns = str(self.cell)

    def on_resize(self) -> None:
        """As many columns as fit beside Submit: a fixed 10 collapsed to zero-width cells (and
        crashed Textual's layout) once the key panel took half of 80 columns."""
        columns = max(1, min(10, (self.size.width - 12) // (self.cell + 1)))
        self.query_one("#cells", Grid).styles.grid_size_columns = columns

    def show(self, attempt: Attempt, current: int) -> None:
        for question in attempt.questions:
            cell = self.query_one(f"#q-{question.position}", Button)
            answered = "✓" if question.answered else ""
            cell.label = f"{question.number}{answered}{'⚑' if question.flagged else ''}"
            cell.update_classes(  # one restyle of the cell, not one per class
                {
                    "-answered": question.answered,
                    "-flagged": question.flagged,
                    "-current": question.position == current,
                }
            )

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button_id = event.button.id or ""
        if button_id == "submit":
            self.post_message(self.SubmitPressed())
        else:
            self.post_message(self.Jump(int(button_id.removeprefix("q-"))))
