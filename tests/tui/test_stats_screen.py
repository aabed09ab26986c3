"""The stats screen: `s` on the dashboard for the selected deck, `S` for every deck; the numbers
of `srs stats --json`; usable while the slow sections load; deck text shown literally."""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import FakeClock
from fsrs import Rating
from helpers import invoke
from textual.pilot import Pilot

import srs
import srs.collection.store
import srs.tui.widgets.stats_loader
from srs.collection.store import Store
from srs.exam.engine import start_exam, submit
from srs.model.percent import chance_text, percent_text
from srs.study.answers import record_answer
from srs.tui.app import SrsApp
from srs.tui.screens.dashboard import DashboardScreen
from srs.tui.screens.stats import StatsScreen
from srs.tui.widgets.stats_loader import SECTIONS, Figures

from .conftest import MakeStore, collapse, on, press, screen_text, settle

SnapCompare = Callable[..., bool]

SEED_DECK = Path(srs.__file__).parent / "bundled" / "synthetic-data.yaml"
DECK = "synthetic-data"
TALL = (100, 260)
"""Tall enough for the whole page: the test reads what a person reads by scrolling."""

HOSTILE = b"""\
deck: hostile
title: "[bold]Hostile[/bold] deck"
cards:
  - {id: a, topic: "[bold]Loud[/]", question: "Q a?", answer: "A", distractors: ["B", "C"]}
  - {id: b, topic: "[@click=app.quit]Quit", question: "Q b?", answer: "A", distractors: ["B"]}
"""


@pytest.fixture
def stats_store(make_store: MakeStore, clock: FakeClock) -> Store:
    """The seed deck with a week of answers (some wrong) and a submitted mock exam; the
    FakeClock's Monday 2025-01-06 is today."""
    store = make_store(SEED_DECK.read_bytes(), clock=clock)
    ids = [row[0] for row in store.conn.execute("SELECT id FROM cards ORDER BY id")]
    clock.advance(days=-8)
    for day in range(8):
        for n, card in enumerate(ids[: 6 + day]):
            wrong = (n + day) % 4 == 0
            record_answer(store, card, Rating.Again if wrong else Rating.Good, duration_ms=5000)
        clock.advance(days=1)
    record_answer(store, ids[0], Rating.Good, duration_ms=3000)
    submit(store, start_exam(store, DECK, rng=random.Random(1)))
    return store


async def open_stats(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await press(pilot, "s")
    await settle(pilot)


def _retained(counts: dict[str, Any]) -> str:
    if not counts["answers"]:
        return "-"
    return f"{percent_text(counts['right'], counts['answers'])} of {counts['answers']}"


async def test_the_stats_screen_shows_the_numbers_of_srs_stats_json(
    stats_store: Store, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The command line opens the same file with the same fixed time as the app.
    monkeypatch.setattr(srs.collection.store, "Clock", lambda: clock)
    result = invoke(stats_store.path, "stats", DECK, "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    async with SrsApp(stats_store).run_test(size=TALL) as pilot:
        await open_stats(pilot)
        on(pilot.app, StatsScreen)
        text = collapse(screen_text(pilot.app))

    today = figures["today"]
    assert (today["cards"], today["answers"]) == (1, 1)  # one card answered today
    assert (
        f"{today['cards']} card studied · {today['answers']} answer · "
        f"{percent_text(today['right'], today['answers'])} right" in text
    )
    history = figures["reviews_per_day"]
    window = history["windows"][0]
    assert f"Streak {history['streak']} days" in text
    assert f"{window['answers']} answers on {window['days_studied']} days" in text
    # The calendar's darkest shade stands for the busiest day of the year.
    busiest = max(day["answers"] for day in history["days"])
    legend = text.split("answers a day: ")[1].split(" Week of")[0]
    assert legend.startswith("· 0") and legend.endswith(f"-{busiest}")
    # Today is a Monday: the forecast's weeks are rows of seven days.
    due = [day["due"] for day in figures["forecast"]]
    for start in range(0, len(due), 7):
        week = due[start : start + 7]
        assert " ".join(map(str, [*week, sum(week)])) in text
    for period in figures["true_retention"]["periods"]:
        row = [_retained(period[part]) for part in ("young", "mature", "total")]
        assert f"{period['period'].capitalize()} {' '.join(row)}" in text
    memory = figures["memory"]
    assert (
        f"{memory['cards']} studied cards · {memory['expected_recalled']:.0f} expected "
        "recalled now" in text
    )
    for topic in figures["topics"]:
        assert f"{topic['topic']} {topic['cards']} {chance_text(topic['chance'])}" in text
    (attempt,) = figures["exams"]["attempts"]
    assert f"{attempt['day']} {attempt['kind']} {attempt['score']}/{attempt['total']}" in text
    assert f"Brier score {figures['exams']['calibration']['brier']:.3f}" in text


async def test_w_switches_the_history_between_30_90_and_365_days(stats_store: Store) -> None:
    async with SrsApp(stats_store).run_test(size=TALL) as pilot:
        await open_stats(pilot)
        assert "Answers per day, last 30 days" in screen_text(pilot.app)
        await press(pilot, "w")
        assert "Answers per day, last 90 days" in screen_text(pilot.app)
        await press(pilot, "w", "w")
        assert "Answers per day, last 30 days" in screen_text(pilot.app)


def held(monkeypatch: pytest.MonkeyPatch, name: str) -> threading.Event:
    """Make the section `name` wait, until the event returned is set, before it is read (the
    test looks at the screen meanwhile)."""
    go = threading.Event()
    read = dict(SECTIONS)[name]

    def waiting(store: Store, deck_id: str | None) -> Figures:
        go.wait(timeout=10)
        return read(store, deck_id)

    sections = tuple((each, waiting if each == name else f) for each, f in SECTIONS)
    monkeypatch.setattr(srs.tui.widgets.stats_loader, "SECTIONS", sections)
    return go


async def arrived(pilot: Pilot[Any], section: str) -> None:
    """Wait (up to 2 s) until the section's figures are on the screen."""
    for _ in range(100):
        if not pilot.app.screen.query_one(f"#section-{section}").loading:
            return
        await pilot.pause(0.02)


async def test_escape_returns_to_the_dashboard_while_the_slow_sections_load(
    stats_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    go = held(monkeypatch, "topics")  # the slowest section
    async with SrsApp(stats_store).run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await press(pilot, "s")
        await arrived(pilot, "memory")  # the cheap sections arrive while the topics wait
        screen = on(pilot.app, StatsScreen)
        assert screen.query_one("#section-topics").loading
        assert "card studied" in screen_text(pilot.app)
        await press(pilot, "escape")
        on(pilot.app, DashboardScreen)
        go.set()
        await settle(pilot)
        on(pilot.app, DashboardScreen)


async def test_the_memory_figures_arrive_while_the_other_sections_are_read(
    stats_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    go = held(monkeypatch, "forecast")  # read before the memory figures, in the one worker
    async with SrsApp(stats_store).run_test(size=TALL) as pilot:
        await settle(pilot)
        await press(pilot, "s")
        await arrived(pilot, "memory")
        screen = on(pilot.app, StatsScreen)
        assert not screen.query_one("#section-memory").loading
        assert screen.query_one("#section-forecast").loading
        go.set()
        await settle(pilot)
        assert not screen.query_one("#section-forecast").loading


async def test_deck_text_on_the_stats_screen_shows_literally(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(SEED_DECK.read_bytes(), HOSTILE, clock=clock)
    card = store.conn.execute("SELECT id FROM cards WHERE key = 'a'").fetchone()[0]
    record_answer(store, card, Rating.Good, duration_ms=4000)
    async with SrsApp(store).run_test(size=TALL) as pilot:
        await settle(pilot)
        await press(pilot, "S")  # every deck: the deck ids are shown too
        await settle(pilot)
        text = screen_text(pilot.app)
        assert "Statistics · All decks" in text
        assert "[bold]Loud[/]" in text
        assert "[@click=app.quit]Quit" in text
        assert "hostile" in text and DECK in text
        # Clicked, the characters do nothing: they are text, not a link.
        row = next(n for n, line in enumerate(text.splitlines()) if "[@click" in line)
        await pilot.click(offset=(text.splitlines()[row].index("[@click") + 2, row))
        assert pilot.app.is_running


def test_stats_screen_at_80x24(snap_compare: SnapCompare, stats_store: Store) -> None:
    """Today, and the history's first lines: the rest scrolls."""
    assert snap_compare(SrsApp(stats_store), terminal_size=(80, 24), run_before=open_stats)


def test_stats_screen_at_100x32(snap_compare: SnapCompare, stats_store: Store) -> None:
    assert snap_compare(SrsApp(stats_store), terminal_size=(100, 32), run_before=open_stats)


async def scroll_to_memory(pilot: Pilot[Any]) -> None:
    await open_stats(pilot)
    pilot.app.screen.query_one("#section-memory").scroll_visible(top=True, animate=False)
    await pilot.pause()


def test_stats_screen_memory_and_topics_at_80x24(
    snap_compare: SnapCompare, stats_store: Store
) -> None:
    """The three histograms side by side fit 80 columns."""
    assert snap_compare(SrsApp(stats_store), terminal_size=(80, 24), run_before=scroll_to_memory)
