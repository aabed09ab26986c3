"""The study screens' look (pytest-textual-snapshot): a fixed terminal size, the bundled seed deck,
a seeded option shuffle and clocks that stand still.

Update after a deliberate change of look: `.venv/bin/pytest tests/tui/test_snapshots.py
--snapshot-update`, then read the SVGs under `__snapshots__/` before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import FakeClock, deck_yaml
from fsrs import Rating
from textual.pilot import Pilot

import srs
from srs.collection.store import Store
from srs.study.answers import record_answer
from srs.tui.app import SrsApp

from .conftest import MakeStore, letter, press, review, settle

SnapCompare = Callable[..., bool]

SEED_DECK = Path(srs.__file__).parent / "bundled" / "synthetic-data.yaml"
WIDE = (100, 32)
NARROW = (80, 24)

pytestmark = pytest.mark.usefixtures("seeded_shuffle", "frozen_elapsed", "utc_local_time")


@pytest.fixture
def seed_store(make_store: MakeStore, clock: FakeClock) -> Store:
    """The seed deck alone (its cards in file order), nothing studied yet."""
    return make_store(SEED_DECK.read_bytes(), clock=clock)


async def open_first_deck(pilot: Pilot[Any]) -> None:
    await press(pilot, "enter")


async def choose_wrong(pilot: Pilot[Any]) -> None:
    await open_first_deck(pilot)
    await press(pilot, letter(review(pilot.app), correct=False))


def test_dashboard(snap_compare: SnapCompare, make_store: MakeStore, clock: FakeClock) -> None:
    """Two decks; the seed deck with a card in learning, one due and answers today."""
    store = make_store(
        SEED_DECK.read_bytes(), deck_yaml("demo", free=3, choice=2, title="Demo deck"), clock=clock
    )
    ids = [row[0] for row in store.conn.execute("SELECT id FROM cards ORDER BY id LIMIT 3")]
    clock.advance(days=-3)
    record_answer(store, ids[0], Rating.Good, duration_ms=4000)
    clock.advance(days=3)
    record_answer(store, ids[1], Rating.Again, duration_ms=4000)
    record_answer(store, ids[2], Rating.Easy, duration_ms=4000)
    assert snap_compare(SrsApp(store), terminal_size=WIDE, run_before=settle)


def test_question(snap_compare: SnapCompare, seed_store: Store) -> None:
    """The seed deck's first card, its options lettered, before an answer."""
    assert snap_compare(SrsApp(seed_store), terminal_size=WIDE, run_before=open_first_deck)


def test_feedback_after_a_wrong_choice(snap_compare: SnapCompare, seed_store: Store) -> None:
    """The verdict, the right answer, the feedback, and the rating bar with only Again enabled."""
    assert snap_compare(SrsApp(seed_store), terminal_size=WIDE, run_before=choose_wrong)


def test_feedback_after_a_wrong_choice_at_80x24(
    snap_compare: SnapCompare, seed_store: Store
) -> None:
    """The same in the smallest usual terminal."""
    assert snap_compare(SrsApp(seed_store), terminal_size=NARROW, run_before=choose_wrong)


def test_session_summary(
    snap_compare: SnapCompare,
    make_store: MakeStore,
    clock: FakeClock,
) -> None:
    """Three answers (one Again, then the learning card again later): 66% correct (2 of 3,
    rounded down as everywhere)."""
    store = make_store(deck_yaml("demo", choice=2, title="Demo deck"), clock=clock)

    async def study_both(pilot: Pilot[Any]) -> None:
        await open_first_deck(pilot)
        screen = review(pilot.app)
        await press(pilot, letter(screen, correct=False), "enter")  # Again: back in a minute
        await press(pilot, letter(screen, correct=True), "4")
        clock.advance(minutes=1)
        await screen.show_next()
        await press(pilot, letter(screen, correct=True), "4")

    assert snap_compare(SrsApp(store), terminal_size=WIDE, run_before=study_both)


def test_dashboard_at_80x24_with_the_keys_panel(
    snap_compare: SnapCompare, seed_store: Store
) -> None:
    """The seed deck's whole title, two-line column labels, and `?`: the screen's own keys."""

    async def keys(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await press(pilot, "question_mark")

    assert snap_compare(SrsApp(seed_store), terminal_size=NARROW, run_before=keys)


def test_custom_study_at_80x24(snap_compare: SnapCompare, seed_store: Store) -> None:
    """Each selection with its cards: the last exam's misses, extra new cards, reviews ahead,
    the seed deck's topics."""

    async def custom(pilot: Pilot[Any]) -> None:
        await press(pilot, "c", "down")

    assert snap_compare(SrsApp(seed_store), terminal_size=NARROW, run_before=custom)


def test_options_editing_a_setting_at_80x24(snap_compare: SnapCompare, seed_store: Store) -> None:
    """The deck's settings, one being edited, and why the value typed is refused."""

    async def edit(pilot: Pilot[Any]) -> None:
        await press(pilot, "o", "down", "down", "down", "down", "enter", "ctrl+a", "ctrl+k")
        await press(pilot, *"lots", "enter")

    assert snap_compare(SrsApp(seed_store), terminal_size=NARROW, run_before=edit)


MARKDOWN_DECK = b"""\
deck: perms
title: Permissions
cards:
  - id: chmod
    question: Which mode does `chmod 755 x` give the file? **One** answer.
    answer: "`rwxr-xr-x`"
    distractors:
      - {text: "`rwxrwxrwx`", feedback: "That is **777**: *everyone* may write."}
      - "`rw-r--r--`"
    explanation: |
      Each digit adds:
      - 4 for *read*
      - 2 for **write**
      - 1 for execute
      ```
      chmod u=rwx,go=rx x
      ```
"""


def test_markdown_in_a_card_after_a_wrong_choice(
    snap_compare: SnapCompare, make_store: MakeStore, clock: FakeClock
) -> None:
    """Code spans and a code block, bold, italics and a list: styled, their marks gone."""
    store = make_store(MARKDOWN_DECK, clock=clock)

    async def wrong(pilot: Pilot[Any]) -> None:
        await open_first_deck(pilot)
        await press(pilot, letter(review(pilot.app), correct=False, text="`rwxrwxrwx`"))

    assert snap_compare(SrsApp(store), terminal_size=WIDE, run_before=wrong)


def test_a_right_choice_offers_again_for_a_lucky_guess(
    snap_compare: SnapCompare, seed_store: Store
) -> None:
    """Every rating enabled, Good suggested, and the hint that 1 means "I guessed"."""

    async def right(pilot: Pilot[Any]) -> None:
        await open_first_deck(pilot)
        await press(pilot, letter(review(pilot.app), correct=True))

    assert snap_compare(SrsApp(seed_store), terminal_size=NARROW, run_before=right)
