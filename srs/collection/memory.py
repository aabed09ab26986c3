"""The `memory` table: one FSRS state per card, and the reads that pick cards by it (today's
queue, when a card is next due, each deck's counts, the cards a mock exam can ask).

State numbers are `MemoryState`'s, written into the SQL text as literals: SQLite then plans the
hot queries on the memory_queue index (state, due) exactly as for a hand-written number. Writers
run inside the caller's `Store.write()`, so an answer changes memory and the log together.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from srs.clock import from_db, to_db
from srs.collection.cards import (
    ACTIVE,
    CARD_COLUMNS,
    IN_DECK,
    LIVE,
    SUSPENDED,
    card_from_row,
    no_card,
)
from srs.collection.store import Store
from srs.model.deck import Card
from srs.model.memory import Memory, MemoryState
from srs.model.settings import DeckSettings

__all__ = [
    "MEMORY_COLUMNS",
    "AnswerBasis",
    "CardMemory",
    "DeckCounts",
    "DeckQueue",
    "NextDue",
    "answer_basis",
    "card_memory",
    "deck_counts",
    "deck_queue",
    "memory_of",
    "next_due",
    "set_memories",
    "set_memory",
    "studyable_cards",
    "topic_cards",
    "topic_counts",
]

MEMORY_COLUMNS = ", ".join(f"m.{column}" for column in Memory.COLUMNS)
"""SQL: the columns `Memory.from_row` reads, from the `memory` table aliased `m`."""

_IS_NEW = f"m.state = {int(MemoryState.New)}"
_IN_LEARNING = f"m.state IN ({int(MemoryState.Learning)}, {int(MemoryState.Relearning)})"
_IN_REVIEW = f"m.state = {int(MemoryState.Review)}"
_SEEN = f"m.state != {int(MemoryState.New)}"


# --- one card -------------------------------------------------------------------------------


class CardMemory(NamedTuple):
    """A card's deck, content and memory, read together."""

    deck_id: str
    card: Card
    memory: Memory


def card_memory(store: Store, card_id: int) -> CardMemory:
    """The card with its memory (what a study screen shows).

    Raises:
        CollectionError: no such card.
    """
    row = store.conn.execute(
        f"SELECT c.deck_id, {CARD_COLUMNS}, {MEMORY_COLUMNS} FROM cards c "
        "JOIN memory m ON m.card_id = c.id WHERE c.id = ?",
        (card_id,),
    ).fetchone()
    if row is None:
        raise no_card(card_id)
    return CardMemory(row[0], card_from_row(row[1:11]), Memory.from_row(row[11:]))


class AnswerBasis(NamedTuple):
    """What scheduling an answer needs, read in one query on the answer's hot path."""

    memory: Memory
    leech: bool
    """The card is already flagged as a leech."""
    settings: DeckSettings
    """Its deck's study settings."""
    deck_id: str
    """Its deck."""
    key: str
    """Its id in the deck file (with the deck, what seeds its fuzz on every device)."""


def answer_basis(store: Store, card_id: int) -> AnswerBasis:
    """The card's memory, leech flag, deck settings and identity, read as the answer is
    written.

    Raises:
        CollectionError: no such card.
    """
    row = store.conn.execute(
        f"SELECT {MEMORY_COLUMNS}, c.leech, d.settings, c.deck_id, c.key FROM memory m "
        "JOIN cards c ON c.id = m.card_id JOIN decks d ON d.id = c.deck_id "
        "WHERE m.card_id = ?",
        (card_id,),
    ).fetchone()
    if row is None:
        raise no_card(card_id)
    return AnswerBasis(
        Memory.from_row(row[:8]), bool(row[8]), DeckSettings.from_json(row[9]), row[10], row[11]
    )


def memory_of(store: Store, card_id: int) -> Memory | None:
    """The card's memory as stored now (None: no such card)."""
    row = store.conn.execute(
        f"SELECT {MEMORY_COLUMNS} FROM memory m WHERE m.card_id = ?", (card_id,)
    ).fetchone()
    return None if row is None else Memory.from_row(row)


_UPDATE_MEMORY = (
    "UPDATE memory SET " + ", ".join(f"{c} = ?" for c in Memory.COLUMNS) + " WHERE card_id = ?"
)


def set_memory(store: Store, card_id: int, memory: Memory) -> None:
    """Store the card's memory (after an answer, or as it was before one, on undo)."""
    store.conn.execute(_UPDATE_MEMORY, (*memory.to_row(), card_id))


def set_memories(store: Store, memories: Iterable[tuple[int, Memory]]) -> None:
    """Store many cards' memories at once, as (card id, memory): an import's replay."""
    store.conn.executemany(
        _UPDATE_MEMORY, ((*memory.to_row(), card_id) for card_id, memory in memories)
    )


# --- today's queue --------------------------------------------------------------------------


class DeckQueue(NamedTuple):
    """One deck's cards for today's queue. Due times are the stored text: text order is time
    order, and the session compares them as text (parsing each would cost more than the query).

    Attributes:
        learning: (re)learning cards due before the day ends: due by card id.
        reviews: review cards due before the day ends, (due, card id), oldest due first.
        new: new cards, in the order they were added.
    """

    learning: dict[int, str]
    reviews: list[tuple[str, int]]
    new: list[int]


# Each query comes in two join orders (SQLite's CROSS JOIN keeps the order written): a small
# deck is read card by card through its deck_id index; a large one walks the memory_queue index
# (state, due), which keeps new cards (due NULL) in card-id order, so LIMIT stops early.
_BY_DECK = "FROM cards c CROSS JOIN memory m ON m.card_id = c.id"
_BY_QUEUE = "FROM memory m CROSS JOIN cards c ON c.id = m.card_id"
_LEARNING = f"""SELECT m.card_id, m.due {{}} WHERE {_IN_LEARNING} AND m.due < :end
    AND c.deck_id = :deck AND {ACTIVE}"""
_REVIEW = f"""SELECT m.due, m.card_id {{}} WHERE {_IN_REVIEW} AND m.due < :end
    AND c.deck_id = :deck AND {ACTIVE} ORDER BY m.due, m.card_id LIMIT :limit"""
# New cards come in the order they were added (file order for a deck imported at once).
_NEW = f"""SELECT m.card_id {{}} WHERE {_IS_NEW} AND m.due IS NULL AND c.deck_id = :deck
    AND {ACTIVE} ORDER BY m.card_id LIMIT :limit"""
_SMALL_DECK = 5000
"""Decks with fewer cards are read through the deck index (at most this many rows)."""


def deck_queue(
    store: Store,
    deck_id: str,
    *,
    today: date,
    until: datetime,
    new_limit: int,
    review_limit: int,
) -> DeckQueue:
    """The deck's active cards to study before `until`, limits applied (the queue's hot read).

    Args:
        store: the collection.
        deck_id: the deck.
        today: the study day (a card buried until today is back).
        until: when the study day ends.
        new_limit: new cards to take at most.
        review_limit: review cards to take at most (due first); (re)learning cards have none.
    """
    conn = store.conn
    names: dict[str, object] = {"deck": deck_id, "today": today.isoformat(), "end": to_db(until)}
    size = conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM cards WHERE deck_id = ? LIMIT ?)",
        (deck_id, _SMALL_DECK),
    ).fetchone()[0]
    join = _BY_DECK if size < _SMALL_DECK else _BY_QUEUE
    return DeckQueue(
        dict(conn.execute(_LEARNING.format(join), names)),
        conn.execute(_REVIEW.format(join), names | {"limit": review_limit}).fetchall(),
        [cid for (cid,) in conn.execute(_NEW.format(join), names | {"limit": new_limit})],
    )


class NextDue(NamedTuple):
    """The earliest due times among some decks' active cards.

    Attributes:
        learning: the earliest (re)learning card's due time (None: no such card).
        review: the earliest review card's due time (None: no such card).
        new: a new card is waiting.
    """

    learning: datetime | None
    review: datetime | None
    new: bool


def next_due(store: Store, deck_ids: Sequence[str] | None, *, today: date) -> NextDue:
    """When the active cards of these decks (None: all) are due next, by kind.

    Args:
        store: the collection.
        deck_ids: the decks; None for every deck.
        today: the study day (a card buried until today is back).
    """
    names: dict[str, str] = {"today": today.isoformat()}
    where = f"FROM memory m JOIN cards c ON c.id = m.card_id WHERE {ACTIVE}"
    if deck_ids is not None:
        names |= {f"d{n}": deck_id for n, deck_id in enumerate(deck_ids)}
        where += " AND c.deck_id IN (" + ", ".join(f":d{n}" for n in range(len(deck_ids))) + ")"
    conn = store.conn
    (learning,) = conn.execute(f"SELECT min(m.due) {where} AND {_IN_LEARNING}", names).fetchone()
    (review,) = conn.execute(f"SELECT min(m.due) {where} AND {_IN_REVIEW}", names).fetchone()
    new = conn.execute(f"SELECT 1 {where} AND {_IS_NEW} LIMIT 1", names).fetchone()
    return NextDue(
        None if learning is None else from_db(learning),
        None if review is None else from_db(review),
        new is not None,
    )


# --- each deck's counts ---------------------------------------------------------------------


@dataclass(frozen=True)
class DeckCounts:
    """One deck's cards counted by flag and memory state (retired cards only in `retired`).

    Attributes:
        deck_id: the deck.
        title: its title.
        settings: its study settings.
        cards: cards in the deck (not retired).
        new: new cards that can be studied today (not suspended, not buried).
        learning: cards in (re)learning (not suspended).
        review: cards in review (not suspended).
        due_today: studied cards due before the day ends that can be studied today.
        retired: cards gone from the deck file, kept with their history.
        suspended: suspended cards.
        leeches: cards flagged as leeches.
    """

    deck_id: str
    title: str
    settings: DeckSettings
    cards: int
    new: int
    learning: int
    review: int
    due_today: int
    retired: int
    suspended: int
    leeches: int


def deck_counts(store: Store, *, today: date, until: datetime) -> list[DeckCounts]:
    """Every deck's counts, sorted by deck id, in one query.

    Args:
        store: the collection.
        today: the study day (a card buried until today is back).
        until: when the study day ends (what is due before then is due today).
    """
    rows = store.conn.execute(
        f"""SELECT d.id, d.title, d.settings,
            count(c.id) - coalesce(sum(c.retired), 0),
            coalesce(sum({_IS_NEW} AND {ACTIVE}), 0),
            coalesce(sum({_IN_LEARNING} AND {LIVE}), 0),
            coalesce(sum({_IN_REVIEW} AND {LIVE}), 0),
            coalesce(sum({_SEEN} AND m.due < :end AND {ACTIVE}), 0),
            coalesce(sum(c.retired), 0),
            coalesce(sum({SUSPENDED}), 0),
            coalesce(sum(c.leech = 1 AND {IN_DECK}), 0)
        FROM decks d LEFT JOIN cards c ON c.deck_id = d.id
        LEFT JOIN memory m ON m.card_id = c.id GROUP BY d.id ORDER BY d.id""",
        {"today": today.isoformat(), "end": to_db(until)},
    )
    return [
        DeckCounts(deck_id, title, DeckSettings.from_json(settings), *counts)
        for deck_id, title, settings, *counts in rows
    ]


# --- custom study: cards beyond today's queue -----------------------------------------------

_IDS = "(SELECT value FROM json_each(:ids))"


def studyable_cards(store: Store, card_ids: Iterable[int], *, today: date) -> dict[int, bool]:
    """Which of these cards can be studied on the study day `today` (not retired, suspended or
    buried), each with whether it is new. Ids not in the collection are left out.

    A session checks each card with it before showing it: an import or a `srs suspend` in
    another process may have taken the card out since the queue was built.
    """
    rows = store.conn.execute(
        f"SELECT c.id, {_IS_NEW} FROM cards c JOIN memory m ON m.card_id = c.id "
        f"WHERE c.id IN {_IDS} AND {ACTIVE}",
        {"ids": json.dumps(list(card_ids)), "today": today.isoformat()},
    )
    return {card_id: bool(new) for card_id, new in rows}


def topic_cards(store: Store, deck_id: str, topic: str, *, today: date) -> list[tuple[int, bool]]:
    """The deck's cards of one topic that can be studied today, to drill them: (card id, is
    new), studied cards soonest due first, then new cards in deck order."""
    rows = store.conn.execute(
        f"SELECT c.id, {_IS_NEW} FROM cards c JOIN memory m ON m.card_id = c.id "
        f"WHERE c.deck_id = :deck AND c.topic = :topic AND {ACTIVE} "
        f"ORDER BY {_IS_NEW}, m.due, c.position, c.id",
        {"deck": deck_id, "topic": topic, "today": today.isoformat()},
    )
    return [(card_id, bool(new)) for card_id, new in rows]


def topic_counts(store: Store, deck_ids: Sequence[str] | None, *, today: date) -> dict[str, int]:
    """Per topic, the cards of these decks (None: all) that can be studied today, topics in
    alphabetical order (cards without a topic are left out)."""
    names: dict[str, object] = {"today": today.isoformat()}
    where = ""
    if deck_ids is not None:
        where = f" AND c.deck_id IN {_IDS}"
        names["ids"] = json.dumps(list(deck_ids))
    return dict(
        store.conn.execute(
            f"SELECT c.topic, count(*) FROM cards c WHERE c.topic IS NOT NULL AND {ACTIVE}"
            f"{where} GROUP BY c.topic ORDER BY c.topic",
            names,
        )
    )
