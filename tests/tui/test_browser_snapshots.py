"""The card browser's look (pytest-textual-snapshot): the seed deck with a few answers, at the
usual and the smallest terminal size.

Update after a deliberate change of look: `.venv/bin/pytest tests/tui/test_browser_snapshots.py
--snapshot-update`, then read the SVGs under `__snapshots__/` before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from conftest import FakeClock
from fsrs import Rating
from textual.pilot import Pilot

from srs.collection.store import Store
from srs.study.answers import record_answer
from srs.tui.app import SrsApp

from .conftest import MakeStore, press
from .test_snapshots import NARROW, SEED_DECK, WIDE

SnapCompare = Callable[..., bool]

pytestmark = pytest.mark.usefixtures("utc_local_time")


@pytest.fixture
def studied(make_store: MakeStore, clock: FakeClock) -> Store:
    """The seed deck; its first card answered three times over two days, the second once."""
    store = make_store(SEED_DECK.read_bytes(), clock=clock)
    first, second = (row[0] for row in store.conn.execute("SELECT id FROM cards LIMIT 2"))
    clock.advance(days=-2)
    record_answer(store, first, Rating.Good, duration_ms=6000)
    clock.advance(minutes=10)
    record_answer(store, first, Rating.Good, duration_ms=4000, source="custom")
    clock.advance(days=2, minutes=-10)
    record_answer(store, first, Rating.Again, duration_ms=12000, source="exam")
    record_answer(store, second, Rating.Easy, duration_ms=3000)
    return store


async def open_browser(pilot: Pilot[Any]) -> None:
    await press(pilot, "b")


async def open_card(pilot: Pilot[Any]) -> None:
    await press(pilot, "b", "enter")


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["100x32", "80x24"])
def test_browser(snap_compare: SnapCompare, studied: Store, size: tuple[int, int]) -> None:
    """The deck's cards in file order, the first answered three times."""
    assert snap_compare(SrsApp(studied), terminal_size=size, run_before=open_browser)


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["100x32", "80x24"])
def test_card_detail(snap_compare: SnapCompare, studied: Store, size: tuple[int, int]) -> None:
    """The first card: its text, its memory, and its three answers (study, custom, exam)."""
    assert snap_compare(SrsApp(studied), terminal_size=size, run_before=open_card)
