"""The events made here and not shared yet: read as JSON objects of the segment format
(docs/sync.md) for the next segment, marked shared once it is written, and counted for `srs sync
--status`. The merging side is `srs.collection.sync`. Writers run inside the caller's
`Store.write()`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from srs.collection.store import Store

__all__ = ["EventRows", "mark_shared", "unshared_counts", "unshared_events"]


class EventRows(NamedTuple):
    """This device's events not shared yet, each a JSON object of the segment format."""

    reviews: list[dict[str, Any]]
    attempts: list[dict[str, Any]]
    outcomes: list[dict[str, Any]]
    undos: list[dict[str, Any]]
    changes: list[dict[str, Any]]

    def all(self) -> list[dict[str, Any]]:
        """In the order a merge needs: reviews before the attempts that name them."""
        return [*self.reviews, *self.undos, *self.attempts, *self.outcomes, *self.changes]


def _rows(store: Store, sql: str, params: Sequence[object] = ()) -> list[dict[str, Any]]:
    cursor = store.conn.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


# An attempt is shared once submitted and every answered question is logged as a review.
_SHAREABLE_ATTEMPT = (
    "a.shared = 0 AND a.submitted_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM exam_answers e "
    "WHERE e.attempt_id = a.id AND e.chosen IS NOT NULL AND e.review_id IS NULL)"
)


def unshared_events(store: Store) -> EventRows:
    """Every event made here and not yet written to a segment."""
    reviews = _rows(
        store,
        "SELECT 'review' AS type, r.event_id AS id, c.deck_id AS deck, c.key AS card, "
        "r.reviewed_at AS at, r.day, r.rating, r.duration_ms, r.source, r.choice "
        "FROM reviews r JOIN cards c ON c.id = r.card_id WHERE r.shared = 0 ORDER BY r.id",
    )
    for review in reviews:
        review["choice"] = None if review["choice"] is None else json.loads(review["choice"])
    attempts = _rows(
        store,
        "SELECT 'attempt' AS type, a.event_id AS id, a.deck_id AS deck, a.kind, "
        "(SELECT o.event_id FROM exam_attempts o WHERE o.id = a.retake_of) AS retake_of, "
        "a.started_at, a.deadline, a.submitted_at, a.timed_out, a.pass_mark, "
        "a.predicted_pass, a.predicted_score, a.score, a.id AS answers "
        f"FROM exam_attempts a WHERE {_SHAREABLE_ATTEMPT} ORDER BY a.id",
    )
    for attempt in attempts:
        attempt["answers"] = _attempt_answers(store, attempt["answers"])
    outcomes = _rows(
        store,
        "SELECT 'outcome' AS type, event_id AS id, deck_id AS deck, exam_date, passed, score, "
        "predicted_pass, predicted_score, recorded_at FROM exam_outcomes WHERE shared = 0 "
        "ORDER BY id",
    )
    undos = _rows(
        store, "SELECT 'undo' AS type, event_id AS id FROM sync_tombstones WHERE shared = 0"
    )
    changes = _rows(
        store,
        "SELECT 'change' AS type, event_id AS id, kind, deck_id AS deck, target, value, "
        "changed_at AS at, device FROM sync_changes WHERE shared = 0 ORDER BY changed_at",
    )
    for change in changes:
        change["value"] = json.loads(change["value"])
    return EventRows(reviews, attempts, outcomes, undos, changes)


def _attempt_answers(store: Store, attempt_id: int) -> list[dict[str, Any]]:
    answers = _rows(
        store,
        "SELECT e.position, c.key AS card, e.choices, e.chosen, e.flagged, e.answered_at, "
        "e.correct, r.event_id AS review FROM exam_answers e JOIN cards c ON c.id = e.card_id "
        "LEFT JOIN reviews r ON r.id = e.review_id WHERE e.attempt_id = ? ORDER BY e.position",
        (attempt_id,),
    )
    for answer in answers:
        answer["choices"] = json.loads(answer["choices"])
        answer["chosen"] = None if answer["chosen"] is None else json.loads(answer["chosen"])
    return answers


def mark_shared(store: Store, events: EventRows) -> None:
    """Mark these events as written to a segment, so the next sync does not write them again."""
    for rows, table in (
        (events.reviews, "reviews"),
        (events.attempts, "exam_attempts"),
        (events.outcomes, "exam_outcomes"),
        (events.undos, "sync_tombstones"),
        (events.changes, "sync_changes"),
    ):
        if rows:
            store.conn.execute(
                f"UPDATE {table} SET shared = 1 WHERE event_id IN (SELECT value FROM json_each(?))",
                (json.dumps([row["id"] for row in rows]),),
            )


def unshared_counts(store: Store) -> dict[str, int]:
    """Per kind of event, how many wait for the next sync (what `--status` shows)."""
    # The reviews are counted in their partial index, whatever SQLite's statistics say: with
    # `ANALYZE`'s (every answer unshared) it read the whole log instead, 240 ms against 50 at a
    # million answers (docs/performance.md). A test holds the plan both ways.
    rows = store.conn.execute(
        "SELECT (SELECT count(*) FROM reviews INDEXED BY reviews_unshared WHERE shared = 0), "
        f"(SELECT count(*) FROM exam_attempts a WHERE {_SHAREABLE_ATTEMPT}), "
        "(SELECT count(*) FROM exam_outcomes WHERE shared = 0), "
        "(SELECT count(*) FROM sync_tombstones WHERE shared = 0), "
        "(SELECT count(*) FROM sync_changes WHERE shared = 0), "
        "(SELECT count(*) FROM sync_held)"
    ).fetchone()
    return dict(
        zip(("reviews", "attempts", "outcomes", "undos", "changes", "held"), rows, strict=True)
    )
