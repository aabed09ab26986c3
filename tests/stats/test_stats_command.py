"""`srs stats [DECK] [--json]`: every figure as JSON, plain tables without it, deck text shown
literally, and an unknown deck refused in one line."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import FakeClock
from fsrs import Rating
from helpers import invoke, write_deck

from srs.clock import SYSTEM_ZONE
from srs.collection.store import Store
from srs.study.answers import record_answer

# The topic holds a right-to-left override: a terminal must never receive it.
DECK = """\
deck: net
title: Networking
cards:
  - {id: dns, topic: "Names\\u202e", question: DNS port?, answer: "53", distractors: ["25", "80"]}
  - {id: ssh, topic: Remote, question: SSH port?, answer: "22", distractors: ["23", "21"]}
"""


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A collection with answers made yesterday (1, right) and today (2: one right, one
    wrong), by the machine's clock as `srs stats` reads it."""
    path = tmp_path / "collection.db"
    assert invoke(path, "import", str(write_deck(tmp_path, DECK))).exit_code == 0
    clock = FakeClock(datetime.now(UTC) - timedelta(days=1), zone=SYSTEM_ZONE)
    with Store.open(path, clock) as store:
        ids = dict(store.conn.execute("SELECT key, id FROM cards"))
        record_answer(store, ids["ssh"], Rating.Good, duration_ms=4000)
        clock.advance(days=1)
        record_answer(store, ids["dns"], Rating.Good, duration_ms=3000)
        record_answer(store, ids["ssh"], Rating.Again, duration_ms=2500)
    return path


def test_json_carries_every_figure_of_the_answers_made(db: Path) -> None:
    result = invoke(db, "stats", "net", "--json")

    assert result.exit_code == 0, result.stderr
    figures = json.loads(result.stdout)
    assert set(figures) >= {
        "today",
        "reviews_per_day",
        "forecast",
        "true_retention",
        "memory",
        "topics",
        "exams",
    }
    today = figures["today"]
    assert (today["cards"], today["answers"], today["right"], today["seconds"]) == (2, 2, 1, 5.5)
    days = figures["reviews_per_day"]["days"]
    assert [day["answers"] for day in days[-3:]] == [0, 1, 2]
    assert figures["reviews_per_day"]["streak"] == 2
    assert len(figures["forecast"]) == 30
    assert figures["memory"]["cards"] == 2
    # Yesterday's answer was a new card's, today's a learning card's: no review-card answer.
    assert figures["true_retention"]["periods"][0]["total"] == {
        "answers": 0,
        "right": 0,
        "retention": None,
    }
    topics = {topic["topic"]: topic for topic in figures["topics"]}
    assert topics["Remote"]["recent"] == {"days": 7, "answers": 2, "right": 1, "share_right": 0.5}
    assert topics["Names\u202e"]["cards"] == 1
    assert figures["exams"]["attempts"] == []
    bins = figures["exams"]["calibration"]["bins"]
    assert [(b["low"], b["attempts"]) for b in bins] == [
        (0.0, 0),
        (0.2, 0),
        (0.4, 0),
        (0.6, 0),
        (0.8, 0),
    ]
    assert "\u202e" not in result.stdout  # escaped as \u202e in the JSON text


def test_every_deck_is_the_default(db: Path) -> None:
    result = invoke(db, "stats", "--json")

    assert result.exit_code == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["deck"] is None
    assert figures["today"]["answers"] == 2


def test_plain_text_shows_the_figures_and_deck_text_literally(db: Path) -> None:
    result = invoke(db, "stats", "net")

    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Today (" in out and "2 cards, 2 answers, 50% right, 0m 05s" in out
    assert "streak: 2 days" in out
    assert "Names\ufffd" in out and "\u202e" not in out
    assert "True retention" in out and "Mock exams" in out and "no submitted attempts" in out
    assert "\x1b" not in out  # no colour: numbers read the same on any terminal


def test_an_unknown_deck_is_refused_in_one_line(db: Path) -> None:
    result = invoke(db, "stats", "nope")

    assert result.exit_code == 1
    assert result.stderr == "srs: error: no deck 'nope' in the collection\n"


def test_a_collection_in_memory_has_every_figure_too() -> None:
    result = invoke(Path(":memory:"), "stats", "--json")

    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["memory"]["cards"] == 0
