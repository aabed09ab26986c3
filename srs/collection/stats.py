"""Statistics reads: the review log and the memory table aggregated in SQL, one query per
figure family (what a day held, answers per day, due per day, true retention, memory, topics).

Every function takes `deck_id` (None: every deck). Days are the learner's study days as logged
(`reviews.day`), so the figures never depend on the zone the learner is in now. Everything
summed over days (answers per day, true retention, a topic's answers) is read from
`review_days`, the log summed per deck, day and topic, which triggers keep exact (schema v4):
a year of it is a few thousand rows, where the log holds every answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple

from fsrs import Rating

from srs.clock import to_db
from srs.collection.cards import IN_DECK, LIVE
from srs.collection.store import Store
from srs.model.memory import MemoryState

__all__ = [
    "MATURE_INTERVAL",
    "DaySummary",
    "RetentionCounts",
    "TopicCounts",
    "answers_per_day",
    "day_summary",
    "due_per_day",
    "memory_buckets",
    "retention_counts",
    "topic_counts_since",
]

MATURE_INTERVAL = 21
"""A review card is mature from this interval (days) on, young below it (Anki's split; the
interval is whole days from the card's last review to its due date, as the triggers of schema
v4 sum it)."""

_RIGHT = f"r.rating > {int(Rating.Again)}"


def _deck_days(deck_id: str | None) -> str:
    """The condition limiting a `review_days` query to one deck (nothing for None)."""
    return "" if deck_id is None else " AND deck_id = :deck"


class DaySummary(NamedTuple):
    """What one study day held."""

    cards: int
    """Distinct cards answered."""
    answers: int
    right: int
    """Answers above Again."""
    duration_ms: int
    """Time spent answering, as logged."""


def day_summary(store: Store, day: date, deck_id: str | None) -> DaySummary:
    """The answers logged on study day `day` (in sessions, custom study and exams).

    Read from the log (one day of it, through the reviews_day index): distinct cards do not
    add up from per-topic sums. The CROSS JOIN keeps SQLite on the day: led by the deck's
    cards instead, it read each one's whole log (4 s at 100,000 cards).
    """
    deck = "" if deck_id is None else " AND c.deck_id = :deck"
    row = store.conn.execute(
        f"SELECT count(DISTINCT r.card_id), count(*), coalesce(sum({_RIGHT}), 0), "
        "coalesce(sum(r.duration_ms), 0) FROM reviews r CROSS JOIN cards c ON c.id = r.card_id "
        f"WHERE r.day = :day{deck}",
        {"day": day.isoformat(), "deck": deck_id},
    ).fetchone()
    return DaySummary(*row)


def answers_per_day(store: Store, since: date, deck_id: str | None) -> dict[date, int]:
    """Answers per study day from `since` on; days without any are left out."""
    rows = store.conn.execute(
        "SELECT day, sum(answers) FROM review_days "
        f"WHERE day >= :since{_deck_days(deck_id)} GROUP BY day HAVING sum(answers) > 0",
        {"since": since.isoformat(), "deck": deck_id},
    )
    return {date.fromisoformat(day): count for day, count in rows}


def due_per_day(store: Store, ends: Sequence[datetime], deck_id: str | None) -> list[int]:
    """Studied cards (not retired or suspended) due before each of `ends` and not before the
    one preceding it: the first count holds everything overdue too.

    One pass over the memory_queue index (state, due) up to the last end, each card put in its
    period by a CASE (30 range counts, one per period, took 4 times as long).
    """
    names: dict[str, object] = {f"e{n}": to_db(end) for n, end in enumerate(ends)}
    period = " ".join(f"WHEN m.due < :e{n} THEN {n}" for n in range(len(ends)))
    deck = ""
    if deck_id is not None:
        deck = " AND c.deck_id = :deck"
        names["deck"] = deck_id
    rows = store.conn.execute(
        f"SELECT CASE {period} END, count(*) FROM memory m JOIN cards c ON c.id = m.card_id "
        f"WHERE m.state != {int(MemoryState.New)} AND m.due < :e{len(ends) - 1} AND {LIVE}"
        f"{deck} GROUP BY 1",
        names,
    )
    counts = dict(rows.fetchall())
    return [counts.get(n, 0) for n in range(len(ends))]


class RetentionCounts(NamedTuple):
    """Answers to review cards (state Review when answered) on one study day, and those
    remembered (any rating above Again), young and mature apart."""

    day: date
    young: int
    young_right: int
    mature: int
    """Answers to cards whose interval was at least `MATURE_INTERVAL` days."""
    mature_right: int


def retention_counts(store: Store, since: date, deck_id: str | None) -> list[RetentionCounts]:
    """Per study day from `since` on, Anki's true retention counts, oldest day first (days
    without answers to review cards may be listed with zeros)."""
    rows = store.conn.execute(
        "SELECT day, sum(young), sum(young_right), sum(mature), sum(mature_right) "
        f"FROM review_days WHERE day >= :since{_deck_days(deck_id)} GROUP BY day ORDER BY day",
        {"since": since.isoformat(), "deck": deck_id},
    )
    return [RetentionCounts(date.fromisoformat(day), *counts) for day, *counts in rows]


def _bucket(value: str, edges: Sequence[float]) -> str:
    """SQL: the index of the bucket of `edges` a value falls in, as `bisect_right` finds it; a
    value outside the edges goes in the nearest bucket."""
    inner = edges[1:-1]
    steps = " ".join(f"WHEN {value} < {edge!r} THEN {n}" for n, edge in enumerate(inner))
    return f"CASE {steps} ELSE {len(inner)} END"


def memory_buckets(
    store: Store,
    now: datetime,
    deck_id: str,
    curve: tuple[float, float],
    edges: tuple[Sequence[float], Sequence[float], Sequence[float]],
) -> list[tuple[int, int, int, int, float]]:
    """The deck's studied cards in its deck file (suspended ones too: they are still
    remembered), counted by bucket of stability, difficulty and chance of recall now:
    (stability bucket, difficulty bucket, recall bucket, cards, their chances of recall summed).

    Aggregated here, in a fraction of the time of reading 62,000 cards into Python: each
    card's chance of recall is the model's forgetting curve (`srs.model.memory`), R = (1 +
    factor * t / S) ** decay, computed by SQLite over fractional days (t is 0 when `now` is
    before the review).

    Args:
        store: the collection.
        now: the moment the chances of recall are for.
        deck_id: the deck.
        curve: the deck's (decay, factor), `srs.model.memory.curve_constants`.
        edges: the buckets' edges of stability (days), difficulty and chance of recall.
    """
    stability, difficulty, recall = edges
    return store.conn.execute(
        f"SELECT {_bucket('s', stability)}, {_bucket('d', difficulty)}, "
        f"{_bucket('r', recall)}, count(*), sum(r) FROM (SELECT m.stability AS s, "
        "m.difficulty AS d, pow(1.0 + :factor * max(julianday(:now) - julianday(m.last_review), "
        "0.0) / m.stability, :decay) AS r FROM memory m JOIN cards c ON c.id = m.card_id "
        f"WHERE c.deck_id = :deck AND m.state != {int(MemoryState.New)} "
        f"AND m.stability IS NOT NULL AND m.last_review IS NOT NULL AND {IN_DECK} LIMIT -1) "
        "GROUP BY 1, 2, 3",
        {"now": to_db(now), "deck": deck_id, "decay": curve[0], "factor": curve[1]},
    ).fetchall()


class TopicCounts(NamedTuple):
    """One topic of a deck: its cards, and the answers to them in two windows of days."""

    deck_id: str
    topic: str | None
    cards: int
    """Cards in the deck file with this topic."""
    recent_answers: int
    recent_right: int
    earlier_answers: int
    earlier_right: int


def topic_counts_since(
    store: Store, earlier: date, recent: date, deck_id: str | None
) -> list[TopicCounts]:
    """Per topic of each deck (None: cards without a topic), its cards, and the answers to them
    from study day `recent` on and from `earlier` up to `recent`.

    The cards are counted from the cards_topic index, in its order (grouped otherwise, the
    100,000 cards were sorted first: 3 times slower), the answers summed from `review_days`
    (answers to cards still in the deck file, by the topic the card has now; '' there is no
    topic).
    """
    deck = "" if deck_id is None else " AND c.deck_id = :deck"
    rows = store.conn.execute(
        f"""WITH counted AS (SELECT c.deck_id, coalesce(c.topic, '') AS topic, count(*) AS cards
            FROM cards c INDEXED BY cards_topic WHERE {IN_DECK}{deck}
            GROUP BY c.topic, c.deck_id),
        answered AS (SELECT deck_id, topic,
              sum(iif(day >= :recent, answers, 0)) AS recent,
              sum(iif(day >= :recent, right_answers, 0)) AS recent_right,
              sum(iif(day < :recent, answers, 0)) AS earlier,
              sum(iif(day < :recent, right_answers, 0)) AS earlier_right
            FROM review_days WHERE in_deck = 1 AND day >= :earlier{_deck_days(deck_id)}
            GROUP BY 1, 2)
        SELECT k.deck_id, nullif(k.topic, ''), k.cards, coalesce(a.recent, 0),
            coalesce(a.recent_right, 0), coalesce(a.earlier, 0), coalesce(a.earlier_right, 0)
        FROM counted k LEFT JOIN answered a ON a.deck_id = k.deck_id AND a.topic = k.topic
        ORDER BY 1, 2""",
        {"earlier": earlier.isoformat(), "recent": recent.isoformat(), "deck": deck_id},
    )
    return [TopicCounts(*row) for row in rows]
