"""Settings, the learner's day, FSRS scheduling with seeded fuzz, previews and interval text."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import fields
from datetime import UTC, date, datetime, timedelta

import pytest
from conftest import FakeClock, deck_yaml
from fsrs import Rating
from fsrs.scheduler import FUZZ_RANGES
from hypothesis import given, settings
from hypothesis import strategies as st

from srs.clock import Clock
from srs.collection.settings import (
    clock_for,
    day_start_hour,
    get_settings,
    set_day_start_hour,
    set_setting,
)
from srs.collection.store import CollectionError, Store
from srs.model.memory import Memory, MemoryState, forgetting_curve
from srs.model.settings import (
    SETTING_KEYS,
    DeckSettings,
    SettingError,
    normalize_setting,
    setting_texts,
)
from srs.study.scheduling import format_interval, preview, schedule

NOW = datetime(2025, 1, 6, 12, 0, tzinfo=UTC)
DAYS = Clock(zone=UTC)
"""The learner's calendar for the pure scheduling tests: UTC, the day starting at 04:00."""
MakeStore = Callable[..., Store]


def review_memory(stability: float = 30.0, days_ago: int = 30) -> Memory:
    """A review card last answered `days_ago` days before NOW, due now."""
    return Memory(
        MemoryState.Review,
        None,
        stability,
        5.0,
        NOW,
        NOW - timedelta(days=days_ago),
        reps=4,
        lapses=0,
    )


def test_new_deck_gets_ankis_default_settings(make_store: MakeStore) -> None:
    store = make_store(deck_yaml(free=1))

    settings = get_settings(store, "demo")

    assert settings.desired_retention == 0.9
    assert settings.learning_steps == (timedelta(minutes=1), timedelta(minutes=10))
    assert settings.relearning_steps == (timedelta(minutes=10),)
    assert settings.maximum_interval == 36500
    assert (settings.new_per_day, settings.reviews_per_day) == (20, 200)
    assert settings.fuzz is True
    assert settings.leech_threshold == 8
    assert setting_texts(settings)["parameters"] == "default"


def test_setting_is_stored_in_the_collection_and_read_back(make_store: MakeStore) -> None:
    store = make_store(deck_yaml(free=1))

    changed = set_setting(store, "demo", "learning-steps", " 30s 10m 1h ")
    set_setting(store, "demo", "desired_retention", "85%")

    assert changed.learning_steps == (
        timedelta(seconds=30),
        timedelta(minutes=10),
        timedelta(hours=1),
    )
    reopened = Store.open(store.path, store.clock)
    settings = get_settings(reopened, "demo")
    reopened.close()
    assert settings.learning_steps == changed.learning_steps
    assert settings.desired_retention == 0.85
    assert setting_texts(settings)["learning_steps"] == "30s 10m 1h"


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("desired_retention", "0.5", "from 0.70 to 0.99"),
        ("desired_retention", "ninety", "from 0.70 to 0.99"),
        ("learning_steps", "1m 10x", "'10x' is not a step"),
        ("relearning_steps", "0m", "'0m' is not a step"),
        ("maximum_interval", "40000", "from 1 to 36500"),
        ("new_per_day", "-1", "from 0 to 9999"),
        ("reviews_per_day", "lots", "from 0 to 99999"),
        ("fuzz", "maybe", "on or off"),
        ("leech_threshold", "0", "from 1 to 99"),
        ("learn_ahead", "1441", "from 0 to 1440"),
        ("parameters", "1, 2, 3", "Expected 21 parameters"),
    ],
)
def test_invalid_setting_is_refused_with_a_clear_message_and_nothing_written(
    make_store: MakeStore, key: str, text: str, message: str
) -> None:
    store = make_store(deck_yaml(free=1))

    with pytest.raises(SettingError, match=message):
        set_setting(store, "demo", key, text)

    assert get_settings(store, "demo") == DeckSettings()


def test_unknown_setting_suggests_the_closest_name(make_store: MakeStore) -> None:
    store = make_store(deck_yaml(free=1))

    with pytest.raises(SettingError, match="did you mean 'learning_steps'"):
        set_setting(store, "demo", "learning_step", "1m")


def test_setting_to_default_restores_ankis_value(make_store: MakeStore) -> None:
    store = make_store(deck_yaml(free=1))
    set_setting(store, "demo", "new_per_day", "5")

    settings = set_setting(store, "demo", "new_per_day", "default")

    assert settings.new_per_day == 20


def test_steps_can_be_emptied_with_none(make_store: MakeStore) -> None:
    store = make_store(deck_yaml(free=1))

    settings = set_setting(store, "demo", "relearning_steps", "none")

    assert settings.relearning_steps == ()
    assert setting_texts(settings)["relearning_steps"] == "none"


def test_every_setting_has_a_description() -> None:
    assert list(SETTING_KEYS) == [f.name for f in fields(DeckSettings)]


def test_settings_of_an_unknown_deck_are_a_collection_error(make_store: MakeStore) -> None:
    store = make_store(deck_yaml(free=1))

    with pytest.raises(CollectionError, match="no deck 'nope'"):
        get_settings(store, "nope")


def test_day_start_hour_sets_the_clock_rollover(make_store: MakeStore) -> None:
    store = make_store(clock=FakeClock(datetime(2025, 1, 6, 5, 30, tzinfo=UTC)))
    assert day_start_hour(store) == 4
    assert clock_for(store).study_day().isoformat() == "2025-01-06"

    set_day_start_hour(store, "6")

    assert clock_for(store).rollover_hour == 6
    assert clock_for(store).study_day().isoformat() == "2025-01-05"


@pytest.mark.parametrize("text", ["24", "-1", "four", ""])
def test_day_start_hour_must_be_a_whole_hour(make_store: MakeStore, text: str) -> None:
    store = make_store()

    with pytest.raises(SettingError, match="hour from 0 to 23"):
        set_day_start_hour(store, text)


@pytest.mark.parametrize(
    ("interval", "text"),
    [
        (timedelta(seconds=30), "30s"),
        (timedelta(minutes=1), "1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=1, minutes=30), "1.5h"),
        (timedelta(days=1), "1d"),
        (timedelta(days=4), "4d"),
        (timedelta(days=96), "3.2mo"),
        (timedelta(days=60), "2mo"),
        (timedelta(days=547), "1.5y"),
    ],
)
def test_intervals_read_in_short_form(interval: timedelta, text: str) -> None:
    assert format_interval(interval) == text


def test_new_card_preview_shows_learning_steps_then_days() -> None:
    shown = preview(Memory(), card=str(1), now=NOW, settings=DeckSettings(), clock=DAYS)

    texts = {rating: p.text for rating, p in shown.items()}

    assert texts[Rating.Again] == "1m"
    assert texts[Rating.Hard] == "6m"
    assert texts[Rating.Good] == "10m"
    assert texts[Rating.Easy].endswith("d")


def test_a_step_of_a_day_is_due_from_the_start_of_the_day_it_ends_on() -> None:
    steps = DeckSettings(learning_steps=(timedelta(days=1), timedelta(days=3)))
    day_clock = Clock(zone=UTC, rollover_hour=4)

    shown = preview(Memory(), card="c", now=NOW, settings=steps, clock=day_clock)

    assert shown[Rating.Again].text == "1d"
    assert shown[Rating.Again].due == datetime(2025, 1, 7, 4, 0, tzinfo=UTC)


def test_preview_intervals_grow_from_again_to_easy_on_a_review_card() -> None:
    shown = preview(review_memory(), card=str(7), now=NOW, settings=DeckSettings(), clock=DAYS)

    intervals = [shown[r].interval for r in Rating]

    assert intervals == sorted(intervals)
    assert shown[Rating.Again].interval == timedelta(minutes=10)
    assert shown[Rating.Good].interval >= timedelta(days=30)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(
    state=st.sampled_from(MemoryState),
    step=st.integers(0, 1),
    stability=st.floats(0.01, 500.0),
    interval=st.integers(1, 500),
    hours_since=st.integers(0, 24 * 600),
    card_id=st.integers(1, 2**40),
    fuzz=st.booleans(),
)
def test_every_answer_does_exactly_what_its_preview_showed(
    state: MemoryState,
    step: int,
    stability: float,
    interval: int,
    hours_since: int,
    card_id: int,
    fuzz: bool,
) -> None:
    last = NOW - timedelta(hours=hours_since)
    memory = Memory()
    if state is not MemoryState.New:
        learning = state in (MemoryState.Learning, MemoryState.Relearning)
        due = last + (timedelta(minutes=10) if learning else timedelta(days=interval))
        memory = Memory(state, step if learning else None, stability, 5.0, due, last, reps=3)
    options = DeckSettings(fuzz=fuzz)

    shown = preview(memory, card=str(card_id), now=NOW, settings=options, clock=DAYS)

    for rating in Rating:
        after = schedule(memory, rating, card=str(card_id), now=NOW, settings=options, clock=DAYS)
        assert after == shown[rating].memory


def good_intervals(memory: Memory, cards: range, settings: DeckSettings) -> list[int]:
    """Days until due after answering Good at NOW, for each card id with this same memory."""
    dues = [
        schedule(memory, Rating.Good, card=str(n), now=NOW, settings=settings, clock=DAYS).due
        for n in cards
    ]
    return [(due - NOW).days for due in dues if due is not None]


def anki_fuzz_range(interval: float) -> tuple[int, int]:
    """The fewest and most days Anki's fuzz allows around an unrounded interval (rslib's
    fuzz.rs: a day either way plus a share from FUZZ_RANGES, rounded half up)."""
    delta = 1.0 + sum(
        r["factor"] * max(min(interval, r["end"]) - r["start"], 0.0) for r in FUZZ_RANGES
    )
    return math.floor(interval - delta + 0.5), math.floor(interval + delta + 0.5)


def test_fuzz_is_reproducible_for_the_same_card_and_history() -> None:
    memory = review_memory()

    random.seed(1)
    first = good_intervals(memory, range(40), DeckSettings())
    random.seed(2)
    second = good_intervals(memory, range(40), DeckSettings())

    assert first == second
    assert len(set(first)) > 1, "cards with the same history should be spread by the fuzz"


def test_fuzz_spreads_cards_with_the_same_history_over_ankis_range() -> None:
    memory = review_memory()
    exact = schedule(
        memory, Rating.Good, card=str(0), now=NOW, settings=DeckSettings(fuzz=False), clock=DAYS
    )
    assert exact.stability is not None
    # At the default 90% retention the unrounded interval in days is the stability.
    low, high = anki_fuzz_range(exact.stability)

    fuzzed = good_intervals(memory, range(200), DeckSettings())

    assert low < exact.stability < high
    assert set(fuzzed) == set(range(low, high + 1))


def test_fuzz_off_gives_the_same_interval_for_every_card() -> None:
    memory = review_memory()
    settings = DeckSettings(fuzz=False)

    dues = {
        schedule(memory, Rating.Good, card=str(n), now=NOW, settings=settings, clock=DAYS).due
        for n in range(20)
    }

    assert len(dues) == 1


def test_clock_moved_back_never_dates_an_answer_before_the_last_one() -> None:
    memory = review_memory(days_ago=0)
    assert memory.last_review == NOW

    after = schedule(
        memory,
        Rating.Good,
        card=str(1),
        now=NOW - timedelta(hours=3),
        settings=DeckSettings(),
        clock=DAYS,
    )

    assert after.last_review == NOW
    assert after.due is not None and after.due > NOW


def test_lapse_counts_only_a_review_card_forgotten() -> None:
    settings = DeckSettings()
    learning = schedule(Memory(), Rating.Again, card=str(1), now=NOW, settings=settings, clock=DAYS)
    lapsed = schedule(
        review_memory(), Rating.Again, card=str(1), now=NOW, settings=settings, clock=DAYS
    )

    assert learning.lapses == 0
    assert lapsed.lapses == 1
    assert lapsed.state is MemoryState.Relearning


def test_memory_round_trips_through_json_exactly_even_with_zero_stability() -> None:
    memory = Memory(
        MemoryState.Review, None, 0.0, 0.1 + 0.2, NOW, NOW - timedelta(days=3), reps=9, lapses=2
    )

    assert Memory.from_json(memory.to_json()) == memory
    assert memory.to_fsrs(5, NOW).stability == 0.0


def test_personal_parameters_change_the_schedule(make_store: MakeStore) -> None:
    store = make_store(deck_yaml(free=1))
    weights = list(DeckSettings().parameters)
    weights[2] = 5.0  # initial stability after Good

    settings = set_setting(store, "demo", "parameters", ", ".join(map(str, weights)))

    assert settings.parameters[2] == 5.0
    assert setting_texts(settings)["parameters"] != "default"
    good = schedule(Memory(), Rating.Good, card=str(1), now=NOW, settings=settings, clock=DAYS)
    assert good.stability == 5.0


# --- the exam-day cap -----------------------------------------------------------------------


def test_before_the_exam_no_answer_plans_a_review_past_it_below_the_exam_day_target() -> None:
    clock = Clock(zone=UTC)
    now = datetime(2025, 1, 6, 12, tzinfo=UTC)
    exam = date(2025, 1, 31)
    plain = DeckSettings(fuzz=False)
    dated = DeckSettings(fuzz=False, exam_date=exam)
    memory = Memory(MemoryState.Review, None, 12.0, 5.0, now, now - timedelta(days=12), reps=4)
    free = schedule(memory, Rating.Good, card=str(1), now=now, settings=plain, clock=clock)
    capped = schedule(memory, Rating.Good, card=str(1), now=now, settings=dated, clock=clock)
    assert free.due is not None and capped.due is not None and capped.stability is not None
    assert clock.study_day(free.due) > exam  # without the date it would pass the exam...
    assert clock.study_day(capped.due) < clock.study_day(free.due)
    # ...and would leave recall on exam day below 0.95: now it comes back before the exam.
    assert forgetting_curve(25, capped.stability, dated.parameters) < 0.95
    assert clock.study_day(capped.due) <= exam
    shown = preview(memory, card=str(1), now=now, settings=dated, clock=clock)[Rating.Good]
    assert shown.due == capped.due  # the button shows what the answer does


def test_after_the_exam_scheduling_is_fsrs_own_again() -> None:
    clock = Clock(zone=UTC)
    now = datetime(2025, 1, 6, 12, tzinfo=UTC)
    memory = Memory(MemoryState.Review, None, 12.0, 5.0, now, now - timedelta(days=12), reps=4)
    past = DeckSettings(fuzz=False, exam_date=date(2025, 1, 5))
    plain = DeckSettings(fuzz=False)
    assert schedule(
        memory, Rating.Good, card=str(1), now=now, settings=past, clock=clock
    ) == schedule(memory, Rating.Good, card=str(1), now=now, settings=plain, clock=clock)


def test_exam_settings_are_parsed_and_validated() -> None:
    assert normalize_setting("exam_date", "2026-03-14") == ("exam_date", "2026-03-14")
    assert normalize_setting("exam_day_retention", "96%") == ("exam_day_retention", "0.96")
    for key, text in (("exam_date", "2026-02-30"), ("exam_day_retention", "1.2")):
        with pytest.raises(SettingError):
            normalize_setting(key, text)
    stored = DeckSettings.from_json('{"exam_date": "2026-03-14", "exam_day_retention": "0.97"}')
    assert stored.exam_date == date(2026, 3, 14) and stored.exam_day_retention == 0.97
