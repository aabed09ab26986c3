"""The four FSRS ratings with the interval each would give, shown before the learner picks."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from fsrs import Rating
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button

__all__ = ["RatingBar"]

_NAMES = {Rating.Again: "Again", Rating.Hard: "Hard", Rating.Good: "Good", Rating.Easy: "Easy"}


class RatingBar(Horizontal):
    """`1 Again 1m · 2 Hard 6m · 3 Good 10m · 4 Easy 4d`, the suggested rating highlighted.

    Hidden (`visible = False`) rather than removed from the layout until there is a rating
    to give: its row stays reserved, so the card above keeps its size when the bar appears
    and only the parts that changed are laid out and repainted in the key's frame.
    """

    @dataclass
    class Rated(Message):
        rating: Rating

    def compose(self) -> ComposeResult:
        for rating in Rating:
            button = Button("", id=f"rate-{int(rating)}", compact=True)
            button.can_focus = False
            yield button

    def show(
        self, intervals: Mapping[Rating, str], allowed: Collection[Rating], suggested: Rating
    ) -> None:
        for rating in Rating:
            button = self.query_one(f"#rate-{int(rating)}", Button)
            enabled = rating in allowed
            interval = f" {intervals[rating]}" if enabled else ""
            button.label = f" {int(rating)} {_NAMES[rating]}{interval} "
            button.disabled = not enabled
            button.set_class(rating == suggested, "-suggested")
        self.visible = True

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        assert event.button.id is not None
        self.post_message(self.Rated(Rating(int(event.button.id.removeprefix("rate-")))))
