"""Helpers for the TUI tests: what the screen shows, what the collection holds, stable snapshots.

The app always runs on a real collection in tmp_path (`make_store`) with the `FakeClock` of the
top-level conftest; nothing here stands in for the database.
"""

from __future__ import annotations

import io
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any, TypeVar

import pytest
from rich.console import Console
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Static

import srs.study.session
import srs.tui.screens.review
from srs.collection.store import Store
from srs.tui.screens.review import ReviewScreen
from srs.tui.widgets.choices import LETTERS, ChoiceRow

SIZE = (100, 32)
"""The terminal size every behaviour test runs at."""

MakeStore = Callable[..., Store]
"""The top-level `make_store` fixture: `make_store(*deck_yaml_bytes, clock=clock)`."""


ScreenT = TypeVar("ScreenT", bound=Screen[Any])


def on(app: App[Any], kind: type[ScreenT]) -> ScreenT:
    """The current screen, which must be a `kind`."""
    screen = app.screen
    assert isinstance(screen, kind), f"expected {kind.__name__}, not {screen!r}"
    return screen


def screen_text(app: App[Any]) -> str:
    """The current screen as plain text, one line per terminal row.

    It is what `App.export_screenshot()` draws (the same compositor output), without the SVG:
    characters only, so a test can look for the text a person would read.
    """
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text(styles=False)


def shown(app: App[Any], selector: str) -> str:
    """The text one Static of the current screen displays ('' when it takes no room)."""
    widget = app.screen.query_one(selector, Static)
    return str(widget.visual) if widget.display else ""


def option_text(row: Widget) -> str:
    """The text an option row shows beside its letter."""
    assert isinstance(row, ChoiceRow)
    return str(row.render())


COUNT_COLUMNS = ("deck", "new", "learning", "due", "today")
"""The dashboard columns these tests read (other columns, such as the exam's, are left out)."""


def table_rows(app: App[Any]) -> list[tuple[str, ...]]:
    """The dashboard's deck table as a person reads it: Deck, New, Learning, Due, Today."""
    table = app.screen.query_one("#decks", DataTable)
    return [
        tuple(str(table.get_cell(row_key, column)) for column in COUNT_COLUMNS)
        for row_key in table.rows
    ]


def notifications(app: App[Any]) -> list[str]:
    """The text of every notification the app has shown, oldest first."""
    return [n.message for n in app._notifications]


def collapse(text: str) -> str:
    """Whitespace runs (wrapping, padding) as one space, to search text that may wrap."""
    return " ".join(text.split())


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Press keys and let every handler (mounting the next card included) finish."""
    await pilot.press(*keys)
    await pilot.pause()


async def settle(pilot: Pilot[Any]) -> None:
    """Let background work finish (the dashboard's pass chances) and its results show."""
    await pilot.pause()  # the dashboard starts its workers once its counts are drawn
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def review(app: App[Any]) -> ReviewScreen:
    """The current screen, which must be the review screen."""
    screen = app.screen
    assert isinstance(screen, ReviewScreen), f"expected the review screen, not {screen!r}"
    return screen


def letter(screen: ReviewScreen, *, correct: bool, text: str | None = None) -> str:
    """The key of the first option on screen that is right (or wrong), optionally by text.

    Options are shuffled on each showing; the screen's `options` say where each one landed.
    """
    for index, option in enumerate(screen.options):
        if option.is_correct == correct and (text is None or option.text == text):
            return LETTERS[index]
    raise AssertionError(f"no {'right' if correct else 'wrong'} option {text!r} on screen")


def db_rows(store: Store, sql: str, *params: object) -> list[tuple[Any, ...]]:
    """Rows read through a separate read-only connection: what the collection file holds."""
    conn = sqlite3.connect(f"file:{store.path}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def card_id(store: Store, key: str) -> int:
    """The collection's id of the card with this id in its deck file."""
    ((found,),) = db_rows(store, "SELECT id FROM cards WHERE key = ?", key)
    return int(found)


@pytest.fixture
def utc_local_time() -> Iterator[None]:
    """The process's local time zone is UTC, as the FakeClock's (the summary shows local time)."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    try:
        yield
    finally:
        if saved is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = saved
        time.tzset()


@pytest.fixture
def seeded_shuffle(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every study session the app builds shuffles options with `random.Random(1)`.

    The app builds `StudySession(store, decks)` without an rng; the session module's
    `random` is replaced by a namespace whose `Random()` is seeded.
    """
    monkeypatch.setattr(
        srs.study.session, "random", SimpleNamespace(Random=lambda: random.Random(1))
    )


@pytest.fixture
def frozen_elapsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The review screen's elapsed-time clock (and answer durations) stand still."""
    monkeypatch.setattr(srs.tui.screens.review, "time", SimpleNamespace(monotonic=lambda: 1000.0))
