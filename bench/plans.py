"""How SQLite plans srs's SQL on the 100,000-card collection, with and without the planner's
statistics.

`python -m bench.plans [--runs N] [--slow MS] [--json] [COLLECTION]`

A learner's collection never holds `sqlite_stat1` (srs never runs `ANALYZE`), but one
analyzed by another tool does, and the benchmark collection did until 2026-12-01; the planner
may choose differently on the two. This runs srs's main workloads on a private copy of
COLLECTION (default: the cached one) and records every distinct statement they run (the trace
callback's expanded SQL; statements differing only in their literals count once): the app's
start (the dashboard's counts and checks), the card browser (`bench.browse`'s pages and
searches), statistics (`bench.stats`'s sections, for the deck and for every deck), the pass
chance, the exam plan (an exam date set 60 days out when the deck has none), sync (its status
and the events it would write) and today's queue with 20 answers. Two copies are then made
of it, one analyzed and one without statistics. Each statement is planned (`EXPLAIN QUERY
PLAN`) on both copies, and each read is timed there (CPU milliseconds, the least of
`--runs`), through `Store.open` connections as srs's own. Printed: every statement slower
than `--slow` on either copy or planned differently on the two, with both plans and times;
then a count of the rest.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path

from fsrs import Rating

import srs.stats
from bench.browse import SEARCHES
from bench.collection import ANSWER_RATINGS, CollectionSpec, cached_collection, fresh_copy
from bench.stats import SCOPES, SECTIONS
from srs.collection.attempts import open_attempt_id, unlogged_attempt_ids
from srs.collection.outbox import unshared_events
from srs.collection.settings import get_settings
from srs.collection.store import Store
from srs.exam.form import exam_pools, exam_spec
from srs.exam.readiness import card_probabilities, deck_readiness
from srs.plan import exam_plan, pending_outcome, set_exam_date
from srs.study.browse import SORT_COLUMNS, Search, browse_page, card_details
from srs.study.optimize import optimization_suggested
from srs.study.session import StudySession
from srs.sync import sync_status
from srs.tui.read_ahead import dashboard_counts

__all__ = [
    "WORKLOADS",
    "Statement",
    "audit",
    "capture",
    "main",
    "planner_copies",
    "query_plan",
    "report",
]

DECK = "bench"
ANSWERS = 20


def _start(store: Store) -> None:
    open_attempt_id(store)
    unlogged_attempt_ids(store)
    dashboard_counts(store)
    optimization_suggested(store)
    pending_outcome(store, DECK)


def _browser(store: Store) -> None:
    page = browse_page(store, DECK)
    card_details(store, page.rows[0].card_id)
    for column in SORT_COLUMNS:
        browse_page(store, DECK, sort=column)
    for text in SEARCHES:
        browse_page(store, DECK, search=Search.parse(text))


def _statistics(store: Store) -> None:
    for deck_id in SCOPES.values():
        for name in SECTIONS:
            getattr(srs.stats, name)(store, deck_id)


def _pass_chance(store: Store) -> None:
    spec = exam_spec(store, DECK)
    assert spec is not None, "the benchmark deck has a mock exam"
    exam_pools(store, DECK, spec)
    deck_readiness(store, DECK, rng=random.Random(1))
    card_probabilities(store, DECK)


def _exam_plan(store: Store) -> None:
    if get_settings(store, DECK).exam_date is None:
        set_exam_date(store, DECK, store.clock.now().date() + timedelta(days=60))
    exam_plan(store, DECK)


def _sync(store: Store) -> None:
    sync_status(store)
    unshared_events(store)


def _study(store: Store) -> None:
    session = StudySession(store, rng=random.Random(1))
    for rating in ANSWER_RATINGS[:ANSWERS]:
        card = session.next_card()
        if card is None:
            break
        session.preview(card)
        session.answer(card.id, Rating(rating), duration_ms=5000)
    session.summary()


WORKLOADS: dict[str, Callable[[Store], None]] = {
    "start": _start,
    "browser": _browser,
    "statistics": _statistics,
    "pass chance": _pass_chance,
    "exam plan": _exam_plan,
    "sync": _sync,
    "study": _study,
}
"""What the app does, by name: the reads first, then what writes (the exam date, answers)."""

_LITERAL = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?(?:e[-+]?\d+)?\b", re.IGNORECASE)
_PLANNED = ("SELECT", "WITH", "INSERT", "UPDATE", "DELETE", "REPLACE")
_READ = ("SELECT", "WITH")


@dataclass
class Statement:
    """One distinct statement: where it was first run, its SQL, and how each copy runs it."""

    workload: str
    sql: str
    plans: dict[str, list[str]]
    """Per copy ("analyzed", "plain"), the plan's steps, indented as SQLite nests them."""
    cpu_ms: dict[str, float]
    """Per copy, the least CPU milliseconds of the runs (reads only)."""

    def unstable(self) -> bool:
        """Whether SQLite plans it differently with the statistics and without."""
        return self.plans["analyzed"] != self.plans["plain"]

    def slowest(self) -> float:
        """Its CPU milliseconds on the copy where it ran longer (0 for a write)."""
        return max(self.cpu_ms.values(), default=0.0)


def capture(store: Store, workloads: dict[str, Callable[[Store], None]]) -> dict[str, str]:
    """Each distinct statement the workloads run (the first of those differing only in their
    literals), by SQL, with the first workload that ran it."""
    seen: dict[str, tuple[str, str]] = {}
    running = [""]

    def trace(sql: str) -> None:
        if sql.lstrip().upper().startswith(_PLANNED):
            seen.setdefault(_LITERAL.sub("?", sql), (sql, running[0]))

    store.conn.set_trace_callback(trace)
    try:
        for name, workload in workloads.items():
            running[0] = name
            workload(store)
    finally:
        store.conn.set_trace_callback(None)
    return dict(seen.values())


def query_plan(conn: sqlite3.Connection, sql: str) -> list[str]:
    """SQLite's plan for `sql`, one step a line, indented under its parent step."""
    depth: dict[int, int] = {0: -1}
    steps = []
    for step_id, parent, _unused, detail in conn.execute("EXPLAIN QUERY PLAN " + sql):
        depth[step_id] = depth.get(parent, -1) + 1
        steps.append("  " * depth[step_id] + detail)
    return steps


def _cpu_ms(conn: sqlite3.Connection, sql: str) -> float:
    started = time.process_time()
    conn.execute(sql).fetchall()
    return (time.process_time() - started) * 1000


def audit(statements: dict[str, str], copies: dict[str, Path], runs: int) -> list[Statement]:
    """Each statement planned, and each read timed, on each copy: the copies' runs alternate,
    so that a change in the machine's load falls on both."""
    results = [Statement(workload, sql, {}, {}) for sql, workload in statements.items()]
    with ExitStack() as stack:
        stores = {copy: stack.enter_context(Store.open(path)) for copy, path in copies.items()}
        for statement in results:
            reads = statement.sql.lstrip().upper().startswith(_READ)
            times: dict[str, list[float]] = {copy: [] for copy in stores}
            for copy, store in stores.items():
                statement.plans[copy] = query_plan(store.conn, statement.sql)
            for _ in range(runs if reads else 0):
                for copy, store in stores.items():
                    times[copy].append(_cpu_ms(store.conn, statement.sql))
            statement.cpu_ms = {copy: min(ms) for copy, ms in times.items() if ms}
    return results


def planner_copies(collection: Path, folders: dict[str, Path]) -> dict[str, Path]:
    """Copies of a closed collection in `folders` ("analyzed", "plain"): one with the planner's
    statistics (`ANALYZE`), one without them, as a learner's is."""
    copies = {copy: fresh_copy(collection, folder) for copy, folder in folders.items()}
    with sqlite3.connect(copies["analyzed"]) as conn:
        conn.execute("ANALYZE")
    with sqlite3.connect(copies["plain"]) as conn:
        conn.execute("DROP TABLE IF EXISTS sqlite_stat1")
    return copies


def report(results: Sequence[Statement], slow_ms: float) -> str:
    """The statements slower than `slow_ms` on either copy or planned differently, slowest
    first, each with its plans; then how many are left out."""
    lines = []
    shown = [s for s in results if s.unstable() or s.slowest() > slow_ms]
    for s in sorted(shown, key=Statement.slowest, reverse=True):
        times = ", ".join(f"{copy} {ms:.1f} ms" for copy, ms in s.cpu_ms.items())
        flag = " PLAN DIFFERS" if s.unstable() else ""
        lines += [f"== {s.workload}: {times or 'not timed (a write)'}{flag}", s.sql.strip()]
        for copy, plan in s.plans.items():
            if copy == "plain" and not s.unstable():
                break
            lines += [f"  -- {copy}:", *(f"    {step}" for step in plan)]
        lines.append("")
    lines.append(
        f"{len(results)} distinct statements, {len(results) - len(shown)} not shown "
        f"(the same plan on both copies and at most {slow_ms:g} ms)"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.plans", description=__doc__)
    parser.add_argument("collection", nargs="?", type=Path, help="a collection to copy")
    parser.add_argument("--runs", type=int, default=3, help="runs per read (the least kept)")
    parser.add_argument("--slow", type=float, default=10.0, help="show reads slower (ms)")
    parser.add_argument("--json", action="store_true", help="print every statement as JSON")
    args = parser.parse_args(argv)
    collection = args.collection or cached_collection(CollectionSpec())
    with tempfile.TemporaryDirectory(prefix="srs-bench-plans-") as tmp:
        folders = {copy: Path(tmp) / copy for copy in ("workloads", "analyzed", "plain")}
        for folder in folders.values():
            folder.mkdir()
        worked = fresh_copy(collection, folders.pop("workloads"))
        with Store.open(worked) as store:
            statements = capture(store, WORKLOADS)
        # Copied once the workloads' writes are in: both copies hold the same rows.
        copies = planner_copies(worked, folders)
        results = audit(statements, copies, args.runs)
    if args.json:
        json.dump([asdict(s) for s in results], sys.stdout)
    else:
        print(report(results, args.slow))
    return 0


if __name__ == "__main__":
    sys.exit(main())
