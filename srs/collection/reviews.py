"""The `reviews` table: the log of every answer, with the card's memory before and after it.

The log is what undo restores from, what the daily limits and the streak count, and what
statistics read later. Each row records the learner's study day of the answer (`day`), so those
counts never depend on the time zone the learner is in later. Writers run inside the caller's
`Store.write()`, so an answer changes memory and the log together.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, NamedTuple

from fsrs import Rating

from srs.clock import from_db
from srs.collection.changes import EVENT_ID
from srs.collection.schema import count_answers
from srs.collection.store import Store
from srs.model.memory import Memory, MemoryState

__all__ = [
    "BATCH",
    "STATE_BEFORE",
    "CardReview",
    "LoggedReview",
    "Review",
    "Source",
    "answers_per_deck",
    "card_reviews",
    "deck_log",
    "decks_studied",
    "delete_review",
    "insert_log_rows",
    "log_review",
    "log_reviews",
    "logged_answers",
    "logged_memory",
    "reviews_per_deck",
    "set_logged_memory",
    "studied_on",
    "used_today",
]

Source = Literal["review", "exam", "custom", "anki"]
"""Where an answer was given: today's study session, a mock exam, custom study (studying
beyond the day's queue: a topic, an exam's missed questions, extra new cards, reviews ahead),
or Anki (imported with the deck from an Anki package)."""

STATE_BEFORE = "json_extract(r.before, '$.state')"
"""SQL: the memory state (a `MemoryState` number) the card was in when the logged answer (the
`reviews` row aliased `r`) was given; 0 means it was the card's first answer."""


@dataclass(frozen=True)
class Review:
    """One answer, as logged.

    Attributes:
        card_id: the card answered.
        rating: Again, Hard, Good or Easy.
        day: the study day the answer counts for.
        duration_ms: the time taken (the caller caps it).
        source: a study session ('review'), a mock exam ('exam') or custom study ('custom').
        choice: the option texts chosen (None for a free-recall card).
        before: the card's memory before the answer.
        after: its memory after it; `after.last_review` is when the answer was given.
    """

    card_id: int
    rating: Rating
    day: date
    duration_ms: int
    source: Source
    choice: Sequence[str] | None
    before: Memory
    after: Memory


# The event id is made here, by the one insert of the log (no trigger does it): a trigger's
# UPDATE of the row just inserted cost more than the insert itself (docs/performance.md, Sync).
_INSERT = (
    "INSERT INTO reviews (card_id, reviewed_at, day, rating, duration_ms, source, choice, "
    f"before, after, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, {EVENT_ID})"
)


def _row(review: Review, before: str | None = None) -> tuple[object, ...]:
    """The values `_INSERT` takes for the answer; `before`: its memory before as JSON, when
    the caller has made it already."""
    after = review.after.to_row()  # its last review is when the answer was given
    assert after[5] is not None, "an answered card has a last review"
    return (
        review.card_id,
        after[5],
        review.day.isoformat(),
        int(review.rating),
        review.duration_ms,
        review.source,
        _choice_json(review.choice),
        review.before.to_json() if before is None else before,
        Memory.row_json(after),
    )


def _choice_json(choice: Sequence[str] | None) -> str | None:
    return None if choice is None else json.dumps(list(choice), ensure_ascii=False)


def log_review(store: Store, review: Review) -> int:
    """Append the answer to the log (the answer's hot path: one plain INSERT).

    Returns:
        The new row's id (what undo deletes).
    """
    cursor = store.conn.execute(_INSERT, _row(review))
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def log_reviews(store: Store, reviews: Iterable[Review], *, expected: int = 0) -> None:
    """Append many answers at once (an import's): the rows `log_review` writes, in one
    `executemany`, which takes an iterator, so a replay can feed it answer by answer. Runs
    inside the caller's `Store.write()`.

    When an answer's memory before is the memory after the answer just before it (a card's
    answers in order), that memory's JSON is made once. The per-day sums (`review_days`),
    which a trigger adds to one answer at a time, are added once for the whole batch: the
    trigger is dropped for the insert and made again from its own stored text, inside the
    transaction, so a failure anywhere restores it with everything else. Its upsert per row
    was over half the insert's CPU at 300,000 answers (docs/performance.md, Anki import).

    Args:
        store: the collection.
        reviews: the answers.
        expected: about how many answers `reviews` holds. When that is more than the log
            holds already (a first import), the log's indexes are dropped and built again
            after the insert, as the trigger is: building an index once costs less than
            growing it row by row.
    """
    insert_log_rows(store, _rows(reviews), expected=expected)


def insert_log_rows(
    store: Store, rows: Iterable[Sequence[object]], *, expected: int = 0, sql: str = _INSERT
) -> None:
    """`log_reviews`' insert, of rows made already (`bench.log_insert` times it alone), or
    another insert into the log (`sql`: a sync's merged answers)."""
    conn = store.conn
    assert conn.in_transaction, "log_reviews runs inside Store.write()"
    (last,) = conn.execute("SELECT coalesce(max(id), 0) FROM reviews").fetchone()
    dropped = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'reviews' AND (name = ? "
        "OR (type = 'index' AND sql IS NOT NULL AND ?)) ORDER BY type = 'trigger'",
        (_DAY_SUMS, expected > last),
    ).fetchall()
    for kind, name, _ in dropped:
        conn.execute(f'DROP {kind} "{name}"')
    conn.executemany(sql, rows)
    for _, name, made in dropped:
        if name == _DAY_SUMS:
            conn.execute(count_answers("+", "r.id > ?"), (last,))
        conn.execute(made)


_DAY_SUMS = "review_days_insert"
"""The trigger that adds each inserted answer to `review_days` (schema v4)."""
_DAY_MOVES = "review_days_update"
"""The trigger that moves an answer whose logged memory changed between `review_days` rows."""
BATCH = 500
"""Answers from which a batch's per-day sums are worked out once rather than by a trigger row
by row (dropping and making a trigger again changes the schema, which every open connection
then reads again: worth it for a merge or an import, not for a few answers)."""


def _rows(reviews: Iterable[Review]) -> Iterator[tuple[object, ...]]:
    """`_row`'s values for each answer; when an answer's memory before is the memory after the
    answer just before it (a card's answers in order), that memory's JSON is made once."""
    last: Memory | None = None
    last_json = ""
    for review in reviews:
        row = _row(review, last_json if review.before is last else None)
        last, last_json = review.after, str(row[-1])
        yield row


def logged_memory(store: Store, review_id: int, card_id: int) -> tuple[Memory, Memory] | None:
    """The memory before and after a logged answer of this card (None: no such log row)."""
    row = store.conn.execute(
        "SELECT before, after FROM reviews WHERE id = ? AND card_id = ?", (review_id, card_id)
    ).fetchone()
    return None if row is None else (Memory.from_json(row[0]), Memory.from_json(row[1]))


def delete_review(store: Store, review_id: int) -> None:
    """Remove one answer from the log (undo)."""
    store.conn.execute("DELETE FROM reviews WHERE id = ?", (review_id,))


def used_today(store: Store, day: date) -> dict[str, tuple[int, int]]:
    """Per deck, the (new, review) cards answered in study sessions on `day`: what counts
    against the daily limits. Exam and custom-study answers do not count."""
    rows = store.conn.execute(
        f"SELECT c.deck_id, sum({STATE_BEFORE} = {int(MemoryState.New)}), "
        f"sum({STATE_BEFORE} = {int(MemoryState.Review)}) FROM reviews r "
        "JOIN cards c ON c.id = r.card_id WHERE r.day = ? AND r.source = 'review' "
        "GROUP BY c.deck_id",
        (day.isoformat(),),
    )
    return {deck_id: (int(new), int(review)) for deck_id, new, review in rows}


def answers_per_deck(store: Store, day: date) -> dict[str, int]:
    """Per deck, the answers logged on `day` (study sessions and exams); decks without any are
    left out."""
    return dict(
        store.conn.execute(
            "SELECT c.deck_id, count(*) FROM reviews r JOIN cards c ON c.id = r.card_id "
            "WHERE r.day = ? GROUP BY c.deck_id",
            (day.isoformat(),),
        )
    )


def decks_studied(store: Store, days: Sequence[date]) -> set[str]:
    """The decks with at least one answer logged on any of these days."""
    return {
        deck_id
        for (deck_id,) in store.conn.execute(
            "SELECT DISTINCT c.deck_id FROM reviews r JOIN cards c ON c.id = r.card_id "
            f"WHERE r.day IN ({', '.join('?' * len(days))})",
            [day.isoformat() for day in days],
        )
    }


def studied_on(store: Store, day: date, deck_id: str | None = None) -> bool:
    """At least one answer was logged on `day` (in this deck; None: in any deck). One indexed
    lookup (reviews.day), so a streak can be walked back day by day."""
    if deck_id is None:
        row = store.conn.execute(
            "SELECT 1 FROM reviews WHERE day = ? LIMIT 1", (day.isoformat(),)
        ).fetchone()
    else:
        row = store.conn.execute(
            "SELECT 1 FROM reviews r JOIN cards c ON c.id = r.card_id "
            "WHERE r.day = ? AND c.deck_id = ? LIMIT 1",
            (day.isoformat(), deck_id),
        ).fetchone()
    return row is not None


# --- one card's log ------------------------------------------------------------------------


class CardReview(NamedTuple):
    """One answer to a card, with what it scheduled (a card's history in the browser)."""

    reviewed_at: datetime
    rating: Rating
    duration_ms: int
    source: Source
    state_after: MemoryState
    due_after: datetime | None
    """When the answer made the card due next."""


def card_reviews(store: Store, card_id: int) -> list[CardReview]:
    """Every answer to the card, oldest first (one indexed read: reviews_card)."""
    rows = store.conn.execute(
        "SELECT reviewed_at, rating, duration_ms, source, json_extract(after, '$.state'), "
        "json_extract(after, '$.due') FROM reviews WHERE card_id = ? ORDER BY reviewed_at, id",
        (card_id,),
    )
    return [
        CardReview(
            from_db(at),
            Rating(rating),
            duration_ms,
            source,
            MemoryState(state),
            None if due is None else from_db(due),
        )
        for at, rating, duration_ms, source, state, due in rows
    ]


# --- the whole log of a deck ----------------------------------------------------------------


@dataclass(frozen=True)
class LoggedReview:
    """One answer as the log holds it, without the memory around it: what a log export
    writes, what an import matches against, and what personal parameters are fitted to.

    Attributes:
        id: the log row.
        card_id: the card answered.
        card_key: the card's id in its deck file.
        reviewed_at: when the answer was given (UTC).
        day: the study day it counted for.
        rating: Again, Hard, Good or Easy.
        duration_ms: the time taken.
        source: a study session ('review'), a mock exam ('exam') or custom study ('custom').
    """

    id: int
    card_id: int
    card_key: str
    reviewed_at: datetime
    day: date
    rating: Rating
    duration_ms: int
    source: Source


def deck_log(
    store: Store, deck_id: str, card_ids: Iterable[int] | None = None
) -> list[LoggedReview]:
    """Every answer to the deck's cards (retired cards too), oldest first; answers given at the
    same time by card id (as in the deck file), then event id: the order every device lists
    them in, and the one a log moved to another collection (new event ids) keeps. A card's own
    answers come in the order every device replays them (time, then event id).

    Args:
        store: the collection.
        deck_id: the deck.
        card_ids: only these cards' answers (None: every card's).
    """
    where, params = "c.deck_id = ?", [deck_id]
    if card_ids is not None:
        where += " AND c.id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(list(card_ids)))
    rows = store.conn.execute(
        "SELECT r.id, r.card_id, c.key, r.reviewed_at, r.day, r.rating, r.duration_ms, r.source "
        f"FROM reviews r JOIN cards c ON c.id = r.card_id WHERE {where} "
        "ORDER BY r.reviewed_at, c.key, r.event_id",
        params,
    )
    return [
        LoggedReview(
            review_id,
            card_id,
            key,
            from_db(reviewed_at),
            date.fromisoformat(day),
            Rating(rating),
            duration_ms,
            source,
        )
        for review_id, card_id, key, reviewed_at, day, rating, duration_ms, source in rows
    ]


def logged_answers(store: Store, card_ids: Iterable[int]) -> set[tuple[int, int, int]]:
    """The answers these cards' log holds, as (card id, time in whole milliseconds since the
    epoch, rating): what an import matches the answers it brings against. Read without
    building whole rows, so that re-importing an unchanged log stays quick."""
    rows = store.conn.execute(
        "SELECT card_id, CAST(strftime('%s', substr(reviewed_at, 1, 19)) AS INTEGER) * 1000 "
        "+ CAST(substr(reviewed_at, 21, 3) AS INTEGER), rating FROM reviews "
        "WHERE card_id IN (SELECT value FROM json_each(?))",
        (json.dumps(list(card_ids)),),
    )
    return set(rows)


def set_logged_memory(store: Store, memories: Sequence[tuple[int, Memory, Memory]]) -> None:
    """Rewrite the memory before and after logged answers, as (review id, before, after): a
    card's history replayed keeps every row consistent with the next, as undo needs. As in
    `log_reviews`, a memory before that is the one after the answer just before is made into
    JSON once, as each row is written."""

    def rows() -> Iterator[tuple[str, str, int]]:
        last: Memory | None = None
        last_json = ""
        for review_id, before, after in memories:
            before_json = last_json if before is last else before.to_json()
            last, last_json = after, after.to_json()
            yield before_json, last_json, review_id

    update = "UPDATE reviews SET before = ?, after = ? WHERE id = ?"
    conn = store.conn
    if len(memories) < BATCH:
        conn.executemany(update, rows())
        return
    # The per-day sums of these answers taken away, then added again from the memory written:
    # two grouped queries instead of the trigger's two upserts per row (a third of a 10,000
    # answer merge).
    (made,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (_DAY_MOVES,)).fetchone()
    ids = (json.dumps([review_id for review_id, _, _ in memories]),)
    these = "r.id IN (SELECT value FROM json_each(?))"
    conn.execute(count_answers("-", these), ids)
    conn.execute(f'DROP TRIGGER "{_DAY_MOVES}"')
    conn.executemany(update, rows())
    conn.execute(count_answers("+", these), ids)
    conn.execute(made)


def reviews_per_deck(store: Store) -> dict[str, int]:
    """Per deck, every answer ever logged to its cards; decks without any are left out."""
    return dict(
        store.conn.execute(
            "SELECT c.deck_id, count(*) FROM cards c JOIN reviews r ON r.card_id = c.id "
            "GROUP BY c.deck_id"
        )
    )
