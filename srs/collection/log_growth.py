"""Where a deck's log stood when something was read from it, and what was answered since: for
values read from the log, kept between reads (`KeptReads`) and brought up to date from the
answers added (`srs.collection.first_answers`, `srs.collection.later_answers`) instead of read
again whole.

The log only grows while a learner studies: answers are added at its end, and a card suspended
or buried changes that card's row alone (it is read again as an answered one is). Anything
else (an answer deleted by an undo or a merged one, a row replaced at the end after one was
deleted, a re-import of the deck, a setting or a forget noted for sync, a sync, a card's history
replayed) makes `answered_since` say so, and the kept value is read again whole.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, NamedTuple, TypeVar

from srs.collection.changes import CARD_STATE_KINDS
from srs.collection.store import Store

__all__ = ["KeptReads", "LogMark", "answered_since", "log_mark", "rewritten_since"]

T = TypeVar("T")
R = TypeVar("R")


class LogMark(NamedTuple):
    """Where the log stood for a deck."""

    last: int
    """The log's last row id."""
    event: str | None
    """That row's event id (a row deleted and another added in its place has a new one)."""
    answers: int
    """The deck's answers (a deleted one lowers it)."""
    imported: str | None
    """The deck's last import (card shapes change there)."""
    changes: int
    """The last change recorded for sync (a forget merged from another device replays a card's
    history without adding an answer)."""
    segments: int
    """The last sync segment written or merged (a sync replays the cards answered here in the
    order every device uses, which can rewrite their memory without adding an answer)."""


def log_mark(store: Store, deck_id: str) -> LogMark:
    """Where the deck's log stands now: one read of a few index entries."""
    last, event, answers, imported, changes, segments = store.conn.execute(
        "SELECT r.id, r.event_id, (SELECT coalesce(sum(answers), 0) FROM review_days "
        "WHERE deck_id = ?1), (SELECT imported_at FROM decks WHERE id = ?1), "
        "(SELECT coalesce(max(rowid), 0) FROM sync_changes), "
        "(SELECT coalesce(max(rowid), 0) FROM sync_segments) "
        "FROM (SELECT coalesce(max(id), 0) AS id FROM reviews) last "
        "LEFT JOIN reviews r ON r.id = last.id",
        (deck_id,),
    ).fetchone()
    return LogMark(last or 0, event, answers, imported, changes, segments)


def answered_since(store: Store, deck_id: str, then: LogMark, now: LogMark) -> list[int] | None:
    """The deck's cards answered, suspended, unsuspended or buried between `then` and `now`,
    if nothing else changed in between (None otherwise: what was read at `then` must be read
    again)."""
    if (now.imported, now.segments) != (then.imported, then.segments) or now.last < then.last:
        return None
    hidden = _hidden_since(store, deck_id, then, now)
    if hidden is None:
        return None
    if now.last == then.last:
        return hidden if (now.event, now.answers) == (then.event, then.answers) else None
    (event,) = store.conn.execute(
        "SELECT (SELECT event_id FROM reviews WHERE id = ?)", (then.last,)
    ).fetchone()
    if event != then.event:
        return None
    # CROSS JOIN keeps the new rows the outer loop: led by the deck's cards, SQLite looked up
    # every card's answers (0.14 s at 100,000 cards against 0.1 ms).
    rows = store.conn.execute(
        "SELECT r.card_id, count(*) FROM reviews r CROSS JOIN cards c ON c.id = r.card_id "
        "WHERE r.id > ? AND r.id <= ? AND c.deck_id = ? GROUP BY r.card_id",
        (then.last, now.last, deck_id),
    ).fetchall()
    if then.answers + sum(count for _, count in rows) != now.answers:
        return None  # answers were deleted too
    return [card_id for card_id, _ in rows] + hidden


def _hidden_since(store: Store, deck_id: str, then: LogMark, now: LogMark) -> list[int] | None:
    """The deck's cards suspended, unsuspended or buried between the marks (a change of their
    own row, read again like an answer's), or None if the deck had another kind of change
    meanwhile: a setting (the exam date's cap moves due dates, the steps change what a card
    asks for) or a forget (a replay of the card's history). Other decks' changes do not touch
    this deck's reads."""
    if now.changes == then.changes:
        return []
    rows = store.conn.execute(
        "SELECT s.kind, c.id FROM sync_changes s LEFT JOIN cards c "
        "ON c.deck_id = s.deck_id AND c.key = s.target "
        "WHERE s.rowid > ? AND s.rowid <= ? AND s.deck_id = ?",
        (then.changes, now.changes, deck_id),
    ).fetchall()
    if any(kind not in CARD_STATE_KINDS or card_id is None for kind, card_id in rows):
        return None
    return [card_id for _, card_id in rows]


def rewritten_since(store: Store, then: LogMark, now: LogMark) -> bool:
    """Whether an answer added between `then` and `now` is older than one its card had before
    (merged from another device, imported from a log): the card's history was then replayed,
    which rewrote the memory logged with its later answers."""
    row = store.conn.execute(
        "SELECT 1 FROM reviews n CROSS JOIN reviews o ON o.card_id = n.card_id "
        "WHERE n.id > ?1 AND n.id <= ?2 AND o.id <= ?1 AND o.reviewed_at > n.reviewed_at LIMIT 1",
        (then.last, now.last),
    ).fetchone()
    return row is not None


class KeptReads(Generic[T]):
    """Values read from decks' logs, kept per key (a collection file and a deck, and whatever
    else the read depends on) with the mark they were read at, in memory only (a new process
    reads them again). Workers share them: one brings a key's value up to date at a time.

    Example: `kept.read(store, "aws", "aws", lambda before, now: ..., list)`.
    """

    def __init__(self, keys: int = 16) -> None:
        self._keys = keys  # kept at most (a test run opens many collections)
        self._kept: dict[tuple[str, Hashable], tuple[LogMark, T]] = {}
        self._lock = threading.Lock()

    def read(
        self,
        store: Store,
        deck_id: str,
        key: Hashable,
        bring: Callable[[tuple[LogMark, T] | None, LogMark], T],
        view: Callable[[T], R],
    ) -> R:
        """`view` of the value for `key` of the collection file, `bring(kept, now)`: from the
        value kept before and its mark (None: nothing kept), up to the deck's log mark now.
        Kept; `view` is taken while no other worker can change the value."""
        full_key = (str(store.path), key)
        with self._lock:
            now = log_mark(store, deck_id)
            value = bring(self._kept.pop(full_key, None), now)
            if len(self._kept) >= self._keys:
                del self._kept[next(iter(self._kept))]
            self._kept[full_key] = (now, value)
            return view(value)
