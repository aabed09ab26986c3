"""The card browser: every card of a deck with its memory (the columns of `srs cards`), sorted
by any column, searched by text, topic or tag; a card opens with its whole history.

The table holds a page of cards at a time and reads the next page as the cursor nears its end:
a 100,000-card deck opens as fast as a small one (sorting and searching run in SQL).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Input, Static

from srs.study.answers import forget_card, suspend_card, unsuspend_card
from srs.study.browse import (
    HEADINGS,
    PAGE_SIZE,
    SORT_COLUMNS,
    CardRow,
    Search,
    browse_page,
    card_details,
)
from srs.textsafe import displayable
from srs.tui.base import SrsScreen
from srs.tui.safe import literal, literal_text

__all__ = ["BrowserScreen"]

NUMBERS = frozenset(SORT_COLUMNS[HEADINGS.index("stability") :])
"""The columns of numbers, right-aligned."""

AHEAD = 20
"""The next page is read when the cursor comes this close to the last row read."""

WIDTHS = {
    "topic": 14,
    "state": 14,
    "due": 16,
    "last_review": 16,
    "stability": 11,
    "difficulty": 12,
    "retrievability": 4,
    "reviews": 9,
    "lapses": 8,
}
"""The width of each column but the id (a sorted column's heading has 2 more characters)."""

KEPT_FIRST = (
    "state",
    "due",
    "retrievability",
    "topic",
    "reviews",
    "lapses",
    "stability",
    "difficulty",
    "last_review",
)
"""The columns a narrow terminal keeps, most wanted first (the card's own screen has them all)."""

ID_WIDTH = 16
"""The id column's least width; it takes whatever the other columns leave."""

CELL_PADDING = 1
"""Blank cells on each side of a column (DataTable's default)."""


def fit_columns(width: int) -> dict[str, int]:
    """The columns shown in a table `width` cells wide, and their widths, in table order.

    Columns are kept in `KEPT_FIRST` order while they fit beside the id column, which takes
    the rest, so the table never scrolls sideways; a cell too long ends in an ellipsis.
    """
    padding = 2 * CELL_PADDING
    room = width - ID_WIDTH - padding
    kept = set()
    for column in KEPT_FIRST:
        if WIDTHS[column] + padding > room:
            break
        room -= WIDTHS[column] + padding
        kept.add(column)
    widths = {"id": max(1, ID_WIDTH + room)} | {column: WIDTHS[column] for column in kept}
    return {column: widths[column] for column in SORT_COLUMNS if column in widths}


class BrowserScreen(SrsScreen[None]):
    """The deck's cards in a table; a line above says how many, in what order, for what
    search."""

    CSS_PATH = "browser.tcss"

    BINDINGS = [
        Binding(
            "enter",
            "open",
            "Open",
            id="browser.open",
            priority=True,
            tooltip="The selected card: its text, memory and every answer",
        ),
        Binding(
            "slash",
            "search",
            "Search",
            id="browser.search",
            tooltip='Words, topic:NAME, tag:NAME ("quotes" around spaces); enter runs it',
        ),
        Binding(
            "o",
            "sort",
            "Sort",
            id="browser.sort",
            tooltip="Sort by the next column (or click a column's heading)",
        ),
        Binding(
            "r",
            "reverse",
            "Reverse",
            id="browser.reverse",
            show=False,
            tooltip="Reverse the order (or click the sorted column's heading)",
        ),
        Binding(
            "at",
            "suspend",
            "Suspend",
            id="browser.suspend",
            tooltip="Suspend the selected card, or unsuspend it",
        ),
        Binding(
            "f",
            "forget",
            "Forget",
            id="browser.forget",
            tooltip="Make the selected card new again (asks first; its history is kept)",
        ),
        Binding("question_mark", "app.toggle_keys", "Keys", id="browser.keys"),
        Binding(
            "escape",
            "back",
            "Back",
            id="browser.back",
            tooltip="Close the search, or go back to the dashboard",
        ),
    ]

    def __init__(self, deck_id: str, title: str) -> None:
        super().__init__()
        self.deck_id = deck_id
        self.deck_title = title
        self.sort: str | None = None
        """The column sorted by (None: the deck file's order)."""
        self.reverse = False
        self.search = Search()
        self.search_text = ""
        self.total = 0
        """Cards matching the search, in all pages."""
        self.rows: dict[str, CardRow] = {}
        """The rows read so far, by table row key (the card's id), in order."""
        self.widths: dict[str, int] = {}
        """The columns shown and their widths, fitted to the table's width."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="browser-status")
        yield Input(id="browser-search", placeholder="words, topic:NAME, tag:NAME; enter searches")
        yield DataTable(
            id="cards", cursor_type="row", zebra_stripes=True, cell_padding=CELL_PADDING
        )
        yield Static(id="browser-empty")
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"Cards · {displayable(self.deck_title)}"
        self.query_one(Input).display = False
        self._reload()
        self.query_one(DataTable).focus()

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#cards", DataTable)

    # --- reading pages ----------------------------------------------------------------------

    def _reload(self) -> None:
        """The first page again (a new order or search), the cursor on the first card."""
        self.rows = {}
        self._add_columns()
        self._read_page()
        self._show_status()

    def _add_columns(self) -> None:
        """The table emptied, with the columns that fit its width."""
        table = self.table
        table.clear(columns=True)
        self.widths = fit_columns(table.scrollable_content_region.width)
        for column, width in self.widths.items():
            table.add_column(self._heading(column), width=width, key=column)

    def on_resize(self) -> None:
        # The table's new width is known once the screen is laid out again.
        self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        """The columns fitted again to a new width, the rows read kept, the cursor in place."""
        table = self.table
        if fit_columns(table.scrollable_content_region.width) == self.widths:
            return
        cursor = table.cursor_row
        self._add_columns()
        for key, row in self.rows.items():
            table.add_row(*self._cells(row), key=key)
        table.move_cursor(row=cursor, animate=False)

    def _heading(self, column: str) -> Text:
        heading = HEADINGS[SORT_COLUMNS.index(column)]
        arrow = (" ↓" if self.reverse else " ↑") if column == self.sort else ""
        return Text(
            heading + arrow,
            style="bold" if arrow else "",
            justify="right" if column in NUMBERS else "left",
            overflow="ellipsis",
        )

    def _read_page(self) -> None:
        with self.app.errors_as_notifications():
            page = browse_page(
                self.app.store,
                self.deck_id,
                sort=self.sort,
                reverse=self.reverse,
                search=self.search,
                offset=len(self.rows),
                limit=PAGE_SIZE,
            )
            self.total = page.total
            for row in page.rows:
                key = str(row.card_id)
                self.rows[key] = row
                self.table.add_row(*self._cells(row), key=key)

    def _cells(self, row: CardRow) -> list[Text]:
        """The row's cells in the columns shown; deck text literal, numbers to the right."""
        cells = dict(zip(SORT_COLUMNS, row.cells(self.app.store.clock.zone), strict=True))
        shown = []
        for column in self.widths:
            if column in NUMBERS:
                cell = Text(cells[column], justify="right")
            else:
                cell = literal_text(cells[column])
            cell.overflow = "ellipsis"
            shown.append(cell)
        return shown

    @on(DataTable.RowHighlighted)
    def _near_the_end(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= len(self.rows) - AHEAD and len(self.rows) < self.total:
            self._read_page()
            self._show_status()

    def _show_status(self) -> None:
        shown = len(self.rows)
        parts: list[Content | str | tuple[str, str]] = [
            (f"{self.total:,}", "bold"),
            f" card{'s' * (self.total != 1)}",
        ]
        if shown < self.total:
            parts += [(f"  ({shown:,} read; more as you scroll)", "dim")]
        order = "file order" if self.sort is None else HEADINGS[SORT_COLUMNS.index(self.sort)]
        direction = ", reversed" if self.reverse else ""
        parts += [("   sorted by ", "dim"), (order + direction, "bold")]
        if self.search_text:
            parts += [("   search ", "dim"), literal(self.search_text, "bold $accent")]
        self.query_one("#browser-status", Static).update(Content.assemble(*parts))
        empty = self.query_one("#browser-empty", Static)
        empty.display = self.total == 0
        empty.update("No card matches this search." if self.search_text else "No cards.")

    # --- order and search -------------------------------------------------------------------

    def action_sort(self) -> None:
        """The next column, after the last the deck file's order again."""
        order: list[str | None] = [None, *SORT_COLUMNS]
        self.sort = order[(order.index(self.sort) + 1) % len(order)]
        self.reverse = False
        self._reload()

    def action_reverse(self) -> None:
        self.reverse = not self.reverse
        self._reload()

    @on(DataTable.HeaderSelected)
    def _sort_by_heading(self, event: DataTable.HeaderSelected) -> None:
        """A click on the sorted column's heading reverses the order; on another, sorts by it."""
        column = str(event.column_key.value)
        self.reverse = not self.reverse if column == self.sort else False
        self.sort = column
        self._reload()

    def action_search(self) -> None:
        editor = self.query_one(Input)
        editor.value = self.search_text
        editor.display = True
        editor.focus()

    def _run_search(self, text: str) -> None:
        self.search_text = text.strip()
        self.search = Search.parse(self.search_text)
        self._close_search()
        self._reload()

    def _close_search(self) -> None:
        self.query_one(Input).display = False
        self.table.focus()

    def action_back(self) -> None:
        """Close the search editor (the search shown stays), or leave."""
        if self.query_one(Input).display:
            self._close_search()
        else:
            self.dismiss()

    # --- the selected card ------------------------------------------------------------------

    def _selected(self) -> CardRow | None:
        table = self.table
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return None if key is None else self.rows[key]

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        """Open the selected card; in the search editor, run the search (this binding sees
        enter before the editor does, so that the footer can show it)."""
        editor = self.query_one(Input)
        if editor.has_focus:
            self._run_search(editor.value)
            return
        row = self._selected()
        if row is not None:
            self.app.open_card(row.card_id, lambda: self._show_again(row.card_id))

    def action_suspend(self) -> None:
        row = self._selected()
        if row is None:
            return
        with self.app.errors_as_notifications():
            (unsuspend_card if row.suspended else suspend_card)(self.app.store, row.card_id)
            self._show_again(row.card_id)

    def action_forget(self) -> None:
        row = self._selected()
        if row is None:
            return

        def answered(yes: bool) -> None:
            if yes:
                with self.app.errors_as_notifications():
                    forget_card(self.app.store, row.card_id)
                    self._show_again(row.card_id)

        self.app.confirm_forget(row.key, answered)

    def _show_again(self, card_id: int) -> None:
        """Read the card again after a change, in its place (the order is not re-applied, so
        the cursor stays on it, as in Anki's browser)."""
        key = str(card_id)
        if key not in self.rows:
            return
        with self.app.errors_as_notifications():
            row = card_details(self.app.store, card_id).row
            self.rows[key] = row
            for column, cell in zip(self.widths, self._cells(row), strict=True):
                self.table.update_cell(key, column, cell)
