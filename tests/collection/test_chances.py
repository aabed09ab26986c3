"""The last pass chance kept per deck (`srs.collection.chances`)."""

from __future__ import annotations

from collections.abc import Callable

from srs.collection.chances import last_pass_chance, save_pass_chance
from srs.collection.store import Store


def test_a_saved_chance_reads_back_after_reopening(make_store: Callable[..., Store]) -> None:
    store = make_store()
    figures = {"pass_chance": 0.62, "expected_score": 15.1, "questions": 20, "needed": 14}
    save_pass_chance(store, "aws", figures)
    save_pass_chance(store, "gcp", {**figures, "pass_chance": 0.1})
    store.close()

    with Store.open(store.path) as reopened:
        assert last_pass_chance(reopened, "aws") == figures
        assert last_pass_chance(reopened, "gcp") == {**figures, "pass_chance": 0.1}
        assert last_pass_chance(reopened, "azure") is None


def test_a_value_that_is_not_a_json_object_reads_as_never_computed(
    make_store: Callable[..., Store],
) -> None:
    store = make_store()
    store.set_meta("pass_chance:aws", "not json")
    store.set_meta("pass_chance:gcp", "[0.5]")

    assert last_pass_chance(store, "aws") is None
    assert last_pass_chance(store, "gcp") is None
