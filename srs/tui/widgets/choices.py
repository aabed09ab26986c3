"""The lettered options of a multiple-choice card, chosen by key (a, b, ...) or by click."""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.containers import Vertical
from textual.content import Content
from textual.css.styles import RulesMap
from textual.events import Click
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widget import Widget

from srs.tui.safe import markdown

__all__ = ["LETTERS", "ChoiceList", "ChoiceRow", "OptionLines"]

_MARKS = {"": " ", "picked": "•", "correct": "✓", "wrong": "✗"}
"""The mark before an option's letter in each state: readable without colour."""

LETTERS = string.ascii_lowercase[:20]
"""Option keys a-t: `u` and later letters stay free for commands (no card has 20 options)."""
LETTER_CELLS = 4
"""The letter's column: a mark, the letter and a space, then one blank cell."""
_EDGE = 1
"""Blank cells at either side of an option, in its state's colour."""


class OptionLines(Visual):
    """An option as drawn: its letter cell, then its text wrapping beside it (a hanging
    indent), a blank cell at either side, all in `look` (its state's style) if given. One
    visual in one widget: a row of a letter and a text widget cost three widgets to lay out
    and draw on every key (the next card's rows ~3-8 ms more a key)."""

    def __init__(self, letter: Content, text: Content, look: Style | None = None) -> None:
        self.letter = letter
        self.text = text
        self.look = look

    def __str__(self) -> str:
        return str(self.text)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        style = self.look or style
        inner = max(width - LETTER_CELLS - 2 * _EDGE, 1)
        lines = self.text.render_strips(inner, height, style, options)
        rich_style = style.rich_style
        edge = Strip.blank(_EDGE, rich_style)
        blank = Strip.blank(LETTER_CELLS, rich_style)
        letter = self.letter.render_strips(LETTER_CELLS, 1, style, options)
        first = Strip.join([*letter[:1], blank]).crop(0, LETTER_CELLS)
        return [
            Strip.join([edge, first if n == 0 else blank, line])
            .extend_cell_length(width, rich_style)
            .crop(0, width)
            for n, line in enumerate(lines or [Strip.blank(0)])
        ]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        fixed = LETTER_CELLS + 2 * _EDGE
        return fixed + self.text.get_optimal_width(rules, container_width - fixed)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return max(1, self.text.get_height(rules, max(width - LETTER_CELLS - 2 * _EDGE, 1)))


class ChoiceRow(Widget):
    """One option: its letter, and its (untrusted) text wrapping beside the letter.

    Its `state`: "" (open), "picked" (select-all in progress, or an exam answer), "correct"
    (a right option, once graded) or "wrong" (chosen, not right). Each state's look is a
    component class (`.choice-row--correct`, ...) that the row draws itself, read when it is
    drawn (so a theme change shows in it): as a CSS class on the row, each state change
    restyled the row through the whole stylesheet, ~0.7 ms a row on nearly every key.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "choice-row--picked",
        "choice-row--correct",
        "choice-row--wrong",
    }

    def __init__(self, index: int, text: str) -> None:
        super().__init__()
        self.index = index
        self.state = ""
        self.set_text(text)

    def render(self) -> OptionLines:
        """The option's letter after a mark: • picked, ✓ right, ✗ wrongly chosen (readable
        without colour), and its text."""
        letter = LETTERS[self.index].upper() if self.index < len(LETTERS) else " "
        mark = _MARKS[self.state]
        look = self.get_visual_style(f"choice-row--{self.state}") if self.state else None
        return OptionLines(Content.styled(f"{mark}{letter} ", "bold"), self._text, look)

    def set_text(self, text: str) -> None:
        self.state = ""
        self._text = markdown(text)
        self.refresh(layout=True)

    def _set_state(self, state: str) -> None:
        # Neither the letter's cell nor the text changes size: no layout pass.
        if state != self.state:
            self.state = state
            self.refresh()

    def pick(self, picked: bool) -> None:
        self._set_state("picked" if picked else "")

    def mark(self, correct: bool, chosen: bool) -> None:
        self._set_state("correct" if correct else "wrong" if chosen else "")

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
