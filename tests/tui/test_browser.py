"""The card browser in the app: `b` on the dashboard, sorting, search, a card with its history,
suspend, unsuspend and forget; deck text shown literally."""

from __future__ import annotations

import json

import pytest
from conftest import FakeClock, deck_yaml
from fsrs import Rating
from textual.widgets import DataTable

from srs.collection.store import Store
from srs.study.answers import record_answer
from srs.tui.app import SrsApp
from srs.tui.screens.browser import BrowserScreen
from srs.tui.screens.card_detail import CardDetailScreen
from srs.tui.screens.confirm import ConfirmScreen
from srs.tui.screens.dashboard import DashboardScreen

from .conftest import SIZE, MakeStore, card_id, collapse, db_rows, on, press, screen_text, shown

DECK = b"""deck: aws
title: AWS basics
cards:
  - {id: s3, question: What is S3?, answer: Object storage, topic: Storage, tags: [core]}
  - {id: ec2, question: What is EC2?, answer: Virtual machines, topic: Compute}
  - {id: glacier, question: Cold storage?, answer: Glacier, topic: Storage}
"""


def keys_shown(app: SrsApp) -> list[str]:
    """The id column of the browser's table, top to bottom."""
    table = app.screen.query_one("#cards", DataTable)
    return [str(table.get_cell(row, "id")) for row in table.rows]


def heading_x(app: SrsApp, column: str) -> int:
    """Where a column's heading is, from the table's left edge."""
    table = app.screen.query_one("#cards", DataTable)
    x = 0
    for key, spec in table.columns.items():
        if key.value == column:
            return x + 1
        x += spec.get_render_width(table)
    raise AssertionError(f"no column {column}")


def state_shown(app: SrsApp, key: str) -> str:
    table = app.screen.query_one("#cards", DataTable)
    row = next(row for row in table.rows if str(table.get_cell(row, "id")) == key)
    return str(table.get_cell(row, "state"))


def answered(store: Store, clock: FakeClock) -> Store:
    """`s3` answered twice (study, then custom study), `ec2` once."""
    record_answer(store, card_id(store, "s3"), Rating.Good, duration_ms=4000)
    clock.advance(minutes=10)
    record_answer(store, card_id(store, "s3"), Rating.Good, duration_ms=3000, source="custom")
    record_answer(store, card_id(store, "ec2"), Rating.Again, duration_ms=9000)
    return store


async def test_b_lists_the_selected_decks_cards_and_escape_goes_back(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = answered(make_store(deck_yaml("demo", free=1), DECK, clock=clock), clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "b")  # the first deck: aws
        screen = on(app, BrowserScreen)

        assert screen.title == "Cards · AWS basics"
        assert keys_shown(app) == ["s3", "ec2", "glacier"]
        assert state_shown(app, "s3") == "review"
        assert shown(app, "#browser-status") == "3 cards   sorted by file order"
        footer = screen_text(app).splitlines()[-1]
        for key in ("⏎ Open", "/ Search", "o Sort", "@ Suspend", "f Forget", "esc Back"):
            assert key in footer
        await press(pilot, "escape")
        on(app, DashboardScreen)


@pytest.mark.parametrize("size", [(80, 24), (100, 32)], ids=["80x24", "100x32"])
async def test_the_table_fits_the_terminal_and_cuts_a_long_id_with_an_ellipsis(
    make_store: MakeStore, clock: FakeClock, size: tuple[int, int]
) -> None:
    long_id = "a-card-id-far-too-long-for-a-narrow-terminal"
    deck = DECK + f"  - {{id: {long_id}, question: Long?, answer: Yes}}\n".encode()
    app = SrsApp(answered(make_store(deck, clock=clock), clock))
    async with app.run_test(size=size) as pilot:
        await press(pilot, "b")
        table = app.screen.query_one("#cards", DataTable)
        lines = screen_text(app).splitlines()

        assert table.max_scroll_x == 0
        wider = ["reviews"] if size[0] > 80 else []
        assert lines[2].split() == ["id", "topic", "state", "due", "R", *wider]
        s3 = next(line for line in lines if " s3 " in line).split()
        assert s3[1:3] == ["Storage", "review"] and s3[3].startswith("2025-01-")  # due
        long_row = next(line for line in lines if "a-card-id" in line).split()
        assert long_row[0].endswith("…") and long_id.startswith(long_row[0][:-1])


async def test_a_narrower_terminal_refits_the_columns_keeping_the_cursor(
    make_store: MakeStore, clock: FakeClock
) -> None:
    app = SrsApp(answered(make_store(DECK, clock=clock), clock))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "b", "down")

        await pilot.resize_terminal(80, 24)
        await pilot.pause()

        table = app.screen.query_one("#cards", DataTable)
        assert table.max_scroll_x == 0
        assert screen_text(app).splitlines()[2].split() == ["id", "topic", "state", "due", "R"]
        assert table.cursor_row == 1 and keys_shown(app) == ["s3", "ec2", "glacier"]


async def test_sorting_by_key_or_heading_and_reversing(
    make_store: MakeStore, clock: FakeClock
) -> None:
    app = SrsApp(answered(make_store(DECK, clock=clock), clock))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "b", "o")  # by id
        assert keys_shown(app) == ["ec2", "glacier", "s3"]
        await press(pilot, "r")
        assert keys_shown(app) == ["s3", "glacier", "ec2"]
        assert shown(app, "#browser-status") == "3 cards   sorted by id, reversed"

        await pilot.click("#cards", offset=(heading_x(app, "retrievability"), 0))
        await pilot.pause()
        assert shown(app, "#browser-status") == "3 cards   sorted by R"
        assert keys_shown(app)[-1] == "glacier"  # never answered: no chance, last
        await pilot.click("#cards", offset=(heading_x(app, "retrievability"), 0))
        await pilot.pause()
        assert shown(app, "#browser-status") == "3 cards   sorted by R, reversed"


async def test_slash_searches_text_topic_and_tag(make_store: MakeStore, clock: FakeClock) -> None:
    app = SrsApp(make_store(DECK, clock=clock))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "b", "slash", *"topic:storage", "enter")
        assert keys_shown(app) == ["s3", "glacier"]
        assert shown(app, "#browser-status").endswith("search topic:storage")

        await press(pilot, "slash", "ctrl+a", "ctrl+k", *"tag:core", "enter")
        assert keys_shown(app) == ["s3"]
        await press(pilot, "slash", "ctrl+a", "ctrl+k", *"virtual", "enter")
        assert keys_shown(app) == ["ec2"]
        await press(pilot, "slash", "ctrl+a", "ctrl+k", *"nothing", "enter")
        assert keys_shown(app) == []
        assert shown(app, "#browser-empty") == "No card matches this search."
        await press(pilot, "slash", "escape")  # closes the editor, not the screen
        on(app, BrowserScreen)


async def test_enter_opens_a_card_with_its_memory_and_whole_history(
    make_store: MakeStore, clock: FakeClock
) -> None:
    app = SrsApp(answered(make_store(DECK, clock=clock), clock))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "b", "enter")
        screen = on(app, CardDetailScreen)

        assert screen.title == "Card · s3"
        text = collapse(shown(app, "#card-text"))
        assert text.startswith("What is S3? Answer • Object storage")
        assert "Topic Storage Tags core Deck aws" in text
        memory = collapse(shown(app, "#card-memory"))
        assert "State review" in memory and "Reviews 2" in memory and "Chance now" in memory
        table = app.screen.query_one("#card-history", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]
        assert [(r[1], r[2], r[4], r[5]) for r in rows] == [
            ("Good", "10m", "4s", "study"),
            ("Good", rows[1][2], "3s", "custom"),
        ]
        assert rows[0][0] == "2025-01-06 12:00"
        await press(pilot, "escape")
        on(app, BrowserScreen)


async def test_suspend_and_unsuspend_from_the_table_and_from_the_card(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(DECK, clock=clock)
    app = SrsApp(store)
    suspended = "SELECT suspended FROM cards WHERE key = 's3'"
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "b", "at")
        assert db_rows(store, suspended) == [(1,)]
        assert state_shown(app, "s3") == "new, suspended"

        await press(pilot, "enter", "at")  # on the card's screen: unsuspend
        assert db_rows(store, suspended) == [(0,)]
        assert "State new" in collapse(shown(app, "#card-memory"))
        await press(pilot, "escape")
        assert state_shown(app, "s3") == "new"  # the table shows the change


async def test_forget_asks_first_then_makes_the_card_new_keeping_its_history(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = answered(make_store(DECK, clock=clock), clock)
    app = SrsApp(store)
    memory = "SELECT m.state FROM memory m JOIN cards c ON c.id = m.card_id WHERE c.key = 's3'"
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "b", "f")
        on(app, ConfirmScreen)
        assert "Forget s3?" in screen_text(app)
        await press(pilot, "n")
        assert db_rows(store, memory) == [(2,)]

        await press(pilot, "enter", "f", "y")  # from the card's screen
        assert db_rows(store, memory) == [(0,)]
        assert "State new" in collapse(shown(app, "#card-memory"))
        assert app.screen.query_one("#card-history", DataTable).row_count == 2
        await press(pilot, "escape")
        assert state_shown(app, "s3") == "new"


async def test_a_large_deck_is_read_a_page_at_a_time(
    make_store: MakeStore, clock: FakeClock
) -> None:
    app = SrsApp(make_store(deck_yaml(free=250), clock=clock))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "b")
        table = app.screen.query_one("#cards", DataTable)
        assert table.row_count == 100
        assert shown(app, "#browser-status").startswith("250 cards  (100 read; more as you")

        await press(pilot, "ctrl+end")
        await press(pilot, "ctrl+end")
        assert table.row_count == 250
        assert keys_shown(app)[-1] == "free-249"


MARKUP = "[bold]x[/bold] [@click=app.quit]quit[/]"
ESCAPE = "\x1b]0;owned\x07"
"""A terminal title change: the deck format refuses it, a collection written before that rule
(or by another tool) may hold it."""


def evil_store(make_store: MakeStore, clock: FakeClock) -> Store:
    q = json.dumps(MARKUP)
    deck = f"""deck: evil
title: {q}
cards:
  - {{id: card, topic: {q}, tags: [{q}], question: {json.dumps("Q " + MARKUP)}, answer: A}}
"""
    store = make_store(deck.encode(), clock=clock)
    with store.write():
        store.conn.execute(
            "UPDATE cards SET topic = topic || ?, question = question || ?, answers = ?",
            (ESCAPE, ESCAPE, json.dumps([f"A {MARKUP}{ESCAPE}"])),
        )
    return store


async def test_deck_text_shows_literally_in_the_table_and_on_the_card(
    make_store: MakeStore, clock: FakeClock
) -> None:
    app = SrsApp(evil_store(make_store, clock))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "b")
        topic = str(app.screen.query_one("#cards", DataTable).get_cell_at((0, 1)))
        assert topic == f"{MARKUP}␛]0;owned␇"
        assert " [bold]x[/bold… " in screen_text(app).splitlines()[3]  # cut to the column
        assert f"Cards · {MARKUP}" in screen_text(app).splitlines()[0]
        await pilot.click("#cards", offset=(40, 1))  # on the text: nothing runs
        await press(pilot, "enter")
        on(app, CardDetailScreen)

        text = shown(app, "#card-text")
        for line in ("Q ", " • A ", "Topic "):
            assert f"{line}{MARKUP}␛]0;owned␇" in text
        assert "\x1b" not in screen_text(app)
        await pilot.click("#card-text", offset=(10, 1))
        on(app, CardDetailScreen)  # still running, still here
