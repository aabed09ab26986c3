"""Statistics of a learner's history, checked against what the test's own answers add up to:
today, answers per study day and the streak, reviews due ahead, true retention, memory,
topics and mock exams."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from conftest import FakeClock, UseZone
from fsrs import Rating

from srs.clock import SYSTEM_ZONE
from srs.collection.memory import memory_of
from srs.collection.settings import clock_for, get_settings
from srs.collection.store import CollectionError, Store
from srs.exam.engine import answer, start_exam, submit
from srs.exam.readiness import card_probabilities
from srs.model.memory import retrievability
from srs.stats import (
    Stats,
    collect,
    exams,
    forecast,
    history,
    memory,
    today,
    topics,
    true_retention,
)
from srs.study.answers import AnswerResult, record_answer, suspend_card

MakeStore = Callable[..., Store]

DECK = b"""\
deck: net
title: Networking
exam: {questions: 4, pass_mark: 50%, time_limit: 10m}
cards:
  - {id: dns, topic: Names, question: DNS port?, answer: "53", distractors: ["25", "80"]}
  - {id: mdns, topic: Names, question: mDNS port?, answer: "5353", distractors: ["53", "80"]}
  - {id: ssh, topic: Remote, question: SSH port?, answer: "22", distractors: ["23", "21"]}
  - {id: rdp, topic: Remote, question: RDP port?, answer: "3389", distractors: ["22", "23"]}
  - {id: loose, question: Any port?, answer: "1"}
"""


def card_id(store: Store, key: str) -> int:
    return int(store.conn.execute("SELECT id FROM cards WHERE key = ?", (key,)).fetchone()[0])


def say(store: Store, key: str, rating: Rating, seconds: float = 1) -> AnswerResult:
    return record_answer(store, card_id(store, key), rating, duration_ms=int(seconds * 1000))


def at(clock: FakeClock, day: int, hour: float = 12) -> None:
    """Move the clock to `hour` (UTC, the test clock's zone) on study day 2025-01-06 + `day`."""
    clock.set(datetime(2025, 1, 6, tzinfo=UTC) + timedelta(days=day, hours=hour))


# --- today, history, streak -----------------------------------------------------------------


def test_today_counts_the_study_days_cards_answers_time_and_right_answers(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(DECK, clock=clock)
    at(clock, -1)
    say(store, "ssh", Rating.Good, 9)  # yesterday: not today's
    at(clock, 0)
    say(store, "dns", Rating.Good, 3)
    say(store, "mdns", Rating.Again, 5)
    clock.advance(minutes=2)
    say(store, "mdns", Rating.Good, 2)

    figures = today(store)

    assert figures.day == date(2025, 1, 6)
    assert (figures.cards, figures.answers, figures.right, figures.seconds) == (2, 3, 2, 10.0)
    assert figures.share_right == pytest.approx(2 / 3)


def test_history_counts_answers_per_study_day_and_the_streak(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(DECK, clock=clock)
    at(clock, -40)
    say(store, "rdp", Rating.Good)
    at(clock, -2)
    say(store, "dns", Rating.Good)
    at(clock, 0, hour=3)  # 03:00, before the 04:00 day start: still study day -1
    say(store, "ssh", Rating.Good)
    say(store, "mdns", Rating.Good)
    at(clock, 0)
    say(store, "rdp", Rating.Again)

    figures = history(store)

    counted = {entry.day: entry.count for entry in figures.days if entry.count}
    assert counted == {
        date(2024, 11, 27): 1,
        date(2025, 1, 4): 1,
        date(2025, 1, 5): 2,
        date(2025, 1, 6): 1,
    }
    assert len(figures.days) == 365 and figures.days[-1].day == date(2025, 1, 6)
    assert figures.streak == 3
    assert figures.window(30) == {"days": 30, "answers": 4, "days_studied": 3, "per_day": 4 / 30}
    assert figures.window(90)["answers"] == 5


def test_an_answer_at_two_in_the_morning_local_counts_on_the_previous_study_day(
    make_store: MakeStore, use_zone: UseZone
) -> None:
    use_zone("America/New_York")  # UTC-5 in January
    clock = FakeClock(datetime(2025, 1, 8, 7, 0, tzinfo=UTC), zone=SYSTEM_ZONE)  # 02:00 local
    store = make_store(DECK, clock=clock)

    say(store, "dns", Rating.Good)

    assert today(store).day == date(2025, 1, 7)
    assert today(store).answers == 1
    assert [(e.day, e.count) for e in history(store).days if e.count] == [(date(2025, 1, 7), 1)]


# --- forecast -------------------------------------------------------------------------------


def test_the_forecast_counts_studied_cards_due_per_study_day_with_the_overdue_today(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(DECK, clock=clock)
    at(clock, 0)
    say(store, "dns", Rating.Again)  # learning, due in a minute
    for key in ("ssh", "rdp"):
        say(store, key, Rating.Easy)  # straight to review, due days ahead
    suspend_card(store, card_id(store, "rdp"))  # suspended: never due
    clock.advance(days=1)  # the learning card is overdue now
    study_day = clock_for(store).study_day
    ssh_due = memory_of(store, card_id(store, "ssh"))
    assert ssh_due is not None and ssh_due.due is not None

    days = forecast(store).days

    assert len(days) == 30 and days[0].day == date(2025, 1, 7)
    expected = {date(2025, 1, 7): 1}
    expected[study_day(ssh_due.due)] = expected.get(study_day(ssh_due.due), 0) + 1
    assert {e.day: e.count for e in days if e.count} == expected


# --- true retention -------------------------------------------------------------------------


def test_true_retention_counts_review_card_answers_young_and_mature_per_period(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(DECK, clock=clock)
    at(clock, 0)
    say(store, "dns", Rating.Good)  # learning answers: not review-card answers
    clock.advance(minutes=10)
    say(store, "dns", Rating.Good)
    say(store, "ssh", Rating.Easy)
    review_answers: list[tuple[date, bool, bool]] = []  # (study day, mature, remembered)

    def review(key: str, rating: Rating) -> None:
        memory = memory_of(store, card_id(store, key))
        assert memory is not None and memory.due is not None and memory.last_review is not None
        clock.set(max(clock.now(), memory.due))  # answered when due
        result = say(store, key, rating)
        interval = round((memory.due - memory.last_review) / timedelta(days=1))
        review_answers.append((result.day, interval >= 21, rating > Rating.Again))

    review("dns", Rating.Again)
    review("ssh", Rating.Easy)
    review("ssh", Rating.Good)
    review("ssh", Rating.Hard)
    assert [mature for _, mature, _ in review_answers] == [False, False, True, True]
    now = clock_for(store).study_day()

    table = true_retention(store)

    def expected(first_back: int, last_back: int, mature: bool) -> tuple[int, int]:
        within = [
            right
            for day, is_mature, right in review_answers
            if is_mature == mature and last_back <= (now - day).days <= first_back
        ]
        return len(within), sum(within)

    spans = {"today": (0, 0), "yesterday": (1, 1), "week": (6, 0), "month": (29, 0)}
    spans["year"] = (364, 0)
    for period in table.periods:
        first_back, last_back = spans[period.name]
        assert (period.young.answers, period.young.right) == expected(first_back, last_back, False)
        assert (period.mature.answers, period.mature.right) == expected(first_back, last_back, True)
    year = table.periods[-1]
    assert (year.total.answers, year.total.right) == (4, 3)
    assert table.desired == {"net": 0.9}


# --- memory ---------------------------------------------------------------------------------


def test_memory_sums_each_cards_exact_recall_chance_and_buckets_every_studied_card(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(DECK, clock=clock)
    at(clock, 0)
    say(store, "dns", Rating.Again)
    say(store, "ssh", Rating.Easy)
    say(store, "rdp", Rating.Good)
    clock.advance(days=3, hours=5)
    parameters = get_settings(store, "net").parameters
    chances = []
    for key in ("dns", "ssh", "rdp"):
        stored = memory_of(store, card_id(store, key))
        assert stored is not None
        chances.append(retrievability(stored, clock.now(), parameters))

    figures = memory(store, "net")

    assert figures.cards == 3
    assert figures.expected_recalled == pytest.approx(math.fsum(c for c in chances if c))
    for buckets in (figures.stability, figures.difficulty, figures.retrievability):
        assert sum(bucket.cards for bucket in buckets) == 3
    lowest = min(c for c in chances if c)
    low_bucket = next(b for b in figures.retrievability if b.low <= lowest < b.high)
    assert low_bucket.cards >= 1


# --- topics ---------------------------------------------------------------------------------


def test_topics_come_weakest_first_with_their_chance_and_trend(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(DECK, clock=clock)
    at(clock, -20)  # the 30 days before the last week: all right
    for key in ("dns", "mdns", "ssh", "rdp"):
        say(store, key, Rating.Good)
    at(clock, -1)  # the last week: Names forgotten, Remote right
    for key in ("dns", "mdns", "ssh", "rdp"):
        say(store, key, Rating.Again if key.endswith("dns") else Rating.Good)
    at(clock, 0)
    chances = card_probabilities(store, "net")

    rows = topics(store, "net")

    assert [row.topic for row in rows] == ["Names", "Remote", None]
    names, remote, loose = rows
    assert names.chance == pytest.approx(
        (chances[card_id(store, "dns")] + chances[card_id(store, "mdns")]) / 2
    )
    assert remote.chance == pytest.approx(
        (chances[card_id(store, "ssh")] + chances[card_id(store, "rdp")]) / 2
    )
    assert (names.cards, names.recent_answers, names.recent_right) == (2, 2, 0)
    assert (names.earlier_answers, names.earlier_right, names.trend) == (2, 2, -100.0)
    assert (remote.recent_answers, remote.recent_right, remote.trend) == (2, 2, 0.0)
    assert (loose.cards, loose.chance, loose.trend) == (1, None, None)  # free recall only


# --- mock exams -----------------------------------------------------------------------------


def sit_exam(store: Store, right: int, predicted: float | None) -> int:
    """Arrange: sit the deck's exam, `right` questions right and the rest wrong, with the
    chance to pass predicted at its start set to `predicted`."""
    attempt = start_exam(store, "net", rng=random.Random(right))
    for question in attempt.questions:
        wrong = next(t for t in question.choices if t not in question.card.answers)
        option = question.card.answers[0] if question.position < right else wrong
        attempt = answer(store, attempt, question.position, option)
    submit(store, attempt)
    with store.write():
        store.conn.execute(
            "UPDATE exam_attempts SET predicted_pass = ? WHERE id = ?", (predicted, attempt.id)
        )
    return attempt.id


def test_exams_list_each_attempt_with_its_pass_line_and_calibrate_the_predictions(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(DECK, clock=clock)
    at(clock, 0)
    first = sit_exam(store, right=1, predicted=0.3)  # 2 of 4 needed: failed
    at(clock, 2)
    second = sit_exam(store, right=3, predicted=0.9)  # passed
    at(clock, 3)
    sit_exam(store, right=2, predicted=0.95)  # passed, at the line
    sit_exam(store, right=4, predicted=None)

    figures = exams(store, "net")

    assert [(a.attempt_id, a.day, a.score, a.total, a.passed) for a in figures.attempts[:2]] == [
        (first, date(2025, 1, 6), 1, 4, False),
        (second, date(2025, 1, 8), 3, 4, True),
    ]
    assert [a.passed for a in figures.attempts] == [False, True, True, True]
    assert {a.pass_mark for a in figures.attempts} == {0.5}
    assert [(b.attempts, b.pass_rate) for b in figures.bins] == [
        (0, None),
        (1, 0.0),
        (0, None),
        (0, None),
        (2, 1.0),
    ]
    assert figures.bins[4].mean_predicted == pytest.approx(0.925)
    assert figures.brier == pytest.approx((0.3**2 + 0.1**2 + 0.05**2) / 3)


# --- every figure ---------------------------------------------------------------------------


def test_every_decks_figures_add_up_the_decks(make_store: MakeStore, clock: FakeClock) -> None:
    other = DECK.replace(b"deck: net", b"deck: web")
    store = make_store(DECK, other, clock=clock)
    at(clock, 0)
    say(store, "dns", Rating.Good)
    web_dns = int(
        store.conn.execute("SELECT id FROM cards WHERE deck_id = 'web' AND key = 'dns'").fetchone()[
            0
        ]
    )
    record_answer(store, web_dns, Rating.Again, duration_ms=1000)

    both, net = collect(store), collect(store, "net")

    assert (both.today.answers, net.today.answers) == (2, 1)
    assert (both.memory.cards, net.memory.cards) == (2, 1)
    assert {(t.deck_id, t.topic) for t in both.topics} >= {("net", "Names"), ("web", "Names")}
    assert both.true_retention.desired == {"net": 0.9, "web": 0.9}
    assert set(both.to_json()) >= {
        "today",
        "reviews_per_day",
        "forecast",
        "true_retention",
        "memory",
        "topics",
        "exams",
    }


def test_every_figure_is_what_each_section_gives_on_its_own(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(DECK, clock=clock)
    at(clock, 0)
    say(store, "dns", Rating.Good)
    at(clock, 3)
    say(store, "dns", Rating.Again)

    sections = (today, history, forecast, true_retention, memory, topics, exams)
    expected = Stats("net", *(section(store, "net") for section in sections))

    assert collect(store, "net") == expected
    assert expected.memory.cards == 1


def test_an_unknown_deck_is_an_error_in_every_section(make_store: MakeStore) -> None:
    store = make_store(DECK)

    for section in (today, history, forecast, true_retention, memory, topics, exams, collect):
        with pytest.raises(CollectionError, match="no deck 'nope'"):
            section(store, "nope")
