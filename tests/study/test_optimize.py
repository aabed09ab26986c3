"""Personal parameters: the benchmark's scores, the time-ordered evaluation, adoption, and when
the dashboard suggests a run."""

from __future__ import annotations

import math
import random
import shutil
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fsrs_rs_python as fsrs_rs
import pytest
from conftest import FakeClock, deck_yaml
from fsrs import Rating
from fsrs.scheduler import DEFAULT_PARAMETERS
from helpers import dump_db
from reviewlog import REAL_DECK, real_log_collection, real_log_rows

from srs.collection.settings import get_settings
from srs.collection.store import CollectionError, Store
from srs.model.memory import forgetting_curve
from srs.study.answers import record_answer
from srs.study.history import import_log
from srs.study.optimize import (
    NotEnoughReviews,
    Prediction,
    evaluate,
    optimization_suggested,
    optimize_deck,
)

MakeStore = Callable[..., Store]
HEADER = "card_id,review_rating,review_time,review_duration\n"


@pytest.fixture(scope="module")
def real_collection(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return real_log_collection(tmp_path_factory.mktemp("real") / "real.db", FakeClock())


@pytest.fixture
def real_store(real_collection: Path, tmp_path: Path, clock: FakeClock) -> Iterator[Store]:
    copy = tmp_path / "copy.db"
    shutil.copy(real_collection, copy)
    store = Store.open(copy, clock)
    yield store
    store.close()


def simulated_log(path: Path, *, cards: int, answers: int, seed: int, start: datetime) -> Path:
    """A learner whose recall follows FSRS's default parameters exactly: each answer after the
    first comes 1-39 days later and is Good with the defaults' predicted chance, else Again."""
    rng = random.Random(seed)
    model = fsrs_rs.FSRS(DEFAULT_PARAMETERS)
    rows = []
    for card in range(cards):
        moment = start + timedelta(days=rng.randrange(60))
        memory = None
        for n in range(answers):
            elapsed = 0 if n == 0 else rng.randrange(1, 40)
            rating = Rating.Good
            if memory is not None:
                chance = forgetting_curve(elapsed, memory.stability, DEFAULT_PARAMETERS)
                rating = Rating.Good if rng.random() < chance else Rating.Again
            moment += timedelta(days=elapsed)
            states = model.next_states(memory, 0.9, elapsed)
            memory = (states.good if rating == Rating.Good else states.again).memory
            rows.append(f"free-{card},{int(rating)},{moment.isoformat()},1000\n")
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


# --- the scores (pure) ----------------------------------------------------------------------


def test_log_loss_and_rmse_bins_are_computed_as_the_benchmark_does() -> None:
    predictions = [
        Prediction(0.9, True, elapsed_days=1, reviews=1, lapses=0),
        Prediction(0.7, False, elapsed_days=3, reviews=1, lapses=0),  # the same group as above
        Prediction(0.6, True, elapsed_days=4, reviews=1, lapses=0),  # 4 days: the next group
    ]

    scores = evaluate(predictions)

    assert scores.log_loss == pytest.approx(-(math.log(0.9) + math.log(0.3) + math.log(0.6)) / 3)
    # Groups: mean predicted 0.8 vs 1 of 2 recalled (gap 0.3), 0.6 vs 1 of 1 (gap 0.4).
    assert scores.rmse == pytest.approx(math.sqrt((2 * 0.3**2 + 1 * 0.4**2) / 3))


def test_reviews_are_grouped_by_review_count_and_lapses_too() -> None:
    apart = [
        Prediction(0.5, True, elapsed_days=2, reviews=1, lapses=0),
        Prediction(0.5, False, elapsed_days=2, reviews=3, lapses=0),  # 2 and 3: other groups
        Prediction(0.5, False, elapsed_days=2, reviews=1, lapses=1),
    ]
    pooled = [
        Prediction(0.5, True, elapsed_days=2, reviews=1, lapses=0),
        Prediction(0.5, False, elapsed_days=2, reviews=2, lapses=0),
    ]

    assert evaluate(apart).rmse == pytest.approx(0.5)
    assert evaluate(pooled).rmse == pytest.approx(0.0)


def test_nothing_to_evaluate_is_an_error() -> None:
    with pytest.raises(ValueError, match="no predictions"):
        evaluate([])


# --- fitting the real log -------------------------------------------------------------------


def test_parameters_fitted_to_the_real_log_predict_better_and_are_adopted(
    real_store: Store,
) -> None:
    started = time.perf_counter()
    result = optimize_deck(real_store, REAL_DECK)
    elapsed = time.perf_counter() - started

    assert result.reviews == 12_580
    assert result.fitted.log_loss < result.default.log_loss
    assert result.fitted.rmse < result.default.rmse
    assert result.adopted
    assert get_settings(real_store, REAL_DECK).parameters == result.parameters
    assert elapsed < 5  # ~0.6 s measured; py-fsrs's own optimizer took 43 s
    assert result.to_dict().keys() >= {"reviews", "default", "fitted", "adopted", "parameters"}


def test_the_fitted_score_is_fsrs_rs_own_time_series_evaluation(real_store: Store) -> None:
    """Built independently from the file: study days start at 04:00 UTC (the test clock's)."""
    answers: dict[str, list[tuple[str, int]]] = {}
    for row in sorted(real_log_rows(), key=lambda row: row["review_time"]):
        answers.setdefault(row["card_id"], []).append(
            (row["review_time"], int(row["review_rating"]))
        )
    items = []
    for history in answers.values():
        days = [(datetime.fromisoformat(t) - timedelta(hours=4)).date() for t, _ in history]
        reviews = [
            fsrs_rs.FSRSReview(rating, 0 if n == 0 else (days[n] - days[n - 1]).days)
            for n, (_, rating) in enumerate(history)
        ]
        items += [
            (history[n][0], fsrs_rs.FSRSItem(reviews[: n + 1]))
            for n in range(1, len(history))
            if days[n] > days[n - 1]
        ]
    items.sort(key=lambda item: item[0])
    expected = fsrs_rs.evaluate_with_time_series_splits([item for _, item in items])

    result = optimize_deck(real_store, REAL_DECK)

    assert result.fitted.log_loss == pytest.approx(expected.log_loss, abs=1e-5)
    assert result.fitted.rmse == pytest.approx(expected.rmse_bins, abs=1e-5)


def test_a_learner_the_defaults_already_describe_keeps_them(
    make_store: MakeStore, clock: FakeClock, tmp_path: Path
) -> None:
    store = make_store(deck_yaml(free=150), clock=clock)
    start = datetime(2024, 1, 1, 10, tzinfo=UTC)
    import_log(
        store, "demo", simulated_log(tmp_path / "l.csv", cards=150, answers=8, seed=0, start=start)
    )

    result = optimize_deck(store, "demo")

    assert result.fitted.log_loss >= result.default.log_loss
    assert not result.adopted
    assert get_settings(store, "demo").parameters == tuple(DEFAULT_PARAMETERS)
    assert optimization_suggested(store) == {}  # the run counts, adopted or not


def test_too_few_reviews_says_so_and_changes_nothing(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(free=3), clock=clock)
    for key in range(3):
        cid = store.conn.execute("SELECT id FROM cards WHERE key = ?", (f"free-{key}",)).fetchone()
        record_answer(store, cid[0], Rating.Good, duration_ms=1000)
    before = dump_db(store.path)

    with pytest.raises(NotEnoughReviews) as raised:
        optimize_deck(store, "demo")

    assert str(raised.value) == (
        "'demo' has 0 reviews on a later day than the card's previous one; fitting "
        "parameters needs at least 400. Nothing was changed."
    )
    assert dump_db(store.path) == before


def test_unknown_deck_is_refused(make_store: MakeStore) -> None:
    store = make_store(deck_yaml(free=1))

    with pytest.raises(CollectionError, match="no deck 'other'"):
        optimize_deck(store, "other")


# --- when the dashboard suggests a run ------------------------------------------------------


def test_a_run_is_suggested_once_a_thousand_reviews_are_new_since_the_last(
    make_store: MakeStore, clock: FakeClock, tmp_path: Path
) -> None:
    store = make_store(deck_yaml(free=150), clock=clock)
    first = datetime(2024, 1, 1, 10, tzinfo=UTC)
    import_log(
        store, "demo", simulated_log(tmp_path / "a.csv", cards=150, answers=6, seed=1, start=first)
    )
    assert optimization_suggested(store) == {}  # 900 reviews

    # An hour later than the first log's answers: none of these is one of those.
    import_log(
        store,
        "demo",
        simulated_log(
            tmp_path / "b.csv", cards=25, answers=4, seed=2, start=first + timedelta(hours=1)
        ),
    )
    assert optimization_suggested(store) == {"demo": 1000}

    optimize_deck(store, "demo")
    assert optimization_suggested(store) == {}

    clock.set(datetime(2026, 1, 1, tzinfo=UTC))
    later = datetime(2025, 1, 10, 12, tzinfo=UTC)
    import_log(
        store, "demo", simulated_log(tmp_path / "c.csv", cards=100, answers=10, seed=3, start=later)
    )
    assert optimization_suggested(store) == {"demo": 1000}
