"""The rows a sync merges: events from other devices, the segments merged, the events held.

An event leaves this collection as a JSON object (the keys of the segment format, docs/sync.md,
read by `srs.collection.outbox`) and comes back in through the typed writers below; `srs.sync`
decides what is valid and when to write, this module only reads and writes rows. Writers run
inside the caller's `Store.write()`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, NamedTuple

from fsrs import Rating

from srs.clock import from_db
from srs.collection.memory import MEMORY_COLUMNS
from srs.collection.reviews import BATCH, LoggedReview, insert_log_rows
from srs.collection.store import Store
from srs.model.memory import Memory

__all__ = [
    "MergedReview",
    "card_decks",
    "card_ids",
    "card_logs",
    "delete_reviews",
    "held_events",
    "hold_event",
    "insert_attempt_event",
    "insert_outcome",
    "insert_reviews",
    "insert_tombstones",
    "known_decks",
    "merged_segments",
    "present_events",
    "record_segment",
    "release_held",
    "review_ids",
    "stored_memories",
    "tombstoned",
]

_IN_JSON = "IN (SELECT value FROM json_each(?))"
_TABLES = {"review": "reviews", "attempt": "exam_attempts", "outcome": "exam_outcomes"}


# --- merging --------------------------------------------------------------------------------


def known_decks(store: Store) -> set[str]:
    """The ids of the decks in this collection."""
    return {deck_id for (deck_id,) in store.conn.execute("SELECT id FROM decks")}


def card_ids(store: Store, cards: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Card ids by (deck id, card key), for the cards this collection has (retired too)."""
    wanted = json.dumps(sorted(set(cards)))
    rows = store.conn.execute(
        "SELECT c.deck_id, c.key, c.id FROM json_each(?) w JOIN cards c "
        "ON c.deck_id = json_extract(w.value, '$[0]') AND c.key = json_extract(w.value, '$[1]')",
        (wanted,),
    )
    return {(deck_id, key): card_id for deck_id, key, card_id in rows}


def present_events(store: Store, kind: str, event_ids: Iterable[str]) -> set[str]:
    """Which of these events this collection holds (kind: 'review', 'attempt', 'outcome')."""
    return {
        event_id
        for (event_id,) in store.conn.execute(
            f"SELECT event_id FROM {_TABLES[kind]} WHERE event_id {_IN_JSON}",
            (json.dumps(list(event_ids)),),
        )
    }


def tombstoned(store: Store, event_ids: Iterable[str]) -> set[str]:
    """Which of these reviews were undone (here or on another device)."""
    return {
        event_id
        for (event_id,) in store.conn.execute(
            f"SELECT event_id FROM sync_tombstones WHERE event_id {_IN_JSON}",
            (json.dumps(list(event_ids)),),
        )
    }


class MergedReview(NamedTuple):
    """A review from another device, with the card it names here."""

    event_id: str
    card_id: int
    reviewed_at: str
    day: date
    rating: Rating
    duration_ms: int
    source: str
    choice: Sequence[str] | None


def insert_reviews(store: Store, reviews: Sequence[MergedReview]) -> None:
    """Add reviews from another device to the log (shared already). Their memory before and
    after is the replay's to write (`srs.study.replay`): a new card's until then."""
    blank = Memory().to_json()
    rows = (
        (
            r.card_id,
            r.reviewed_at,
            r.day.isoformat(),
            int(r.rating),
            r.duration_ms,
            r.source,
            None if r.choice is None else json.dumps(list(r.choice), ensure_ascii=False),
            blank,
            blank,
            r.event_id,
        )
        for r in reviews
    )
    if len(reviews) < BATCH:
        store.conn.executemany(_INSERT_MERGED, rows)
    else:  # the per-day sums once for the batch, as an import's
        insert_log_rows(store, rows, expected=len(reviews), sql=_INSERT_MERGED)


_INSERT_MERGED = (
    "INSERT INTO reviews (card_id, reviewed_at, day, rating, duration_ms, source, choice, "
    "before, after, event_id, shared) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)"
)


def insert_tombstones(store: Store, event_ids: Iterable[str]) -> None:
    """Remember reviews undone on another device (shared already), so they never come back."""
    store.conn.executemany(
        "INSERT OR IGNORE INTO sync_tombstones (event_id, shared) VALUES (?, 1)",
        ((event_id,) for event_id in event_ids),
    )


def delete_reviews(store: Store, event_ids: Iterable[str]) -> set[int]:
    """Remove these reviews from the log; returns the cards whose log changed."""
    wanted = json.dumps(list(event_ids))
    touched = {
        card_id
        for (card_id,) in store.conn.execute(
            f"SELECT card_id FROM reviews WHERE event_id {_IN_JSON}", (wanted,)
        )
    }
    store.conn.execute(f"DELETE FROM reviews WHERE event_id {_IN_JSON}", (wanted,))
    return touched


def card_logs(store: Store, cards: Iterable[int]) -> dict[int, list[LoggedReview]]:
    """Each card's answers in replay order: by time, ties by event id, so every device replays
    the same answers in the same order whatever order they arrived in."""
    logs: dict[int, list[LoggedReview]] = {}
    rows = store.conn.execute(
        "SELECT r.id, r.card_id, c.key, r.reviewed_at, r.day, r.rating, r.duration_ms, r.source "
        f"FROM reviews r JOIN cards c ON c.id = r.card_id WHERE r.card_id {_IN_JSON} "
        "ORDER BY r.card_id, r.reviewed_at, r.event_id",
        (json.dumps(list(cards)),),
    )
    for review_id, card_id, key, at, day, rating, duration_ms, source in rows:
        logs.setdefault(card_id, []).append(
            LoggedReview(
                review_id,
                card_id,
                key,
                from_db(at),
                date.fromisoformat(day),
                Rating(rating),
                duration_ms,
                source,
            )
        )
    return logs


def stored_memories(store: Store, cards: Iterable[int]) -> dict[int, Memory]:
    """Each of these cards' memory as stored now."""
    return {
        row[0]: Memory.from_row(row[1:])
        for row in store.conn.execute(
            f"SELECT m.card_id, {MEMORY_COLUMNS} FROM memory m WHERE m.card_id {_IN_JSON}",
            (json.dumps(list(cards)),),
        )
    }


def card_decks(store: Store, cards: Iterable[int]) -> dict[int, str]:
    """The deck of each of these cards."""
    return dict(
        store.conn.execute(
            f"SELECT id, deck_id FROM cards WHERE id {_IN_JSON}", (json.dumps(list(cards)),)
        )
    )


def review_ids(store: Store, event_ids: Iterable[str]) -> dict[str, int]:
    """Log row ids by review event id, for the reviews this collection holds."""
    return dict(
        store.conn.execute(
            f"SELECT event_id, id FROM reviews WHERE event_id {_IN_JSON}",
            (json.dumps(list(event_ids)),),
        )
    )


def insert_attempt_event(
    store: Store, attempt: dict[str, Any], answers: Sequence[tuple[int, int | None, dict[str, Any]]]
) -> None:
    """Add a submitted attempt from another device (shared already).

    Args:
        attempt: the attempt's event (validated), its deck known here.
        answers: per question, (card id here, review row here or None, the answer's object).
    """
    retake = store.conn.execute(
        "SELECT id FROM exam_attempts WHERE event_id = ?", (attempt["retake_of"],)
    ).fetchone()
    cursor = store.conn.execute(
        "INSERT INTO exam_attempts (deck_id, kind, retake_of, started_at, deadline, "
        "submitted_at, timed_out, pass_mark, predicted_pass, predicted_score, score, event_id, "
        "shared) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
        (
            attempt["deck"],
            attempt["kind"],
            None if retake is None else retake[0],
            attempt["started_at"],
            attempt["deadline"],
            attempt["submitted_at"],
            int(attempt["timed_out"]),
            attempt["pass_mark"],
            attempt["predicted_pass"],
            attempt["predicted_score"],
            attempt["score"],
            attempt["id"],
        ),
    )
    store.conn.executemany(
        "INSERT INTO exam_answers (attempt_id, position, card_id, choices, chosen, flagged, "
        "answered_at, correct, review_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                cursor.lastrowid,
                answer["position"],
                card_id,
                json.dumps(answer["choices"], ensure_ascii=False),
                None if answer["chosen"] is None else json.dumps(answer["chosen"]),
                int(answer["flagged"]),
                answer["answered_at"],
                None if answer["correct"] is None else int(answer["correct"]),
                review_id,
            )
            for card_id, review_id, answer in answers
        ),
    )


def insert_outcome(store: Store, outcome: dict[str, Any]) -> None:
    """Add a real exam's outcome recorded on another device (shared already)."""
    store.conn.execute(
        "INSERT INTO exam_outcomes (deck_id, exam_date, passed, score, predicted_pass, "
        "predicted_score, recorded_at, event_id, shared) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
        (
            outcome["deck"],
            outcome["exam_date"],
            int(outcome["passed"]),
            outcome["score"],
            outcome["predicted_pass"],
            outcome["predicted_score"],
            outcome["recorded_at"],
            outcome["id"],
        ),
    )


# --- segments and held events ---------------------------------------------------------------


def merged_segments(store: Store) -> set[tuple[str, str]]:
    """(device, file name) of every segment merged here, or written here."""
    return set(store.conn.execute("SELECT device, name FROM sync_segments"))


def record_segment(store: Store, device: str, name: str, events: int, at: str) -> None:
    """Note a segment as merged (or, for this device's own, written)."""
    store.conn.execute(
        "INSERT OR IGNORE INTO sync_segments (device, name, events, merged_at) VALUES (?, ?, ?, ?)",
        (device, name, events, at),
    )


def hold_event(store: Store, device: str, event: dict[str, Any], reason: str) -> None:
    """Keep an event that names a deck or card this collection does not have (yet)."""
    store.conn.execute(
        "INSERT OR REPLACE INTO sync_held (event_id, device, body, reason) VALUES (?, ?, ?, ?)",
        (event["id"], device, json.dumps(event, ensure_ascii=False), reason),
    )


def held_events(store: Store) -> list[tuple[str, dict[str, Any]]]:
    """The events held, as (device, event), in the order they were held."""
    return [
        (device, json.loads(body))
        for device, body in store.conn.execute("SELECT device, body FROM sync_held ORDER BY rowid")
    ]


def release_held(store: Store) -> None:
    """Forget every held event (the merge holds again those still waiting)."""
    store.conn.execute("DELETE FROM sync_held")
