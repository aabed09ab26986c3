"""Crash driver: one srs workload in a child process, killed at a chosen point, then checked.

The child (`python crash_driver.py WORKLOAD DB SEED [--die-in-backup BYTES]`) prints `ready`,
then one line per operation that has returned, so is committed: `answer 17`, `exam 3`,
`import 1`, `backup /path`. The parent kills it (`run(..., kill_after=seconds)`, SIGKILL), or
the child dies by itself at a chosen write: a file-size limit (RLIMIT_FSIZE) makes the kernel
kill it (SIGXFSZ) at its first write past that size, which lands mid-checkpoint or mid-backup
every time. `check_after_kill` then checks what a learner must find: the collection opens,
SQLite's quick_check is ok, every reported answer and exam is there, an import is all or
nothing, and every listed backup is a complete collection.

Shared by tests/collection/test_crash.py (a few seeded kills, seconds) and bench/soak.py
(hundreds of kills, `make soak`).
"""

from __future__ import annotations

import argparse
import random
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fsrs import Rating

from srs.collection.backup import automatic_backup, list_backups
from srs.collection.store import CollectionError, Store
from srs.decks.importer import import_decks
from srs.decks.validate import load_deck, parse_deck
from srs.exam.engine import answer, start_exam, submit, unfinished_attempt
from srs.study.answers import record_answer

REPO = Path(__file__).resolve().parents[1]
BUNDLED_DECK = REPO / "decks" / "synthetic-data.yaml"
SOAK_DECK = "soak"
SOAK_CARDS = 200
WORKLOADS = ("answers", "exam", "import", "backup", "checkpoint")


def soak_deck_text(version: int) -> str:
    """Version `version` of the soak deck: every card's question names the version, so an
    import is all or nothing exactly when every card shows the same one."""
    lines = [f"deck: {SOAK_DECK}", "title: Soak", "cards:"]
    for n in range(SOAK_CARDS):
        lines += [
            f"  - id: card-{n}",
            f"    question: Question {n} (v{version})?",
            f"    answer: Answer {n}",
            f"    distractors: [Wrong {n}a, Wrong {n}b]",
        ]
    return "\n".join(lines) + "\n"


def build_collection(db: Path) -> None:
    """A collection for every workload: the bundled deck (it has an exam) and soak deck v0."""
    with Store.open(db) as store:
        bundled = load_deck(BUNDLED_DECK)
        import_decks(store, [bundled, parse_deck(soak_deck_text(0).encode())])


# --- the child ----------------------------------------------------------------------------------


def _die_past(size: int) -> None:
    """From now on, the first write past `size` bytes in any file kills this process."""
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)  # Python ignores it by default
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, resource.RLIM_INFINITY))


def _report(line: str) -> None:
    print(line, flush=True)


def _answers(db: Path, rng: random.Random, die_in_backup: int | None) -> None:
    with Store.open(db) as store:
        cards = [row[0] for row in store.conn.execute("SELECT id FROM cards")]
        _report("ready")
        while True:
            rating = rng.choice(list(Rating))
            result = record_answer(store, rng.choice(cards), rating, duration_ms=3000)
            _report(f"answer {result.review_id}")


def _exam(db: Path, rng: random.Random, die_in_backup: int | None) -> None:
    deck = load_deck(BUNDLED_DECK).id
    with Store.open(db) as store:
        _report("ready")
        while True:
            attempt = unfinished_attempt(store, deck) or start_exam(store, deck, rng=rng)
            for question in attempt.questions:
                attempt = answer(store, attempt, question.position, rng.choice(question.choices))
            submit(store, attempt)
            _report(f"exam {attempt.id}")


def _import(db: Path, rng: random.Random, die_in_backup: int | None) -> None:
    """Import ever newer versions of the soak deck, as `srs import` does (an automatic backup
    before each); with `die_in_backup`, the first backup's copy is cut at that size."""

    def backup_first() -> None:
        if die_in_backup is not None:
            _die_past(die_in_backup)
        automatic_backup(store, "import")

    with Store.open(db) as store:
        version = _imported_version(store)
        _report("ready")
        while True:
            version += 1
            deck = parse_deck(soak_deck_text(version).encode())
            import_decks(store, [deck], before_write=backup_first)
            _report(f"import {version}")


def _backup(db: Path, rng: random.Random, die_in_backup: int | None) -> None:
    with Store.open(db) as store:
        _report("ready")
        while True:
            if die_in_backup is not None:
                _die_past(die_in_backup)
            _report(f"backup {automatic_backup(store, 'soak')}")


def _checkpoint(db: Path, rng: random.Random, die_in_backup: int | None) -> None:
    """Leave `rng`-many answers in the WAL, then checkpoint with a file-size limit just past
    the main file: the kernel kills the process mid-checkpoint, after the header already
    counts every page and before the main file holds them."""
    with Store.open(db) as store:
        store.conn.execute("PRAGMA wal_autocheckpoint = 0")
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cards = [row[0] for row in store.conn.execute("SELECT id FROM cards")]
        _report("ready")
        for _ in range(rng.randint(40, 80)):
            result = record_answer(store, rng.choice(cards), Rating.Good, duration_ms=3000)
            _report(f"answer {result.review_id}")
        _die_past(db.stat().st_size + 4096)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _report("checkpoint finished")  # never reached when the limit is hit


def _imported_version(store: Store) -> int:
    row = store.conn.execute(
        "SELECT question FROM cards WHERE deck_id = ? ORDER BY id LIMIT 1", (SOAK_DECK,)
    ).fetchone()
    return _version_of(row[0])


def _version_of(question: str) -> int:
    return int(question.rsplit("(v", 1)[1].split(")")[0])


_WORKLOADS: dict[str, Callable[[Path, random.Random, int | None], None]] = {
    "answers": _answers,
    "exam": _exam,
    "import": _import,
    "backup": _backup,
    "checkpoint": _checkpoint,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("workload", choices=WORKLOADS)
    parser.add_argument("db", type=Path)
    parser.add_argument("seed", type=int)
    parser.add_argument("--die-in-backup", type=int, metavar="BYTES")
    args = parser.parse_args()
    _WORKLOADS[args.workload](args.db, random.Random(args.seed), args.die_in_backup)


# --- the parent ---------------------------------------------------------------------------------


@dataclass
class Run:
    """What one killed child reported before it died."""

    lines: list[str]
    returncode: int
    stderr: str

    @property
    def killed(self) -> bool:
        return self.returncode in (-signal.SIGKILL, -signal.SIGXFSZ)

    def reported(self, kind: str) -> list[str]:
        return [line.split(" ", 1)[1] for line in self.lines if line.startswith(kind + " ")]


class Child:
    """A workload running in a child process, started and ready."""

    def __init__(self, workload: str, db: Path, seed: int, die_in_backup: int | None) -> None:
        command = [sys.executable, __file__, workload, str(db), str(seed)]
        if die_in_backup is not None:
            command += ["--die-in-backup", str(die_in_backup)]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        self.first = self.process.stdout.readline().strip()

    def finish(self, *, kill: bool) -> Run:
        """SIGKILL it (or wait, within a minute, for it to die by itself); what it reported."""
        if kill:
            self.process.kill()
        out, err = self.process.communicate(timeout=60)
        return Run([self.first, *out.splitlines()], self.process.returncode, err)


def run(
    workload: str,
    db: Path,
    seed: int,
    *,
    kill_after: float | None,
    die_in_backup: int | None = None,
) -> Run:
    """Run a workload in a child; SIGKILL it `kill_after` seconds after it is ready (None: let
    it run until it dies by itself)."""
    child = Child(workload, db, seed, die_in_backup)
    if kill_after is not None:
        time.sleep(kill_after)
    return child.finish(kill=kill_after is not None)


@dataclass(frozen=True)
class KilledMidCheckpoint:
    """A collection whose process died while checkpointing, and what it had committed."""

    path: Path
    answers: int


@dataclass
class Expected:
    """What the children reported as done, over every run on one collection."""

    answers: set[int] = field(default_factory=set)
    exams: set[int] = field(default_factory=set)
    import_version: int = 0

    def add(self, run: Run) -> None:
        self.answers.update(int(r) for r in run.reported("answer"))
        self.exams.update(int(r) for r in run.reported("exam"))
        imported = run.reported("import")
        if imported:
            self.import_version = int(imported[-1])


@dataclass
class Check:
    """The invariants a kill broke (as text), and how many committed operations it lost."""

    problems: list[str] = field(default_factory=list)
    lost: int = 0

    def fail(self, problem: str, lost: int = 0) -> None:
        self.problems.append(problem)
        self.lost += lost


def check_after_kill(db: Path, expected: Expected) -> Check:
    """Every invariant a learner relies on after a crash."""
    check = Check()
    try:
        store = Store.open(db)
    except CollectionError as exc:
        check.fail(f"does not open: {exc}")
        return check
    with store:
        conn = store.conn
        if (verdict := conn.execute("PRAGMA quick_check").fetchone()[0]) != "ok":
            check.fail(f"quick_check: {verdict}")
        reviews = {row[0] for row in conn.execute("SELECT id FROM reviews")}
        if lost := expected.answers - reviews:
            check.fail(f"{len(lost)} committed answers lost", len(lost))
        submitted = {
            row[0]
            for row in conn.execute(
                "SELECT a.id FROM exam_attempts a WHERE submitted_at IS NOT NULL AND NOT EXISTS "
                "(SELECT 1 FROM exam_answers q WHERE q.attempt_id = a.id "
                "AND q.chosen IS NOT NULL AND q.review_id IS NULL)"
            )
        }
        if lost := expected.exams - submitted:
            check.fail(f"{len(lost)} submitted exams lost or not logged", len(lost))
        versions = {
            _version_of(row[0])
            for row in conn.execute("SELECT question FROM cards WHERE deck_id = ?", (SOAK_DECK,))
        }
        if len(versions) != 1:
            check.fail(f"import half done: versions {sorted(versions)}")
        elif versions.pop() not in (expected.import_version, expected.import_version + 1):
            check.fail("a committed import was lost", 1)
        for backup in list_backups(store):
            if why := _backup_problem(backup.path):
                check.fail(f"listed backup {backup.path.name}: {why}")
    return check


def _backup_problem(path: Path) -> str | None:
    if Path(f"{path}-journal").exists():
        return "has a -journal beside it (half written)"
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            cards = conn.execute("SELECT count(*) FROM cards").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return str(exc)
    if check != "ok":
        return f"quick_check: {check}"
    return None if cards else "no cards"


if __name__ == "__main__":
    main()
