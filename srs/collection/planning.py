"""What the exam plan reads: the deck's cards in the order new cards are introduced, with their
memory, the learner's pace (how long an answer takes them), and the studied cards cramming
picks the weakest of."""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Sequence
from datetime import date, datetime

from srs.clock import to_db
from srs.collection.cards import ACTIVE, LIVE, MULTIPLE_CHOICE
from srs.collection.exam_memory import exam_shapes
from srs.collection.log_growth import KeptReads, LogMark, answered_since
from srs.collection.memory import MEMORY_COLUMNS
from srs.collection.store import Store
from srs.model.memory import Memory, MemoryState

__all__ = [
    "PlanCard",
    "answer_time_ms",
    "julian_day",
    "plan_cards",
    "plan_reads",
    "studied_cards",
]


PlanCard = tuple[
    int, int, int, int, int | None, float | None, float | None, str | None, float | None
]
"""A card the plan forecasts, as `plan_reads` reads it: position, id, pool (-1: no exam asks
it), ways of picking its options (0: not multiple choice), the answers its due day asks for
beyond the first ((re)learning steps left, 0 for a review; None: a new card), then its memory:
stability, difficulty, due as stored (fixed-width UTC text: compared as text with day starts,
so 100,000 due dates are not parsed) and its last review as SQLite's `julianday` (the plan
counts the days from its own moment: the rows do not depend on when they are read). A plain
row, not a named tuple: building 100,000 of those took a fifth of the read. SQLite works out
the steps and picks: one value each instead of two (state and step, options and right
options), ~20 ms less at 100,000 cards."""

_KEPT: KeptReads[list[PlanCard]] = KeptReads(keys=4)
"""The latest rows of each deck's plan (~26 MB at 100,000 cards, half of them new)."""


def plan_cards(store: Store, deck_id: str) -> list[tuple[int, Memory]]:
    """The deck's cards that are studied (in its file, not suspended), with their memory, in
    deck order: the order the queue introduces new cards in."""
    rows = store.conn.execute(
        f"SELECT c.id, {MEMORY_COLUMNS} FROM cards c JOIN memory m ON m.card_id = c.id "
        f"WHERE c.deck_id = ? AND {LIVE} ORDER BY c.position, c.id",
        (deck_id,),
    )
    return [(card_id, Memory.from_row(memory)) for card_id, *memory in rows]


def plan_reads(
    store: Store, deck_id: str, topics: Sequence[str] | None, *, steps: tuple[int, int]
) -> list[PlanCard]:
    """The cards of `plan_cards`, in the same order, with the exam pool each is asked in:
    the plan's one read of the deck. It skips building a `Memory` per card and parsing dates,
    and sorts in Python: SQLite's sort of the joined rows took half the read, and the rows
    arrive nearly in deck order, which Python's sort runs through.

    The rows are kept between reads (per collection file, deck, pools and steps) with where
    the deck's log stood (`srs.collection.log_growth`): a card's row changes with an answer
    to it, or its suspension or burial (then only its row is read again), or with a change
    the log mark sees (an undo, a re-import, a forget, a setting such as the exam date's cap,
    a merge), after which the next read is whole. The whole read took ~250 ms at 100,000 cards.
    The list returned is the one kept: read it, never change it.

    Args:
        store: the collection.
        deck_id: the deck.
        topics: the topic of each pool, a blueprint's (a topic named twice is the later
            pool's); None: one pool, the whole deck.
        steps: the deck's learning and relearning steps (how many of each).
    """
    named = {topic: n for n, topic in enumerate(topics or ())}
    pool = "0" if topics is None else "-1"
    if named:
        cases = " ".join(f"WHEN :topic{n} THEN {n}" for n in named.values())
        pool = f"CASE c.topic {cases} ELSE -1 END"
    picks = "".join(
        f"WHEN c.option_count = {int(options)} AND c.answer_count = {int(answers)} "
        f"THEN {math.comb(options, answers)} "
        for options, answers in exam_shapes(store, deck_id)
    )
    new, review, learning = (
        int(state) for state in (MemoryState.New, MemoryState.Review, MemoryState.Learning)
    )
    columns = (
        f"c.position, c.id, CASE WHEN {MULTIPLE_CHOICE} THEN {pool} ELSE -1 END, "
        f"{f'CASE {picks}ELSE 0 END' if picks else '0'}, "
        f"CASE WHEN m.state = {new} OR m.stability IS NULL THEN NULL "
        f"WHEN m.state = {review} THEN 0 "
        f"WHEN m.state = {learning} THEN max(1, :learning - coalesce(m.step, 0)) "
        "ELSE max(1, :relearning - coalesce(m.step, 0)) END, "
        "m.stability, m.difficulty, m.due, julianday(m.last_review)"
    )
    params: dict[str, object] = {
        "deck": deck_id,
        "learning": steps[0],
        "relearning": steps[1],
    } | {f"topic{n}": t for t, n in named.items()}
    joined = "FROM cards c JOIN memory m ON m.card_id = c.id"
    whole = f"SELECT {columns} {joined} WHERE c.deck_id = :deck AND {LIVE}"

    def bring(kept: tuple[LogMark, list[PlanCard]] | None, now: LogMark) -> list[PlanCard]:
        answered = None if kept is None else answered_since(store, deck_id, kept[0], now)
        if kept is None or answered is None:
            rows = store.conn.execute(whole, params).fetchall()
            rows.sort()  # (position, id) is unique: the other columns are never compared
            return rows
        rows = kept[1]
        if answered:
            rows = rows.copy()  # a worker may still be reading the kept list
            changed = store.conn.execute(
                f"SELECT {LIVE}, {columns} {joined} "
                "WHERE c.id IN (SELECT value FROM json_each(:ids))",
                params | {"ids": json.dumps(answered)},
            )
            for live, *row in changed:
                place = bisect.bisect_left(rows, (row[0], row[1]))
                if place < len(rows) and rows[place][:2] == (row[0], row[1]):
                    del rows[place]
                if live:
                    rows.insert(place, tuple(row))
        return rows

    key = (deck_id, whole, tuple(params.items()))
    return _KEPT.read(store, deck_id, key, bring, lambda rows: rows)


def julian_day(store: Store, moment: datetime) -> float:
    """SQLite's `julianday` of `moment`: subtracted from a row's last review (as read by
    `plan_reads`), it gives the days between them as SQLite's own subtraction would."""
    (day,) = store.conn.execute("SELECT julianday(?)", (to_db(moment),)).fetchone()
    return float(day)


def answer_time_ms(store: Store, deck_id: str, latest: int = 1000) -> tuple[float | None, int]:
    """The mean time of the deck's latest answers, in milliseconds, and how many there were
    (None when the deck has none). Times are logged capped at 60 s, as Anki caps them."""
    # Only the answers of the last days are sorted: from the study day of the `latest`-th
    # latest answer (found by walking the day index back), less three days, which no change
    # of zone or rollover hour between answers can span. Sorting all the deck's answers by
    # time took 0.1 s at 1,000,000.
    deck_of = "(SELECT c.deck_id FROM cards c WHERE c.id = r.card_id)"
    row = store.conn.execute(
        "SELECT avg(duration_ms), count(*) FROM (SELECT r.duration_ms FROM reviews r "
        f"WHERE r.day >= coalesce(date((SELECT r.day FROM reviews r WHERE {deck_of} = :deck "
        "ORDER BY r.day DESC LIMIT 1 OFFSET :latest - 1), '-3 days'), '') "
        f"AND {deck_of} = :deck ORDER BY r.reviewed_at DESC LIMIT :latest)",
        {"deck": deck_id, "latest": latest},
    ).fetchone()
    mean, count = row
    return (None if mean is None else float(mean)), int(count)


def studied_cards(
    store: Store, deck_id: str, *, today: date
) -> list[tuple[int, str | None, Memory]]:
    """The deck's cards answered before that can be studied today (not suspended or buried),
    with their topic and memory, in deck order: what cramming for the exam picks from."""
    rows = store.conn.execute(
        f"SELECT c.id, c.topic, {MEMORY_COLUMNS} FROM cards c JOIN memory m ON m.card_id = c.id "
        f"WHERE c.deck_id = :deck AND {ACTIVE} AND m.state != {int(MemoryState.New)} "
        "ORDER BY c.position, c.id",
        {"deck": deck_id, "today": today.isoformat()},
    )
    return [(card_id, topic, Memory.from_row(memory)) for card_id, topic, *memory in rows]
