"""The four FSRS ratings with the interval each would give, shown before the learner picks."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import ClassVar, Literal

from fsrs import Rating
from textual.content import Content
from textual.events import Click, Leave, MouseMove
from textual.message import Message
from textual.widget import Widget

__all__ = ["Offer", "RatingBar"]

_NAMES = {Rating.Again: "Again", Rating.Hard: "Hard", Rating.Good: "Good", Rating.Easy: "Easy"}
_MIN_CELLS = 10
"""A rating's narrowest button, in cells."""
_GAP = 1
"""Cells between two buttons."""

Look = Literal["open", "suggested", "refused"]


@dataclass(frozen=True)
class Offer:
    """A rating as the bar shows it: its label (`1 Again 1m`; no interval when refused) and
    look: open, suggested (enter gives it), or refused (the verdict rules it out)."""

    rating: Rating
    label: str
    look: Look


class RatingBar(Widget):
    """`1 Again 1m · 2 Hard 6m · 3 Good 10m · 4 Easy 4d` as buttons, the suggested rating
    highlighted, the refused ones dimmed; a click on an open one rates with it.

    One widget draws the four buttons (their looks are its component classes): as four
    `Button` widgets, a verdict that opened or refused other ratings than the card before
    restyled each button through the whole stylesheet, ~3 ms of the keypress.

    Hidden (`visible = False`) rather than removed from the layout until there is a rating
    to give: its row stays reserved, so the card above keeps its size when the bar appears
    and only the parts that changed are laid out and repainted in the key's frame.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "rating-bar--open",
        "rating-bar--suggested",
        "rating-bar--refused",
        "rating-bar--hover",
    }

    @dataclass
    class Rated(Message):
        rating: Rating

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.offers: tuple[Offer, ...] = ()
        self._hover: Rating | None = None

    def show(
        self, intervals: Mapping[Rating, str], allowed: Collection[Rating], suggested: Rating
    ) -> None:
        offers = []
        for rating in Rating:
            look: Look = (
                "suggested" if rating == suggested else "open" if rating in allowed else "refused"
            )
            interval = "" if look == "refused" else f" {intervals[rating]}"
            offers.append(Offer(rating, f"{int(rating)} {_NAMES[rating]}{interval}", look))
        self.offers = tuple(offers)
        self.visible = True
        self.refresh()

    def _places(self) -> list[tuple[int, int, Offer]]:
        """Each button's first and last-plus-one cell, the row centred in the bar."""
        widths = [max(_MIN_CELLS, len(offer.label) + 4) for offer in self.offers]
        total = sum(widths) + _GAP * (len(widths) - 1)
        start = max(0, (self.size.width - total) // 2)
        places = []
        for offer, width in zip(self.offers, widths, strict=True):
            places.append((start, start + width, offer))
            start += width + _GAP
        return places

    def render(self) -> Content:
        parts: list[Content | str] = []
        drawn = 0
        for start, end, offer in self._places():
            hover = ("rating-bar--hover",) if offer.rating == self._hover else ()
            look = self.get_visual_style(f"rating-bar--{offer.look}", *hover)
            parts += [" " * (start - drawn), Content.styled(offer.label.center(end - start), look)]
            drawn = end
        return Content.assemble(*parts)

    def _open_at(self, x: int) -> Rating | None:
        """The open rating whose button is at cell `x`, if any."""
        for start, end, offer in self._places():
            if start <= x < end and offer.look != "refused":
                return offer.rating
        return None

    def on_click(self, event: Click) -> None:
        event.stop()
        rating = self._open_at(event.x)
        if rating is not None:
            self.post_message(self.Rated(rating))

    def on_mouse_move(self, event: MouseMove) -> None:
        self._set_hover(self._open_at(event.x))

    def on_leave(self, event: Leave) -> None:
        self._set_hover(None)

    def _set_hover(self, rating: Rating | None) -> None:
        if rating != self._hover:
            self._hover = rating
            self.refresh()
