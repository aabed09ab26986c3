"""Custom study, as a learner preparing for an exam uses it: one topic drilled, the questions
the last mock exam missed, extra new cards, reviews ahead; none of it spends the day's limits."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from conftest import FakeClock, deck_yaml
from fsrs import Rating

from srs.clock import to_db
from srs.collection.settings import set_setting
from srs.collection.store import Store
from srs.decks.importer import import_decks
from srs.decks.validate import parse_deck
from srs.exam.engine import answer, start_exam, submit
from srs.study.custom import (
    CustomStudy,
    CustomStudyError,
    custom_cards,
    required_custom_cards,
    study_topics,
)
from srs.study.session import StudySession

MakeStore = Callable[..., Store]

TOPICS_DECK = b"""\
deck: net
title: Networking
exam: {questions: 4, pass_mark: 75%}
cards:
  - {id: dns, topic: Names, question: DNS port?, answer: "53", distractors: ["25", "80"]}
  - {id: mdns, topic: Names, question: mDNS port?, answer: "5353", distractors: ["53", "80"]}
  - {id: ssh, topic: Remote, question: SSH port?, answer: "22", distractors: ["23", "21"]}
  - {id: rdp, topic: Remote, question: RDP port?, answer: "3389", distractors: ["22", "80"]}
  - {id: loopback, question: Loopback address?, answer: 127.0.0.1}
"""
"""Five cards: two of topic Names, two of Remote, one without a topic; an exam of four."""


def card_id(store: Store, key: str) -> int:
    row = store.conn.execute("SELECT id FROM cards WHERE key = ?", (key,)).fetchone()
    return int(row[0])


def key_of(store: Store, cid: int) -> str:
    return str(store.conn.execute("SELECT key FROM cards WHERE id = ?", (cid,)).fetchone()[0])


def make_review_card(store: Store, cid: int, due: datetime, stability: float = 10.0) -> None:
    """Arrange: the card is a review card last seen `stability` days before `due`."""
    with store.write():
        store.conn.execute(
            "UPDATE memory SET state = 2, step = NULL, stability = ?, difficulty = 5.0, "
            "due = ?, last_review = ?, reps = 3 WHERE card_id = ?",
            (stability, to_db(due), to_db(due - timedelta(days=stability)), cid),
        )


def shown_keys(store: Store, session: StudySession, rating: Rating = Rating.Easy) -> list[str]:
    """Answer every card the session shows now with `rating`; the keys of the cards shown."""
    keys = []
    while (card := session.next_card()) is not None:
        keys.append(key_of(store, card.id))
        session.answer(card.id, rating, duration_ms=1000)
    return keys


def sources(store: Store) -> list[str]:
    return [source for (source,) in store.conn.execute("SELECT source FROM reviews ORDER BY id")]


# --- the selections ---------------------------------------------------------------------------


def test_a_topic_drill_studies_every_card_of_that_topic_due_or_not(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(TOPICS_DECK, clock=clock)
    make_review_card(store, card_id(store, "rdp"), clock.now() + timedelta(days=20))

    session = StudySession(store, ["net"], custom=CustomStudy.of_topic("Remote"))

    assert sorted(shown_keys(store, session)) == ["rdp", "ssh"]
    assert study_topics(store, ["net"]) == {"Names": 2, "Remote": 2}


def test_missed_studies_the_wrong_and_unanswered_questions_of_the_last_exam(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(TOPICS_DECK, clock=clock)
    first = start_exam(store, "net", rng=random.Random(1))
    submit(store, first)  # all four missed
    attempt = start_exam(store, "net", rng=random.Random(2))
    right, wrong, *_unanswered = attempt.questions
    attempt = answer(store, attempt, right.position, right.card.answers[0])
    wrong_text = next(t for t in wrong.choices if t not in wrong.card.answers)
    attempt = answer(store, attempt, wrong.position, wrong_text)
    submit(store, attempt)

    cards = custom_cards(store, ["net"], CustomStudy.missed())

    assert [cid for cid, _new in cards] == [q.card_id for q in attempt.questions[1:]]


def test_extra_new_cards_come_after_the_days_limit_is_used_up(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=10), clock=clock)
    set_setting(store, "demo", "new_per_day", "2")
    assert shown_keys(store, StudySession(store)) == ["free-0", "free-1"]

    extra = StudySession(store, ["demo"], custom=CustomStudy.new_cards(3))

    assert shown_keys(store, extra) == ["free-2", "free-3", "free-4"]


def test_review_ahead_takes_the_review_cards_due_in_the_next_days_and_not_today(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=4), clock=clock)
    now = clock.now()  # Monday 12:00; the study day ends Tuesday 04:00
    dues = {
        "free-0": now + timedelta(hours=2),  # today: today's queue has it
        "free-1": now + timedelta(days=1),
        "free-2": datetime(2025, 1, 10, 3, 59, tzinfo=UTC),  # the end of the third day ahead
        "free-3": datetime(2025, 1, 10, 4, 0, tzinfo=UTC),
    }
    for key, due in dues.items():
        make_review_card(store, card_id(store, key), due)

    cards = custom_cards(store, ["demo"], CustomStudy.ahead(3))

    assert [key_of(store, cid) for cid, _new in cards] == ["free-1", "free-2"]


def test_a_card_reviewed_ahead_is_scheduled_from_the_time_that_really_passed(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=1), clock=clock)
    cid = card_id(store, "free-0")
    make_review_card(store, cid, clock.now() + timedelta(days=5))
    session = StudySession(store, ["demo"], custom=CustomStudy.ahead(7))
    card = session.next_card()
    assert card is not None and card.memory.stability == 10.0

    result = session.answer(card.id, Rating.Good, duration_ms=1000)

    # Five days early, the card was likelier to be recalled: its stability grows less.
    assert result.after.due is not None and result.after.due > clock.now() + timedelta(days=5)
    assert result.after.stability is not None and result.after.stability > 10.0


# --- limits and the queue ---------------------------------------------------------------------


def test_custom_answers_are_logged_as_custom_and_spend_none_of_the_days_limits(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=30), clock=clock)
    assert StudySession(store).counts().new == 20

    shown_keys(store, StudySession(store, ["demo"], custom=CustomStudy.new_cards(5)))

    assert sources(store) == ["custom"] * 5
    assert StudySession(store).counts().new == 20


def test_a_card_failed_in_custom_study_comes_back_in_the_same_session(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(TOPICS_DECK, clock=clock)
    set_setting(store, "net", "learn_ahead", "0")
    session = StudySession(store, ["net"], custom=CustomStudy.of_topic("Names"))
    first = session.next_card()
    assert first is not None
    session.answer(first.id, Rating.Again, duration_ms=1000)
    shown_keys(store, session)

    due = session.next_due()
    assert due is not None
    clock.set(due)
    again = session.next_card()
    assert again is not None and again.id == first.id


@pytest.mark.parametrize(
    "study, message",
    [
        (
            CustomStudy.of_topic("names"),
            "no card of topic 'names' to study in 'net' (topics: Names, Remote)",
        ),
        (CustomStudy.missed(), "no mock exam of 'net' has been submitted yet"),
        (CustomStudy.ahead(2), "no review card of 'net' is due in the next 2 days"),
    ],
)
def test_a_selection_with_nothing_to_study_says_why(
    make_store: MakeStore, clock: FakeClock, study: CustomStudy, message: str
) -> None:
    store = make_store(TOPICS_DECK, clock=clock)

    with pytest.raises(CustomStudyError) as raised:
        StudySession(store, ["net"], custom=study)

    assert str(raised.value) == message


def test_extra_new_cards_when_none_are_left_says_so(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=1), clock=clock)
    shown_keys(store, StudySession(store))

    with pytest.raises(CustomStudyError, match="no new cards left in 'demo'"):
        StudySession(store, ["demo"], custom=CustomStudy.new_cards(10))


@pytest.mark.parametrize("make", [CustomStudy.new_cards, CustomStudy.ahead])
def test_amounts_outside_1_to_9999_are_refused(make: Callable[[int], CustomStudy]) -> None:
    for amount in (0, 10_000):
        with pytest.raises(ValueError, match="from 1 to 9999"):
            make(amount)


def test_a_card_retired_by_an_import_after_the_queue_was_built_is_never_shown(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=3), clock=clock)
    session = StudySession(store)
    assert session.counts().new == 3
    without_free_1 = deck_yaml(free=3).replace(
        b"  - id: free-1\n    question: Free question 1?\n    answer: Free answer 1\n", b""
    )
    import_decks(store, [parse_deck(without_free_1)])

    assert shown_keys(store, session) == ["free-0", "free-2"]


def test_weakest_takes_the_studied_cards_least_likely_recalled_weakest_topic_first(
    make_store: MakeStore,
) -> None:
    store = make_store(TOPICS_DECK)
    now = store.clock.now()
    # Seen 9 stabilities ago: weakest; then 1.5, 0.67 and 0.33 stabilities ago; mdns is new.
    make_review_card(store, card_id(store, "ssh"), now - timedelta(days=1), stability=2.0)
    make_review_card(store, card_id(store, "dns"), now - timedelta(days=8), stability=1.0)
    make_review_card(store, card_id(store, "rdp"), now + timedelta(days=20), stability=30.0)
    make_review_card(store, card_id(store, "loopback"), now + timedelta(days=1), stability=3.0)
    weakest = CustomStudy.weakest(3)

    chosen = [key_of(store, cid) for cid, _ in custom_cards(store, ["net"], weakest)]

    # The three weakest are dns (R lowest), ssh and loopback; Names (dns alone) is the weakest
    # topic, then Remote (ssh), then no topic; rdp, well known, and mdns, never seen, stay out.
    assert chosen == ["dns", "ssh", "loopback"]
    session = StudySession(store, ["net"], custom=weakest)
    assert shown_keys(store, session) == ["dns", "ssh", "loopback"]
    assert sources(store) == ["custom"] * 3


def test_weakest_with_nothing_studied_says_so(make_store: MakeStore) -> None:
    store = make_store(TOPICS_DECK)
    with pytest.raises(CustomStudyError, match="has been studied yet"):
        required_custom_cards(store, ["net"], CustomStudy.weakest(5))
