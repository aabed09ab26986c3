"""Deck lookups: the settings a session studies with, and the one 'no deck' error."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from srs.collection.decks import deck_row, study_settings
from srs.collection.settings import set_setting
from srs.collection.store import CollectionError, Store
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
