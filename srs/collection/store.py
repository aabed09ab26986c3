"""The SQLite collection: opening it safely, the schema and its migrations, and transactions.

One file holds the learner's decks, cards, memory state, review log and exam attempts. Opening
refuses anything that is not an srs collection (an empty or foreign file, one SQLite cannot read,
or a newer schema) rather than starting fresh over it. Every write runs in `Store.write()`, which
begins with `BEGIN IMMEDIATE`: with a busy timeout, two processes (the TUI and an import) then
queue instead of failing with "database is locked"; any SQLite error inside it (a full disk at
COMMIT) rolls back and becomes a `CollectionError`. A collection this process cannot write is
opened read-only (`sqlite_file.can_write`, `Store.open(read_only=True)`). The file, its
`-wal`/`-shm` and the folders srs creates are private to the user (0600, 0700). What is read of
the file without SQLite, and SQLite's errors in words, are in `srs.collection.sqlite_file`.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from srs.clock import Clock
from srs.collection.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from srs.collection.sqlite_file import (
    explain,
    in_wal_mode,
    is_sqlite_header,
    make_private_folder,
    shortfall,
)

if TYPE_CHECKING:
    import sqlite_utils

__all__ = [
    "CollectionError",
    "Store",
    "connect_read_only",
]

BUSY_TIMEOUT_MS = 5000
_IN_MEMORY = ":memory:"


class CollectionError(Exception):
    """The collection cannot be opened or written; the message says why and what to do."""


class Store:
    """An open collection. Use `Store.open()`; close it (or use it as a context manager)."""

    def __init__(
        self, path: Path, conn: sqlite3.Connection, clock: Clock, *, read_only: bool = False
    ) -> None:
        self.path = path
        self.conn = conn
        self.clock = clock
        self.read_only = read_only

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils on this store's connection, for batched inserts and `query`."""
        # Imported here: with click, dateutil and pluggy it is ~45 ms of the study app's
        # start-up, whose reads all go through `conn`.
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    @classmethod
    def open(
        cls,
        path: Path,
        clock: Clock | None = None,
        *,
        before_migration: Callable[[Store], object] | None = None,
        read_only: bool = False,
    ) -> Store:
        """Open (or create) the collection at `path`, migrating it to the current schema.

        Args:
            path: the SQLite file; created (0600, missing folders 0700) when missing.
            clock: the source of "now" (tests inject one).
            before_migration: called with the opened store before an existing collection is
                migrated (the caller takes a backup there).
            read_only: read the existing file without writing to it or beside it (for one this
                process cannot write: see `sqlite_file.can_write`); `write()` then raises, and a
                collection that needs a schema upgrade is refused.

        Raises:
            CollectionError: the file is not a usable srs collection; nothing was written.
        """
        existed = _check_file(path)
        conn = connect_read_only(path) if read_only else _connect(path, existed)
        store = cls(path, conn, clock or Clock(), read_only=read_only)
        try:
            store._check_pages()
            version = store._check_identity(existed)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if read_only:
                if version < SCHEMA_VERSION:
                    raise CollectionError(
                        f"{path} has schema {version} and this srs needs {SCHEMA_VERSION}; the "
                        "upgrade writes to it, and it is read-only here: make the file and its "
                        "folder writable and run srs once"
                    )
                return store
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            if version < SCHEMA_VERSION:
                if existed and version > 0 and before_migration is not None:
                    before_migration(store)
                store.migrate()
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise CollectionError(f"{path}: {explain(exc)}") from None
        except BaseException:
            conn.close()
            raise
        return store

    def _check_pages(self) -> None:
        """Refuse a main file shorter than its header says only when SQLite cannot read it.

        While a checkpoint copies the WAL into the main file (or when the disk fills during
        one), the header already counts every page but the file is still short: the missing
        pages are safe in `-wal`, and SQLite reads them from there. `quick_check` reads every
        page, so it runs only in that case.
        """
        missing = shortfall(self.path)
        if missing is None:
            return
        try:
            verdict = self.conn.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            verdict = str(exc)
        if verdict != "ok":
            raise CollectionError(
                f"{self.path} is truncated ({missing}) and SQLite cannot read it ({verdict}): "
                "restore a backup (srs restore)"
            )

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

        Raises:
            CollectionError: the collection is read-only here, stayed busy past the timeout,
                or a statement or the COMMIT failed (a full disk, a constraint); everything
                was rolled back.
        """
        self.check_writable()
        if self.conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise CollectionError(f"{self.path}: {explain(exc)}") from None
        try:
            yield self.db
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._roll_back()
            raise CollectionError(f"{self.path}: not saved: {explain(exc)}") from None
        except BaseException:
            self._roll_back()
            raise

    def _roll_back(self) -> None:
        # A failed COMMIT may have rolled back already (SQLITE_FULL) or not (SQLITE_BUSY); an
        # error from ROLLBACK itself would only hide the one being reported.
        if self.conn.in_transaction:
            with suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")

    def check_writable(self) -> None:
        """Refuse a change to a collection opened read-only, before anything begins.

        Raises:
            CollectionError: it is read-only here.
        """
        if self.read_only:
            raise CollectionError(
                f"{self.path} is read-only here (the file or its folder cannot be written), "
                "so it cannot be changed"
            )

    def reader(self) -> Store:
        """A read-only connection of its own to the same collection (for a worker thread:
        WAL lets it read while this one writes). Close it when done."""
        conn = connect_read_only(self.path)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return Store(self.path, conn, self.clock, read_only=True)

    def data_version(self) -> int:
        """Changes whenever another connection commits (SQLite's PRAGMA data_version)."""
        version: int = self.conn.execute("PRAGMA data_version").fetchone()[0]
        return version

    def own_changes(self) -> int:
        """Rows this connection has written since it opened (SQLite's total_changes): the
        other side of `data_version`, for telling whether this process wrote since a read."""
        return self.conn.total_changes

    def meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str, *, wait: bool = True) -> None:
        """Set a `meta` value.

        Args:
            key: the key.
            value: the value.
            wait: False gives up at once, rather than after the busy timeout, when another
                process holds the write lock: for a cache written on the app's thread, which
                must not freeze for it.

        Raises:
            CollectionError: not written (read-only, busy, full).
        """
        if not wait:
            self.conn.execute("PRAGMA busy_timeout = 0")
        try:
            with self.write():
                self.conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )
        finally:
            if not wait:
                self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that reads `path` as SQLite sees it, WAL included, and never writes to it.

    `mode=ro` reads the transactions committed but still in `-wal` (`immutable=1` would miss
    them: it reads the main file alone). Only a WAL-mode file with no `-wal` at all is opened
    immutable: nothing waits in a WAL then, and SQLite needs no `-shm`, which it could not
    create in a read-only folder (nor should it litter a backup's folder with one).

    Raises:
        CollectionError: the file cannot be opened, or its `-wal` cannot be read because
            `-shm` is missing and cannot be created.
    """
    wal = Path(f"{path}-wal")
    query = "immutable=1" if in_wal_mode(path) and not wal.exists() else "mode=ro"
    try:
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?{query}",
            uri=True,
            isolation_level=None,
            check_same_thread=False,
        )
    except sqlite3.Error as exc:
        raise CollectionError(f"cannot open {path}: {exc}") from None
    shm = Path(f"{path}-shm")
    if wal.exists() and not shm.exists():
        try:
            conn.execute("PRAGMA schema_version")  # the first read opens the WAL
        except sqlite3.OperationalError:
            conn.close()
            raise CollectionError(
                f"{path} has committed changes in {wal.name} that SQLite can only read with "
                f"write access to {path.parent} (to create {shm.name}): make the folder "
                "writable, or copy the file together with its -wal file to a writable folder"
            ) from None
    return conn


def _connect(path: Path, existed: bool) -> sqlite3.Connection:
    if not existed and str(path) != _IN_MEMORY:
        _create_private_file(path)
    try:
        return sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
        )
    except sqlite3.Error as exc:
        raise CollectionError(f"cannot open {path}: {exc}") from None


def _create_private_file(path: Path) -> None:
    """Create the empty collection file for this user only, before SQLite opens it: SQLite
    gives `-wal` and `-shm` the main file's permissions, whatever the umask."""
    try:
        make_private_folder(path.parent)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass  # another srs process created it a moment ago: opened as usual
    except OSError as exc:
        raise CollectionError(f"cannot create {path}: {exc.strerror}") from None


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
    if not is_sqlite_header(header):
        raise CollectionError(f"{path} is not an SQLite database (not an srs collection)")
    return True
