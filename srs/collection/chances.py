"""The pass chance's caches: the last chance computed for each deck, kept so a screen can show
it at once; a mark of what its model was fitted to, the model last fitted with its mark (for
the next process), and values kept in memory by that mark (the fitted model, the plan's pace).

A screen shows the value last computed while a worker redoes it, and a new process takes the
model last fitted instead of fitting it again while the deck's answers are the same, so both
are kept in the `meta` table (one JSON object per deck each: a cache, not collection data, so
no migration, and sync and export leave it alone).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from typing import Generic, TypeVar

from srs.collection.changes import LOG_KINDS
from srs.collection.log_growth import log_mark
from srs.collection.store import Store

__all__ = [
    "KeptByMark",
    "evidence_mark",
    "last_pass_chance",
    "save_model",
    "save_pass_chance",
    "saved_model",
]

T = TypeVar("T")

_KEY_PREFIX = "pass_chance:"
"""The `meta` key of a deck's last chance is this followed by the deck id."""

_MODEL_PREFIX = "pass_model:"
"""The `meta` key of a deck's model last fitted is this followed by the deck id."""


def last_pass_chance(store: Store, deck_id: str) -> dict[str, object] | None:
    """The figures last saved for the deck by `save_pass_chance`, or None (never computed, or
    stored by another version in a form that no longer reads)."""
    return _saved(store, _KEY_PREFIX + deck_id)


def save_pass_chance(store: Store, deck_id: str, values: Mapping[str, object]) -> None:
    """Keep the deck's newly computed figures (a `Prediction.to_dict()`) for the next showing.

    Never waits for another process's write lock (the app writes it on its own thread).

    Raises:
        CollectionError: the collection could not be written (read-only, busy, full).
    """
    _save(store, _KEY_PREFIX + deck_id, values)


def saved_model(store: Store, deck_id: str) -> dict[str, object] | None:
    """The deck's pass-chance model last saved by `save_model`, or None."""
    return _saved(store, _MODEL_PREFIX + deck_id)


def save_model(store: Store, deck_id: str, values: Mapping[str, object]) -> None:
    """Keep the deck's newly fitted pass-chance model (JSON-ready, with the mark it was fitted
    at) for the next process. Never waits for another process's write lock.

    Raises:
        CollectionError: the collection could not be written (read-only, busy, full).
    """
    _save(store, _MODEL_PREFIX + deck_id, values)


def _saved(store: Store, key: str) -> dict[str, object] | None:
    text = store.meta(key)
    if text is None:
        return None
    try:
        values = json.loads(text)
    except ValueError:
        return None
    return values if isinstance(values, dict) else None


def _save(store: Store, key: str, values: Mapping[str, object]) -> None:
    store.set_meta(key, json.dumps(dict(values), sort_keys=True), wait=False)


def evidence_mark(store: Store, deck_id: str) -> tuple[object, ...]:
    """A mark of what the deck's pass-chance model is fitted to, which changes whenever that
    does: where the deck's log stands (`log_mark`: its last row, answers, import and sync
    segment), with the last change noted for sync that is not a card's suspension or burial
    in place of any change (a merged forget rewrites logged memory without adding an answer;
    a suspension leaves the log as it was), and the deck's submitted attempts. A few index
    entries read, against about 0.2 s for the fit at 1,000,000 answers."""
    kinds = ", ".join(f"'{kind}'" for kind in LOG_KINDS)
    changes, attempts = store.conn.execute(
        f"SELECT (SELECT coalesce(max(rowid), 0) FROM sync_changes WHERE kind IN ({kinds})), "
        "(SELECT count(*) || ' ' || max(submitted_at) FROM exam_attempts "
        "WHERE deck_id = ? AND submitted_at IS NOT NULL)",
        (deck_id,),
    ).fetchone()
    return (*log_mark(store, deck_id)._replace(changes=changes), attempts)


class KeptByMark(Generic[T]):
    """Values worked out from a deck's answers, kept per (collection file, deck) with the mark
    they were worked out at (`evidence_mark`, and whatever else they depend on), and reused
    while the mark is the same: a worker refreshing a deck nobody answered since skips the work.

    In memory only (a new process works them out again). Workers share it: a lock keeps its
    bookkeeping whole; two workers missing at once both work the value out.

    Example: `model = kept.get(store, "aws", evidence_mark(store, "aws"), lambda: fit(...))`.
    """

    def __init__(self, decks: int = 16) -> None:
        self._decks = decks  # at most this many are kept (a test run opens many collections)
        self._kept: dict[tuple[str, str], tuple[tuple[object, ...], T]] = {}
        self._lock = threading.Lock()

    def peek(self, store: Store, deck_id: str) -> tuple[tuple[object, ...], T] | None:
        """The value kept for the deck and the mark it was worked out at, or None."""
        with self._lock:
            return self._kept.get((str(store.path), deck_id))

    def get(self, store: Store, deck_id: str, mark: tuple[object, ...], make: Callable[[], T]) -> T:
        """The value kept for the deck at `mark`, or `make()`'s, then kept."""
        key = (str(store.path), deck_id)
        with self._lock:
            kept = self._kept.get(key)
        if kept is not None and kept[0] == mark:
            return kept[1]
        value = make()
        with self._lock:
            self._kept.pop(key, None)
            if len(self._kept) >= self._decks:
                del self._kept[next(iter(self._kept))]
            self._kept[key] = (mark, value)
        return value
