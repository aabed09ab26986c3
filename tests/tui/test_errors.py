"""The study app when the collection fails: a full disk, another srs process holding the write
lock, a damaged file. A change that cannot be saved is reported and can be retried, with the
screen as it was; a collection the app cannot go on with stops it with one line and a non-zero
exit status; never a traceback.

The failures are SQLite's own: `PRAGMA max_page_count` stops the file growing (SQLITE_FULL,
"database or disk is full", as a full disk), a second connection holds `BEGIN IMMEDIATE` (the
app's busy timeout cut to 50 ms), and damaged files are real files with garbage pages or a table
dropped.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import FakeClock, deck_yaml
from helpers import BUNDLED_DECK
from textual.app import App
from textual.widgets import DataTable

from srs.collection.store import BUSY_TIMEOUT_MS, Store
from srs.tui.app import SrsApp
from srs.tui.screens.dashboard import DashboardScreen
from srs.tui.screens.exam import ExamScreen
from srs.tui.screens.exam_start import ExamStartScreen
from srs.tui.screens.results import ResultsScreen
from srs.tui.screens.submit import SubmitScreen
from srs.tui.screens.summary import SummaryScreen
from srs.tui.widgets.choices import LETTERS, ChoiceRow

from .conftest import (
    SIZE,
    MakeStore,
    collapse,
    db_rows,
    letter,
    notifications,
    on,
    press,
    review,
    screen_text,
    settle,
    shown,
)

BUSY = "busy in another srs process"
FULL = "disk is full"

LONG_ANSWER = " ".join(["the long right answer"] * 250)
"""About 5,500 characters: a review or exam answer choosing it needs a new page of the file."""

LONG_DECK = f"""\
deck: long
title: Long answers
exam: {{questions: 1, pass_mark: 100%}}
cards:
  - id: long
    question: Which one is right?
    answer: {LONG_ANSWER}
    distractors: [Short and wrong]
""".encode()
"""One multiple-choice card (and a one-question exam) whose right answer is longer than a
page, so that saving the choice needs room the full disk does not have."""

TIMED_DECK = b"""\
deck: quick
title: Quick quiz
exam: {questions: 1, pass_mark: 100%, time_limit: 2m}
cards:
  - id: one
    question: First question?
    answer: Right one
    distractors: [Wrong one a, Wrong one b]
"""


@contextmanager
def full_disk(store: Store) -> Iterator[None]:
    """While the block runs, the collection cannot grow: a write that needs a new page fails
    in SQLite with SQLITE_FULL ("database or disk is full"), as when the disk is full."""
    (pages,) = store.conn.execute("PRAGMA page_count").fetchone()
    store.conn.execute(f"PRAGMA max_page_count = {pages}")
    try:
        yield
    finally:
        store.conn.execute("PRAGMA max_page_count = 4294967294")


@contextmanager
def another_process_writing(store: Store) -> Iterator[None]:
    """While the block runs, another connection holds the collection's write lock, as another
    srs process in the middle of a long write; the app waits 50 ms for it, not 5 s."""
    store.conn.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()
        store.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def last_error(app: App[Any]) -> str:
    """The latest notification, which must be an error (shown while the app goes on)."""
    assert app.is_running, "the app stopped"
    latest = list(app._notifications)[-1:]
    assert latest and latest[0].severity == "error", f"no error shown: {notifications(app)}"
    return latest[0].message


def picked(app: App[Any]) -> list[int]:
    return [row.index for row in app.screen.query(ChoiceRow) if row.state == "picked"]


def count(store: Store, table: str) -> int:
    ((rows,),) = db_rows(store, f"SELECT count(*) FROM {table}")
    return int(rows)


# --- a change that cannot be saved: reported, kept on screen, retried --------------------------


async def test_an_answer_the_full_disk_refuses_stays_on_screen_and_is_saved_when_retried(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(LONG_DECK, clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "enter")
        screen = review(app)
        card = screen.card
        assert card is not None
        await press(pilot, letter(screen, correct=True))
        choice = picked(app)

        with full_disk(store):
            await press(pilot, "3")
            assert FULL in last_error(app)
            assert count(store, "reviews") == 0
            assert review(app) is screen and screen.card is card and screen.graded
            assert picked(app) == choice
            assert shown(app, "#verdict").startswith("✓ Correct")
            await press(pilot, "3")  # still full: refused again, nothing lost
            assert count(store, "reviews") == 0 and screen.card is card

        await press(pilot, "3")

        assert app.is_running
        assert db_rows(store, "SELECT card_id, rating FROM reviews") == [(card.id, 3)]
        assert screen.card is not card


@pytest.mark.parametrize(
    ("key", "changed"),
    [
        ("minus", "SELECT count(*) FROM cards WHERE buried_until IS NOT NULL"),
        ("at", "SELECT count(*) FROM cards WHERE suspended = 1"),
        ("u", "SELECT 2 - count(*) FROM reviews"),
    ],
    ids=["bury", "suspend", "undo"],
)
async def test_a_review_change_while_another_process_writes_says_busy_and_works_when_retried(
    make_store: MakeStore, clock: FakeClock, key: str, changed: str
) -> None:
    store = make_store(deck_yaml("demo", free=3), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "enter", "space", "3", "space", "3")
        screen = review(app)
        card = screen.card
        assert db_rows(store, changed) == [(0,)]

        with another_process_writing(store):
            await press(pilot, key)
            assert BUSY in last_error(app)
            assert db_rows(store, changed) == [(0,)]
            assert review(app) is screen and screen.card is card

        await press(pilot, key)

        assert app.is_running
        assert db_rows(store, changed) == [(1,)]
        assert screen.card is not card


async def test_undo_on_the_summary_while_another_process_writes_stays_on_the_summary(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("demo", free=1), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "enter", "space", "4")
        summary = on(app, SummaryScreen)

        with another_process_writing(store):
            await press(pilot, "u")
            assert BUSY in last_error(app)
            assert app.screen is summary and count(store, "reviews") == 1

        await press(pilot, "u")

        assert review(app).card is not None
        assert count(store, "reviews") == 0


async def test_exam_changes_while_another_process_writes_are_refused_then_saved_on_retry(
    make_store: MakeStore, clock: FakeClock
) -> None:
    """Starting, answering, flagging, submitting and sitting a new attempt: each refused one
    leaves its screen as it was, and the same key again does it."""
    store = make_store(BUNDLED_DECK.read_bytes(), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "e")
        start = on(app, ExamStartScreen)
        with another_process_writing(store):
            await press(pilot, "enter")
            assert BUSY in last_error(app)
            assert on(app, ExamStartScreen) is start and count(store, "exam_attempts") == 0
        await press(pilot, "enter")
        exam = on(app, ExamScreen)
        attempt = exam.attempt.id
        answers = f"SELECT chosen, flagged FROM exam_answers WHERE attempt_id = {attempt}"
        right = LETTERS[exam.question.choices.index(exam.question.card.answers[0])]

        with another_process_writing(store):
            await press(pilot, right)
            assert BUSY in last_error(app) and picked(app) == []
            await press(pilot, "f")
            assert BUSY in last_error(app) and not exam.question.flagged
            await press(pilot, "ctrl+s", "y")
            assert BUSY in last_error(app)
            assert on(app, ExamScreen) is exam and not exam.attempt.is_submitted
            assert db_rows(store, answers)[0] == (None, 0)
        await press(pilot, right, "f")
        assert db_rows(store, answers)[0] != (None, 0)
        await press(pilot, "ctrl+s")
        on(app, SubmitScreen)
        await press(pilot, "y")
        results = on(app, ResultsScreen)

        with another_process_writing(store):
            await press(pilot, "N")
            assert BUSY in last_error(app)
            assert on(app, ResultsScreen) is results and count(store, "exam_attempts") == 1
        await press(pilot, "N")

        on(app, ExamScreen)
        assert count(store, "exam_attempts") == 2


async def test_an_exam_answer_the_full_disk_refuses_is_not_shown_as_chosen(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(LONG_DECK, clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "e", "enter")
        exam = on(app, ExamScreen)
        right = LETTERS[exam.question.choices.index(LONG_ANSWER)]

        with full_disk(store):
            await press(pilot, right)
            assert FULL in last_error(app)
            assert picked(app) == [] and not exam.question.answered
        await press(pilot, right)

        assert exam.question.answered and picked(app) == [LETTERS.index(right)]
        ((chosen,),) = db_rows(store, "SELECT chosen FROM exam_answers")
        assert LONG_ANSWER in chosen


async def test_time_up_while_another_process_writes_submits_as_soon_as_it_can(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(TIMED_DECK, clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "e", "enter")
        exam = on(app, ExamScreen)
        clock.advance(minutes=3)

        with another_process_writing(store):
            exam.tick()
            await pilot.pause()
            assert BUSY in last_error(app)
            exam.tick()
            await pilot.pause()
            assert sum(BUSY in text for text in notifications(app)) == 1  # told once
            assert app.screen is exam
            assert db_rows(store, "SELECT submitted_at FROM exam_attempts") == [(None,)]
        exam.tick()
        await pilot.pause()

        on(app, ResultsScreen)
        assert db_rows(store, "SELECT timed_out FROM exam_attempts") == [(1,)]


# --- a damaged collection: reported when the app can go on, else one line and exit 1 ---------


def drop_table(store: Store, table: str) -> None:
    """Damage the collection from outside, as another program (or a bad copy) would."""
    conn = sqlite3.connect(store.path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(f"DROP TABLE {table}")
    conn.close()


async def test_a_collection_that_cannot_be_read_at_start_stops_the_app_with_the_error(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("demo", free=2), clock=clock)
    drop_table(store, "memory")
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

    assert app.return_code == 1
    assert isinstance(app.failure, sqlite3.OperationalError)
    assert "no such table: memory" in str(app.failure)


async def test_a_deck_that_cannot_be_read_when_opened_is_reported_and_the_app_goes_on(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("demo", free=2), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        drop_table(store, "memory")
        await press(pilot, "enter")

        assert "no such table: memory" in last_error(app)
        on(app, DashboardScreen)


async def test_an_answer_whose_card_cannot_be_read_is_reported_and_stays_on_screen(
    make_store: MakeStore, clock: FakeClock
) -> None:
    """SQLite's own error from a read (no `CollectionError` around it) is reported too."""
    store = make_store(deck_yaml("demo", choice=2), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "enter")
        screen = review(app)
        card = screen.card
        await press(pilot, letter(screen, correct=True))
        drop_table(store, "cards")

        await press(pilot, "3")

        assert "no such table: cards" in last_error(app)
        assert review(app) is screen and screen.card is card and screen.graded


async def test_pass_chances_from_a_damaged_file_say_unavailable_and_the_app_goes_on(
    make_store: MakeStore, clock: FakeClock, tmp_path: Path
) -> None:
    """The worker reads on a connection of its own: here it opens a file damaged after the
    app opened its own (which goes on reading the intact one)."""
    store = make_store(BUNDLED_DECK.read_bytes(), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        damaged = tmp_path / "damaged.db"
        shutil.copy(store.path, damaged)
        with damaged.open("r+b") as handle:
            handle.seek(100)
            handle.write(random.Random(1).randbytes(damaged.stat().st_size - 100))
        os.replace(damaged, store.path)
        await press(pilot, "e")
        await settle(pilot)

        assert "Chance to pass unavailable:" in collapse(screen_text(app))
        await press(pilot, "escape", "r")
        await settle(pilot)
        on(app, DashboardScreen)
        table = app.screen.query_one("#decks", DataTable)
        assert [str(c) for c in table.get_column("pass chance")] == ["—"]


# --- the command line: one line on stderr and a non-zero status, never a traceback ---------


def garbage_pages(path: Path) -> None:
    """Overwrite every page after the first with garbage (the header stays a valid one)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with path.open("r+b") as handle:
        handle.seek(4096)
        handle.write(random.Random(1).randbytes(path.stat().st_size - 4096))


def run_srs(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`srs ARGS` as a learner runs it, with Textual's headless driver in place of a terminal
    (an app that stayed open would fail the test by its timeout)."""
    env = os.environ | {
        "SRS_DB": str(db),
        "TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver",
    }
    return subprocess.run(
        [str(Path(sys.executable).with_name("srs")), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("args", [(), ("review",), ("exam", "synthetic-data")], ids=" ".join)
def test_a_damaged_collection_file_stops_the_app_with_one_line_and_status_1(
    make_store: MakeStore, clock: FakeClock, args: tuple[str, ...]
) -> None:
    store = make_store(BUNDLED_DECK.read_bytes(), clock=clock)
    store.close()
    garbage_pages(store.path)

    result = run_srs(store.path, *args)

    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("srs: error: ") and "database disk image is malformed" in line


def test_a_table_missing_from_the_collection_stops_the_app_with_one_line_and_status_1(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(BUNDLED_DECK.read_bytes(), clock=clock)
    drop_table(store, "memory")
    store.close()

    result = run_srs(store.path)

    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("srs: error: ") and "no such table: memory" in line
