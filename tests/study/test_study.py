"""The study engine as a learner meets it: today's queue, answers, undo, limits, leeches, days."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from conftest import FakeClock, deck_yaml
from fsrs import Rating

from srs.clock import to_db
from srs.collection.settings import set_setting
from srs.collection.store import CollectionError, Store
from srs.decks.importer import import_decks
from srs.decks.validate import parse_deck
from srs.model.memory import Memory, MemoryState
from srs.study.answers import (
    AnswerResult,
    CardKind,
    StudyCard,
    bury_card,
    choices_for,
    grade,
    load_card,
    record_answer,
    suspend_card,
    unsuspend_card,
)
from srs.study.overview import deck_overview, study_streak
from srs.study.session import StudySession
from srs.study.upcoming import next_study_time

MakeStore = Callable[..., Store]
NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")


def card_id(store: Store, key: str, deck: str = "demo") -> int:
    row = store.conn.execute(
        "SELECT id FROM cards WHERE deck_id = ? AND key = ?", (deck, key)
    ).fetchone()
    return int(row[0])


def memory_row(store: Store, cid: int) -> tuple[object, ...]:
    return tuple(store.conn.execute("SELECT * FROM memory WHERE card_id = ?", (cid,)).fetchone())


def review_count(store: Store) -> int:
    return int(store.conn.execute("SELECT count(*) FROM reviews").fetchone()[0])


def make_review_card(store: Store, cid: int, due: datetime, stability: float = 10.0) -> None:
    """Arrange: the card is a review card last seen `stability` days before `due`."""
    with store.write():
        store.conn.execute(
            "UPDATE memory SET state = 2, step = NULL, stability = ?, difficulty = 5.0, "
            "due = ?, last_review = ?, reps = 3 WHERE card_id = ?",
            (stability, to_db(due), to_db(due - timedelta(days=stability)), cid),
        )


def study(
    session: StudySession,
    clock: FakeClock,
    rate: Callable[[StudyCard], Rating] = lambda card: Rating.Good,
    *,
    wait: bool = True,
    results: list[AnswerResult] | None = None,
) -> list[StudyCard]:
    """Answer every card as it comes, waiting for learning steps when `wait`; returns the cards
    shown (and appends each answer's result to `results`)."""
    shown: list[StudyCard] = []
    for _ in range(10_000):
        card = session.next_card()
        if card is None:
            when = session.next_due()
            if when is None or not wait:
                return shown
            clock.set(when)
            continue
        shown.append(card)
        result = session.answer(card.id, rate(card), duration_ms=3000)
        if results is not None:
            results.append(result)
    raise AssertionError("the session never ended")


# --- today's queue ----------------------------------------------------------------------------


def test_new_cards_per_day_count_cards_introduced_in_earlier_sessions(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=30), clock=clock)
    first = StudySession(store)
    for _ in range(5):
        card = first.next_card()
        assert card is not None
        first.answer(card.id, Rating.Good, duration_ms=2000)

    assert StudySession(store).counts().new == 15
    study(StudySession(store), clock)
    assert StudySession(store).counts().new == 0

    clock.advance(days=1)
    assert StudySession(store).counts().new == 10


def test_reviews_per_day_limit_holds_across_sessions(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=10), clock=clock)
    set_setting(store, "demo", "reviews_per_day", "4")
    set_setting(store, "demo", "new_per_day", "0")
    for n in range(10):
        make_review_card(store, card_id(store, f"free-{n}"), clock.now() - timedelta(hours=n))

    first = StudySession(store)
    assert first.counts().review == 4
    for _ in range(3):
        card = first.next_card()
        assert card is not None
        first.answer(card.id, Rating.Good, duration_ms=1000)

    assert StudySession(store).counts().review == 1


def test_review_cards_come_oldest_due_first(make_store: MakeStore, clock: FakeClock) -> None:
    store = make_store(deck_yaml(free=3), clock=clock)
    set_setting(store, "demo", "new_per_day", "0")
    for n, days_overdue in enumerate([1, 5, 3]):
        due = clock.now() - timedelta(days=days_overdue)
        make_review_card(store, card_id(store, f"free-{n}"), due)

    shown = study(StudySession(store), clock)

    assert [c.content.id for c in shown] == ["free-1", "free-2", "free-0"]


def test_new_cards_are_mixed_in_among_reviews_not_left_to_the_end(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=24), clock=clock)
    set_setting(store, "demo", "new_per_day", "4")
    set_setting(store, "demo", "learn_ahead", "0")  # only the main queue's order is seen
    for n in range(4, 24):
        make_review_card(store, card_id(store, f"free-{n}"), clock.now() - timedelta(hours=n))

    shown = study(StudySession(store), clock, wait=False)

    positions = [i for i, c in enumerate(shown) if c.memory.state is MemoryState.New]
    assert len(shown) == 24
    assert len(positions) == 4
    assert positions[0] < 8
    assert max(b - a for a, b in zip([-1, *positions], positions, strict=False)) <= 7


def test_learning_cards_due_now_come_before_reviews(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=12), clock=clock)
    set_setting(store, "demo", "new_per_day", "3")
    for n in range(3, 12):
        make_review_card(store, card_id(store, f"free-{n}"), clock.now() - timedelta(days=1))
    session = StudySession(store)
    while (card := session.next_card()) is not None and card.memory.state is MemoryState.Review:
        session.answer(card.id, Rating.Good, duration_ms=1)
    assert card is not None
    session.answer(card.id, Rating.Again, duration_ms=1)
    assert session.counts().review > 0

    clock.advance(minutes=1)
    again = session.next_card()

    assert again is not None and again.id == card.id


def test_failed_card_comes_back_in_the_same_session_when_its_step_is_due(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=1), clock=clock)
    set_setting(store, "demo", "learn_ahead", "0")
    session = StudySession(store)
    card = session.next_card()
    assert card is not None

    session.answer(card.id, Rating.Again, duration_ms=1000)

    assert session.next_card() is None
    assert session.next_due() == clock.now() + timedelta(minutes=1)
    assert not session.is_finished
    assert session.counts().learning == 1
    clock.advance(minutes=1)
    again = session.next_card()
    assert again is not None and again.id == card.id
    assert again.memory.state is MemoryState.Learning


def test_session_ends_when_every_card_has_graduated(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=3), clock=clock)
    session = StudySession(store)

    study(session, clock)

    assert session.next_card() is None
    assert session.next_due() is None
    assert session.is_finished


def test_retired_suspended_and_buried_cards_never_appear(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=6), clock=clock)
    for n in (3, 4, 5):
        make_review_card(store, card_id(store, f"free-{n}"), clock.now() - timedelta(days=1))
    edited = b"  - id: ".join(
        block
        for block in deck_yaml(free=6).split(b"  - id: ")
        if not block.startswith((b"free-0", b"free-3"))
    )
    import_decks(store, [parse_deck(edited)])  # retires free-0 (new) and free-3 (review)
    suspend_card(store, card_id(store, "free-1"))
    suspend_card(store, card_id(store, "free-4"))
    bury_card(store, card_id(store, "free-5"))

    shown = study(StudySession(store), clock)

    assert {c.content.id for c in shown} == {"free-2"}
    overview = deck_overview(store)[0]
    assert (overview.cards, overview.retired, overview.suspended) == (4, 2, 2)


def test_buried_card_returns_on_the_next_study_day(make_store: MakeStore, clock: FakeClock) -> None:
    store = make_store(deck_yaml(free=2), clock=clock)
    session = StudySession(store)
    card = session.next_card()
    assert card is not None

    returns = session.bury(card.id)

    assert returns.isoformat() == "2025-01-07"
    assert card.id not in {c.id for c in study(session, clock)}
    clock.set(datetime(2025, 1, 7, 3, 59, tzinfo=UTC))
    assert StudySession(store).counts().new == 0
    clock.set(datetime(2025, 1, 7, 4, 0, tzinfo=UTC))
    assert StudySession(store).counts().new == 1


def test_unsuspended_card_comes_back_with_its_memory(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=1), clock=clock)
    cid = card_id(store, "free-0")
    make_review_card(store, cid, clock.now() - timedelta(hours=1))
    before = memory_row(store, cid)
    suspend_card(store, cid)
    assert StudySession(store).counts().review == 0

    unsuspend_card(store, cid)

    assert StudySession(store).counts().review == 1
    assert memory_row(store, cid) == before


def test_studying_all_decks_applies_each_decks_own_limits(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("alpha", free=10), deck_yaml("beta", free=10), clock=clock)
    set_setting(store, "alpha", "new_per_day", "3")
    set_setting(store, "beta", "new_per_day", "5")

    assert StudySession(store).counts().new == 8
    assert StudySession(store, ["beta"]).counts().new == 5
    shown = study(StudySession(store), clock)
    decks = [c.deck_id for c in shown if c.memory.state is MemoryState.New]
    assert (decks.count("alpha"), decks.count("beta")) == (3, 5)


def test_a_session_running_past_the_day_start_moves_on_to_the_new_day(
    make_store: MakeStore,
) -> None:
    clock = FakeClock(datetime(2025, 1, 7, 3, 50, tzinfo=UTC))
    store = make_store(deck_yaml(free=20), clock=clock)
    set_setting(store, "demo", "new_per_day", "5")
    session = StudySession(store)
    study(session, clock, lambda card: Rating.Easy)
    assert session.next_card() is None

    clock.set(datetime(2025, 1, 7, 4, 0, tzinfo=UTC))

    assert session.next_card() is not None
    assert session.counts().new == 5
    assert session.day.isoformat() == "2025-01-07"


def test_studying_an_unknown_deck_is_a_collection_error(make_store: MakeStore) -> None:
    store = make_store(deck_yaml(free=1))

    with pytest.raises(CollectionError, match="no deck 'nope'"):
        StudySession(store, ["nope"])


# --- answering --------------------------------------------------------------------------------


def test_answer_logs_rating_time_choice_day_source_and_memory_before_and_after(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(choice=1), clock=clock)
    session = StudySession(store)
    card = session.next_card()
    assert card is not None

    result = session.answer(card.id, Rating.Easy, duration_ms=95_000, choice=["Right 0"])

    row = store.conn.execute(
        "SELECT rating, duration_ms, choice, day, source, before, after, reviewed_at "
        "FROM reviews WHERE id = ?",
        (result.review_id,),
    ).fetchone()
    assert row[:5] == (4, 60_000, '["Right 0"]', "2025-01-06", "review")
    assert json.loads(row[5])["state"] == 0
    assert json.loads(row[6]) == json.loads(result.after.to_json())
    assert json.loads(row[6])["state"] == MemoryState.Review
    assert row[7] == to_db(clock.now())


def test_multiple_choice_wrong_option_is_again_and_right_suggests_good_or_allows_any() -> None:
    card = deck_card(choice=1)

    wrong = grade(card.content, ["Wrong 0a"])
    right = grade(card.content, ["Right 0"])

    assert (wrong.correct, wrong.suggested, wrong.allowed) == (False, Rating.Again, (Rating.Again,))
    assert wrong.wrongly_chosen == ("Wrong 0a",)
    assert (right.correct, right.suggested) == (True, Rating.Good)
    # Again too: "I guessed", so a lucky pick is not logged as known.
    assert right.allowed == (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy)


def test_select_all_is_right_only_with_exactly_the_answer_set() -> None:
    card = deck_card(select_all=1)
    assert card.kind is CardKind.SELECT_ALL

    assert grade(card.content, ["Right 0b", "Right 0a"]).correct
    assert grade(card.content, ["Right 0a"]).missed == ("Right 0b",)
    assert not grade(card.content, ["Right 0a", "Right 0b", "Wrong 0a"]).correct
    assert not grade(card.content, []).correct


def test_choices_are_shuffled_on_every_showing_with_their_feedback() -> None:
    card = deck_card(choice=1)
    rng = random.Random(4)

    orders = {tuple(o.text for o in choices_for(card.content, rng)) for _ in range(20)}
    options = {o.text: o for o in choices_for(card.content, rng)}

    assert len(orders) > 1
    assert options["Right 0"].is_correct and options["Right 0"].feedback == "Well done"
    assert options["Wrong 0a"].feedback == "Not 0a"
    assert options["Wrong 0b"].feedback == "Not quite"
    assert not options["Wrong 0b"].is_correct
    assert choices_for(deck_card(free=1).content, rng) == []


def test_rating_that_contradicts_the_choice_is_refused(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(choice=1), clock=clock)
    session = StudySession(store)
    card = session.next_card()
    assert card is not None

    with pytest.raises(ValueError, match="contradicts"):
        session.answer(card.id, Rating.Good, duration_ms=1, choice=["Wrong 0a"])
    assert review_count(store) == 0


def test_a_choice_is_graded_against_the_card_as_it_was_shown(
    make_store: MakeStore, clock: FakeClock
) -> None:
    """The deck is edited and imported again while the card is on screen (another srs process,
    or `srs import` in a second terminal): the learner picked among the options shown."""
    store = make_store(deck_yaml(choice=1), clock=clock)
    session = StudySession(store)
    card = session.next_card()
    assert card is not None
    edited = deck_yaml(choice=1).replace(b"answer: Right 0", b"answer: Wrong 0b")
    edited = edited.replace(b"- Wrong 0b", b"- Right 0")
    import_decks(store, [parse_deck(edited)])

    result = session.answer(card.id, Rating.Good, duration_ms=1, choice=["Right 0"])

    assert result.rating == Rating.Good and review_count(store) == 1


def test_a_right_pick_rated_again_is_logged_as_a_lapse_of_memory(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(choice=1), clock=clock)
    session = StudySession(store)
    card = session.next_card()
    assert card is not None

    result = session.answer(card.id, Rating.Again, duration_ms=1, choice=["Right 0"])

    assert not result.correct
    assert result.after.state is MemoryState.Learning and result.after.step == 0


def test_preview_shows_each_ratings_interval_before_answering(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=1), clock=clock)
    session = StudySession(store)
    card = session.next_card()
    assert card is not None

    shown = session.preview(card)
    result = session.answer(card.id, Rating.Good, duration_ms=1)

    assert shown[Rating.Good].text == "10m"
    assert shown[Rating.Good].due == result.after.due


def test_clock_moved_backwards_never_stores_a_review_earlier_than_the_last(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=1), clock=clock)
    cid = card_id(store, "free-0")
    first = record_answer(store, cid, Rating.Good, duration_ms=1)

    clock.advance(hours=-5)
    second = record_answer(store, cid, Rating.Good, duration_ms=1)

    times = [r for (r,) in store.conn.execute("SELECT reviewed_at FROM reviews ORDER BY id")]
    assert times[1] >= times[0]
    assert second.after.last_review == first.after.last_review
    assert second.after.due is not None and first.after.due is not None
    assert second.after.due >= first.after.due


def test_exam_answers_update_memory_but_not_the_daily_limits(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(choice=25), clock=clock)
    for n in range(10):
        record_answer(
            store,
            card_id(store, f"choice-{n}"),
            Rating.Good,
            duration_ms=1,
            choice=[f"Right {n}"],
            source="exam",
        )

    counts = StudySession(store).counts()

    assert counts.new == 15  # the limit applies to what is left
    assert (
        store.conn.execute("SELECT count(*) FROM reviews WHERE source = 'exam'").fetchone()[0] == 10
    )


# --- undo -------------------------------------------------------------------------------------


def test_undo_restores_the_exact_memory_row_and_deletes_the_log_row(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=2), clock=clock)
    cid = card_id(store, "free-0")
    make_review_card(store, cid, clock.now() - timedelta(days=2), stability=0.0 + 12.345678)
    session = StudySession(store)
    before = memory_row(store, cid)
    card = session.next_card()
    assert card is not None and card.id == cid

    result = session.answer(cid, Rating.Hard, duration_ms=1)
    assert memory_row(store, cid) != before
    shown_again = session.undo()

    assert memory_row(store, cid) == before
    assert (
        store.conn.execute(
            "SELECT count(*) FROM reviews WHERE id = ?", (result.review_id,)
        ).fetchone()[0]
        == 0
    )
    assert shown_again is not None and shown_again.id == cid
    next_card = session.next_card()
    assert next_card is not None and next_card.id == cid


def test_undo_goes_back_through_the_whole_session(make_store: MakeStore, clock: FakeClock) -> None:
    store = make_store(deck_yaml(free=3), clock=clock)
    rows = {cid: memory_row(store, cid) for (cid,) in store.conn.execute("SELECT id FROM cards")}
    session = StudySession(store)
    counts = session.counts()
    study(session, clock)
    answers = review_count(store)

    undone = 0
    while session.can_undo:
        session.undo()
        undone += 1

    assert undone == answers
    assert review_count(store) == 0
    assert {cid: memory_row(store, cid) for cid in rows} == rows
    assert session.counts() == counts
    assert session.undo() is None


def test_undo_is_refused_when_the_card_was_answered_again_since(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=1), clock=clock)
    session = StudySession(store)
    card = session.next_card()
    assert card is not None
    session.answer(card.id, Rating.Good, duration_ms=1)
    record_answer(store, card.id, Rating.Good, duration_ms=1, source="exam")

    with pytest.raises(CollectionError, match="answered again since"):
        session.undo()
    assert review_count(store) == 2


# --- leeches ----------------------------------------------------------------------------------


def test_card_becomes_a_leech_at_the_eighth_lapse(make_store: MakeStore, clock: FakeClock) -> None:
    store = make_store(deck_yaml(free=1), clock=clock)
    cid = card_id(store, "free-0")
    result = record_answer(store, cid, Rating.Easy, duration_ms=1)
    warnings = []
    for _ in range(8):
        assert result.after.due is not None
        clock.set(result.after.due)
        lapse = record_answer(store, cid, Rating.Again, duration_ms=1)
        warnings.append(lapse.leech)
        clock.advance(minutes=10)
        result = record_answer(store, cid, Rating.Good, duration_ms=1)

    assert warnings == [False] * 7 + [True]
    assert lapse.after.lapses == 8
    assert load_card(store, cid).memory.lapses == 8
    assert store.conn.execute("SELECT leech FROM cards WHERE id = ?", (cid,)).fetchone()[0] == 1
    assert deck_overview(store)[0].leeches == 1


def test_undoing_the_lapse_that_made_a_leech_clears_the_flag(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=1), clock=clock)
    set_setting(store, "demo", "leech_threshold", "1")
    cid = card_id(store, "free-0")
    make_review_card(store, cid, clock.now())
    session = StudySession(store)

    result = session.answer(cid, Rating.Again, duration_ms=1)
    assert result.leech and result.leech_flagged
    session.undo()

    assert store.conn.execute("SELECT leech FROM cards WHERE id = ?", (cid,)).fetchone()[0] == 0


# --- the learner's day ------------------------------------------------------------------------


def test_due_today_follows_the_local_day_start_in_new_york(make_store: MakeStore) -> None:
    # 2025-01-10 23:00 in New York (04:00 UTC on the 11th): study day Jan 10 ends at 04:00 local.
    clock = FakeClock(datetime(2025, 1, 10, 23, 0, tzinfo=NEW_YORK), zone=NEW_YORK)
    store = make_store(deck_yaml(free=2), clock=clock)
    set_setting(store, "demo", "new_per_day", "0")
    early = card_id(store, "free-0")
    late = card_id(store, "free-1")
    make_review_card(store, early, datetime(2025, 1, 11, 3, 30, tzinfo=NEW_YORK))
    make_review_card(store, late, datetime(2025, 1, 11, 4, 30, tzinfo=NEW_YORK))

    assert {c.id for c in study(StudySession(store), clock)} == {early}
    assert deck_overview(store)[0].due_today == 0

    clock.set(datetime(2025, 1, 11, 4, 0, tzinfo=NEW_YORK))
    assert {c.id for c in study(StudySession(store), clock)} == {late}


@pytest.mark.parametrize(
    ("last_minute", "new_day"),
    [
        # Spring forward: 02:00 CET -> 03:00 CEST; 04:00 CEST is 02:00 UTC.
        (datetime(2025, 3, 30, 1, 59, tzinfo=UTC), datetime(2025, 3, 30, 2, 0, tzinfo=UTC)),
        # Fall back: 03:00 CEST -> 02:00 CET; 04:00 CET is 03:00 UTC.
        (datetime(2025, 10, 26, 2, 59, tzinfo=UTC), datetime(2025, 10, 26, 3, 0, tzinfo=UTC)),
    ],
)
def test_new_study_day_begins_at_four_local_on_dst_days_in_berlin(
    make_store: MakeStore, last_minute: datetime, new_day: datetime
) -> None:
    clock = FakeClock(last_minute - timedelta(hours=6), zone=BERLIN)
    store = make_store(deck_yaml(free=40), clock=clock)
    set_setting(store, "demo", "new_per_day", "10")
    study(StudySession(store), clock, wait=False)

    clock.set(last_minute)
    assert StudySession(store).counts().new == 0
    assert StudySession(store).day == (new_day - timedelta(days=1)).date()

    clock.set(new_day)
    session = StudySession(store)
    assert session.counts().new == 10
    assert session.day == new_day.date()
    assert new_day.astimezone(BERLIN).hour == 4


def test_review_due_just_before_the_dst_day_ends_counts_for_that_day(
    make_store: MakeStore,
) -> None:
    # The 25-hour day of 2025-10-26 in Berlin ends at 04:00 CET on the 27th (03:00 UTC).
    clock = FakeClock(datetime(2025, 10, 26, 20, 0, tzinfo=UTC), zone=BERLIN)
    store = make_store(deck_yaml(free=2), clock=clock)
    set_setting(store, "demo", "new_per_day", "0")
    make_review_card(store, card_id(store, "free-0"), datetime(2025, 10, 27, 2, 59, tzinfo=UTC))
    make_review_card(store, card_id(store, "free-1"), datetime(2025, 10, 27, 3, 0, tzinfo=UTC))

    assert StudySession(store).counts().review == 1
    assert deck_overview(store)[0].due_today == 1


def test_a_simulated_month_grows_intervals_with_success_and_shrinks_them_on_failure(
    make_store: MakeStore,
) -> None:
    start = datetime(2025, 3, 1, 9, 0, tzinfo=BERLIN)
    clock = FakeClock(start, zone=BERLIN)
    store = make_store(deck_yaml(free=40), clock=clock)
    set_setting(store, "demo", "new_per_day", "8")
    set_setting(store, "demo", "reviews_per_day", "6")
    steady, shaky = card_id(store, "free-0"), card_id(store, "free-1")
    lapsed_on: list[int] = []

    def rate(card: StudyCard) -> Rating:
        if (
            card.id == shaky
            and card.memory.state is MemoryState.Review
            and not lapsed_on
            and day >= 10
        ):
            lapsed_on.append(day)
            return Rating.Again
        return Rating.Good

    results: list[AnswerResult] = []
    for day in range(31):
        clock.set(start + timedelta(days=day))
        study(StudySession(store), clock, rate, results=results)
    given: dict[int, list[tuple[MemoryState, int]]] = {steady: [], shaky: []}
    for result in results:
        if result.card_id in given:
            after = result.after
            assert after.due is not None and after.last_review is not None
            given[result.card_id].append(
                (result.before.state, (after.due - after.last_review).days)
            )

    daily = store.conn.execute(
        "SELECT day, sum(json_extract(before, '$.state') = 0), "
        "sum(json_extract(before, '$.state') = 2) FROM reviews GROUP BY day"
    ).fetchall()
    assert all(new <= 8 and reviews <= 6 for _, new, reviews in daily)
    assert sum(new for _, new, _ in daily) == 40
    assert any(reviews == 6 for _, _, reviews in daily)  # the review limit was reached
    steady_days = [days for _, days in given[steady] if days > 0]  # past the learning steps
    assert len(steady_days) >= 3
    assert all(a < b for a, b in pairwise(steady_days))
    assert lapsed_on, "the shaky card was never due for review"
    lapse = next(
        i
        for i, (state, days) in enumerate(given[shaky])
        if state is MemoryState.Review and days == 0
    )
    interval_before = given[shaky][lapse - 1][1]
    relearned = next(
        days
        for state, days in given[shaky][lapse + 1 :]
        if state is MemoryState.Relearning and days > 0
    )
    assert relearned < interval_before


# --- dashboard and summary --------------------------------------------------------------------


def test_deck_overview_counts_what_the_learner_has_in_each_deck(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("alpha", free=6), deck_yaml("beta", free=2), clock=clock)
    make_review_card(store, card_id(store, "free-0", "alpha"), clock.now() - timedelta(days=1))
    make_review_card(store, card_id(store, "free-1", "alpha"), clock.now() + timedelta(days=5))
    record_answer(store, card_id(store, "free-2", "alpha"), Rating.Again, duration_ms=1)
    suspend_card(store, card_id(store, "free-3", "alpha"))
    bury_card(store, card_id(store, "free-4", "alpha"))

    alpha, beta = deck_overview(store)

    assert (alpha.deck_id, alpha.cards, alpha.new, alpha.learning, alpha.review) == (
        "alpha",
        6,
        1,
        1,
        2,
    )
    assert (alpha.due_today, alpha.suspended, alpha.retired) == (2, 1, 0)
    assert (alpha.reviewed_today, alpha.streak, alpha.new_today) == (1, 1, 1)
    assert (beta.cards, beta.new, beta.due_today, beta.reviewed_today, beta.streak) == (
        2,
        2,
        0,
        0,
        0,
    )
    assert alpha.to_dict()["due_today"] == 2


def test_streak_counts_consecutive_study_days_ending_today_or_yesterday(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=10), clock=clock)
    ids = [card_id(store, f"free-{n}") for n in range(10)]
    for day in (0, 2, 3, 4):  # a gap on day 1
        clock.set(datetime(2025, 1, 6, 12, tzinfo=UTC) + timedelta(days=day))
        record_answer(store, ids[day], Rating.Good, duration_ms=1)

    assert study_streak(store) == 3
    clock.advance(days=1)
    assert study_streak(store) == 3  # nothing yet today: the run ending yesterday counts
    assert deck_overview(store)[0].streak == 3
    clock.advance(days=1)
    assert study_streak(store) == 0


def test_summary_reports_cards_percent_correct_time_and_next_due(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=2), clock=clock)
    set_setting(store, "demo", "learn_ahead", "0")
    session = StudySession(store)
    first = session.next_card()
    assert first is not None
    session.answer(first.id, Rating.Again, duration_ms=4000)
    second = session.next_card()
    assert second is not None
    session.answer(second.id, Rating.Good, duration_ms=90_000)

    summary = session.summary()

    assert summary.cards_reviewed == 2
    assert summary.answers == 2
    assert summary.percent_correct == 50.0
    assert summary.time_spent == timedelta(seconds=64)
    assert summary.next_due == clock.now() + timedelta(minutes=1)


def test_next_study_time_after_the_day_is_done_is_the_next_day_start(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=30), clock=clock)
    study(StudySession(store), clock)

    assert next_study_time(store) == datetime(2025, 1, 7, 4, 0, tzinfo=UTC)
    assert StudySession(store).summary().next_due == datetime(2025, 1, 7, 4, 0, tzinfo=UTC)


def deck_card(*, free: int = 0, choice: int = 0, select_all: int = 0) -> StudyCard:
    """The first card of a small deck, without a collection (pure grading tests)."""
    deck = parse_deck(deck_yaml(free=free, choice=choice, select_all=select_all))
    return StudyCard(1, deck.id, deck.cards[0], Memory())
