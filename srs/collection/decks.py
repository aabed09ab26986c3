"""The `decks` table: the one deck lookup (with its 'no deck' error), titles, study settings,
the mock exam.

Every "is there such a deck?" in srs goes through `deck_row` (or `require_deck`), so a wrong deck
id reads the same to the learner whichever command or screen it came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from srs.collection.cards import exam_from_json
from srs.collection.store import CollectionError, Store
from srs.model.deck import ExamSpec
from srs.model.settings import DeckSettings

__all__ = ["deck_exam", "deck_row", "deck_titles", "require_deck", "study_settings"]


def _no_deck(deck_id: str) -> CollectionError:
    return CollectionError(f"no deck '{deck_id}' in the collection")


def deck_row(store: Store, deck_id: str, *columns: str) -> tuple[Any, ...]:
    """Columns of one deck's row.

    Example: `title, exam = deck_row(store, "aws", "title", "exam")`.

    Args:
        store: the collection.
        deck_id: the deck.
        columns: `decks` column names (written in code, never taken from input).

    Raises:
        CollectionError: no such deck.
    """
    row = store.conn.execute(
        f"SELECT {', '.join(columns)} FROM decks WHERE id = ?", (deck_id,)
    ).fetchone()
    if row is None:
        raise _no_deck(deck_id)
    return tuple(row)


def require_deck(store: Store, deck_id: str) -> None:
    """Check that the deck is in the collection.

    Raises:
        CollectionError: no such deck.
    """
    deck_row(store, deck_id, "id")


def deck_titles(store: Store) -> dict[str, str]:
    """Every deck's title by id (what screens show instead of ids)."""
    return dict(store.conn.execute("SELECT id, title FROM decks"))


def study_settings(
    store: Store, deck_ids: Sequence[str] | None = None
) -> list[tuple[str, DeckSettings]]:
    """The study settings of the decks a session studies, read in one query.

    Args:
        store: the collection.
        deck_ids: these decks, in the order given (a repeated id once); None: every deck, by id.

    Raises:
        CollectionError: a deck id is not in the collection.
    """
    rows = store.conn.execute("SELECT id, settings FROM decks ORDER BY id").fetchall()
    known = {deck_id: DeckSettings.from_json(text) for deck_id, text in rows}
    if deck_ids is None:
        return list(known.items())
    for deck_id in deck_ids:
        if deck_id not in known:
            raise _no_deck(deck_id)
    return [(deck_id, known[deck_id]) for deck_id in dict.fromkeys(deck_ids)]


def deck_exam(store: Store, deck_id: str) -> ExamSpec | None:
    """The deck's `exam:` block as last imported; None when the deck has none.

    Raises:
        CollectionError: no such deck.
    """
    return exam_from_json(deck_row(store, deck_id, "exam")[0])
