"""The command palette (ctrl+p): study or sit an exam from anywhere, deck titles shown literally."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import FakeClock, deck_yaml
from helpers import BUNDLED_DECK

from srs.tui.app import SrsApp
from srs.tui.screens.exam_start import ExamStartScreen
from srs.tui.screens.review import ReviewScreen

from .conftest import SIZE, MakeStore, press, screen_text

EVIL_TITLE = "[@click=app.quit]Quit[/] [bold]x[/bold] [/]"


async def test_palette_studies_a_deck_by_its_title(make_store: MakeStore, clock: FakeClock) -> None:
    app = SrsApp(make_store(deck_yaml("demo", choice=2, title="Demo deck"), clock=clock))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "ctrl+p", *"study demo", "enter")

        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.session.deck_ids == ("demo",)


async def test_palette_opens_a_decks_mock_exam(make_store: MakeStore, clock: FakeClock) -> None:
    app = SrsApp(make_store(Path(BUNDLED_DECK).read_bytes(), clock=clock))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "ctrl+p", *"mock exam synthetic", "enter")

        assert isinstance(app.screen, ExamStartScreen)
        assert app.screen.deck_id == "synthetic-data"


async def test_palette_shows_a_markup_title_literally_and_runs_nothing_from_it(
    make_store: MakeStore, clock: FakeClock
) -> None:
    deck = deck_yaml("evil", choice=1, title=json.dumps(EVIL_TITLE))
    app = SrsApp(make_store(deck, clock=clock))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "ctrl+p", *"study")

        assert f"Study {EVIL_TITLE}" in screen_text(app)
        await press(pilot, "down", "enter")
        assert app.is_running
        assert isinstance(app.screen, ReviewScreen)
