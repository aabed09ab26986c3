"""Where srs schedules as Anki does rather than as py-fsrs alone would: elapsed time in study
days, Hard < Good < Easy on review cards, the learn-ahead limit, day-long learning steps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from conftest import FakeClock, deck_yaml
from fsrs import Rating
from hypothesis import given, settings
from hypothesis import strategies as st

from srs.clock import Clock
from srs.collection.memory import set_memory
from srs.collection.settings import set_setting
from srs.collection.store import Store
from srs.model.memory import Memory, MemoryState
from srs.model.settings import DeckSettings
from srs.study.answers import record_answer
from srs.study.scheduling import preview, schedule
from srs.study.session import StudySession
from srs.study.upcoming import next_study_time

MakeStore = Callable[..., Store]
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
BERLIN = ZoneInfo("Europe/Berlin")
NO_FUZZ = DeckSettings(fuzz=False)


def review_memory(last_review: datetime, stability: float = 10.0, days: int = 10) -> Memory:
    """A review card last answered at `last_review` and given an interval of `days` days."""
    last = last_review.astimezone(UTC)
    return Memory(MemoryState.Review, None, stability, 5.0, last + timedelta(days=days), last, 3)


def card_ids(store: Store) -> list[int]:
    return [int(row[0]) for row in store.conn.execute("SELECT id FROM cards ORDER BY id")]


# --- elapsed time in study days ---------------------------------------------------------------


def test_a_review_the_next_morning_20_hours_later_counts_as_one_day(
    make_store: MakeStore,
) -> None:
    clock = FakeClock(datetime(2025, 3, 11, 13, 0, tzinfo=LOS_ANGELES), zone=LOS_ANGELES)
    store = make_store(deck_yaml(free=2), clock=clock)
    morning_card, afternoon_card = card_ids(store)
    with store.write():
        for card_id in (morning_card, afternoon_card):
            set_memory(store, card_id, review_memory(clock.now()))

    clock.set(datetime(2025, 3, 12, 9, 0, tzinfo=LOS_ANGELES))  # 20 hours later
    morning = record_answer(store, morning_card, Rating.Good, duration_ms=1000)
    clock.set(datetime(2025, 3, 12, 13, 0, tzinfo=LOS_ANGELES))  # 24 hours later
    afternoon = record_answer(store, afternoon_card, Rating.Good, duration_ms=1000)

    assert morning.after.stability == afternoon.after.stability


def test_a_review_on_the_next_study_day_counts_as_one_day_across_the_spring_clock_change() -> None:
    days = Clock(zone=BERLIN)
    # 30 March 2025 has 23 hours in Berlin: from 04:30 on the 29th to 04:10 on the 30th is
    # 22 h 40 min, yet the second answer is on the next study day.
    memory = review_memory(datetime(2025, 3, 29, 4, 30, tzinfo=BERLIN))

    early = schedule(
        memory,
        Rating.Good,
        card=str(1),
        now=datetime(2025, 3, 30, 4, 10, tzinfo=BERLIN),
        settings=NO_FUZZ,
        clock=days,
    )
    later = schedule(
        memory,
        Rating.Good,
        card=str(1),
        now=datetime(2025, 3, 30, 18, 0, tzinfo=BERLIN),
        settings=NO_FUZZ,
        clock=days,
    )

    assert early.stability == later.stability


def test_review_intervals_are_study_days_across_the_autumn_clock_change() -> None:
    days = Clock(zone=BERLIN)
    # 26 October 2025 has 25 hours in Berlin: 24 hours after 04:30 on the 25th is 03:30 on
    # the 26th, still the 25th's study day.
    now = datetime(2025, 10, 25, 4, 30, tzinfo=BERLIN)
    memory = review_memory(now - timedelta(days=2), stability=1.0, days=2)

    shown = preview(memory, card=str(1), now=now, settings=NO_FUZZ, clock=days)

    for rating in (Rating.Hard, Rating.Good, Rating.Easy):
        interval = shown[rating].interval.days
        assert interval >= 1
        assert (days.study_day(shown[rating].due) - days.study_day(now)).days == interval


# --- Hard < Good < Easy -----------------------------------------------------------------------


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(
    stability=st.floats(0.1, 1000.0),
    difficulty=st.floats(1.0, 10.0),
    scheduled=st.integers(1, 1000),
    elapsed_hours=st.integers(0, 24 * 1000),
    card_id=st.integers(1, 2**40),
    fuzz=st.booleans(),
)
def test_review_card_previews_keep_hard_shorter_than_good_shorter_than_easy(
    stability: float,
    difficulty: float,
    scheduled: int,
    elapsed_hours: int,
    card_id: int,
    fuzz: bool,
) -> None:
    now = datetime(2025, 1, 6, 12, 0, tzinfo=UTC)
    last = now - timedelta(hours=elapsed_hours)
    memory = Memory(
        MemoryState.Review, None, stability, difficulty, last + timedelta(days=scheduled), last, 5
    )

    shown = preview(
        memory, card=str(card_id), now=now, settings=DeckSettings(fuzz=fuzz), clock=Clock(zone=UTC)
    )

    again, hard, good, easy = (shown[rating].interval for rating in Rating)
    assert again < hard < good < easy


# --- the learn-ahead limit ----------------------------------------------------------------------


def test_learning_card_due_within_the_learn_ahead_limit_is_shown_at_once_one_further_waits(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=2), clock=clock)
    set_setting(store, "demo", "learning_steps", "5m 30m")
    session = StudySession(store)
    first = session.next_card()
    assert first is not None
    session.answer(first.id, Rating.Good, duration_ms=1000)  # its 30-minute step
    second = session.next_card()
    assert second is not None
    session.answer(second.id, Rating.Again, duration_ms=1000)  # its 5-minute step

    early = session.next_card()
    assert early is not None and early.id == second.id
    session.answer(second.id, Rating.Good, duration_ms=1000)  # its 30-minute step

    assert session.next_card() is None
    assert session.next_due() == clock.now() + timedelta(minutes=10)
    clock.advance(minutes=10)
    later = session.next_card()
    assert later is not None and later.id == first.id


def test_learn_ahead_zero_makes_the_learner_wait_for_the_step(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=1), clock=clock)
    set_setting(store, "demo", "learning_steps", "5m")
    set_setting(store, "demo", "learn_ahead", "0")
    session = StudySession(store)
    card = session.next_card()
    assert card is not None

    session.answer(card.id, Rating.Again, duration_ms=1000)

    assert session.next_card() is None
    assert session.next_due() == clock.now() + timedelta(minutes=5)


def test_each_decks_own_learn_ahead_limit_applies_when_studying_all_decks(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("patient", free=1), deck_yaml("eager", free=1), clock=clock)
    for deck in ("patient", "eager"):
        set_setting(store, deck, "learning_steps", "30m")
    set_setting(store, "eager", "learn_ahead", "45m")
    session = StudySession(store)
    for _ in range(2):
        card = session.next_card()
        assert card is not None
        session.answer(card.id, Rating.Again, duration_ms=1000)

    early = session.next_card()

    assert early is not None and early.deck_id == "eager"
    session.answer(early.id, Rating.Good, duration_ms=1000)
    assert session.next_card() is None
    assert session.next_due() == clock.now() + timedelta(minutes=10)


def test_a_card_answered_from_outside_the_sessions_decks_keeps_its_own_decks_limit(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("patient", free=1), deck_yaml("eager", free=1), clock=clock)
    set_setting(store, "patient", "learn_ahead", "0")
    set_setting(store, "eager", "learning_steps", "30m")
    set_setting(store, "eager", "learn_ahead", "45")
    session = StudySession(store, ["patient"])
    own = session.next_card()
    assert own is not None
    outsider = next(cid for cid in card_ids(store) if cid != own.id)
    session.answer(outsider, Rating.Again, duration_ms=1000)  # an "eager" card: due in 30m
    session.answer(own.id, Rating.Again, duration_ms=1000)  # due in 1m, and waited for

    shown = session.next_card()

    assert shown is not None and shown.id == outsider


def test_next_study_time_is_when_a_fresh_session_shows_the_learning_card(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("patient", free=1), deck_yaml("eager", free=1), clock=clock)
    for deck in ("patient", "eager"):
        set_setting(store, deck, "learning_steps", "30m")
    set_setting(store, "patient", "learn_ahead", "0")
    set_setting(store, "eager", "learn_ahead", "25m")
    session = StudySession(store)
    for _ in range(2):
        card = session.next_card()
        assert card is not None
        session.answer(card.id, Rating.Again, duration_ms=1000)  # both due in 30m

    assert next_study_time(store, ["patient"]) == clock.now() + timedelta(minutes=30)
    assert next_study_time(store, ["eager"]) == clock.now() + timedelta(minutes=5)
    assert next_study_time(store) == clock.now() + timedelta(minutes=5)
    clock.advance(minutes=4)
    assert StudySession(store).next_card() is None
    clock.advance(minutes=1)
    shown = StudySession(store).next_card()
    assert shown is not None and shown.deck_id == "eager"
    clock.advance(minutes=1)
    assert next_study_time(store, ["eager"]) == clock.now()  # ready, never in the past


# --- day-long learning steps ------------------------------------------------------------------


def test_a_one_day_learning_step_is_due_at_the_start_of_the_next_study_day(
    make_store: MakeStore,
) -> None:
    clock = FakeClock(datetime(2025, 1, 6, 22, 0, tzinfo=UTC))
    store = make_store(deck_yaml(free=1), clock=clock)
    set_setting(store, "demo", "learning_steps", "10m 1d")
    session = StudySession(store)
    card = session.next_card()
    assert card is not None
    assert session.preview(card)[Rating.Good].text == "1d"

    result = session.answer(card.id, Rating.Good, duration_ms=1000)

    tomorrow = datetime(2025, 1, 7, 4, 0, tzinfo=UTC)
    assert result.after.state is MemoryState.Learning
    assert result.after.due == tomorrow
    # Not 20 minutes sooner (the learn-ahead limit): today's queue holds only today's cards.
    assert next_study_time(store) == tomorrow
    clock.set(tomorrow - timedelta(minutes=1))
    assert StudySession(store).next_card() is None
    clock.set(tomorrow)
    shown = StudySession(store).next_card()
    assert shown is not None and shown.id == card.id


def test_a_learning_step_that_ends_on_the_next_study_day_is_due_from_its_start() -> None:
    days = Clock(zone=UTC)
    steps = DeckSettings(learning_steps=(timedelta(minutes=1), timedelta(hours=10)))
    now = datetime(2025, 1, 6, 21, 0, tzinfo=UTC)

    shown = preview(Memory(), card=str(1), now=now, settings=steps, clock=days)

    assert shown[Rating.Again].due == now + timedelta(minutes=1)
    assert shown[Rating.Good].due == datetime(2025, 1, 7, 4, 0, tzinfo=UTC)
    assert shown[Rating.Good].text == "1d"
