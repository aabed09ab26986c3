"""The exam plan in the app: the date set from the exam start page, the plan on the dashboard and
its own screen (the numbers of `srs plan --json`), the question after the exam, cram."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import FakeClock
from fsrs import Rating
from helpers import invoke
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

import srs
import srs.collection.store
import srs.plan
from srs.collection.settings import get_settings, set_setting
from srs.collection.store import Store
from srs.model.percent import chance_text
from srs.plan import ExamPlan, exam_plan, set_exam_date
from srs.study.answers import record_answer
from srs.study.custom import CustomKind
from srs.tui.app import SrsApp
from srs.tui.screens.custom_study import CustomStudyScreen
from srs.tui.screens.dashboard import DashboardScreen
from srs.tui.screens.exam_date import ExamDateScreen
from srs.tui.screens.exam_outcome import ExamOutcomeScreen
from srs.tui.screens.plan import PlanScreen

from .conftest import (
    SIZE,
    MakeStore,
    collapse,
    db_rows,
    on,
    press,
    review,
    screen_text,
    settle,
    shown,
)

SnapCompare = Callable[..., bool]

SEED_DECK = Path(srs.__file__).parent / "bundled" / "synthetic-data.yaml"
DECK = "synthetic-data"
EXAM = date(2025, 2, 5)
"""30 study days after the FakeClock's Monday 2025-01-06."""


@pytest.fixture
def seed_store(make_store: MakeStore, clock: FakeClock) -> Store:
    """The seed deck (20 cards, a 20-question mock exam); half its cards answered over the
    last days (new cards only, so no fuzzed interval: the plan is the same every run)."""
    store = make_store(SEED_DECK.read_bytes(), clock=clock)
    set_setting(store, DECK, "fuzz", "off")
    ids = [row[0] for row in store.conn.execute("SELECT id FROM cards ORDER BY id LIMIT 10")]
    clock.advance(days=-2)
    for n, card in enumerate(ids):
        record_answer(store, card, Rating.Again if n % 3 == 0 else Rating.Good, duration_ms=6000)
    clock.advance(days=2)
    return store


def plan_rows(app: SrsApp) -> list[tuple[str, ...]]:
    table = on(app, PlanScreen).query_one("#plan-days", DataTable)
    return [tuple(str(cell) for cell in table.get_row(key))[:5] for key in table.rows]


async def test_a_date_set_on_the_exam_start_page_shows_its_plan_on_the_dashboard(
    seed_store: Store,
) -> None:
    async with SrsApp(seed_store).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "e", "d")
        assert isinstance(pilot.app.screen, ExamDateScreen)
        date_input = pilot.app.screen.query_one("#exam-date", Input)
        date_input.value = EXAM.isoformat()
        await press(pilot, "enter")
        assert "Real exam on 2025-02-05" in screen_text(pilot.app)
        await press(pilot, "escape")
        await settle(pilot)
        on(pilot.app, DashboardScreen)
        summary = exam_plan(seed_store, DECK)
        assert summary is not None
        assert f"Exam plan: {summary.summary_line()}" in shown(pilot.app, "#plan-line")
        assert f"Exam plan: {summary.summary_line()}" in screen_text(pilot.app)
    assert get_settings(seed_store, DECK).exam_date == EXAM


async def test_a_past_exam_date_is_refused_and_nothing_is_saved(seed_store: Store) -> None:
    async with SrsApp(seed_store).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "e", "d")
        pilot.app.screen.query_one("#exam-date", Input).value = "2025-01-01"
        await press(pilot, "enter")
        assert isinstance(pilot.app.screen, ExamDateScreen)
        assert "2025-01-01 is in the past" in shown(pilot.app, "#exam-date-error")
    assert get_settings(seed_store, DECK).exam_date is None


async def test_minutes_that_are_not_a_number_are_refused_and_nothing_is_saved(
    seed_store: Store,
) -> None:
    async with SrsApp(seed_store).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "e", "d")
        pilot.app.screen.query_one("#exam-date", Input).value = EXAM.isoformat()
        pilot.app.screen.query_one("#exam-minutes", Input).value = "-"
        await press(pilot, "enter")
        assert isinstance(pilot.app.screen, ExamDateScreen)
        assert "whole number, not '-'" in shown(pilot.app, "#exam-date-error")
    assert get_settings(seed_store, DECK).exam_date is None


async def test_the_plan_screen_table_shows_the_numbers_of_srs_plan_json(
    seed_store: Store, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_exam_date(seed_store, DECK, EXAM, minutes_per_day=1)
    # The command line opens the same file with the same fixed time as the app.
    monkeypatch.setattr(srs.collection.store, "Clock", lambda: clock)
    result = invoke(seed_store.path, "plan", DECK, "--json")
    assert result.exit_code == 0, result.output
    planned = json.loads(result.output)
    async with SrsApp(seed_store).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "p")
        await settle(pilot)
        rows = plan_rows(pilot.app)
        text = screen_text(pilot.app)
    assert rows == [
        (
            day["date"],
            str(day["reviews"]),
            str(day["new"]),
            f"{day['minutes']:.1f}",
            chance_text(day["pass_chance"]),
        )
        for day in planned["forecast"]
    ]
    assert len(rows) == 31
    # One minute a day is too few for the first days: the advice says what to do.
    assert planned["advice"] is not None
    assert planned["advice"][:40] in " ".join(text.split())


async def test_the_plan_screen_is_usable_while_the_plan_is_made(
    seed_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_exam_date(seed_store, DECK, EXAM)
    # The worker's plan waits until the test has looked at the screen (a large deck's would).
    go = threading.Event()

    def slow_plan(store: Store, deck_id: str) -> ExamPlan | None:
        go.wait(timeout=10)
        return exam_plan(store, deck_id)

    monkeypatch.setattr(srs.plan, "exam_plan", slow_plan)
    async with SrsApp(seed_store).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await press(pilot, "p")
        screen = on(pilot.app, PlanScreen)
        assert "Planning…" in shown(pilot.app, "#plan-summary")
        assert screen.query_one("#plan-loading").display
        await press(pilot, "question_mark")  # the keys panel opens meanwhile
        assert "Keys of this screen Planning… d Exam date Set or change the date" in collapse(
            screen_text(pilot.app).replace("▏", "")
        )
        go.set()
        await settle(pilot)
        assert "exam in 30 days" in shown(pilot.app, "#plan-summary")
        assert not screen.query_one("#plan-loading").display


async def test_clearing_the_date_on_the_plan_screen_leaves_no_plan(seed_store: Store) -> None:
    set_exam_date(seed_store, DECK, EXAM)
    async with SrsApp(seed_store).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "p")
        await settle(pilot)
        await press(pilot, "x")
        await settle(pilot)
        assert "No exam date ahead" in shown(pilot.app, "#plan-summary")
        await press(pilot, "escape")
        await settle(pilot)
        assert "Exam plan" not in shown(pilot.app, "#plan-line")
    assert get_settings(seed_store, DECK).exam_date is None


async def test_cram_on_the_plan_screen_reviews_the_weakest_cards(seed_store: Store) -> None:
    set_exam_date(seed_store, DECK, EXAM)
    async with SrsApp(seed_store).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "p", "w")
        session = review(pilot.app).session
        assert session.custom is not None and session.custom.kind is CustomKind.WEAKEST


async def test_custom_study_offers_the_weakest_cards(seed_store: Store) -> None:
    async with SrsApp(seed_store).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "c")
        on(pilot.app, CustomStudyScreen)
        text = " ".join(screen_text(pilot.app).split())
        # Ten cards have been studied: all of them are the weakest ten or fewer of twenty.
        assert "Cram: the weakest cards now, due or not: ‹ 20 › 10 cards" in text


async def test_after_the_exam_the_dashboard_asks_how_it_went_and_records_it(
    seed_store: Store, clock: FakeClock
) -> None:
    set_exam_date(seed_store, DECK, date(2025, 1, 8))
    clock.advance(days=3)
    async with SrsApp(seed_store).run_test(size=SIZE) as pilot:
        await settle(pilot)
        on(pilot.app, ExamOutcomeScreen)
        await press(pilot, "shift+tab", *"82", "tab", "p")
        await settle(pilot)
        on(pilot.app, DashboardScreen)
        # Recorded once: the dashboard shown again does not ask again.
        await press(pilot, "r")
        on(pilot.app, DashboardScreen)
    ((passed, score, predicted),) = db_rows(
        seed_store, "SELECT passed, score, predicted_pass FROM exam_outcomes"
    )
    assert (passed, score) == (1, pytest.approx(0.82))
    assert predicted is not None


async def test_asked_later_the_outcome_is_not_asked_again_in_the_same_run(
    seed_store: Store, clock: FakeClock
) -> None:
    set_exam_date(seed_store, DECK, date(2025, 1, 8))
    clock.advance(days=3)
    async with SrsApp(seed_store).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "escape")
        await press(pilot, "r")
        on(pilot.app, DashboardScreen)
    assert db_rows(seed_store, "SELECT * FROM exam_outcomes") == []


async def open_plan(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await press(pilot, "p")
    await settle(pilot)


@pytest.mark.usefixtures("utc_local_time")
def test_plan_screen_at_80x24(snap_compare: SnapCompare, seed_store: Store) -> None:
    """Summary, advice (1 minute is too few on the first day), both charts, the table."""
    set_exam_date(seed_store, DECK, EXAM, minutes_per_day=1)
    assert snap_compare(SrsApp(seed_store), terminal_size=(80, 24), run_before=open_plan)


@pytest.mark.usefixtures("utc_local_time")
def test_plan_screen_at_100x32(snap_compare: SnapCompare, seed_store: Store) -> None:
    set_exam_date(seed_store, DECK, EXAM)
    assert snap_compare(SrsApp(seed_store), terminal_size=(100, 32), run_before=open_plan)
