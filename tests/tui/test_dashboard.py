"""The dashboard: each deck's counts, and the ways into a study session."""

from __future__ import annotations

import re

import pytest
from conftest import FakeClock, deck_yaml
from fsrs import Rating
from helpers import BUNDLED_DECK
from textual.widgets import DataTable

from srs.collection.store import Store
from srs.study.answers import record_answer
from srs.tui.app import SrsApp
from srs.tui.read_ahead import read_ahead
from srs.tui.screens.custom_study import CustomStudyScreen
from srs.tui.screens.dashboard import DashboardScreen

from .conftest import (
    COUNT_COLUMNS,
    SIZE,
    MakeStore,
    card_id,
    collapse,
    letter,
    press,
    review,
    screen_text,
    settle,
    shown,
    table_rows,
)


def history(make_store: MakeStore, clock: FakeClock) -> Store:
    """Deck alpha with a card behind each count; deck beta never studied.

    alpha: free-0 answered Easy 30 days ago (a review card due today), free-1 answered Again
    just now (learning, due in a minute), free-2 new.
    """
    store = make_store(
        deck_yaml("alpha", free=3, title="Alpha deck"),
        deck_yaml("beta", choice=2, title="Beta deck"),
        clock=clock,
    )
    clock.advance(days=-30)
    record_answer(store, card_id(store, "free-0"), Rating.Easy, duration_ms=1000)
    clock.advance(days=30)
    record_answer(store, card_id(store, "free-1"), Rating.Again, duration_ms=1000)
    return store


async def test_counts_the_start_could_not_read_ahead_are_read_by_the_dashboard(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = history(make_store, clock)
    # The read ahead opens a connection of its own; with the file gone it cannot, while the
    # app's open connection still reads it.
    store.path.unlink()
    ahead = read_ahead(store)
    app = SrsApp(store, ahead=ahead)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert ahead.counts.exception() is not None
        assert ahead.fresh_counts(store) is None
        assert table_rows(app) == [
            ("Alpha deck", "1", "1", "2", "1"),
            ("Beta deck", "2", "0", "0", "0"),
        ]


async def test_dashboard_lists_each_decks_counts(make_store: MakeStore, clock: FakeClock) -> None:
    app = SrsApp(history(make_store, clock))
    async with app.run_test(size=SIZE):
        table = app.screen.query_one("#decks", DataTable)
        # Two-line labels, read as words.
        labels = {key.value: " ".join(str(c.label).split()) for key, c in table.columns.items()}
        assert [labels[key] for key in COUNT_COLUMNS] == [
            "Deck",
            "New",
            "Learning",
            "Due today",
            "Done today",
        ]
        assert table_rows(app) == [
            ("Alpha deck", "1", "1", "2", "1"),
            ("Beta deck", "2", "0", "0", "0"),
        ]
        assert "Streak 1 day   Reviewed today 1   To study today 5" in screen_text(app)


async def test_empty_collection_says_how_to_import(make_store: MakeStore, clock: FakeClock) -> None:
    app = SrsApp(make_store(clock=clock))
    async with app.run_test(size=SIZE) as pilot:
        assert table_rows(app) == []
        assert shown(app, "#empty") == (
            "No decks yet. Import one from a terminal:  srs import DECK.yaml"
        )
        await press(pilot, "enter")
        assert isinstance(app.screen, DashboardScreen)


async def test_enter_studies_the_selected_deck_only(
    make_store: MakeStore, clock: FakeClock
) -> None:
    app = SrsApp(history(make_store, clock))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "down", "enter")
        screen = review(app)
        assert screen.title == "Beta deck"
        assert "Beta deck" in screen_text(app).splitlines()[0]
        assert shown(app, "#status").startswith("New 2  Learning 0  Review 0")
        assert shown(app, "#question") == "Choice question 0?"


async def test_a_studies_every_deck(make_store: MakeStore, clock: FakeClock) -> None:
    app = SrsApp(history(make_store, clock))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "a")
        assert review(app).title == "All decks"
        assert shown(app, "#status").startswith("New 3  Learning 1  Review 1")
        # The review card due today comes first (the learning card is due in a minute).
        assert shown(app, "#question") == "Free question 0?"


async def test_counts_are_updated_on_return_from_a_session(
    make_store: MakeStore, clock: FakeClock
) -> None:
    app = SrsApp(history(make_store, clock))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "down", "enter")
        await press(pilot, letter(review(app), correct=True), "enter")  # Good: due in 10m
        await press(pilot, "escape", "escape")  # the session's summary, then the dashboard
        assert isinstance(app.screen, DashboardScreen)
        assert table_rows(app)[1] == ("Beta deck", "1", "1", "1", "1")
        assert "Reviewed today 2" in screen_text(app)


async def test_r_rereads_the_counts_on_a_new_day(make_store: MakeStore, clock: FakeClock) -> None:
    app = SrsApp(history(make_store, clock))
    async with app.run_test(size=SIZE) as pilot:
        clock.advance(days=1)
        await press(pilot, "r")
        assert table_rows(app)[0] == ("Alpha deck", "1", "1", "2", "0")
        assert "Streak 1 day   Reviewed today 0" in screen_text(app)


def studied_out(make_store: MakeStore, clock: FakeClock) -> Store:
    """Deck demo with its one card answered Easy just now: nothing left to study today."""
    store = make_store(deck_yaml("demo", free=1, title="Demo deck"), clock=clock)
    record_answer(store, card_id(store, "free-0"), Rating.Easy, duration_ms=1000)
    return store


@pytest.mark.usefixtures("utc_local_time")
async def test_enter_on_a_deck_with_nothing_due_says_when_the_next_card_is_and_offers_more(
    make_store: MakeStore, clock: FakeClock
) -> None:
    app = SrsApp(studied_out(make_store, clock))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "enter")

        assert isinstance(app.screen, CustomStudyScreen)
        # A review card is ready when its study day starts (04:00 local time).
        assert re.fullmatch(
            r"Nothing to study now; next card: \w{3} \d\d \w{3} at 04:00\.",
            shown(app, "#custom-note"),
        )
        assert "Extra new cards today: ‹ 10 ›  0 cards" in screen_text(app)
        await press(pilot, "escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_review_from_the_command_line_with_nothing_due_offers_custom_study(
    make_store: MakeStore, clock: FakeClock
) -> None:
    """`srs review` opens the same way as enter on the dashboard."""
    app = SrsApp(studied_out(make_store, clock), review=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        assert isinstance(app.screen, CustomStudyScreen)
        assert shown(app, "#custom-note").startswith("Nothing to study now")


# --- at 80 columns; the keys of the screen ----------------------------------------------------


async def test_at_80_columns_the_seed_decks_title_and_every_column_label_show_whole(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(BUNDLED_DECK.read_bytes(), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = screen_text(app).splitlines()

        header = next(n for n, line in enumerate(lines) if "Deck" in line)
        assert lines[header - 1].split() == ["Due", "Done", "Pass"]
        assert lines[header].split() == ["Deck", "New", "Learning", "today", "today", "chance"]
        assert lines[header + 1].split()[:5] == [
            "Synthetic",
            "Data",
            "and",
            "Self-Improvement",
            "20",
        ]
        assert "Mock exam: 5.0 of 20 right expected, 14 needed to pass" in screen_text(app)


async def test_question_mark_lists_the_screens_own_keys_not_the_tables(
    make_store: MakeStore, clock: FakeClock
) -> None:
    app = SrsApp(history(make_store, clock))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "question_mark")

        panel = collapse(screen_text(app))
        for shown_key in ("⏎ Study", "a All", "c Custom", "e Exam", "o Options", "r Refresh"):
            assert shown_key in panel
        for generic in ("Copy", "Focus", "Cursor", "Page", "Scroll"):
            assert generic not in panel
        await press(pilot, "question_mark")
        assert not app.screen.query("KeysPanel")
