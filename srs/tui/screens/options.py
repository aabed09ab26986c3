"""A deck's study settings, read and changed in the app: each value is checked exactly as
`srs config DECK KEY VALUE` checks it (`srs.collection.settings.set_setting`)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Input, Static

from srs.collection.settings import get_settings, set_setting
from srs.model.settings import SETTING_KEYS, SettingError, setting_texts
from srs.study.overview import deck_titles
from srs.textsafe import displayable
from srs.tui.base import SrsScreen
from srs.tui.safe import literal_text

__all__ = ["OptionsScreen"]

SHOWN_WIDTH = 30
"""A value longer than this (21 FSRS weights) is cut in the table; the editor holds all of it."""


class OptionsScreen(SrsScreen[None]):
    """Setting and value per row; enter edits the selected one, enter again saves it."""

    CSS_PATH = "options.tcss"

    BINDINGS = [
        Binding("escape", "back", "Back", id="options.back", tooltip="Stop editing, or leave"),
        Binding("question_mark", "app.toggle_keys", "Keys", id="options.keys"),
    ]

    def __init__(self, deck_id: str) -> None:
        super().__init__()
        self.deck_id = deck_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="settings", cursor_type="row", zebra_stripes=True)
        yield Static(id="setting-help")
        yield Input(id="setting-value", placeholder="the new value, or default")
        yield Static(id="setting-error")
        yield Footer()

    def on_mount(self) -> None:
        titles = deck_titles(self.app.store)
        self.title = f"Options · {displayable(titles.get(self.deck_id, self.deck_id))}"
        table = self.query_one(DataTable)
        table.add_column("Setting", key="setting")
        table.add_column("Value", key="value")
        with self.app.errors_as_notifications():
            for key, text in setting_texts(get_settings(self.app.store, self.deck_id)).items():
                table.add_row(literal_text(key), _shown(text), key=key)
        self._editing(False)
        table.focus()

    @property
    def selected(self) -> str:
        table = self.query_one(DataTable)
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        assert key is not None
        return key

    @on(DataTable.RowHighlighted)
    def _describe(self) -> None:
        self.query_one("#setting-help", Static).update(
            Content.assemble(
                (self.selected, "bold"),
                ": ",
                SETTING_KEYS[self.selected],
                ("\nenter: change it (type the value, or default; enter saves) · esc: back", "dim"),
            )
        )

    @on(DataTable.RowSelected)
    def _edit(self) -> None:
        with self.app.errors_as_notifications():
            text = setting_texts(get_settings(self.app.store, self.deck_id))[self.selected]
            editor = self.query_one(Input)
            editor.value = text
            self._editing(True)
            editor.focus()

    @on(Input.Submitted)
    def _save(self, event: Input.Submitted) -> None:
        key = self.selected
        error = self.query_one("#setting-error", Static)
        with self.app.errors_as_notifications():
            try:
                settings = set_setting(self.app.store, self.deck_id, key, event.value)
            except SettingError as exc:
                error.update(Content.styled(displayable(str(exc)), "bold $error"))
                error.display = True
                return
            text = setting_texts(settings)[key]
            self.query_one(DataTable).update_cell(key, "value", _shown(text))
            self.notify(displayable(f"{key} = {text}"), markup=False)
            self.action_back()

    def _editing(self, editing: bool) -> None:
        self.query_one(Input).display = editing
        self.query_one("#setting-error", Static).display = False

    def action_back(self) -> None:
        """Leave the editor (nothing saved), or the screen."""
        if self.query_one(Input).display:
            self._editing(False)
            self.query_one(DataTable).focus()
        else:
            self.dismiss()


def _shown(text: str) -> Text:
    return literal_text(text if len(text) <= SHOWN_WIDTH else text[: SHOWN_WIDTH - 1] + "…")
