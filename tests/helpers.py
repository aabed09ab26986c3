"""Small helpers shared by the foundation tests: deck files, the CLI runner, database dumps."""

from __future__ import annotations

import hashlib
import sqlite3
import textwrap
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

REPO = Path(__file__).resolve().parents[1]
BUNDLED_DECK = REPO / "decks" / "synthetic-data.yaml"

SMALL_DECK = """\
deck: capitals
title: European capitals
cards:
  - id: france
    question: What is the capital of France?
    answer: Paris
    distractors: [Lyon, Marseille]
  - id: italy
    question: What is the capital of Italy?
    answer: Rome
    distractors: [Milan, Naples]
  - id: spain
    question: What is the capital of Spain?
    answer: Madrid
"""
"""A valid three-card deck: two multiple-choice cards and one free-recall card."""


def write_deck(tmp_path: Path, text: str, name: str = "deck.yaml") -> Path:
    """Write deck text (dedented) to `tmp_path / name` and return the path."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def many_cards_deck(count: int, deck_id: str = "big", *, bad_at: int | None = None) -> str:
    """A deck of `count` multiple-choice cards; card `bad_at` (if given) has no answer."""
    lines = [f"deck: {deck_id}", "title: A big deck", "cards:"]
    for n in range(count):
        lines += [f"  - id: card-{n}", f"    question: Question number {n}?"]
        if n != bad_at:
            lines.append(f"    answer: Answer {n}")
        lines.append(f"    distractors: [Wrong {n}a, Wrong {n}b]")
    return "\n".join(lines) + "\n"


def invoke(db: Path | None, *args: str, env: dict[str, str] | None = None) -> Result:
    """Run `srs [--db DB] ARGS...` in-process; a traceback is always a test failure."""
    from srs.cli import cli

    argv = (["--db", str(db)] if db is not None else []) + list(args)
    result = CliRunner().invoke(cli, argv, env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(
            f"srs {' '.join(argv)} crashed:\n"
            + "".join(traceback.format_exception(*result.exc_info))  # type: ignore[misc]
        )
    return result


def error_lines(result: Result) -> list[str]:
    return result.stderr.splitlines()


def dump_db(path: Path, *, skip: tuple[str, ...] = ()) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in a stable order (the collection's whole content).

    `skip` names columns left out (bookkeeping such as a deck file's fingerprint).
    """
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1")
        ]
        dump = {}
        for table in tables:
            columns = [
                f'"{c[1]}"'
                for c in conn.execute(f'PRAGMA table_info("{table}")')
                if c[1] not in skip
            ]
            rows = conn.execute(f'SELECT {", ".join(columns)} FROM "{table}"')
            dump[table] = sorted(rows, key=repr)
        return dump
    finally:
        conn.close()


def row_counts(path: Path) -> dict[str, int]:
    return {table: len(rows) for table, rows in dump_db(path).items()}


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pragma(path: Path, name: str) -> object:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def backups_in(folder: Path) -> list[str]:
    """Names of the collection backups in a folder (ignoring SQLite's -wal/-shm side files)."""
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.glob("srs-*.db"))


def hammer(db: str, transactions: int, barrier: Any, results: Any) -> None:
    """Child process: `transactions` read-then-write transactions on a shared counter.

    Puts the number of failed transactions on the `results` queue.
    """
    from srs.collection.store import Store

    failures = 0
    store = Store.open(Path(db))
    try:
        barrier.wait()
        for _ in range(transactions):
            try:
                with store.write():
                    value = int(store.meta("counter", "0") or 0)
                    store.conn.execute(
                        "INSERT INTO meta (key, value) VALUES ('counter', ?) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        (str(value + 1),),
                    )
            except Exception:
                failures += 1
    finally:
        store.close()
    results.put(failures)


def problem_lines(problems: Sequence[object]) -> list[str]:
    return [str(p) for p in problems]


# The planner's statistics of the 100,000-card benchmark collection (`ANALYZE`, as
# `bench.collection` leaves it): one deck, seven topics, one card shape, a million answers, none
# shared yet. A learner's collection has none (srs never runs `ANALYZE`).
LARGE_COLLECTION_STATISTICS = [
    ("cards", "cards_exam", "100000 100000 100000 100000 100000 14286 1 1"),
    ("cards", "cards_topic", "100000 14286 14286 14286"),
    ("cards", "cards_deck", "100000 100000 100000"),
    ("cards", "sqlite_autoindex_cards_1", "100000 100000 1"),
    ("memory", "memory_queue", "100000 33334 2"),
    ("reviews", "reviews_first", "62000 1 1 1 1"),
    ("reviews", "reviews_unshared", "1000000 1"),
    ("reviews", "reviews_event", "1000000 1"),
    ("reviews", "reviews_day", "1000000 1370"),
    ("reviews", "reviews_card", "1000000 17 1"),
]

with_and_without_statistics = pytest.mark.parametrize(
    "statistics", [False, True], ids=["no statistics", "analyzed"]
)
"""Run a test on a collection without the planner's statistics (a learner's) and with the
benchmark collection's (`use_large_collection_statistics`): its `statistics` argument says
which."""


def use_large_collection_statistics(conn: sqlite3.Connection) -> None:
    """Make SQLite plan as on the 100,000-card benchmark collection: its statistics for the
    cards, their memory and the answers; the other tables' from their own rows."""
    tables = sorted({table for table, _index, _stat in LARGE_COLLECTION_STATISTICS})
    conn.execute("ANALYZE")
    conn.execute(f"DELETE FROM sqlite_stat1 WHERE tbl IN ({', '.join('?' * len(tables))})", tables)
    conn.executemany("INSERT INTO sqlite_stat1 VALUES (?, ?, ?)", LARGE_COLLECTION_STATISTICS)
    conn.execute("ANALYZE sqlite_schema")  # reload them


def query_plans(
    conn: sqlite3.Connection, run: Callable[[], object], marker: str
) -> list[list[str]]:
    """How SQLite reads what `run` asks of `conn`: the plan of each statement holding `marker`,
    one line a step."""
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        run()
    finally:
        conn.set_trace_callback(None)
    return [
        [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
        for sql in statements
        if marker in sql
    ]
