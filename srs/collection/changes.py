"""The `sync_changes` table: values where the last writer wins, across devices.

A deck setting, a card's suspension and a card's burial are values, not history: when two
devices change one, the change made last (by time, then by device id, so every device picks the
same one) is what every device ends with. Each change is kept with when and where it was made;
this device's changes are written here by the functions that make them, in their transaction,
and shared at the next `srs sync`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Literal, NamedTuple, get_args

from srs.clock import to_db
from srs.collection.store import Store

__all__ = [
    "CARD_STATE_KINDS",
    "DEVICE_KEY",
    "EVENT_ID",
    "LOG_KINDS",
    "ChangeKind",
    "ChangeStamp",
    "device_id",
    "forget_times",
    "insert_change",
    "latest_change",
    "record_card_change",
    "record_setting_change",
]

DEVICE_KEY = "device_id"
"""The `meta` key holding this collection's device id (made by the v3 migration)."""

ChangeKind = Literal["setting", "suspended", "buried", "forget"]
"""What a change sets: a deck setting (target: its name), a card's suspension or burial
(target: the card's key in its deck). A forget (`srs forget`: the card made new again) is kept
here too, but it is an event of the card's history, not a value: every forget counts, and a
replay makes the card new at each (`forget_times`)."""

CARD_STATE_KINDS: tuple[ChangeKind, ...] = ("suspended", "buried")
"""Changes of a card's own row alone: the log, and the memory logged with it, stay as they were
(what is read from the log reads only such a card again, `srs.collection.log_growth`)."""
LOG_KINDS: tuple[ChangeKind, ...] = tuple(
    kind for kind in get_args(ChangeKind) if kind not in CARD_STATE_KINDS
)
"""The other changes: a forget replays the card's history; a setting may change what is read."""

# As a UUIDv7 is made: the milliseconds since the epoch (48 bits), then 80 random bits. Random
# enough that two devices never make the same one; time-ordered so that each new id lands at
# the end of the unique index over them. Fully random ids were written into random pages of
# that index: 300,000 answers took about twice the CPU (docs/performance.md, Sync). Made in SQL,
# per row of a batched insert, it cost less than making it in Python. The time part orders
# nothing: replays order answers by their own time; the id only breaks ties.
EVENT_ID = (
    "printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) "
    "|| lower(hex(randomblob(10)))"
)
"""The SQL that makes a new event id (32 hex digits): every insert of a row that syncs uses it."""


class ChangeStamp(NamedTuple):
    """When and where a change was made; the later stamp wins (ties: the larger device id)."""

    changed_at: str
    device: str


def device_id(store: Store) -> str:
    """This collection's device id: the name of its folder in the sync folder."""
    value = store.meta(DEVICE_KEY)
    assert value is not None, "the v3 migration gives every collection a device id"
    return value


def record_setting_change(store: Store, deck_id: str, name: str, value: str | None) -> None:
    """Note that this device set a deck setting (None: back to its default). Call it inside
    the transaction that stores the setting."""
    store.conn.execute(
        "INSERT INTO sync_changes (event_id, kind, deck_id, target, value, changed_at, device) "
        f"VALUES ({EVENT_ID}, 'setting', ?, ?, ?, ?, ?)",
        (deck_id, name, json.dumps(value), to_db(store.clock.now()), device_id(store)),
    )


def record_card_change(store: Store, kind: ChangeKind, card_id: int, value: object) -> None:
    """Note that this device suspended, unsuspended or buried a card (`value`: JSON-ready).
    Call it inside the transaction that changes the card."""
    store.conn.execute(
        "INSERT INTO sync_changes (event_id, kind, deck_id, target, value, changed_at, device) "
        f"SELECT {EVENT_ID}, ?, deck_id, key, ?, ?, ? FROM cards WHERE id = ?",
        (kind, json.dumps(value), to_db(store.clock.now()), device_id(store), card_id),
    )


def latest_change(store: Store, kind: str, deck_id: str, target: str) -> ChangeStamp | None:
    """The stamp of the change that holds now for this value (None: never changed)."""
    row = store.conn.execute(
        "SELECT changed_at, device FROM sync_changes WHERE kind = ? AND deck_id = ? "
        "AND target = ? ORDER BY changed_at DESC, device DESC LIMIT 1",
        (kind, deck_id, target),
    ).fetchone()
    return None if row is None else ChangeStamp(*row)


def insert_change(
    store: Store, event_id: str, kind: str, deck_id: str, target: str, value: str, at: ChangeStamp
) -> None:
    """Keep a change merged from another device (shared already; `value` is JSON text)."""
    store.conn.execute(
        "INSERT OR IGNORE INTO sync_changes "
        "(event_id, kind, deck_id, target, value, changed_at, device, shared) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
        (event_id, kind, deck_id, target, value, at.changed_at, at.device),
    )


def forget_times(store: Store, card_ids: Iterable[int]) -> dict[int, list[str]]:
    """When each of these cards was forgotten, here or on another device, oldest first (times
    in the stored form); cards never forgotten are left out."""
    forgets: dict[int, list[str]] = {}
    rows = store.conn.execute(
        "SELECT c.id, s.changed_at FROM json_each(?) w JOIN cards c ON c.id = w.value "
        "JOIN sync_changes s ON s.kind = 'forget' AND s.deck_id = c.deck_id AND s.target = c.key "
        "ORDER BY c.id, s.changed_at",
        (json.dumps(list(card_ids)),),
    )
    for card_id, at in rows:
        forgets.setdefault(card_id, []).append(at)
    return forgets
