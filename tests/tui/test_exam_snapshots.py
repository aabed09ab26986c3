"""The mock exam's look (pytest-textual-snapshot): the start page, a question with an answer and a
flag, the summary before submitting, and the results page, on the bundled seed deck.

Deterministic: every attempt draws its form and shuffles its options with `random.Random(1)`,
the collection's clock stands still (no time passes, no timer changes the screen), and the
process's local time zone is UTC.

Update after a deliberate change of look: `.venv/bin/pytest tests/tui/test_exam_snapshots.py
--snapshot-update`, then read the SVGs under `__snapshots__/` before committing them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import FakeClock
from helpers import BUNDLED_DECK
from textual.pilot import Pilot

import srs.exam.engine
from srs.collection.store import Store
from srs.exam.engine import answer, start_exam
from srs.tui.app import SrsApp
from srs.tui.screens.exam_start import ExamStartScreen

from .conftest import press, settle

SnapCompare = Callable[..., bool]
MakeStore = Callable[..., Store]

SEED = "synthetic-data"
WIDE = (100, 32)
NARROW = (80, 24)

pytestmark = pytest.mark.usefixtures("seeded_exam", "utc_local_time")


@pytest.fixture
def seeded_exam(monkeypatch: pytest.MonkeyPatch) -> None:
    """Attempts the app starts (it passes no rng) draw and shuffle with `random.Random(1)`."""
    monkeypatch.setattr(srs.exam.engine, "random", SimpleNamespace(Random=lambda: random.Random(1)))


@pytest.fixture
def seed(make_store: MakeStore, clock: FakeClock) -> Store:
    return make_store(BUNDLED_DECK.read_bytes(), clock=clock)


def answer_first(store: Store, count: int, *, right: int) -> None:
    """Start an attempt and answer its first `count` questions, the first `right` of them
    right and the rest wrong (through the engine, before the app starts)."""
    attempt = start_exam(store, SEED, rng=random.Random(1))
    for question in attempt.questions[:count]:
        is_right = question.position < right
        text = next(t for t in question.choices if (t in question.card.answers) == is_right)
        attempt = answer(store, attempt, question.position, text)


async def open_start_page(pilot: Pilot[Any]) -> None:
    """`e` on the dashboard, then wait for the chance to pass (a worker computes it)."""
    await press(pilot, "e")
    await settle(pilot)


async def begin(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    if not isinstance(pilot.app.screen, ExamStartScreen):
        await press(pilot, "e")
    await press(pilot, "enter")


async def answer_and_flag(pilot: Pilot[Any]) -> None:
    """Question 1 answered with option B and flagged."""
    await begin(pilot)
    await press(pilot, "b")
    await press(pilot, "f")


async def open_summary(pilot: Pilot[Any]) -> None:
    """Question 1 answered, question 2 flagged, then ctrl+s."""
    await begin(pilot)
    await press(pilot, "b")
    await press(pilot, "n")
    await press(pilot, "f")
    await press(pilot, "ctrl+s")


async def submit_resumed(pilot: Pilot[Any]) -> None:
    await begin(pilot)
    await press(pilot, "ctrl+s")
    await press(pilot, "y")


def test_exam_start_page(snap_compare: SnapCompare, seed: Store) -> None:
    """Questions, pass mark, no time limit, the chance to pass, and how to begin."""
    assert snap_compare(SrsApp(seed), terminal_size=WIDE, run_before=open_start_page)


def test_exam_start_page_offering_to_resume_at_80x24(
    snap_compare: SnapCompare, seed: Store
) -> None:
    """An attempt with 2 of 20 answered is in progress, in the smallest usual terminal: the app
    opens on its start page by itself."""
    answer_first(seed, 2, right=1)
    assert snap_compare(SrsApp(seed), terminal_size=NARROW, run_before=settle)


def test_exam_question_answered_and_flagged(snap_compare: SnapCompare, seed: Store) -> None:
    """Option B picked, the flag beside the question and in the navigator, the counts above."""
    assert snap_compare(SrsApp(seed), terminal_size=WIDE, run_before=answer_and_flag)


def test_exam_submit_summary(snap_compare: SnapCompare, seed: Store) -> None:
    """19 unanswered (they count as wrong), question 2 flagged, Submit / Keep working."""
    assert snap_compare(SrsApp(seed), terminal_size=WIDE, run_before=open_summary)


def test_exam_results(snap_compare: SnapCompare, seed: Store) -> None:
    """14 of 20 right: the score line with PASS, time used, topics, the question review."""
    answer_first(seed, 20, right=14)
    assert snap_compare(SrsApp(seed), terminal_size=WIDE, run_before=submit_resumed)


async def flag_question_13(pilot: Pilot[Any]) -> None:
    """Question 13 reached by typing its number, answered with option A and flagged."""
    await begin(pilot)
    await press(pilot, "1", "3", "a", "f")


def test_exam_navigator_with_question_13_flagged_at_80x24(
    snap_compare: SnapCompare, seed: Store
) -> None:
    """The navigator's cells fit `13✓⚑`: the flag shows from question 10 on too."""
    assert snap_compare(SrsApp(seed), terminal_size=NARROW, run_before=flag_question_13)
