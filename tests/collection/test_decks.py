"""Deck lookups: the settings a session studies with, and the one 'no deck' error."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from helpers import invoke

from srs.collection.decks import deck_exam, deck_row, study_settings
from srs.collection.settings import set_setting
from srs.collection.store import CollectionError, Store
from srs.decks.export import deck_from_collection
from srs.decks.importer import import_decks
from srs.model.deck import Card, Deck

MakeStore = Callable[..., Store]


def _store_with_decks(make_store: MakeStore, *deck_ids: str) -> Store:
    store = make_store()
    card = Card("only", "Question?", ("Answer",))
    import_decks(store, [Deck(deck_id, deck_id.title(), (card,)) for deck_id in deck_ids])
    return store


def test_study_settings_follow_the_order_asked_and_name_each_deck_once(
    make_store: MakeStore,
) -> None:
    store = _store_with_decks(make_store, "alpha", "beta")
    set_setting(store, "beta", "new_per_day", "5")

    settings = study_settings(store, ["beta", "alpha", "beta"])

    assert [(deck_id, s.new_per_day) for deck_id, s in settings] == [("beta", 5), ("alpha", 20)]


def test_study_settings_of_every_deck_come_sorted_by_id(make_store: MakeStore) -> None:
    store = _store_with_decks(make_store, "beta", "alpha")

    assert [deck_id for deck_id, _ in study_settings(store)] == ["alpha", "beta"]


@pytest.mark.parametrize(
    "lookup",
    [
        lambda store: study_settings(store, ["alpha", "nope"]),
        lambda store: deck_row(store, "nope", "title"),
    ],
    ids=["study_settings", "deck_row"],
)
def test_a_deck_not_in_the_collection_is_named_in_one_error(
    make_store: MakeStore, lookup: Callable[[Store], object]
) -> None:
    store = _store_with_decks(make_store, "alpha")

    with pytest.raises(CollectionError, match=r"^no deck 'nope' in the collection$"):
        lookup(store)


def test_a_damaged_exam_block_is_a_collection_error_and_the_cli_says_so_in_one_line(
    make_store: MakeStore,
) -> None:
    store = _store_with_decks(make_store, "alpha")
    with store.write():
        store.conn.execute("UPDATE decks SET exam = '{not json' WHERE id = 'alpha'")

    with pytest.raises(CollectionError, match="damaged: a deck's exam cannot be read"):
        deck_exam(store, "alpha")
    result = invoke(store.path, "exam", "history", "alpha")

    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "srs: error: the collection is damaged: a deck's exam cannot be read; restore a backup "
        "(srs restore)"
    ]


def test_a_damaged_card_row_is_a_collection_error(make_store: MakeStore) -> None:
    store = _store_with_decks(make_store, "alpha")
    with store.write():
        store.conn.execute("UPDATE cards SET answers = '[broken' WHERE key = 'only'")

    with pytest.raises(CollectionError, match="card 'only' cannot be read"):
        deck_from_collection(store, "alpha")
