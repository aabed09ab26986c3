"""The pass chance on the 100k-card / 1M-review collection, and what is built on it.

`python -m bench.pass_chance [--runs N] [--json] [COLLECTION]`: medians of N runs (default 5),
in milliseconds, of
- `deck_readiness`: the dashboard's and the exam start page's chance to pass, nothing answered
  since the last one (the fitted model is kept);
- `deck_readiness_after_an_answer`: the same right after a card is answered (untimed), which
  fits the model again: what the dashboard computes when a study session ends;
- `card_probabilities`: each card's chance (the stats screen's topics and a drawn form);
- `chance_model`: the model fitted to the learner's answers, alone (what the plan takes);
- `srs.stats.topics`: the stats screen's slowest section, built on `card_probabilities`;
- `exam_plan`: the plan to an exam 60 days out (the fit, the forecast, the chance by day).

The exam date is set on the collection measured if it has none (which reschedules the cards
due after it): measure a copy.

Without COLLECTION, a private copy of the cached collection (`bench.collection`) is measured.
Opening the collection (and any schema upgrade) is not timed. To compare two versions of srs in
one run, run this alternately with each on `PYTHONPATH` (docs/performance.md shows how).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path

from fsrs import Rating

import srs.stats
from bench.collection import CollectionSpec, cached_collection, fresh_copy
from srs.collection.store import Store
from srs.exam.readiness import card_probabilities, chance_model, deck_readiness
from srs.plan import exam_plan, set_exam_date
from srs.study.answers import record_answer

__all__ = ["FIGURES", "measure"]

DECK = "bench"

EXAM_IN_DAYS = 60


def _answer_one(store: Store) -> None:
    """Answer the deck's first multiple-choice card (Good), as a study session would."""
    (card_id,) = store.conn.execute(
        "SELECT id FROM cards WHERE deck_id = ? AND option_count > answer_count LIMIT 1", (DECK,)
    ).fetchone()
    record_answer(store, card_id, Rating.Good, duration_ms=4000, choice=["x"])


FIGURES: dict[str, Callable[[Store], object]] = {
    "deck_readiness": lambda store: deck_readiness(store, DECK),
    "deck_readiness_after_an_answer": lambda store: deck_readiness(store, DECK),
    "card_probabilities": lambda store: card_probabilities(store, DECK),
    "chance_model": lambda store: chance_model(store, DECK),
    "stats_topics": lambda store: srs.stats.topics(store, DECK),
    "exam_plan": lambda store: exam_plan(store, DECK),
}
"""What is timed, by name."""


def measure(path: Path, runs: int) -> dict[str, list[float]]:
    """The milliseconds of each run of each figure, the figures taken in turn each round so
    that a change in the machine's load falls on all of them."""
    times: dict[str, list[float]] = {name: [] for name in FIGURES}
    with Store.open(path) as store:
        if exam_plan(store, DECK) is None:
            set_exam_date(store, DECK, store.clock.study_day() + timedelta(days=EXAM_IN_DAYS))
        for _ in range(runs):
            for name, action in FIGURES.items():
                if name == "deck_readiness_after_an_answer":
                    _answer_one(store)
                started = time.perf_counter()
                action(store)
                times[name].append((time.perf_counter() - started) * 1000)
    return times


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pass_chance", description=__doc__)
    parser.add_argument("collection", nargs="?", type=Path, help="a collection to measure")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median shown)")
    parser.add_argument("--json", action="store_true", help="print the raw times as JSON")
    args = parser.parse_args(argv)
    if args.collection is not None:
        times = measure(args.collection, args.runs)
    else:
        with tempfile.TemporaryDirectory() as folder:
            copy = fresh_copy(cached_collection(CollectionSpec()), Path(folder))
            times = measure(copy, args.runs)
    if args.json:
        print(json.dumps(times))
    else:
        for name, values in times.items():
            print(f"{name:20} {statistics.median(values):8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
