"""Statistics (`srs stats`, the stats screen) on the 100k-card / 1M-review collection.

`python -m bench.stats [--runs N] [--answers N] [--json] [COLLECTION]` (`python -m bench` runs
it too): each section of `srs.stats` timed on its own (what the screen fills in as it arrives)
and `srs.stats.collect` (every figure, what `srs stats` computes), for the one deck and for
every deck (one deck here: the same answers through the deck filter or without it). Without
COLLECTION, a private copy of the cached collection (`bench.collection`) is measured. Opening
the collection (and any schema upgrade) is not timed. Figures are milliseconds per run; the
table shows medians.

With `--answers N`, also what keeping the per-day sums costs an answer: `StudySession.answer`
(durable: committed, synchronous=FULL) timed in blocks of N answers, alternately with the
`review_days` triggers (schema v4) and with them dropped, on the same copy (it then changes
it: measure a copy).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from fsrs import Rating

import srs.stats
from bench.collection import ANSWER_RATINGS, CollectionSpec, cached_collection, fresh_copy
from srs.collection.store import Store
from srs.study.overview import deck_overview
from srs.study.session import StudySession

__all__ = ["SECTIONS", "answer_cost", "measure"]

SECTIONS = ("today", "history", "forecast", "true_retention", "memory", "topics", "exams")
"""The sections of `srs.stats`, each one function of (store, deck id)."""

SCOPES = {"deck": "bench", "all": None}
"""The deck measured, by scope name."""


def _timed(action: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def measure(path: Path, runs: int) -> dict[str, dict[str, list[float]]]:
    """Per scope, per section (and 'collect'), the milliseconds of each run; and under
    'baseline', the dashboard's counts."""
    results: dict[str, dict[str, list[float]]] = {}
    with Store.open(path) as store:
        for scope, deck_id in SCOPES.items():
            figures: dict[str, list[float]] = {}
            for name in (*SECTIONS, "collect"):
                figures[name] = _timed(partial(getattr(srs.stats, name), store, deck_id), runs)
            results[scope] = figures
        # A figure measured before (docs/performance.md: 87 ms), timed in the same run: how
        # much the machine's load slows this run down.
        results["baseline"] = {"overview": _timed(lambda: deck_overview(store), runs)}
    return results


BLOCKS = 6
"""Blocks of answers per case (with the triggers, without them), alternated so that a change
in the machine's load falls on both."""


def answer_cost(path: Path, answers: int) -> dict[str, list[float]]:
    """Milliseconds of each durable answer, with the per-day sums' triggers and without."""
    times: dict[str, list[float]] = {"with_triggers": [], "without_triggers": []}
    ratings = iter(ANSWER_RATINGS)
    with Store.open(path) as store:
        triggers = store.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE 'review_days_%'"
        ).fetchall()
        session = StudySession(store)
        for block in range(2 * BLOCKS):
            with_triggers = block % 2 == 1  # they exist: the first block drops them
            with store.write():
                for name, sql in triggers:
                    store.conn.execute(sql if with_triggers else f"DROP TRIGGER {name}")
            case = times["with_triggers" if with_triggers else "without_triggers"]
            for _ in range(answers):
                card = session.next_card()
                assert card is not None, "the benchmark collection has reviews due"
                started = time.perf_counter()
                session.answer(card.id, Rating(next(ratings)), duration_ms=5000)
                case.append((time.perf_counter() - started) * 1000)
    return times


def table(results: dict[str, dict[str, list[float]]]) -> str:
    """Medians, one line per section, one column per scope; then the baseline."""
    scopes = list(SCOPES)
    lines = [f"{'section':<16}" + "".join(f"{scope:>12}" for scope in scopes)]
    for name in results[scopes[0]]:
        cells = "".join(f"{statistics.median(results[scope][name]):>9.0f} ms" for scope in scopes)
        lines.append(f"{name:<16}{cells}")
    overview = statistics.median(results["baseline"]["overview"])
    lines.append(f"baseline: dashboard counts (deck_overview) {overview:.0f} ms")
    if "answer" in results:
        answer = {case: statistics.median(ms) for case, ms in results["answer"].items()}
        lines.append(
            "durable answer (median): "
            + ", ".join(f"{case.replace('_', ' ')} {ms:.3f} ms" for case, ms in answer.items())
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stats", description=__doc__)
    parser.add_argument("collection", nargs="?", type=Path, help="a collection to measure")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median shown)")
    parser.add_argument("--answers", type=int, help="answers per block for the trigger cost")
    parser.add_argument("--json", action="store_true", help="print the raw times as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="srs-bench-stats-") as tmp:
        path = args.collection or fresh_copy(cached_collection(CollectionSpec()), Path(tmp))
        results: dict[str, Any] = measure(path, args.runs)
        if args.answers:
            results["answer"] = answer_cost(path, args.answers)
    if args.json:
        json.dump(results, sys.stdout)
    else:
        print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
