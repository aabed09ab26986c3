"""What the exam plan reads: the deck's cards in the order new cards are introduced, with their
memory, the learner's pace (how long an answer takes them), and the studied cards cramming
picks the weakest of."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from srs.clock import from_db
from srs.collection.cards import ACTIVE, LIVE, MULTIPLE_CHOICE
from srs.collection.memory import MEMORY_COLUMNS
from srs.collection.store import Store
from srs.model.memory import Memory, MemoryState

__all__ = ["PlanCard", "answer_time_ms", "plan_cards", "plan_reads", "studied_cards"]


class PlanCard(NamedTuple):
    """A card the plan forecasts, with only what the forecast reads of it."""

    card_id: int
    topic: str | None
    options: int
    """Options shown (0: not multiple choice, so no exam asks it)."""
    answers: int
    """Right options."""
    state: MemoryState
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime | None
    last_review: datetime | None


def plan_cards(store: Store, deck_id: str) -> list[tuple[int, Memory]]:
    """The deck's cards that are studied (in its file, not suspended), with their memory, in
    deck order: the order the queue introduces new cards in."""
    rows = store.conn.execute(
        f"SELECT c.id, {MEMORY_COLUMNS} FROM cards c JOIN memory m ON m.card_id = c.id "
        f"WHERE c.deck_id = ? AND {LIVE} ORDER BY c.position, c.id",
        (deck_id,),
    )
    return [(card_id, Memory.from_row(memory)) for card_id, *memory in rows]


_STATES = {int(state): state for state in MemoryState}


def plan_reads(store: Store, deck_id: str) -> list[PlanCard]:
    """The cards of `plan_cards`, in the same order, with the shape a mock exam asks them in:
    the plan's one read of the deck. It skips building a `Memory` per card (a third of the
    read's time at 100,000 cards)."""
    rows = store.conn.execute(
        f"SELECT c.id, c.topic, CASE WHEN {MULTIPLE_CHOICE} THEN c.option_count ELSE 0 END, "
        f"CASE WHEN {MULTIPLE_CHOICE} THEN c.answer_count ELSE 0 END, "
        "m.state, m.step, m.stability, m.difficulty, m.due, m.last_review "
        f"FROM cards c JOIN memory m ON m.card_id = c.id WHERE c.deck_id = ? AND {LIVE} "
        "ORDER BY c.position, c.id",
        (deck_id,),
    )
    states = _STATES
    return [
        PlanCard(
            card_id,
            topic,
            options,
            answers,
            states[state],
            step,
            stability,
            difficulty,
            None if due is None else from_db(due),
            None if last is None else from_db(last),
        )
        for card_id, topic, options, answers, state, step, stability, difficulty, due, last in rows
    ]


def answer_time_ms(store: Store, deck_id: str, latest: int = 1000) -> tuple[float | None, int]:
    """The mean time of the deck's latest answers, in milliseconds, and how many there were
    (None when the deck has none). Times are logged capped at 60 s, as Anki caps them."""
    row = store.conn.execute(
        "SELECT avg(duration_ms), count(*) FROM (SELECT r.duration_ms FROM reviews r "
        "JOIN cards c ON c.id = r.card_id WHERE c.deck_id = ? ORDER BY r.reviewed_at DESC "
        "LIMIT ?)",
        (deck_id, latest),
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
