"""Replaying a log: `LogScheduler` gives exactly the memory `schedule` gives, answer by answer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from conftest import deck_yaml
from fsrs import Rating
from hypothesis import given, settings
from hypothesis import strategies as st

from srs.clock import Clock
from srs.collection.cards import card_ids_by_key
from srs.collection.memory import memory_of
from srs.collection.settings import get_settings
from srs.collection.store import Store
from srs.model.memory import Memory
from srs.model.settings import DeckSettings
from srs.study.answers import forgotten, record_answer
from srs.study.history import import_answers
from srs.study.logreplay import LogScheduler
from srs.study.replay import LogEntry
from srs.study.scheduling import schedule

START = datetime(2024, 10, 20, 1, 30, tzinfo=UTC)
"""A week before Berlin's clocks go back, so logs cross DST changes both ways."""
MakeStore = Callable[..., Store]

_STEPS = st.sampled_from(
    [
        (),
        (timedelta(minutes=10),),
        (timedelta(minutes=1), timedelta(minutes=10)),
        (timedelta(seconds=30), timedelta(hours=2), timedelta(days=1)),
        (timedelta(days=2),),
    ]
)
_GAPS = st.one_of(
    st.integers(-3_600, 0),  # the device clock moved back
    st.integers(1, 3_600),
    st.integers(3_600, 3 * 86_400),
    st.integers(3 * 86_400, 400 * 86_400),  # long gaps: lapses, retrievability far below 90%
).map(lambda seconds: timedelta(seconds=seconds))
_ANSWER = st.tuples(st.sampled_from(list(Rating)), _GAPS, st.integers(0, 30))
"""A rating, the wait since the answer before, and (at 0) a forget before it."""


@st.composite
def _deck_settings(draw: st.DrawFn) -> DeckSettings:
    exam = draw(st.none() | st.dates(date(2024, 10, 1), date(2026, 12, 31)))
    return DeckSettings(
        desired_retention=draw(st.sampled_from([0.8, 0.9, 0.97])),
        learning_steps=draw(_STEPS),
        relearning_steps=draw(_STEPS),
        maximum_interval=draw(st.sampled_from([36500, 180, 3])),
        fuzz=draw(st.booleans()),
        exam_date=exam,
    )


@settings(max_examples=400, deadline=None, derandomize=True)
@given(
    answers=st.lists(_ANSWER, min_size=1, max_size=40),
    deck=_deck_settings(),
    zone=st.sampled_from([UTC, ZoneInfo("Europe/Berlin"), ZoneInfo("America/St_Johns")]),
    rollover=st.sampled_from([0, 2, 4]),
    card=st.text(min_size=1, max_size=8),
)
def test_replay_gives_the_memory_schedule_gives_for_every_answer(
    answers: list[tuple[Rating, timedelta, int]],
    deck: DeckSettings,
    zone: ZoneInfo,
    rollover: int,
    card: str,
) -> None:
    clock = Clock(zone=zone, rollover_hour=rollover)
    fast = LogScheduler(deck, clock)
    memory = Memory()
    at = START
    for rating, gap, forget in answers:
        at += gap
        if forget == 0:
            memory = forgotten(memory)
        expected = schedule(memory, rating, card=card, now=at, settings=deck, clock=clock)

        replayed = fast.answer(memory, rating, card=card, now=at)

        assert replayed == expected
        assert fast.study_day(at) == clock.study_day(at)
        memory = expected


def _answers(keys: list[str]) -> list[LogEntry]:
    """Each card answered Good at the same times: a first answer, then every 20 days."""
    first = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
    return [
        LogEntry(0, key, rating, first + timedelta(days=20 * n, minutes=n), 4000, "anki")
        for key in keys
        for n, rating in enumerate([Rating.Good, Rating.Good, Rating.Good, Rating.Hard])
    ]


def test_two_collections_that_imported_decks_in_another_order_fuzz_each_card_alike(
    make_store: MakeStore,
) -> None:
    alpha, beta = deck_yaml("alpha", free=40), deck_yaml("beta", free=40)
    first, second = make_store(alpha, beta), make_store(beta, alpha)
    keys = [f"free-{n}" for n in range(40)]
    ids = [card_ids_by_key(store, "alpha", keys) for store in (first, second)]
    assert ids[0] != ids[1]  # the local card ids differ: the fuzz must not depend on them

    dues = []
    for store, card_ids in zip((first, second), ids, strict=True):
        import_answers(store, "alpha", _answers(keys), source="test")
        for key in keys:  # and one more answer through the study path
            record_answer(store, card_ids[key], Rating.Good, duration_ms=3000)
        dues.append({key: memory_of(store, card_ids[key]) for key in keys})

    assert dues[0] == dues[1]
    assert get_settings(first, "alpha").fuzz
    intervals = {m.due - m.last_review for m in dues[0].values() if m and m.due and m.last_review}
    assert len(intervals) > 1  # fuzz spread the cards: they were not all given one interval


def _stored_log(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """What a log import writes: the log (but its random event ids), the per-day sums, the
    memory, and the schema (an import drops and remakes a trigger and indexes)."""
    queries = {
        "reviews": "SELECT id, card_id, reviewed_at, day, rating, duration_ms, source, choice, "
        "before, after, shared FROM reviews ORDER BY id",
        "review_days": "SELECT * FROM review_days ORDER BY deck_id, day, in_deck, topic",
        "memory": "SELECT * FROM memory ORDER BY card_id",
        "schema": "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name",
    }
    return {name: store.conn.execute(sql).fetchall() for name, sql in queries.items()}


def test_an_imported_log_is_stored_as_the_same_answers_given_one_by_one(
    make_store: MakeStore,
) -> None:
    deck = deck_yaml("alpha", free=5)
    imported, answered = make_store(deck), make_store(deck)
    keys = [f"free-{n}" for n in range(5)]
    first = datetime(2024, 1, 5, 9, 0, tzinfo=UTC)
    ratings = [Rating.Good, Rating.Good, Rating.Again, Rating.Good, Rating.Easy, Rating.Hard]
    gaps = [0, 1, 3, 10, 30, 60]  # days since the first answer: young and mature reviews
    log = [
        LogEntry(0, key, rating, first + timedelta(days=gap * (n + 1), minutes=n), 3_000, "review")
        for n, key in enumerate(keys)
        for rating, gap in zip(ratings, gaps, strict=True)
    ]
    card_ids = card_ids_by_key(answered, "alpha", keys)

    early = [entry for n, entry in enumerate(log) if n % len(ratings) < 3]
    later = [entry for entry in log if entry not in early]
    for batch in (early, later):  # a first import, then one into a log that has answers
        import_answers(imported, "alpha", batch, source="test")
        for entry in batch:
            record_answer(
                answered,
                card_ids[entry.card_key],
                entry.rating,
                duration_ms=entry.duration_ms,
                at=entry.reviewed_at,
            )
        assert _stored_log(imported) == _stored_log(answered)
