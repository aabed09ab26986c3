"""One sync: write this device's new events as a segment, merge what other devices wrote.

`sync(store, DIR)` remembers the folder; later `sync(store)` uses it. Each step is its own
transaction and can be repeated: a segment is written before its events are marked shared (a
crash in between writes them again later, and a merge ignores what it holds), and a merge
commits its events, its replay and the segments it read together. A sync killed at any point
loses nothing, and the next one completes it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from srs.clock import from_db, to_db
from srs.collection.changes import device_id
from srs.collection.outbox import mark_shared, unshared_counts, unshared_events
from srs.collection.sqlite_file import make_private_folder
from srs.collection.store import Store
from srs.collection.sync import (
    card_ids,
    held_events,
    merged_segments,
    record_segment,
    release_held,
)
from srs.sync.events import EventError, check_event
from srs.sync.merge import merge_events, replay_cards
from srs.sync.segments import (
    Segment,
    SegmentProblem,
    device_folders,
    read_segment,
    segment_names,
    write_segment,
)
from srs.textsafe import displayable

__all__ = ["DeviceStatus", "SyncError", "SyncReport", "SyncStatus", "sync", "sync_status"]

FOLDER_KEY = "sync_folder"
LAST_SYNC_KEY = "sync_last"


class SyncError(Exception):
    """Sync cannot run (no folder set, or it cannot be written); the message says why."""


@dataclass(frozen=True)
class SyncReport:
    """What one sync did.

    Attributes:
        folder: the sync folder.
        device: this collection's device id (its folder there).
        written: the segment written (None: nothing new here).
        exported: events written to it.
        merged: events merged from other devices, by type ('review', 'undo', 'attempt',
            'outcome', 'change').
        held: events waiting for a deck or card this collection does not have.
        problems: one line per segment or event skipped or held, naming its file.
    """

    folder: Path
    device: str
    written: str | None
    exported: int
    merged: dict[str, int]
    held: int
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DeviceStatus:
    """Another device, seen in the folder or in what was merged here: segments merged here and
    segments not merged yet (both 0: it has sent nothing yet)."""

    device: str
    merged: int
    waiting: int


@dataclass(frozen=True)
class SyncStatus:
    """Where sync stands (the dashboard's indicator and `srs sync --status`).

    Attributes:
        folder: the sync folder (None: sync was never set up).
        device: this collection's device id.
        last_sync: when the last sync finished (None: never).
        pending: this device's events not shared yet, by type, and 'held' (events from other
            devices waiting for a deck or card).
        devices: the other devices: those with a folder in the sync folder (one that only
            receives has an empty one) and those whose segments were merged here.
        sent: the segments this device has written.
    """

    folder: Path | None
    device: str
    last_sync: datetime | None
    pending: dict[str, int]
    devices: list[DeviceStatus]
    sent: int = 0

    @property
    def to_share(self) -> int:
        """Events made here that the next sync will write."""
        return sum(n for kind, n in self.pending.items() if kind != "held")

    def to_dict(self) -> dict[str, Any]:
        return {
            "folder": None if self.folder is None else str(self.folder),
            "device": self.device,
            "last_sync": None if self.last_sync is None else self.last_sync.isoformat(),
            "pending": self.pending,
            "devices": [vars(device) for device in self.devices],
            "sent": self.sent,
        }


def sync_folder(store: Store) -> Path | None:
    """The folder set by `srs sync DIR` (None: not set up)."""
    folder = store.meta(FOLDER_KEY)
    return None if folder is None else Path(folder)


def sync(store: Store, folder: Path | None = None) -> SyncReport:
    """Share this device's new events and merge every other device's.

    Example: `sync(store, Path("~/Sync/srs").expanduser())`, then `sync(store)`.

    Args:
        store: the collection.
        folder: the shared folder (remembered); None: the one set before.

    Raises:
        SyncError: no folder set yet, or it cannot be created or written.
        CollectionError: the collection cannot be written.
    """
    folder = _use_folder(store, folder)
    device = device_id(store)
    written, exported = _export(store, folder, device)
    segments, incoming, problems = _incoming(store, folder, device)
    held = held_events(store)
    now = to_db(store.clock.now())
    with store.write():
        merged = None
        if segments or held:
            release_held(store)
            merged = merge_events(store, [*held, *incoming])
            for segment in segments:
                record_segment(store, segment.device, segment.name, len(segment.events), now)
        store.set_meta(LAST_SYNC_KEY, now)
    return SyncReport(
        folder,
        device,
        written,
        exported,
        {} if merged is None else merged.added,
        0 if merged is None else merged.held,
        problems,
    )


def _use_folder(store: Store, folder: Path | None) -> Path:
    if folder is None:
        folder = sync_folder(store)
        if folder is None:
            raise SyncError("no sync folder yet: run `srs sync DIR` once with the shared folder")
        # Never made again here: a folder that is missing may be a drive not mounted yet.
        if not folder.is_dir():
            raise SyncError(
                f"the sync folder {folder} is not a folder any more (moved, or not mounted?): "
                "`srs sync DIR` sets another"
            )
        return folder
    folder = folder.expanduser().resolve()
    try:
        make_private_folder(folder)
    except OSError as exc:
        raise SyncError(f"cannot create the sync folder {folder}: {exc.strerror}") from None
    if not folder.is_dir():
        raise SyncError(f"{folder} is not a folder")
    store.set_meta(FOLDER_KEY, str(folder))
    return folder


def _export(store: Store, folder: Path, device: str) -> tuple[str | None, int]:
    """Write this device's unshared events as a segment, then mark them shared."""
    events = unshared_events(store)
    rows = events.all()
    try:
        if not rows:
            # The device's own folder, even empty, is how the others learn of a device that
            # only receives.
            (folder / device).mkdir(exist_ok=True)
            return None, 0
        name = write_segment(folder, device, rows)
    except OSError as exc:
        raise SyncError(f"cannot write to the sync folder {folder}: {exc.strerror}") from None
    answered = card_ids(store, [(review["deck"], review["card"]) for review in events.reviews])
    with store.write():
        mark_shared(store, events)
        record_segment(store, device, name, len(rows), to_db(store.clock.now()))
        # The replay puts this device's answers in the order the other devices will see them
        # (an answer given here before one merged earlier, by the clocks, moves before it).
        replay_cards(store, answered.values())
    return name, len(rows)


def _incoming(
    store: Store, folder: Path, device: str
) -> tuple[list[Segment], list[tuple[str, dict[str, Any]]], list[str]]:
    """The other devices' segments not merged yet, read whole and checked, with their events."""
    done = merged_segments(store)
    segments: list[Segment] = []
    events: list[tuple[str, dict[str, Any]]] = []
    problems: list[str] = []
    for other in device_folders(folder):
        if other == device:
            continue
        for name in segment_names(folder, other):
            if (other, name) in done:
                continue
            segment = read_segment(folder, other, name)
            if isinstance(segment, SegmentProblem):
                problems.append(str(segment))
                continue
            segments.append(segment)
            for number, raw in enumerate(segment.events, 1):
                try:
                    events.append((other, check_event(raw)))
                except EventError as exc:
                    where = folder / other / name
                    problems.append(displayable(f"{where}: event {number}: {exc}; skipped"))
    return segments, events, problems


def sync_status(store: Store) -> SyncStatus:
    """Where sync stands: the folder, the last sync, what waits to go out and to come in."""
    folder = sync_folder(store)
    device = device_id(store)
    last = store.meta(LAST_SYNC_KEY)
    done = merged_segments(store)
    merged = Counter(other for other, _name in done)
    devices: list[DeviceStatus] = []
    if folder is not None:
        # A device whose folder is gone (another sync folder now) is still known from its merges.
        for other in sorted({*device_folders(folder), *merged} - {device}):
            waiting = sum((other, name) not in done for name in segment_names(folder, other))
            devices.append(DeviceStatus(other, merged[other], waiting))
    return SyncStatus(
        folder,
        device,
        None if last is None else from_db(last),
        unshared_counts(store),
        devices,
        merged[device],
    )
