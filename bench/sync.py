"""`python -m bench.sync`: `srs sync` merging 10,000 new reviews from another device, and a
sync with nothing new.

Two collections hold the same 2,000-card deck. The laptop answers every card five times over
five weeks (10,000 reviews, through `record_answer`, as studying would) and syncs: one segment.
Each run then copies the desktop's collection as it stood before and times `sync` on the copy
(read and check the segment, insert 10,000 reviews, replay 2,000 cards, commit), then a second
`sync` of the same copy (nothing new: list the folder, read the counts). Prints JSON: each
time in seconds, and the medians, beside a baseline taken in the same run: the same 10,000
answers scheduled by `schedule` alone, no database (the floor any replay of them has).
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fsrs import Rating

from srs.clock import Clock
from srs.collection.cards import card_ids_by_key
from srs.collection.store import Store
from srs.decks.importer import import_decks
from srs.decks.validate import parse_deck
from srs.model.memory import Memory
from srs.model.settings import DeckSettings
from srs.study.answers import record_answer
from srs.study.scheduling import schedule
from srs.sync import sync

__all__ = ["CARDS", "REVIEWS", "measure"]

CARDS = 2_000
REVIEWS = 10_000
_RUNS = 5


def _deck() -> bytes:
    lines = ["deck: bench-sync", "title: Sync bench", "cards:"]
    for n in range(CARDS):
        lines += [f"  - id: c{n}", f"    question: Question {n}?", f"    answer: Answer {n}"]
    return ("\n".join(lines) + "\n").encode()


def _collection(path: Path, clock: Clock) -> Store:
    store = Store.open(path, clock)
    import_decks(store, [parse_deck(_deck())])
    return store


def _schedule_only(clock: Clock) -> float:
    """Seconds to schedule the bench's answers in memory: the replay's own cost."""
    settings = DeckSettings()
    started = time.perf_counter()
    for card in range(CARDS):
        memory, now = Memory(), datetime(2025, 1, 6, 8, 0, tzinfo=UTC)
        for rating in _RATINGS:
            now += timedelta(weeks=1)
            memory = schedule(
                memory, rating, card=str(card), now=now, settings=settings, clock=clock
            )
    return time.perf_counter() - started


_RATINGS = (Rating.Good, Rating.Good, Rating.Again, Rating.Good, Rating.Easy)


def measure(runs: int = _RUNS) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        now = [datetime(2025, 1, 6, 8, 0, tzinfo=UTC)]
        clock = Clock(now_fn=lambda: now[0])
        folder = root / "shared"
        laptop = _collection(root / "laptop.db", clock)
        ids = card_ids_by_key(laptop, "bench-sync", [f"c{n}" for n in range(CARDS)])
        for week, rating in enumerate(_RATINGS):
            now[0] = datetime(2025, 1, 6, 8, 0, tzinfo=UTC) + timedelta(weeks=week)
            for n in range(CARDS):
                now[0] += timedelta(seconds=3)
                record_answer(laptop, ids[f"c{n}"], rating, duration_ms=4000)
        sync(laptop, folder)
        laptop.close()
        desktop = _collection(root / "desktop.db", clock)
        desktop.close()
        merge_s, nothing_s, baseline_s = [], [], []
        for run in range(runs):
            baseline_s.append(_schedule_only(clock))
            copy = root / f"desktop-{run}.db"
            shutil.copyfile(root / "desktop.db", copy)
            with Store.open(copy, clock) as store:
                started = time.perf_counter()
                report = sync(store, folder)
                merge_s.append(time.perf_counter() - started)
                assert report.merged == {"review": REVIEWS}, report
                started = time.perf_counter()
                again = sync(store)
                nothing_s.append(time.perf_counter() - started)
                assert again.merged == {} and again.exported == 0, again
    return {
        "merge_10k_s": merge_s,
        "nothing_new_s": nothing_s,
        "schedule_only_s": baseline_s,
        "median_schedule_only_s": statistics.median(baseline_s),
        "median_merge_10k_s": statistics.median(merge_s),
        "median_nothing_new_s": statistics.median(nothing_s),
    }


if __name__ == "__main__":
    json.dump(measure(), sys.stdout)
    print()
