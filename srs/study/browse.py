"""The card browser: each card of a deck with where it stands in memory (the columns of Anki's
browser), sortable by any of them (`srs cards`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from srs.collection.decks import require_deck
from srs.collection.memory import deck_card_memories
from srs.collection.settings import clock_for, get_settings
from srs.collection.store import Store
from srs.model.memory import MemoryState, retrievability

__all__ = ["SORT_COLUMNS", "CardRow", "browse_cards"]


@dataclass(frozen=True)
class CardRow:
    """One card as the browser shows it.

    Attributes:
        key: the card's id in the deck file.
        topic: its topic (None: none given).
        state: New, Learning, Review or Relearning.
        suspended: kept out of every queue.
        buried: kept out of today's queue.
        leech: flagged as a leech.
        due: when it is next due (None while New).
        last_review: when it was last answered (None while New).
        stability: FSRS stability in days (None while New).
        difficulty: FSRS difficulty, 1-10 (None while New).
        retrievability: the chance of recalling it now (None while New).
        reviews: answers given so far.
        lapses: times it was forgotten after being learned.
    """

    key: str
    topic: str | None
    state: MemoryState
    suspended: bool
    buried: bool
    leech: bool
    due: datetime | None
    last_review: datetime | None
    stability: float | None
    difficulty: float | None
    retrievability: float | None
    reviews: int
    lapses: int

    def to_dict(self) -> dict[str, object]:
        """The row as JSON values: times as ISO-8601 UTC, the state by name."""
        return {
            "id": self.key,
            "topic": self.topic,
            "state": self.state.name.lower(),
            "suspended": self.suspended,
            "buried": self.buried,
            "leech": self.leech,
            "due": None if self.due is None else self.due.isoformat(),
            "last_review": None if self.last_review is None else self.last_review.isoformat(),
            "stability": self.stability,
            "difficulty": self.difficulty,
            "retrievability": self.retrievability,
            "reviews": self.reviews,
            "lapses": self.lapses,
        }


_SORT_KEYS: dict[str, Callable[[CardRow], Any]] = {
    "id": lambda row: row.key,
    "topic": lambda row: None if row.topic is None else row.topic.casefold(),
    "state": lambda row: row.state,
    "due": lambda row: row.due,
    "last_review": lambda row: row.last_review,
    "stability": lambda row: row.stability,
    "difficulty": lambda row: row.difficulty,
    "retrievability": lambda row: row.retrievability,
    "reviews": lambda row: row.reviews,
    "lapses": lambda row: row.lapses,
}

SORT_COLUMNS = tuple(_SORT_KEYS)
"""The columns `browse_cards` sorts by."""


def browse_cards(
    store: Store, deck_id: str, *, sort: str | None = None, reverse: bool = False
) -> list[CardRow]:
    """Every card of the deck (retired ones left out), with its memory and its chance of
    recall now.

    Example: `browse_cards(store, "aws", sort="retrievability")` (weakest first).

    Args:
        store: the collection.
        deck_id: the deck.
        sort: one of `SORT_COLUMNS`; None keeps the deck file's order.
        reverse: largest (or latest, or last in the alphabet) first. Cards without a value in
            the sort column (a new card has no due date) come last either way.

    Raises:
        CollectionError: no such deck.
        ValueError: `sort` is not one of `SORT_COLUMNS`.
    """
    if sort is not None and sort not in _SORT_KEYS:
        raise ValueError(f"cannot sort by {sort!r}: choose one of {', '.join(SORT_COLUMNS)}")
    require_deck(store, deck_id)
    clock = clock_for(store)
    now = clock.now()
    today = clock.study_day(now)
    parameters = get_settings(store, deck_id).parameters
    rows = [
        CardRow(
            card.key,
            card.topic,
            card.memory.state,
            card.suspended,
            card.buried_until is not None and card.buried_until > today,
            card.leech,
            card.memory.due,
            card.memory.last_review,
            card.memory.stability,
            card.memory.difficulty,
            retrievability(card.memory, now, parameters),
            card.memory.reps,
            card.memory.lapses,
        )
        for card in deck_card_memories(store, deck_id)
    ]
    if sort is None:
        return rows
    key = _SORT_KEYS[sort]
    known = [row for row in rows if key(row) is not None]
    known.sort(key=key, reverse=reverse)
    return known + [row for row in rows if key(row) is None]
