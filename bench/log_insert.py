"""`python -m bench.log_insert [RUNS]`: the cost of event ids when 300,000 answers are logged.

An import (`srs import-anki`, `srs import-log`) writes its answers through `log_reviews`, one
batched insert. Each run copies a collection holding a 3,000-card deck and logs 300,000
answers (100 per card) into the copy, in one transaction, four ways:

- `time_ordered_id`: as the log's insert (`srs.collection.reviews.log_reviews`) does it: the
  insert makes each row's event id (`srs.collection.changes.EVENT_ID`: milliseconds, then
  random bits), so the unique index over them grows at its end;
- `random_id`: the same insert making fully random ids (the index written at random pages);
- `trigger`: as v3 was first written: the insert leaves the id out and an AFTER INSERT trigger
  gives a random one (an UPDATE of each row just inserted);
- `no_event_ids`: the floor: the event id's index and the unshared index dropped, no id made;
- `batch`: as `log_reviews` writes a batch larger than the log (`insert_log_rows`): the
  time-ordered ids, with the per-day trigger and the log's indexes dropped for the insert,
  then the day sums added and the indexes built once.

The rows (their memory JSON included) are made before the clock starts: only SQLite's work
is timed. Prints JSON: the CPU time of each insert and commit (steadier than the wall clock on
a busy machine), and the medians. `--without-day-triggers` drops the v4 triggers that sum the log
per day (`review_days`) in every variant first, to see the event ids' cost alone.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from fsrs import Rating

from srs.clock import Clock, to_db
from srs.collection.cards import card_ids_by_key
from srs.collection.changes import EVENT_ID
from srs.collection.reviews import insert_log_rows
from srs.collection.store import Store
from srs.decks.importer import import_decks
from srs.decks.validate import parse_deck
from srs.model.memory import Memory, MemoryState

__all__ = ["measure"]

CARDS = 3_000
PER_CARD = 100
_COLUMNS = "card_id, reviewed_at, day, rating, duration_ms, source, choice, before, after"


def _deck() -> bytes:
    lines = ["deck: bench-log", "title: Log insert bench", "cards:"]
    for n in range(CARDS):
        lines += [f"  - id: c{n}", f"    question: Question {n}?", f"    answer: Answer {n}"]
    return ("\n".join(lines) + "\n").encode()


def _rows(card_ids: list[int]) -> list[tuple[object, ...]]:
    start = datetime(2023, 1, 2, 9, 0, tzinfo=UTC)
    reviews: list[tuple[object, ...]] = []
    for card_id in card_ids:
        before = Memory()
        for n in range(PER_CARD):
            at = start + timedelta(days=7 * n, minutes=card_id % 600)
            after = Memory(
                MemoryState.Review, None, 10.0 + n, 5.0, at + timedelta(days=7), at, n + 1, 0
            )
            day = date(at.year, at.month, at.day)
            reviews.append(
                (
                    card_id,
                    to_db(at),
                    day.isoformat(),
                    int(Rating.Good),
                    4000,
                    "anki",
                    None,
                    before.to_json(),
                    after.to_json(),
                )
            )
            before = after
    return reviews


def _insert(store: Store, rows: list[tuple[object, ...]], way: str) -> float:
    """CPU seconds to insert the rows (made beforehand: only SQLite's work is timed) and commit."""
    event_id = {"time_ordered_id": EVENT_ID, "random_id": "lower(hex(randomblob(16)))"}.get(way)
    columns, values = _COLUMNS, ", ".join("?" * 9)
    if event_id is not None:
        columns, values = f"{columns}, event_id", f"{values}, {event_id}"
    started = time.process_time()
    with store.write():
        if way == "batch":
            insert_log_rows(store, rows, expected=len(rows))
        else:
            store.conn.executemany(f"INSERT INTO reviews ({columns}) VALUES ({values})", rows)
    return time.process_time() - started


_SETUP = {
    "time_ordered_id": [],
    "random_id": [],
    "trigger": [
        """CREATE TRIGGER bench_event_id AFTER INSERT ON reviews WHEN new.event_id IS NULL
        BEGIN UPDATE reviews SET event_id = lower(hex(randomblob(16))) WHERE id = new.id; END"""
    ],
    "no_event_ids": ["DROP INDEX reviews_event", "DROP INDEX reviews_unshared"],
    "batch": [],
}


_DAY_TRIGGERS = [f"DROP TRIGGER review_days_{event}" for event in ("insert", "delete", "update")]


def measure(runs: int = 3, *, day_triggers: bool = True) -> dict[str, object]:
    clock = Clock()
    times: dict[str, list[float]] = {way: [] for way in _SETUP}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base.db"
        with Store.open(base, clock) as store:
            import_decks(store, [parse_deck(_deck())])
            ids = card_ids_by_key(store, "bench-log", [f"c{n}" for n in range(CARDS)])
        rows = _rows(sorted(ids.values()))
        for run in range(runs):
            for way, setup in _SETUP.items():
                copy = Path(tmp) / f"{way}-{run}.db"
                shutil.copyfile(base, copy)
                with Store.open(copy, clock) as store:
                    for sql in [*([] if day_triggers else _DAY_TRIGGERS), *setup]:
                        store.conn.execute(sql)
                    times[way].append(_insert(store, rows, way))
                copy.unlink()
    return {
        "answers": len(rows),
        "day_triggers": day_triggers,
        "cpu_s": times,
        "median_cpu_s": {way: statistics.median(values) for way, values in times.items()},
    }


if __name__ == "__main__":
    numbers = [arg for arg in sys.argv[1:] if arg.isdigit()]
    day_triggers = "--without-day-triggers" not in sys.argv
    json.dump(measure(int(numbers[0]) if numbers else 3, day_triggers=day_triggers), sys.stdout)
    print()
