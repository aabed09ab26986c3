"""The collection file below the `Store`: what srs reads of it without SQLite, who may write it,
the private folders it lives in, and SQLite's errors in words a learner can act on.

The header is read as bytes (SQLite's first 100) so a file is judged before SQLite touches it:
whether it is an SQLite database at all, whether it is in WAL mode, and whether the main file is
shorter than the page count its header promises.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

__all__ = [
    "can_write",
    "explain",
    "in_wal_mode",
    "is_sqlite_header",
    "make_private_folder",
    "shortfall",
]

_MAGIC = b"SQLite format 3\x00"


def is_sqlite_header(header: bytes) -> bool:
    """Whether `header` (a file's first bytes) begins as every SQLite database does."""
    return header.startswith(_MAGIC)


def in_wal_mode(path: Path) -> bool:
    """Whether the file's header says it is in WAL mode (False for a short or unreadable one)."""
    return _header(path)[18:19] == b"\x02"


def shortfall(path: Path) -> str | None:
    """'N of M bytes' when the main file is shorter than its header's page count says."""
    header = _header(path)
    if len(header) < 100:
        return None
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    promised = page_size * int.from_bytes(header[28:32], "big")
    # The page count is trustworthy only when its "valid-for" matches the change counter.
    size = path.stat().st_size
    if header[92:96] != header[24:28] or size >= promised:
        return None
    return f"{size:,} of {promised:,} bytes"


def can_write(path: Path) -> bool:
    """Whether this process may write the existing collection file and create its `-wal` and
    `-shm` beside it. The kernel answers, so root, read-only mounts and immutable files are
    judged as they really are."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def make_private_folder(folder: Path) -> None:
    """Create `folder` and its missing parents for this user only (0700); folders that exist
    are left as they are.

    Raises:
        OSError: a folder cannot be created.
    """
    missing = [f for f in (folder, *folder.parents) if not f.exists()]
    for each in reversed(missing):
        each.mkdir(mode=0o700, exist_ok=True)


def explain(exc: sqlite3.Error) -> str:
    """An SQLite error in words a learner can act on (busy, disk full, damaged)."""
    message = str(exc)
    if "locked" in message or "busy" in message:
        return "the collection is busy in another srs process; try again in a moment"
    if "disk is full" in message:
        return f"the disk is full ({message}); free some space and try again"
    if "malformed" in message or "not a database" in message:
        return f"the collection is damaged ({message}): restore a backup (srs restore)"
    return message


def _header(path: Path) -> bytes:
    """The first 100 bytes (SQLite's header), or fewer for a short or unreadable file."""
    try:
        with path.open("rb") as handle:
            return handle.read(100)
    except OSError:
        return b""
