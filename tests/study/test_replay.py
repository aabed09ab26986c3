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
from srs.study.history import LogEntry, import_answers
from srs.study.logreplay import LogScheduler
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
