"""The lettered options of a multiple-choice card, chosen by key (a, b, ...) or by click."""

from __future__ import annotations

import string
from dataclasses import dataclass

from textual import on
from textual.containers import Vertical
from textual.content import Content
from textual.css.styles import RulesMap
from textual.events import Click
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import Static

from srs.tui.safe import markdown

__all__ = ["LETTERS", "ChoiceList", "ChoiceRow", "OptionLines"]

LETTERS = string.ascii_lowercase[:20]
"""Option keys a-t: `u` and later letters stay free for commands (no card has 20 options)."""
LETTER_CELLS = 4
"""The letter's column: a mark, the letter and a space, then one blank cell."""


class OptionLines(Visual):
    """An option as drawn: its letter cell, then its text wrapping beside it (a hanging
    indent). One visual in one widget: a row of a letter and a text widget cost three widgets
    to lay out and draw on every key (the next card's rows ~3-8 ms more a key)."""

    def __init__(self, letter: Content, text: Content) -> None:
        self.letter = letter
        self.text = text

    def __str__(self) -> str:
        return str(self.text)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        lines = self.text.render_strips(max(width - LETTER_CELLS, 1), height, style, options)
        blank = Strip.blank(LETTER_CELLS, style.rich_style)
        letter = self.letter.render_strips(LETTER_CELLS, 1, style, options)
        first = Strip.join([*letter[:1], blank]).crop(0, LETTER_CELLS)
        return [
            Strip.join([first if n == 0 else blank, line]) for n, line in enumerate(lines or [None])
        ]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return LETTER_CELLS + self.text.get_optimal_width(rules, container_width - LETTER_CELLS)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return max(1, self.text.get_height(rules, max(width - LETTER_CELLS, 1)))


class ChoiceRow(Static):
    """One option: its letter, and its (untrusted) text wrapping beside the letter."""

    def __init__(self, index: int, text: str) -> None:
        super().__init__()
        self.index = index
        self.text = text
        self._mark = " "
        self._text = markdown(text)
        self.update(self._lines())

    def _lines(self) -> OptionLines:
        """The option's letter after a mark: • picked, ✓ right, ✗ wrongly chosen (readable
        without colour), and its text."""
        letter = LETTERS[self.index].upper() if self.index < len(LETTERS) else " "
        return OptionLines(Content.styled(f"{self._mark}{letter} ", "bold"), self._text)

    def _set_letter(self, mark: str) -> None:
        # The letter's cell has a fixed width: a new mark needs no layout pass.
        if mark != self._mark:
            self._mark = mark
            self.update(self._lines(), layout=False)

    def set_text(self, text: str) -> None:
        self.text = text
        self._mark = " "
        self._text = markdown(text)
        self.update(self._lines())
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
        row alone: Textual restyles a node through the whole stylesheet (~0.4 ms here)."""
        classes = {f"-{name}": on for name, on in state.items()}
        if all(self.has_class(name) is on for name, on in classes.items()):
            return
        self.update_classes(classes, update=False)
        self.app.stylesheet.update_nodes([self], animate=True)
        self.refresh()

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
