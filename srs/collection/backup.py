"""Backups of the collection through SQLite's backup API, verified, and thinned like Anki's.

A plain file copy of a live WAL database can lose committed rows (and still pass integrity_check),
so every copy goes through `sqlite3.Connection.backup`, from a read transaction on a connection of
its own: the copy and the row counts it is checked against come from one snapshot, so answers
committed meanwhile (the study app stays open) never fail the check. The copy is written under a
temporary name beside its destination (`.NAME.XXXXXXXX.partial`, private to the user) and renamed
only once verified: a backup killed midway is never listed as one, and `list_backups` removes its
leftovers once stale.
Automatic backups live in a `backups/` folder beside the collection (0700, never a symbolic link)
and are thinned to the newest of each of the last 12 days, 10 weeks and 9 months. Copies saved
before a restore are never thinned: they are the way back from a restore that went wrong.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from srs.collection.schema import APPLICATION_ID, SCHEMA_VERSION
from srs.collection.sqlite_file import make_private_folder
from srs.collection.store import CollectionError, Store, connect_read_only

__all__ = [
    "STALE_PARTIAL_SECONDS",
    "Backup",
    "automatic_backup",
    "backup_dir",
    "list_backups",
    "new_backup_path",
    "restore",
    "thin",
    "write_backup",
]

KEEP_DAILY = 12
KEEP_WEEKLY = 10
KEEP_MONTHLY = 9
STALE_PARTIAL_SECONDS = 3600
"""A backup's temporary file untouched this long belongs to a killed backup, not a running one."""
_STAMP = "%Y%m%d-%H%M%S"
_PARTIAL = ".partial"


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime
    reason: str

    @property
    def thinnable(self) -> bool:
        return not self.reason.startswith("pre-restore")


def backup_dir(store: Store) -> Path:
    """The automatic backups' folder, beside the collection.

    Raises:
        CollectionError: it is a symbolic link (srs would write, and thin, backups wherever it
            points).
    """
    folder = store.path.parent / "backups"
    if folder.is_symlink():
        raise CollectionError(
            f"{folder} is a symbolic link: srs keeps backups only in a real folder beside the "
            "collection (move the link away)"
        )
    return folder


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def write_backup(store: Store, dest: Path) -> Path:
    """Copy the collection's committed state to `dest` (0600, missing folders 0700), verified
    against the snapshot it was copied from (integrity and every table's row count).

    Raises:
        CollectionError: `dest` exists (a symbolic link too), or the copy could not be written
            or did not verify; nothing is left at `dest`.
    """
    if os.path.lexists(dest):
        raise CollectionError(f"{dest} already exists; choose another file")
    try:
        make_private_folder(dest.parent)
        handle, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=_PARTIAL, dir=dest.parent)
        os.close(handle)
    except OSError as exc:
        raise CollectionError(f"backup to {dest} failed: {exc}") from None
    partial = Path(name)
    try:
        if not _copy_snapshot(store, partial):
            raise CollectionError(
                f"backup to {dest} did not verify; the collection was not changed"
            )
        partial.replace(dest)
    except (OSError, sqlite3.Error) as exc:
        raise CollectionError(f"backup to {dest} failed: {exc}") from None
    finally:
        _remove(partial)
    return dest


def _copy_snapshot(store: Store, target: Path) -> bool:
    """Copy one snapshot of the collection into `target`; whether the copy matches it."""
    source = connect_read_only(store.path)
    try:
        source.execute("BEGIN")
        expected = _counts(source)  # the first read fixes the snapshot; the copy reads the same
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            # A copy is one self-contained file: out of WAL mode, it needs no -wal/-shm.
            copy.execute("PRAGMA journal_mode = DELETE")
            intact = copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            return intact and _counts(copy) == expected
        finally:
            copy.close()
    finally:
        source.close()


def _remove(partial: Path) -> None:
    """Remove a backup's temporary file and the rollback journal SQLite may have left."""
    partial.unlink(missing_ok=True)
    Path(f"{partial}-journal").unlink(missing_ok=True)


def _parse(path: Path) -> Backup | None:
    # Names look like srs-20261125-083900-import.db
    parts = path.stem.split("-", 3)
    if len(parts) != 4 or parts[0] != "srs":
        return None
    try:
        taken = datetime.strptime(f"{parts[1]}-{parts[2]}", _STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None
    return Backup(path, taken, parts[3])


def list_backups(store: Store) -> list[Backup]:
    """Backups in the collection's backup folder, newest first.

    The temporary files of a backup still being written are not backups; those untouched for
    `STALE_PARTIAL_SECONDS` were left by a killed one and are removed (when the folder can be
    written).
    """
    folder = backup_dir(store)
    if not folder.is_dir():
        return []
    stale = time.time() - STALE_PARTIAL_SECONDS
    for leftover in folder.glob(f".srs-*{_PARTIAL}*"):
        with suppress(OSError):
            if leftover.stat().st_mtime < stale:
                leftover.unlink()
    found = [b for p in folder.glob("srs-*.db") if (b := _parse(p)) is not None]
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def automatic_backup(store: Store, reason: str) -> Path | None:
    """Back up before a risky operation (import, migration, restore); then thin old copies.

    A collection with no cards holds nothing to lose, so none is taken for it.

    Raises:
        CollectionError: the collection is read-only here (the change cannot happen, so no
            backup is written for it), or the backup failed.
    """
    store.check_writable()
    has_cards = store.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'cards'").fetchone()
    if not has_cards or not store.conn.execute("SELECT 1 FROM cards LIMIT 1").fetchone():
        return None
    path = write_backup(store, new_backup_path(store, reason))
    for old in thin(list_backups(store), store.clock.now().date()):
        if old.path != path:  # same-second copies tie on time: never thin the one just made
            old.path.unlink(missing_ok=True)
    return path


def new_backup_path(store: Store, reason: str) -> Path:
    """A fresh name in the backup folder: srs-YYYYMMDD-HHMMSS-REASON.db (UTC)."""
    stamp = store.clock.now().strftime(_STAMP)
    path = backup_dir(store) / f"srs-{stamp}-{reason}.db"
    serial = 1
    while path.exists():
        serial += 1
        path = backup_dir(store) / f"srs-{stamp}-{reason}{serial}.db"
    return path


def thin(backups: list[Backup], today: date) -> list[Backup]:
    """Which backups to delete: all but the newest of each of the last 12 days, then of 10
    weeks, then of 9 months (Anki's scheme). Pre-restore copies are always kept."""
    keep: set[Path] = set()
    buckets: list[tuple[int, set[tuple[int, ...]]]] = [
        (KEEP_DAILY, set()),
        (KEEP_WEEKLY, set()),
        (KEEP_MONTHLY, set()),
    ]
    for backup in sorted(backups, key=lambda b: b.taken_at, reverse=True):
        day = backup.taken_at.date()
        keys = [(day.toordinal(),), day.isocalendar()[:2], (day.year, day.month)]
        for (limit, seen), key in zip(buckets, keys, strict=True):
            if key in seen:
                break
            if len(seen) < limit:
                seen.add(key)
                keep.add(backup.path)
                break
    return [b for b in backups if b.thinnable and b.path not in keep]


def restore(store: Store, source: Path) -> Path:
    """Replace the collection's contents with a backup, after saving the current state.

    Returns the path of the pre-restore copy (never thinned).

    The backup is read as SQLite sees it, with the transactions still in its `-wal` (a
    collection copied with its -wal, or one another srs has open).

    Raises:
        CollectionError: the collection is read-only here, the backup is not a valid srs
            collection, or the copy failed.
    """
    store.check_writable()
    backup = connect_read_only(source)
    try:
        _check_restorable(backup, source)
        saved = write_backup(store, new_backup_path(store, "pre-restore"))
        try:
            backup.backup(store.conn)
        except sqlite3.Error as exc:
            raise CollectionError(
                f"restore failed ({exc}); your collection is unchanged and also saved in {saved}"
            ) from None
    finally:
        backup.close()
    store.migrate()
    return saved


def _check_restorable(backup: sqlite3.Connection, source: Path) -> None:
    try:
        app_id = backup.execute("PRAGMA application_id").fetchone()[0]
        version = backup.execute("PRAGMA user_version").fetchone()[0]
        intact = backup.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError as exc:
        raise CollectionError(f"{source} is not a usable backup: {exc}") from None
    if app_id != APPLICATION_ID:
        raise CollectionError(f"{source} is not an srs collection")
    if version > SCHEMA_VERSION:
        raise CollectionError(f"{source} was written by a newer srs (schema {version})")
    if not intact:
        raise CollectionError(f"{source} is damaged; pick another backup")
