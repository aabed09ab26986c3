"""A collection made by the previous release opens with today's code, and nothing is lost.

`tests/fixtures/collection-v1.db` was written by the code of commit b8352a9 (schema version 1;
`make_collection_v1.py` says how); `collection-v1.json` holds the facts read back from it then.
Each test opens a copy (`Store.open` migrates it) and finds those facts through the functions
the app and the CLI use, not by counting rows.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import FakeClock
from fsrs import Rating
from helpers import REPO, invoke, pragma

from srs.clock import from_db
from srs.collection.attempts import attempt_answers, unlogged_attempt_ids
from srs.collection.exam_memory import exam_shapes, first_choice_answers
from srs.collection.reviews import logged_memory
from srs.collection.schema import APPLICATION_ID, SCHEMA_VERSION
from srs.collection.settings import clock_for, day_start_hour, get_settings
from srs.collection.store import Store
from srs.decks.export import deck_from_collection
from srs.exam.attempt import load_attempt
from srs.exam.engine import answer, submit, unfinished_attempt
from srs.model.deck import ExamSpec
from srs.model.memory import Memory, MemoryState
from srs.model.settings import DeckSettings, setting_texts
from srs.stats import history, today, true_retention
from srs.study.answers import find_cards, load_card, suspended_cards
from srs.study.overview import study_streak
from srs.study.session import StudySession

FIXTURE = REPO / "tests" / "fixtures" / "collection-v1.db"
FACTS: dict[str, Any] = json.loads(
    (REPO / "tests" / "fixtures" / "collection-v1.json").read_text(encoding="utf-8")
)
LAST_STUDY_DAY = datetime(2025, 3, 7, 12, 0, tzinfo=UTC)
"""Midday of the fixture's last study day (its clock ran in UTC; the day starts at 05:00)."""

CardKey = str
"""A card as "deck/key"."""


@pytest.fixture
def collection(tmp_path: Path) -> Path:
    """A copy of the v1 fixture, not yet opened."""
    path = tmp_path / "collection.db"
    shutil.copyfile(FIXTURE, path)
    return path


@pytest.fixture
def store(collection: Path, clock: FakeClock) -> Iterator[Store]:
    """The copy, opened (and so migrated) by today's code on its last study day."""
    clock.set(LAST_STUDY_DAY)
    with Store.open(collection, clock) as opened:
        yield opened


def card_ids(store: Store) -> dict[CardKey, int]:
    """Every card's collection id, found by deck and key as `srs suspend` finds them."""
    found: dict[CardKey, int] = {}
    for deck_id in FACTS["decks"]:
        keys = [c.partition("/")[2] for c in FACTS["cards_by_id"].values() if c.startswith(deck_id)]
        found |= {f"{deck_id}/{key}": cid for key, cid in find_cards(store, deck_id, keys).items()}
    return found


def v1_rows(sql: str) -> list[tuple[Any, ...]]:
    """Rows of the untouched fixture, read as schema 1 (what the old code wrote)."""
    conn = sqlite3.connect(f"{FIXTURE.as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


# --- the file ---------------------------------------------------------------------------------


def test_opening_brings_the_v1_collection_to_the_current_schema(
    collection: Path, store: Store
) -> None:
    assert FACTS["user_version"] == 1
    assert pragma(collection, "user_version") == SCHEMA_VERSION
    assert pragma(collection, "application_id") == APPLICATION_ID == FACTS["application_id"]
    assert pragma(collection, "quick_check") == "ok"


def test_opening_it_again_changes_nothing(collection: Path, clock: FakeClock) -> None:
    Store.open(collection, clock).close()
    first = collection.read_bytes()

    Store.open(collection, clock).close()

    assert collection.read_bytes() == first


# --- decks, cards, settings -------------------------------------------------------------------


def test_every_card_keeps_its_id_and_memory(store: Store) -> None:
    ids = card_ids(store)

    assert {str(cid): key for key, cid in ids.items()} == FACTS["cards_by_id"]
    for key, expected in FACTS["memory"].items():
        memory = load_card(store, ids[key]).memory
        assert (
            memory.state.value,
            memory.step,
            memory.due,
            memory.last_review,
            memory.reps,
            memory.lapses,
        ) == (
            expected["state"],
            expected["step"],
            from_db(expected["due"]) if expected["due"] else None,
            from_db(expected["last_review"]) if expected["last_review"] else None,
            expected["reps"],
            expected["lapses"],
        ), key


def test_every_deck_keeps_its_title_exam_and_cards(store: Store) -> None:
    for deck_id, expected in FACTS["decks"].items():
        deck = deck_from_collection(store, deck_id)
        exam = expected["exam"]

        assert deck.title == expected["title"]
        assert len(deck.cards) == expected["cards"]
        assert deck.exam == ExamSpec(
            exam["questions"],
            exam["pass_mark"],
            exam["title"],
            exam["time_limit"],
            tuple((topic, count) for topic, count in exam["blueprint"]),
        )


def test_deck_settings_and_the_day_start_are_kept(store: Store) -> None:
    defaults = setting_texts(DeckSettings())

    for deck_id, changed in FACTS["deck_settings"].items():
        assert setting_texts(get_settings(store, deck_id)) == defaults | changed, deck_id
    assert day_start_hour(store) == FACTS["day_start_hour"] == 5
    assert clock_for(store).study_day(datetime(2025, 3, 8, 4, 59, tzinfo=UTC)) == date(2025, 3, 7)


# --- the review log ---------------------------------------------------------------------------


def test_every_review_keeps_its_id_card_rating_source_and_day(store: Store) -> None:
    ids = card_ids(store)
    expected = [
        (r["id"], ids[r["card"]], r["rating"], r["source"], r["day"], r["reviewed_at"])
        for r in FACTS["reviews"]
    ]

    rows = store.conn.execute(
        "SELECT id, card_id, rating, source, day, reviewed_at FROM reviews ORDER BY id"
    ).fetchall()

    assert rows == expected
    # Each logged answer's memory before and after (what undo restores) still reads back.
    assert all(logged_memory(store, rid, cid) is not None for rid, cid, *_ in expected)


def test_the_study_streak_counts_the_days_studied_before_the_upgrade(store: Store) -> None:
    # 2025-03-03 to -07, the 6th with exam answers only.
    assert study_streak(store) == 5


def test_the_per_day_figures_of_the_upgraded_collection_equal_its_log(store: Store) -> None:
    answers = Counter(r["day"] for r in FACTS["reviews"])
    right = Counter(r["day"] for r in FACTS["reviews"] if r["rating"] > Rating.Again)
    logged = v1_rows("SELECT rating, duration_ms, before FROM reviews WHERE day = '2025-03-07'")
    reviewed = [
        rating > Rating.Again
        for rating, _, before in v1_rows("SELECT rating, duration_ms, before FROM reviews")
        if Memory.from_json(before).state == MemoryState.Review
    ]

    days = history(store).days
    figures = today(store)
    year = true_retention(store).periods[-1]

    assert {e.day.isoformat(): e.count for e in days if e.count} == answers
    assert (figures.answers, figures.right) == (answers["2025-03-07"], right["2025-03-07"])
    assert figures.seconds == sum(duration for _, duration, _ in logged) / 1000
    # Every review-card answer of the fixture was young (its intervals were days long).
    assert (year.young.answers, year.young.right, year.mature.answers) == (
        len(reviewed),
        sum(reviewed),
        0,
    )
    assert len(reviewed) > 0


def test_the_pass_chance_reads_each_cards_shape_and_first_answer_as_the_v1_text_gives_them(
    store: Store,
) -> None:
    decks = [deck_id for (deck_id,) in v1_rows("SELECT id FROM decks ORDER BY id")]
    for deck_id in decks:
        # The v1 code's reading: each card's shape parsed from its option lists, each card's
        # first answer found through the whole log.
        first_answers = v1_rows(
            "SELECT json_array_length(c.answers) + json_array_length(c.distractors), "
            "json_array_length(c.answers), count(*), sum(r.rating > 1) FROM cards c "
            "JOIN reviews r ON r.id = (SELECT f.id FROM reviews f WHERE f.card_id = c.id "
            f"ORDER BY f.reviewed_at, f.id LIMIT 1) WHERE c.deck_id = '{deck_id}' "
            "AND c.distractors != '[]' AND r.choice IS NOT NULL "
            "AND json_extract(r.before, '$.state') = 0 GROUP BY 1, 2"
        )
        shapes = v1_rows(
            "SELECT DISTINCT json_array_length(answers) + json_array_length(distractors), "
            "json_array_length(answers) FROM cards WHERE retired = 0 AND distractors != '[]' "
            f"AND deck_id = '{deck_id}' ORDER BY 1, 2"
        )

        assert [tuple(row) for row in first_choice_answers(store, deck_id)] == first_answers
        assert exam_shapes(store, deck_id) == shapes
    assert any(first_choice_answers(store, deck_id) for deck_id in decks)


# --- exam attempts ----------------------------------------------------------------------------


def test_submitted_attempts_keep_every_answer_flag_and_score(store: Store) -> None:
    stored = v1_rows(
        "SELECT attempt_id, position, card_id, choices, chosen, flagged, correct "
        "FROM exam_answers ORDER BY attempt_id, position"
    )
    for facts in (a for a in FACTS["attempts"] if a["status"] == "submitted"):
        attempt = load_attempt(store, facts["id"])

        assert (attempt.deck_id, attempt.kind.value) == (facts["deck_id"], facts["kind"])
        assert attempt.started_at == from_db(facts["started_at"])
        assert attempt.submitted_at == from_db(facts["submitted_at"])
        assert attempt.deadline == (from_db(facts["deadline"]) if facts["deadline"] else None)
        assert (attempt.timed_out, attempt.pass_mark) == (facts["timed_out"], facts["pass_mark"])
        assert (attempt.score, attempt.question_count) == (facts["score"], facts["questions"])
        assert attempt.answered_count == facts["answers"]
        assert sum(bool(q.correct) for q in attempt.questions) == facts["correct"]
        assert list(attempt.flagged_positions) == facts["flagged_positions"]
        assert [
            (q.position, q.card_id, list(q.choices), list(q.chosen), q.flagged, q.correct)
            for q in attempt.questions
        ] == [
            (pos, cid, json.loads(choices), json.loads(chosen or "[]"), bool(flag), bool(right))
            for aid, pos, cid, choices, chosen, flag, right in stored
            if aid == facts["id"]
        ]


def test_exam_answers_stay_linked_to_the_reviews_they_logged(store: Store) -> None:
    for facts in FACTS["attempts"]:
        logged = [(a.review_id, a.card_id) for a in attempt_answers(store, facts["id"])]
        linked = [(rid, cid) for rid, cid in logged if rid is not None]

        assert [rid for rid, _ in linked] == facts["logged_review_ids"]
        assert all(logged_memory(store, rid, cid) is not None for rid, cid in linked)
    # So a submitted attempt is never logged twice.
    assert unlogged_attempt_ids(store) == []


def test_the_attempt_in_progress_resumes_and_can_be_finished(store: Store) -> None:
    (facts,) = [a for a in FACTS["attempts"] if a["status"] == "in_progress"]
    reviews_before = len(FACTS["reviews"])

    attempt = unfinished_attempt(store)

    assert attempt is not None and attempt.id == facts["id"]
    assert not attempt.is_submitted and attempt.deadline is None
    assert (attempt.answered_count, attempt.question_count) == (
        facts["answers"],
        facts["questions"],
    )
    assert list(attempt.flagged_positions) == facts["flagged_positions"]

    position = attempt.unanswered_positions[0]
    attempt = answer(store, attempt, position, attempt.questions[position].card.answers[0])
    done = submit(store, attempt)

    right = [set(q.chosen) == set(q.card.answers) for q in attempt.questions if q.answered]
    assert done.is_submitted and done.score == sum(right)
    assert unfinished_attempt(store) is None
    logged = store.conn.execute(
        "SELECT count(*) FROM reviews WHERE id > ? AND source = 'exam'", (reviews_before,)
    ).fetchone()[0]
    assert logged == len(right)


# --- studying on it ---------------------------------------------------------------------------


def study_all_day(store: Store, clock: FakeClock) -> set[CardKey]:
    """Answer Good to every card today's session shows, waiting for learning steps; the cards
    shown."""
    keys = {cid: key for key, cid in card_ids(store).items()}
    session = StudySession(store)
    shown: set[CardKey] = set()
    for _ in range(1000):
        card = session.next_card()
        if card is None:
            due = session.next_due()
            if due is None:
                return shown
            clock.set(due)
            continue
        shown.add(keys[card.id])
        session.answer(card.id, Rating.Good, duration_ms=2000)
    raise AssertionError("the session never ended")


def test_suspended_and_buried_cards_stay_out_of_the_queue_until_due_back(
    store: Store, clock: FakeClock
) -> None:
    ((buried, until),) = FACTS["buried"].items()
    (suspended,) = FACTS["suspended"]
    deck_id = suspended.partition("/")[0]

    assert suspended_cards(store, deck_id) == [suspended.partition("/")[2]]
    today = study_all_day(store, clock)
    assert today and buried not in today and suspended not in today

    clock.set(datetime.fromisoformat(until).replace(hour=12, tzinfo=UTC))
    the_day_after = study_all_day(store, clock)
    assert buried in the_day_after and suspended not in the_day_after


def test_answers_after_the_upgrade_extend_the_log_and_keep_the_old_rows(
    store: Store, clock: FakeClock
) -> None:
    old = store.conn.execute("SELECT * FROM reviews ORDER BY id").fetchall()

    studied = study_all_day(store, clock)

    rows = store.conn.execute("SELECT id, source, day FROM reviews ORDER BY id").fetchall()
    assert store.conn.execute("SELECT * FROM reviews WHERE id <= ?", (len(old),)).fetchall() == old
    new = rows[len(old) :]
    assert len(new) >= len(studied) > 0
    assert [r[0] for r in new] == list(range(len(old) + 1, len(rows) + 1))
    assert {(source, day) for _, source, day in new} == {("review", "2025-03-07")}


def test_status_json_counts_every_deck_of_the_upgraded_collection(collection: Path) -> None:
    suspended = set(FACTS["suspended"])

    def count(deck_id: str, *states: int) -> int:
        return sum(
            1
            for key, memory in FACTS["memory"].items()
            if key.startswith(f"{deck_id}/") and memory["state"] in states and key not in suspended
        )

    result = invoke(collection, "status", "--json")

    assert result.exit_code == 0, result.output
    rows = {row["deck_id"]: row for row in json.loads(result.stdout)}
    assert set(rows) == set(FACTS["decks"])
    for deck_id, deck in FACTS["decks"].items():
        row = rows[deck_id]
        assert (row["title"], row["cards"], row["retired"]) == (deck["title"], deck["cards"], 0)
        assert row["new"] == count(deck_id, 0)
        assert row["learning"] == count(deck_id, 1, 3)
        assert row["review"] == count(deck_id, 2)
        assert row["suspended"] == sum(key.startswith(f"{deck_id}/") for key in suspended)
    assert pragma(collection, "user_version") == SCHEMA_VERSION


def test_the_command_line_says_once_that_it_upgrades_the_collection(collection: Path) -> None:
    first = invoke(collection, "status")
    second = invoke(collection, "status")

    assert first.stderr == (
        f"srs: upgrading {collection} to this version's format (once; a backup is taken first)\n"
    )
    assert second.stderr == ""
    assert first.stdout == second.stdout


def test_v1_collection_gains_a_device_and_shares_every_review_at_its_first_sync(
    store: Store, tmp_path: Path
) -> None:
    from srs.sync import sync, sync_status

    before = sync_status(store)
    report = sync(store, tmp_path / "sync")

    assert len(before.device) == 16 and before.last_sync is None
    assert before.pending["reviews"] == FACTS["row_counts"]["reviews"]
    assert report.exported > FACTS["row_counts"]["reviews"] and report.problems == []
    assert sync_status(store).to_share == 0
