"""The card browser's reads: a page of a deck's cards with their flags and memory, sorted and
searched in SQL.

A 100,000-card deck's first page is one query with a LIMIT (SQLite keeps only the page's rows
while it sorts), not 100,000 rows built in Python and sorted there. Every sort keeps the deck
file's order among equal values, and cards without a value (a new card has no due date) come
last whichever way the column is sorted, as `srs cards` always did.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from srs.clock import to_db
from srs.collection.cards import IN_DECK, no_card
from srs.collection.memory import MEMORY_COLUMNS
from srs.collection.store import Store
from srs.model.memory import Memory

__all__ = ["CARD_ORDERS", "DeckCardMemory", "browser_card", "deck_card_page"]

CARD_ORDERS: dict[str, str] = {
    "id": "c.key",
    "topic": "lower(c.topic)",
    "state": "m.state",
    "due": "m.due",
    "last_review": "m.last_review",
    "stability": "m.stability",
    "difficulty": "m.difficulty",
    # The chance of recall falls as elapsed time over stability grows (the forgetting curve is
    # monotonic), so the ratio, negated, sorts as the chance does without computing it per row.
    "retrievability": "-(max(julianday(:now) - julianday(m.last_review), 0) / m.stability)",
    "reviews": "m.reps",
    "lapses": "m.lapses",
}
"""SQL: what each sortable column of the browser sorts by (an ascending sort of the value)."""


class DeckCardMemory(NamedTuple):
    """A card of a deck with its flags and memory, as the card browser lists it."""

    card_id: int
    key: str
    """The card's id in the deck file."""
    topic: str | None
    suspended: bool
    buried_until: date | None
    """The study day it is buried until (None: not buried)."""
    leech: bool
    memory: Memory


_COLUMNS = f"c.id, c.key, c.topic, c.suspended, c.buried_until, c.leech, {MEMORY_COLUMNS}"
_SELECT = f"SELECT {_COLUMNS} FROM cards c JOIN memory m ON m.card_id = c.id"
_SELECT_COUNTED = (
    f"SELECT {_COLUMNS}, count(*) OVER () FROM cards c JOIN memory m ON m.card_id = c.id"
)
"""The same, with how many rows match in all (before LIMIT) on each row."""
_TEXT_COLUMNS = ("c.question", "c.answers", "c.key", "c.topic", "c.tags")
"""SQL: the texts a search word may be found in, the likeliest first (each is tested only
until one holds the word: a third faster than one test of them joined)."""


def _row(row: Sequence[Any]) -> DeckCardMemory:
    card_id, key, topic, suspended, buried, leech, *memory = row
    return DeckCardMemory(
        card_id,
        key,
        topic,
        bool(suspended),
        None if buried is None else date.fromisoformat(buried),
        bool(leech),
        Memory.from_row(memory),
    )


def _like(text: str) -> str:
    """`text` as a LIKE pattern matching itself literally (with ESCAPE '\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def deck_card_page(
    store: Store,
    deck_id: str,
    *,
    now: datetime,
    order: str | None = None,
    descending: bool = False,
    words: Sequence[str] = (),
    topics: Sequence[str] = (),
    tags: Sequence[str] = (),
    offset: int = 0,
    limit: int | None = None,
) -> tuple[list[DeckCardMemory], int]:
    """A page of the deck's cards (retired ones left out) that match every search term.

    Matching ignores case for ASCII letters (SQLite's LIKE).

    Args:
        store: the collection.
        deck_id: the deck.
        now: the moment the chance of recall is sorted for.
        order: a key of `CARD_ORDERS`; None keeps the deck file's order.
        descending: largest (latest, last in the alphabet) first.
        words: each is found in the card's id, question, answers, topic or tags.
        topics: each is found in the card's topic.
        tags: each is one of the card's tags, whole.
        offset: matching cards to skip (earlier pages).
        limit: cards to return at most (None: all).

    Returns:
        The page's cards, and how many cards match in all.
    """
    tests, names = _matching(words, topics, tags)
    condition = " AND ".join([f"c.deck_id = :deck AND {IN_DECK}", *tests])
    sort = "c.position, c.id"
    if order is not None:
        value = CARD_ORDERS[order]
        sort = f"({value}) IS NULL, {value}{' DESC' if descending else ''}, {sort}"
    names |= {"deck": deck_id, "now": to_db(now), "limit": -1 if limit is None else limit}
    page = f"WHERE {condition} ORDER BY {sort} LIMIT :limit OFFSET :offset"
    conn = store.conn
    total: int | None = None
    if tests:
        # A search reads every card's text anyway: counting the matches in the same pass
        # costs a third of a second pass.
        found = conn.execute(f"{_SELECT_COUNTED} {page}", names | {"offset": offset}).fetchall()
        rows = [_row(row[:-1]) for row in found]
        if found or offset == 0:
            total = int(found[0][-1]) if found else 0
    else:
        rows = [_row(row) for row in conn.execute(f"{_SELECT} {page}", names | {"offset": offset})]
        if offset == 0 and (limit is None or len(rows) < limit):
            total = len(rows)  # the whole result is here: no second query to count it
    if total is None:
        (total,) = conn.execute(f"SELECT count(*) FROM cards c WHERE {condition}", names).fetchone()
    return rows, int(total)


def _matching(
    words: Sequence[str], topics: Sequence[str], tags: Sequence[str]
) -> tuple[list[str], dict[str, object]]:
    """SQL: a condition on `cards` aliased `c` per search term, and their parameters."""
    tests: list[str] = []
    names: dict[str, object] = {}
    for n, word in enumerate(words):
        found = (f"{column} LIKE :w{n} ESCAPE '\\'" for column in _TEXT_COLUMNS)
        tests.append(f"({' OR '.join(found)})")
        names[f"w{n}"] = f"%{_like(word)}%"
    for n, topic in enumerate(topics):
        tests.append(f"c.topic LIKE :t{n} ESCAPE '\\'")
        names[f"t{n}"] = f"%{_like(topic)}%"
    for n, tag in enumerate(tags):
        tests.append(f"EXISTS (SELECT 1 FROM json_each(c.tags) WHERE value LIKE :g{n} ESCAPE '\\')")
        names[f"g{n}"] = _like(tag)
    return tests, names


def browser_card(store: Store, card_id: int) -> DeckCardMemory:
    """One card as `deck_card_page` lists it (a card opened from the browser).

    Raises:
        CollectionError: no such card.
    """
    row = store.conn.execute(f"{_SELECT} WHERE c.id = ?", (card_id,)).fetchone()
    if row is None:
        raise no_card(card_id)
    return _row(row)
