"""The dashboard's suggestion to fit personal FSRS parameters (`srs optimize`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from conftest import FakeClock, deck_yaml

from srs.study.history import import_log
from srs.study.optimize import optimize_deck
from srs.tui.app import SrsApp

from .conftest import SIZE, MakeStore, press, screen_text, settle, shown


def daily_log(path: Path, answers: int) -> Path:
    """One card answered Good once a day, `answers` days running, ending before 2025."""
    first = datetime(2024, 12, 31, 10, tzinfo=UTC) - timedelta(days=answers)
    rows = [f"free-0,3,{(first + timedelta(days=n)).isoformat()},1000" for n in range(answers)]
    path.write_text("card_id,review_rating,review_time,review_duration\n" + "\n".join(rows))
    return path


async def test_a_deck_with_a_thousand_new_reviews_is_suggested_until_optimized(
    make_store: MakeStore, clock: FakeClock, tmp_path: Path
) -> None:
    store = make_store(deck_yaml("alpha", free=1), deck_yaml("beta", free=1), clock=clock)
    import_log(store, "alpha", daily_log(tmp_path / "log.csv", 1000))
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert shown(app, "#optimize") == (
            "New reviews to fit FSRS to your memory: srs optimize alpha (1,000)"
        )
        assert "srs optimize alpha (1,000)" in screen_text(app)

        optimize_deck(store, "alpha")
        await press(pilot, "r")
        await settle(pilot)

        assert shown(app, "#optimize") == ""


async def test_no_suggestion_below_a_thousand_new_reviews(
    make_store: MakeStore, clock: FakeClock, tmp_path: Path
) -> None:
    store = make_store(deck_yaml("alpha", free=1), clock=clock)
    import_log(store, "alpha", daily_log(tmp_path / "log.csv", 999))
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert shown(app, "#optimize") == ""
        assert "srs optimize" not in screen_text(app)
