"""A deck's settings changed in the app, checked as `srs config` checks them."""

from __future__ import annotations

from conftest import FakeClock, deck_yaml
from textual.widgets import DataTable

from srs.collection.settings import get_settings
from srs.tui.app import SrsApp
from srs.tui.screens.dashboard import DashboardScreen
from srs.tui.screens.options import OptionsScreen

from .conftest import SIZE, MakeStore, notifications, on, press, shown


def value(app: SrsApp, key: str) -> str:
    return str(app.screen.query_one(DataTable).get_cell(key, "value"))


async def test_o_shows_the_decks_settings_and_enter_changes_one(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("demo", free=3, title="Demo deck"), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "o")
        on(app, OptionsScreen)
        assert app.screen.title == "Options · Demo deck"
        assert value(app, "new_per_day") == "20"

        await press(pilot, "down", "down", "down", "down")  # new_per_day
        assert shown(app, "#setting-help").startswith("new_per_day: new cards introduced")
        await press(pilot, "enter", "ctrl+a", "ctrl+k", "3", "0", "enter")

        assert get_settings(store, "demo").new_per_day == 30
        assert value(app, "new_per_day") == "30"
        assert notifications(app)[-1] == "new_per_day = 30"
        await press(pilot, "escape")
        on(app, DashboardScreen)


async def test_an_invalid_value_says_what_is_allowed_and_changes_nothing(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("demo", free=3), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "o", "enter")  # desired_retention
        await press(pilot, "ctrl+a", "ctrl+k", *"1.5", "enter")

        assert shown(app, "#setting-error") == (
            "desired_retention must be from 0.70 to 0.99 (or 70%-99%), not '1.5'"
        )
        assert get_settings(store, "demo").desired_retention == 0.9
        assert value(app, "desired_retention") == "0.9"
        await press(pilot, "escape")  # leaves the editor, not the screen
        on(app, OptionsScreen)
        assert not app.screen.query_one("#setting-value").display
