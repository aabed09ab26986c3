"""The SQLite collection: opening it safely, the schema and its migrations, and transactions.

One file holds the learner's decks, cards, memory state, review log and exam attempts. Opening
refuses anything that is not an srs collection (an empty, truncated or foreign file, or a newer
schema) rather than starting fresh over it. Every write runs in `Store.write()`, which begins with
`BEGIN IMMEDIATE`: with a busy timeout, two processes (the TUI and an import) then queue instead
of failing with "database is locked".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from srs.clock import Clock

__all__ = [
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "CollectionError",
    "Store",
]

APPLICATION_ID = 0x53525331  # "SRS1": marks the file as ours in the SQLite header
BUSY_TIMEOUT_MS = 5000
_HEADER = b"SQLite format 3\x00"


class CollectionError(Exception):
    """The collection cannot be opened or written; the message says why and what to do."""


_V1 = [
    """CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE decks (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        description TEXT,
        exam TEXT,
        settings TEXT NOT NULL DEFAULT '{}',
        source TEXT,
        fingerprint TEXT,
        imported_at TEXT NOT NULL
    )""",
    """CREATE TABLE cards (
        id INTEGER PRIMARY KEY,
        deck_id TEXT NOT NULL REFERENCES decks(id),
        key TEXT NOT NULL,
        position INTEGER NOT NULL,
        question TEXT NOT NULL,
        answers TEXT NOT NULL,
        distractors TEXT NOT NULL,
        topic TEXT,
        tags TEXT NOT NULL,
        feedback_correct TEXT,
        feedback_incorrect TEXT,
        explanation TEXT,
        retired INTEGER NOT NULL DEFAULT 0,
        suspended INTEGER NOT NULL DEFAULT 0,
        buried_until TEXT,
        leech INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (deck_id, key)
    )""",
    # state: 0 new, 1 learning, 2 review, 3 relearning (py-fsrs's State, plus "new").
    """CREATE TABLE memory (
        card_id INTEGER PRIMARY KEY REFERENCES cards(id),
        state INTEGER NOT NULL DEFAULT 0,
        step INTEGER,
        stability REAL,
        difficulty REAL,
        due TEXT,
        last_review TEXT,
        reps INTEGER NOT NULL DEFAULT 0,
        lapses INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX memory_queue ON memory (state, due)",
    "CREATE INDEX cards_deck ON cards (deck_id, retired)",
    # before/after hold the memory row as JSON, so undo restores the exact prior state.
    """CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        card_id INTEGER NOT NULL REFERENCES cards(id),
        reviewed_at TEXT NOT NULL,
        day TEXT NOT NULL,
        rating INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        source TEXT NOT NULL,
        choice TEXT,
        before TEXT NOT NULL,
        after TEXT NOT NULL
    )""",
    "CREATE INDEX reviews_card ON reviews (card_id, reviewed_at)",
    "CREATE INDEX reviews_day ON reviews (day)",
    # One row per mock-exam attempt, kept forever (history and calibration read them).
    # deadline is absolute (started_at + time limit), so time runs on while srs is closed;
    # timed_out says the clock, not the learner, submitted it.
    """CREATE TABLE exam_attempts (
        id INTEGER PRIMARY KEY,
        deck_id TEXT NOT NULL REFERENCES decks(id),
        kind TEXT NOT NULL,
        retake_of INTEGER REFERENCES exam_attempts(id),
        started_at TEXT NOT NULL,
        deadline TEXT,
        submitted_at TEXT,
        timed_out INTEGER NOT NULL DEFAULT 0,
        pass_mark REAL NOT NULL,
        predicted_pass REAL,
        predicted_score REAL,
        score INTEGER
    )""",
    "CREATE INDEX exam_attempts_deck ON exam_attempts (deck_id, submitted_at)",
    # One row per question of an attempt. choices: the option texts in the order shown (JSON);
    # chosen: the texts picked (JSON, NULL while unanswered); correct: the verdict frozen at
    # submission (a later deck edit does not rewrite history); review_id: the review it was
    # logged as, so a submission interrupted by a crash is finished without logging twice.
    """CREATE TABLE exam_answers (
        attempt_id INTEGER NOT NULL REFERENCES exam_attempts(id),
        position INTEGER NOT NULL,
        card_id INTEGER NOT NULL REFERENCES cards(id),
        choices TEXT NOT NULL,
        chosen TEXT,
        flagged INTEGER NOT NULL DEFAULT 0,
        answered_at TEXT,
        correct INTEGER,
        review_id INTEGER,
        PRIMARY KEY (attempt_id, position)
    )""",
    "CREATE INDEX exam_answers_card ON exam_answers (card_id)",
    f"PRAGMA application_id = {APPLICATION_ID}",
]

MIGRATIONS: list[list[str]] = [_V1]
"""Forward migrations: MIGRATIONS[n] takes the schema from version n to n + 1."""

SCHEMA_VERSION = len(MIGRATIONS)


class Store:
    """An open collection. Use `Store.open()`; close it (or use it as a context manager)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, clock: Clock) -> None:
        self.path = path
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self.clock = clock

    @classmethod
    def open(
        cls,
        path: Path,
        clock: Clock | None = None,
        *,
        before_migration: Callable[[Store], object] | None = None,
    ) -> Store:
        """Open (or create) the collection at `path`, migrating it to the current schema.

        Args:
            path: the SQLite file; created with its folder when missing.
            clock: the source of "now" (tests inject one).
            before_migration: called with the opened store before an existing collection is
                migrated (the caller takes a backup there).

        Raises:
            CollectionError: the file is not a usable srs collection; nothing was written.
        """
        existed = _check_file(path)
        if not existed:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise CollectionError(f"cannot create {path.parent}: {exc.strerror}") from None
        try:
            conn = sqlite3.connect(
                path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
            )
        except sqlite3.Error as exc:
            raise CollectionError(f"cannot open {path}: {exc}") from None
        store = cls(path, conn, clock or Clock())
        try:
            version = store._check_identity(existed)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            if version < SCHEMA_VERSION:
                if existed and version > 0 and before_migration is not None:
                    before_migration(store)
                store.migrate()
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise CollectionError(f"{path}: {_explain(exc)}") from None
        except BaseException:
            conn.close()
            raise
        return store

    def _check_identity(self, existed: bool) -> int:
        if existed:
            app_id = self.conn.execute("PRAGMA application_id").fetchone()[0]
            tables = self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if app_id != APPLICATION_ID and (app_id or tables):
                raise CollectionError(
                    f"{self.path} is an SQLite database but not an srs collection; "
                    "choose another path with --db or SRS_DB"
                )
        version: int = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise CollectionError(
                f"{self.path} was written by a newer srs (schema {version}; this one knows "
                f"{SCHEMA_VERSION}): upgrade srs. The file was not changed."
            )
        return version

    def migrate(self) -> None:
        """Bring the schema to `SCHEMA_VERSION`, one transaction per step."""
        # Each step re-reads the version inside its own IMMEDIATE transaction, so two processes
        # opening an old collection at once never both apply the same step.
        while True:
            with self.write():
                version = self.conn.execute("PRAGMA user_version").fetchone()[0]
                if version >= SCHEMA_VERSION:
                    return
                for statement in MIGRATIONS[version]:
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {version + 1}")

    @contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """One short write transaction: everything inside commits together or not at all.

        Inside another `write()`, it joins that transaction (through a savepoint), so a caller
        can make several engine calls one atomic change.
        """
        if self.conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise CollectionError(f"{self.path}: {_explain(exc)}") from None
        try:
            yield self.db
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def reader(self) -> Store:
        """A read-only connection of its own to the same collection (for a worker thread:
        WAL lets it read while this one writes). Close it when done."""
        try:
            conn = sqlite3.connect(
                f"{self.path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise CollectionError(f"cannot open {self.path}: {exc}") from None
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return Store(self.path, conn, self.clock)

    def deck_row(self, deck_id: str, *columns: str) -> tuple[Any, ...]:
        """Columns of one deck's row.

        Raises:
            CollectionError: no such deck.
        """
        row = self.conn.execute(
            f"SELECT {', '.join(columns)} FROM decks WHERE id = ?", (deck_id,)
        ).fetchone()
        if row is None:
            raise CollectionError(f"no deck '{deck_id}' in the collection")
        return tuple(row)

    def data_version(self) -> int:
        """Changes whenever another connection commits (SQLite's PRAGMA data_version)."""
        version: int = self.conn.execute("PRAGMA data_version").fetchone()[0]
        return version

    def meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self.write():
            self.conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _check_file(path: Path) -> bool:
    """Refuse a file that cannot be a collection, before SQLite touches it. Returns existence."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
            size = path.stat().st_size
    except FileNotFoundError:
        return False
    except IsADirectoryError:
        raise CollectionError(f"{path} is a folder, not a collection file") from None
    except OSError as exc:
        raise CollectionError(f"cannot read {path}: {exc.strerror}") from None
    if size == 0:
        raise CollectionError(
            f"{path} is empty (0 bytes): it is not a collection. If it should hold your "
            "reviews, restore a backup (srs restore); otherwise delete it."
        )
    if not header.startswith(_HEADER):
        raise CollectionError(f"{path} is not an SQLite database (not an srs collection)")
    if len(header) == 100:
        page_size = int.from_bytes(header[16:18], "big")
        page_size = 65536 if page_size == 1 else page_size
        pages = int.from_bytes(header[28:32], "big")
        # The page count is trustworthy only when its "valid-for" matches the change counter.
        if header[92:96] == header[24:28] and size < page_size * pages:
            raise CollectionError(
                f"{path} is truncated ({size:,} of {page_size * pages:,} bytes): restore a "
                "backup (srs restore)"
            )
    return True


def _explain(exc: sqlite3.Error) -> str:
    message = str(exc)
    if "locked" in message or "busy" in message:
        return "the collection is busy in another srs process; try again in a moment"
    if "malformed" in message or "not a database" in message:
        return f"the collection is damaged ({message}): restore a backup (srs restore)"
    return message
