"""The dashboard's sync line, and the sync its key starts: where this device stands with the
shared folder ("synced 3m ago · 2 devices"), and a sync run off the UI thread.

A sync reads and writes files in a folder another program replicates (a network share can be
slow) and may merge thousands of answers, so it runs in a worker on a connection of its own;
reading where sync stands lists that folder too, so it is a worker's job as well. `srs.sync`
is imported by those workers, after the dashboard is drawn: it is not needed to draw it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeAlias

from textual import getters, on, work
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from srs.collection.store import CollectionError, Store
from srs.textsafe import displayable
from srs.tui.base import COLLECTION_ERRORS, SrsAppBase

if TYPE_CHECKING:
    from srs.sync import SyncError, SyncReport, SyncStatus

__all__ = ["SyncIndicator", "report_text", "status_text"]

SyncFailure: TypeAlias = "SyncError | CollectionError | sqlite3.Error | OSError"
"""What stops a sync or the reading of its status: the folder (unset, unwritable, gone) or
the collection."""

NOT_SET_UP = (
    "Sync is not set up. Once, from a terminal: srs sync DIR, with a folder that Syncthing, "
    "Dropbox or git keeps in step between your devices (see docs/sync.md)."
)

MERGED_NAMES = {
    "review": "answer",
    "undo": "undo",
    "attempt": "mock exam",
    "outcome": "exam result",
    "change": "setting or card change",
}
"""What each kind of event merged from another device is, to a learner."""


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'s' * (n != 1)}"


def status_text(status: SyncStatus, now: datetime) -> str:
    """One line: "synced 3m ago · 2 devices · 12 answers to share", or how to set sync up."""
    if status.folder is None:
        return "Sync not set up: srs sync DIR"
    if status.last_sync is None:
        parts = ["Never synced"]
    elif now - status.last_sync < timedelta(minutes=1):
        parts = ["Synced just now"]
    else:
        # Imported here: the scheduling module (with FSRS's) is not needed to draw the dashboard.
        from srs.study.scheduling import format_interval

        parts = [f"Synced {format_interval(now - status.last_sync)} ago"]
    others = len(status.devices)
    parts.append(_count(others + 1, "device") if others else "no other device yet")
    answers = status.pending.get("reviews", 0)
    changes = status.to_share - answers
    to_share = [_count(answers, "answer")] if answers else []
    to_share += [_count(changes, "other change")] if changes else []
    if to_share:
        parts.append(" and ".join(to_share) + " to share")
    waiting = sum(device.waiting for device in status.devices)
    if waiting:
        parts.append(f"{_count(waiting, 'segment')} to merge")
    if status.pending.get("held"):
        parts.append(f"{status.pending['held']} held")
    return " · ".join(parts)


def report_text(report: SyncReport) -> str:
    """What a sync brought in and sent out, then each segment or event skipped or held."""
    merged = [_count(n, MERGED_NAMES.get(kind, kind)) for kind, n in report.merged.items() if n]
    lines = [
        f"Synced with {report.folder}.",
        f"In: {', '.join(merged)}." if merged else "Nothing new from other devices.",
    ]
    if report.exported:
        lines.append(f"Out: {_count(report.exported, 'event')}.")
    if report.held:
        lines.append(f"{report.held} held until their deck or card is imported here.")
    lines += report.problems
    return displayable("\n".join(lines))


class SyncIndicator(Static):
    """The sync line: `show_status` reads it again, `start_sync` syncs; the time since the
    last sync is read again each minute. It posts `Synced` after a sync that changed the
    collection, for the screen to read its counts again."""

    DEFAULT_CSS = "SyncIndicator { height: 1; padding: 0 1; color: $text-muted; }"

    REFRESH_SECONDS = 60.0
    """How often the line is read again: "synced 3m ago" moves on, and segments other devices
    wrote meanwhile show as waiting to be merged."""

    app = getters.app(SrsAppBase)

    @dataclass
    class Synced(Message):
        """A sync finished; the collection may hold new answers."""

        report: SyncReport

    @dataclass
    class _Done(Message):
        """The sync worker's outcome, for the UI thread (exactly one of the two)."""

        report: SyncReport | None
        error: SyncFailure | None = None

    @dataclass
    class _StatusRead(Message):
        """The status worker's outcome: where sync stands, or why it could not be read."""

        status: SyncStatus | None
        error: str | None = None

    def __init__(self) -> None:
        super().__init__()
        self.status: SyncStatus | None = None
        """Where sync stood when last read (None: not read yet)."""
        self.syncing = False
        """A sync started by the key is running."""
        self.error: str | None = None
        """Why the status could not be read last time."""

    def on_mount(self) -> None:
        self.set_interval(self.REFRESH_SECONDS, lambda: self.show_status(self.app.store))

    def _redraw(self) -> None:
        if self.syncing:
            text = "Syncing…"
        elif self.error is not None:
            text = f"Sync status unavailable: {self.error}"
        elif self.status is None:
            text = ""
        else:
            text = status_text(self.status, self.app.store.clock.now())
        self.update(Content(displayable(text)))

    @work(thread=True, exclusive=True, group="sync-status", exit_on_error=False)
    def show_status(self, store: Store) -> None:
        """Read where sync stands, on a read-only connection of the worker's own."""
        from srs.sync import sync_status

        try:
            with store.reader() as reader:
                self.post_message(self._StatusRead(sync_status(reader)))
        except (*COLLECTION_ERRORS, OSError) as exc:
            self.post_message(self._StatusRead(None, str(exc)))

    @on(_StatusRead)
    def _status_read(self, event: _StatusRead) -> None:
        event.stop()
        self.status, self.error = event.status, event.error
        self._redraw()

    def start_sync(self, store: Store) -> None:
        """Sync with the folder set by `srs sync DIR`; without one, say how to set it."""
        if self.syncing:
            self.notify("A sync is already running.", title="Sync", markup=False)
        elif self.status is not None and self.status.folder is None:
            self.notify(NOT_SET_UP, title="Sync", severity="warning", markup=False, timeout=10)
        else:
            self.syncing = True
            self._redraw()
            self._sync(store)

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False)
    def _sync(self, store: Store) -> None:
        """One sync on a writable connection of the worker's own (the app's belongs to the
        UI thread); a write of the app waits for it, as for another srs process."""
        from srs.sync import SyncError, sync

        try:
            # Opening a missing file would start a new, empty collection under its name.
            if not store.path.exists():
                raise CollectionError(f"{store.path} is gone: nothing was synced")
            with Store.open(store.path, store.clock) as own:
                self.post_message(self._Done(sync(own)))
        except (SyncError, *COLLECTION_ERRORS, OSError) as exc:
            self.post_message(self._Done(None, exc))

    @on(_Done)
    def _sync_done(self, event: _Done) -> None:
        event.stop()
        self.syncing = False
        if event.report is not None:
            self.notify(
                report_text(event.report),
                title="Sync",
                severity="warning" if event.report.problems else "information",
                markup=False,
                timeout=10,
            )
            self.post_message(self.Synced(event.report))
        elif isinstance(event.error, COLLECTION_ERRORS):
            self.app.report_error(event.error)
        else:
            self.notify(
                displayable(str(event.error)),
                title="Sync",
                severity="error",
                markup=False,
                timeout=10,
            )
        self.show_status(self.app.store)
