"""The dashboard's table of decks: a row per deck with today's counts and the mock exam's pass
chance, the deck's title cut to leave the counts room at 80 columns."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.widgets import DataTable

from srs.exam.probability import Prediction
from srs.model.percent import chance_text
from srs.study.overview import DeckOverview
from srs.tui.safe import literal_text

__all__ = ["DeckTable"]

COLUMNS = (
    ("new", "\nNew"),
    ("learning", "\nLearning"),
    ("due", "Due\ntoday"),
    ("today", "Done\ntoday"),
    ("pass chance", "Pass\nchance"),
)
"""The count columns after the deck's title: key and two-line label (words a newcomer reads,
in few cells, so the title keeps the room at 80 columns)."""

OTHER_COLUMNS = sum(max(map(len, label.split("\n"))) + 2 for _, label in COLUMNS) + 2 + 6
"""Cells the table needs besides the title: each column's widest line and its padding, the
title's padding, the table's margins and a scrollbar."""


class DeckTable(DataTable[Text]):
    """One row per deck, keyed by its id: new, learning, due and done today, and the pass
    chance (dim while it is the last run's, bold once computed now)."""

    def __init__(self) -> None:
        super().__init__(id="decks", cursor_type="row", zebra_stripes=True, header_height=2)
        self.titles: dict[str, str] = {}
        """Each deck's whole title, by id (the table may show it cut)."""

    def on_mount(self) -> None:
        self.add_column(Text("\nDeck"), key="deck")
        for key, label in COLUMNS:
            self.add_column(Text(label, justify="right"), key=key)

    def show_decks(
        self,
        rows: list[DeckOverview],
        known: Mapping[str, Prediction | None],
        screen_width: int,
    ) -> None:
        """Fill the table anew, the cursor kept on the same row (or the last).

        Args:
            rows: the decks' counts, in the order shown.
            known: the pass chances last computed, shown dim until the worker delivers today's.
            screen_width: the screen's width: the titles get what the counts leave of it.
        """
        self.titles = {row.deck_id: row.title for row in rows}
        selected = self.cursor_row
        self.clear()
        # A title cut to fit keeps the counts on screen; the line below the table shows it whole.
        width = max(16, screen_width - OTHER_COLUMNS)
        for row in rows:
            title = row.title if len(row.title) <= width else row.title[: width - 1] + "…"
            chance = _chance_cell(known.get(row.deck_id), fresh=False)
            self.add_row(literal_text(title), *_counts(row), chance, key=row.deck_id)
        if rows:
            self.move_cursor(row=min(selected, len(rows) - 1))

    def show_chance(self, deck_id: str, prediction: Prediction | None) -> None:
        """Show the pass chance just computed for the deck's row."""
        self.update_cell(deck_id, "pass chance", _chance_cell(prediction))

    def selected_deck(self) -> tuple[str, str] | None:
        """The selected deck's id and whole title (None: no decks)."""
        if self.row_count == 0:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        assert key is not None
        return key, self.titles.get(key, key)


def _counts(row: DeckOverview) -> tuple[Text, ...]:
    def count(value: int, style: str) -> Text:
        return Text(str(value), style=style if value else "dim", justify="right")

    return (
        count(row.new_today, "bold blue"),
        count(row.learning, "bold red"),
        count(row.due_today, "bold green"),
        count(row.reviewed_today, ""),
    )


def _chance_cell(prediction: Prediction | None, *, fresh: bool = True) -> Text:
    """The pass chance cell: bold when just computed, dim when last run's (or "…" before
    the first); "—" for a deck without a mock exam."""
    if prediction is None:
        return Text("—" if fresh else "…", style="dim", justify="right")
    text = chance_text(prediction.pass_chance)
    return Text(text, style="bold" if fresh else "dim", justify="right")
