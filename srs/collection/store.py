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
from srs.collection.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

__all__ = [
    "CollectionError",
    "Store",
]

BUSY_TIMEOUT_MS = 5000
_HEADER = b"SQLite format 3\x00"


class CollectionError(Exception):
    """The collection cannot be opened or written; the message says why and what to do."""


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
