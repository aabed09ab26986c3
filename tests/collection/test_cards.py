"""A card's flags, written by id."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from srs.collection.cards import bury_until, set_leech, set_suspended
from srs.collection.store import CollectionError, Store
from srs.decks.importer import import_decks
from srs.model.deck import Card, Deck

MakeStore = Callable[..., Store]


@pytest.mark.parametrize(
    "flag",
    [
        lambda store, card_id: bury_until(store, card_id, date(2025, 1, 7)),
        lambda store, card_id: set_suspended(store, card_id, True),
        lambda store, card_id: set_leech(store, card_id, True),
    ],
    ids=["bury", "suspend", "leech"],
)
def test_flagging_a_card_not_in_the_collection_is_an_error_and_changes_nothing(
    make_store: MakeStore, flag: Callable[[Store, int], None]
) -> None:
    store = make_store()
    import_decks(store, [Deck("demo", "Demo", (Card("only", "Question?", ("Answer",)),))])
    before = store.conn.execute("SELECT * FROM cards ORDER BY id").fetchall()

    with pytest.raises(CollectionError, match=r"^no card 999 in the collection$"), store.write():
        flag(store, 999)

    assert store.conn.execute("SELECT * FROM cards ORDER BY id").fetchall() == before
