"""The lettered options of a multiple-choice card, chosen by key (a, b, ...) or by click."""

from __future__ import annotations

import string
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Click
from textual.message import Message
from textual.widgets import Static

from srs.tui.safe import markdown

__all__ = ["LETTERS", "ChoiceList", "ChoiceRow"]

LETTERS = string.ascii_lowercase[:20]
"""Option keys a-t: `u` and later letters stay free for commands (no card has 20 options)."""


class ChoiceRow(Horizontal):
    """One option: its letter, and its (untrusted) text wrapping beside the letter."""

    def __init__(self, index: int, text: str) -> None:
        super().__init__()
        self.index = index
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(self._letter(" "), classes="letter")
        yield Static(markdown(self.text), classes="text")

    def _letter(self, mark: str) -> Content:
        """The option's letter after a mark: • picked, ✓ right, ✗ wrongly chosen (readable
        without colour)."""
        letter = LETTERS[self.index].upper() if self.index < len(LETTERS) else " "
        return Content.styled(f"{mark}{letter} ", "bold")

    def _set_letter(self, mark: str) -> None:
        # The letter's cell is one line of fixed width: a new mark needs no layout pass.
        self.query_one(".letter", Static).update(self._letter(mark), layout=False)

    def set_text(self, text: str) -> None:
        self.text = text
        self.query_one(".text", Static).update(markdown(text))
        self._set_letter(" ")
        self._set_state(picked=False, correct=False, wrong=False)

    def pick(self, picked: bool) -> None:
        self._set_state(picked=picked)
        self._set_letter("•" if picked else " ")

    def mark(self, correct: bool, chosen: bool) -> None:
        wrong = chosen and not correct
        self._set_state(picked=chosen, correct=correct, wrong=wrong)
        self._set_letter("✓" if correct else "✗" if wrong else " ")

    def _set_state(self, **state: bool) -> None:
        """Set the state classes (`-picked`, `-correct`, `-wrong`) in one batch, restyling the
        row alone.

        Textual restyles a node's children with it, through the whole stylesheet (~0.4 ms a
        node here, ~1.4 ms a row), though no rule of theirs reads the row's state: they take
        its background and boldness when drawn, so clearing their cached look is enough.
        """
        classes = {f"-{name}": on for name, on in state.items()}
        if all(self.has_class(name) is on for name, on in classes.items()):
            return
        self.update_classes(classes, update=False)
        self.app.stylesheet.update_nodes([self], animate=True)
        for child in self.children:
            child.notify_style_update()
            child.refresh()

    @dataclass
    class Pressed(Message):
        index: int

    def on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(self.Pressed(self.index))


class ChoiceList(Vertical):
    """Options with their state: picked (select-all in progress), then right/wrong once graded."""

    @dataclass
    class Chosen(Message):
        """An option was chosen (by key or click) while the card is unanswered."""

        index: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.locked = False

    async def show(self, texts: list[str]) -> None:
        """Show a card's options, ready to choose.

        Rows are reused when the count is unchanged (the usual case), so the next card costs
        no mounting: the keypress-to-card time is what a learner feels on every card.
        """
        self.locked = False
        rows = self.rows()
        if len(rows) == len(texts):
            for row, text in zip(rows, texts, strict=True):
                row.set_text(text)
        else:
            await self.remove_children()
            await self.mount_all(ChoiceRow(index, text) for index, text in enumerate(texts))
        self.display = bool(texts)

    @on(ChoiceRow.Pressed)
    def _pressed(self, event: ChoiceRow.Pressed) -> None:
        event.stop()
        if not self.locked:
            self.post_message(self.Chosen(event.index))

    def rows(self) -> list[ChoiceRow]:
        return list(self.query(ChoiceRow))

    def mark_picked(self, picked: set[int]) -> None:
        """Options picked so far (select-all in progress, or an exam answer): marked •."""
        for row in self.rows():
            row.pick(row.index in picked)

    def reveal(self, correct: set[int], chosen: set[int]) -> None:
        """Show the verdict: right options marked, wrong chosen ones marked; no more choosing."""
        self.locked = True
        for row in self.rows():
            row.mark(row.index in correct, row.index in chosen)
