"""A deck's content as stored: what an import compares a deck file with and writes, and what an
export reads back.

Cards are matched by (deck id, key): an import updates a card's text in place, so its memory and
review log stay with it; a card gone from the file is retired, never deleted. The writers run
inside the caller's `Store.write()`, so an import of several decks is one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import NamedTuple

from srs.clock import from_db, to_db
from srs.collection.cards import CARD_COLUMNS, CONTENT_COLUMNS, IN_DECK, card_from_row
from srs.collection.store import Store
from srs.model.deck import Card

__all__ = [
    "DeckHeader",
    "StoredCard",
    "add_cards",
    "deck_cards",
    "deck_header",
    "deck_with_fingerprint",
    "move_cards",
    "retire_cards",
    "set_fingerprint",
    "stored_cards",
    "update_cards",
    "upsert_deck",
]

Content = tuple[object, ...]
"""A card's `CONTENT_COLUMNS` values, as `srs.collection.cards.card_content` builds them."""


class DeckHeader(NamedTuple):
    """What a deck row says besides its cards (exam as stored JSON)."""

    title: str
    description: str | None
    exam: str | None


class StoredCard(NamedTuple):
    retired: bool
    content: Content


def deck_with_fingerprint(store: Store, fingerprint: str) -> tuple[str, int] | None:
    """The deck last imported from a file with this fingerprint, and its active card count."""
    row = store.conn.execute(
        f"SELECT d.id, (SELECT count(*) FROM cards c WHERE c.deck_id = d.id AND {IN_DECK}) "
        "FROM decks d WHERE d.fingerprint = ?",
        (fingerprint,),
    ).fetchone()
    return None if row is None else (row[0], row[1])


def deck_header(store: Store, deck_id: str) -> DeckHeader | None:
    """The deck's title, description and exam JSON; None when the deck is not there yet."""
    row = store.conn.execute(
        "SELECT title, description, exam FROM decks WHERE id = ?", (deck_id,)
    ).fetchone()
    return None if row is None else DeckHeader(*row)


def stored_cards(store: Store, deck_id: str) -> dict[str, StoredCard]:
    """Every card the deck has ever had (retired ones too), by key."""
    return {
        key: StoredCard(bool(retired), tuple(rest))
        for key, retired, *rest in store.conn.execute(
            f"SELECT key, retired, {', '.join(CONTENT_COLUMNS)} FROM cards WHERE deck_id = ?",
            (deck_id,),
        )
    }


def deck_cards(store: Store, deck_id: str) -> list[Card]:
    """The deck's active cards, in file order (what an export writes)."""
    return [
        card_from_row(row)
        for row in store.conn.execute(
            f"SELECT {CARD_COLUMNS} FROM cards c WHERE c.deck_id = ? AND {IN_DECK} "
            "ORDER BY c.position",
            (deck_id,),
        )
    ]


def upsert_deck(
    store: Store, header: DeckHeader, deck_id: str, source: str | None, now: str
) -> None:
    """Create the deck's row, or update its text; a None `source` keeps the recorded one.

    The import time moves forward on every import, even two in one moment (an injected
    clock): the pass chance's kept values tell the deck's imports apart by it.
    """
    row = store.conn.execute("SELECT imported_at FROM decks WHERE id = ?", (deck_id,)).fetchone()
    if row is not None and now <= row[0]:
        now = to_db(from_db(row[0]) + timedelta(microseconds=1))
    store.conn.execute(
        "INSERT INTO decks (id, title, description, exam, source, imported_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET title = excluded.title, "
        "description = excluded.description, exam = excluded.exam, "
        "source = coalesce(excluded.source, source), imported_at = excluded.imported_at",
        (deck_id, *header, source, now),
    )


def set_fingerprint(store: Store, deck_id: str, fingerprint: str | None) -> None:
    """Record which file bytes the deck's content came from (None: not from a file)."""
    store.conn.execute("UPDATE decks SET fingerprint = ? WHERE id = ?", (fingerprint, deck_id))


def update_cards(
    store: Store, deck_id: str, cards: Iterable[tuple[str, Content]], now: str
) -> None:
    """New text for existing cards (a retired one comes back); memory and log stay."""
    assignments = ", ".join(f"{column} = ?" for column in CONTENT_COLUMNS)
    store.conn.executemany(
        f"UPDATE cards SET {assignments}, retired = 0, updated_at = ? "
        "WHERE deck_id = ? AND key = ?",
        ((*content, now, deck_id, key) for key, content in cards),
    )


def move_cards(store: Store, deck_id: str, positions: Iterable[tuple[str, object]]) -> None:
    """New places in the file for cards whose text is unchanged."""
    store.conn.executemany(
        "UPDATE cards SET position = ? WHERE deck_id = ? AND key = ?",
        ((position, deck_id, key) for key, position in positions),
    )


def retire_cards(store: Store, deck_id: str, keys: Sequence[str], now: str) -> None:
    """Take cards out of every queue, keeping their history (they return if re-added)."""
    store.conn.executemany(
        "UPDATE cards SET retired = 1, updated_at = ? WHERE deck_id = ? AND key = ?",
        ((now, deck_id, key) for key in keys),
    )


def add_cards(store: Store, deck_id: str, cards: Iterable[tuple[str, Content]], now: str) -> None:
    """Insert new cards, each with a new card's memory."""
    placeholders = ", ".join("?" * (len(CONTENT_COLUMNS) + 4))
    store.conn.executemany(
        f"INSERT INTO cards (deck_id, key, {', '.join(CONTENT_COLUMNS)}, created_at, "
        f"updated_at) VALUES ({placeholders})",
        ((deck_id, key, *content, now, now) for key, content in cards),
    )
    store.conn.execute(
        "INSERT INTO memory (card_id) SELECT c.id FROM cards c WHERE c.deck_id = ? AND "
        "NOT EXISTS (SELECT 1 FROM memory m WHERE m.card_id = c.id)",
        (deck_id,),
    )
