"""The pass chance's model is saved in the collection with the mark of what it was fitted to:
a new process takes it while the deck's answers are the same, and fits a new one after."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FakeClock, deck_yaml
from fsrs import Rating

from srs.collection.chances import KeptByMark, save_model, saved_model
from srs.collection.store import Store
from srs.exam import readiness
from srs.exam.chance_model import ChanceModel
from srs.exam.fitting import Guessing, Recalibration
from srs.exam.readiness import deck_readiness
from srs.study.answers import bury_card, forget_card, record_answer, suspend_card
from srs.sync import sync

MakeStore = Callable[..., Store]


def answered_deck(make_store: MakeStore, clock: FakeClock) -> Store:
    """A deck of eight multiple-choice cards, five answered (three right)."""
    store = make_store(deck_yaml(choice=8, exam_questions=5), clock=clock)
    ids = [row[0] for row in store.conn.execute("SELECT id FROM cards ORDER BY id")]
    for card_id, rating in zip(ids[:5], [3, 1, 3, 1, 3], strict=True):
        record_answer(store, card_id, Rating(rating), duration_ms=2000, choice=["Right"])
    clock.advance(days=1)
    return store


def plant_model(store: Store) -> dict[str, object]:
    """Fit and save the deck's model, then edit the saved one to say the learner knows every
    card they never studied (a process that takes it predicts more than the fit does); the
    model as saved by the fit."""
    deck_readiness(store, "demo")
    saved = saved_model(store, "demo")
    assert saved is not None
    save_model(store, "demo", {**saved, "prior_recall": 1.0})
    return saved


def new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget the models kept in memory, as a newly started srs has none."""
    monkeypatch.setattr(readiness, "_FITTED", KeptByMark())


def test_a_new_process_takes_the_model_saved_while_the_answers_are_the_same(
    make_store: MakeStore, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = answered_deck(make_store, clock)
    fitted = deck_readiness(store, "demo").pass_chance
    plant_model(store)
    new_process(monkeypatch)

    taken = deck_readiness(store, "demo").pass_chance

    assert taken > fitted


def test_after_an_answer_a_new_process_fits_the_model_again_and_saves_it(
    make_store: MakeStore, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = answered_deck(make_store, clock)
    saved = plant_model(store)
    card_id = store.conn.execute("SELECT max(id) FROM cards").fetchone()[0]
    record_answer(store, card_id, Rating.Again, duration_ms=2000, choice=["Wrong"])
    new_process(monkeypatch)

    refitted = deck_readiness(store, "demo").pass_chance

    resaved = saved_model(store, "demo")
    assert resaved is not None and resaved["prior_recall"] != 1.0
    assert resaved["mark"] != saved["mark"]
    new_process(monkeypatch)
    monkeypatch.setattr(readiness, "saved_model", lambda store, deck_id: None)
    assert deck_readiness(store, "demo").pass_chance == refitted  # what a fit alone gives


def test_after_a_forget_merged_from_another_device_a_new_process_fits_the_model_again(
    make_store: MakeStore, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The merge replays the card's answers from a new memory, which rewrites the memory logged
    # with them (what the model is fitted to) without adding an answer.
    store = answered_deck(make_store, clock)
    other = make_store(deck_yaml(choice=8, exam_questions=5), clock=clock)
    folder = tmp_path / "shared"
    sync(store, folder)
    sync(other, folder)
    saved = plant_model(store)
    clock.advance(hours=1)
    card_id = store.conn.execute("SELECT min(card_id) FROM reviews").fetchone()[0]
    forget_card(other, card_id)
    sync(other, folder)
    sync(store, folder)
    new_process(monkeypatch)

    deck_readiness(store, "demo")

    resaved = saved_model(store, "demo")
    assert resaved is not None and resaved["prior_recall"] != 1.0
    assert resaved["mark"] != saved["mark"]


def test_a_suspension_or_burial_keeps_the_model_fitted_before(
    make_store: MakeStore, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Neither changes the log the model is fitted to: the saved model stays the one taken,
    # and nothing is fitted or written again (a write the app would make on its own thread).
    store = answered_deck(make_store, clock)
    saved = plant_model(store)
    card_id = store.conn.execute("SELECT min(card_id) FROM reviews").fetchone()[0]
    suspend_card(store, card_id)
    bury_card(store, card_id + 1)
    new_process(monkeypatch)

    deck_readiness(store, "demo")

    assert saved_model(store, "demo") == {**saved, "prior_recall": 1.0}


def test_a_read_only_collection_gives_its_pass_chance_without_saving_the_model(
    make_store: MakeStore, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = answered_deck(make_store, clock)
    expected = deck_readiness(store, "demo").pass_chance
    new_process(monkeypatch)
    with store.write():
        store.conn.execute("DELETE FROM meta WHERE key LIKE 'pass_model:%'")
    reader = Store.open(store.path, clock, read_only=True)
    try:
        assert deck_readiness(reader, "demo").pass_chance == expected
        assert saved_model(reader, "demo") is None
    finally:
        reader.close()


def test_the_saved_form_gives_the_same_model_to_the_last_bit() -> None:
    model = ChanceModel(
        [0.1 * n + 1e-17 for n in range(21)],
        Guessing({4: 0.2512345678901234, 6: 1 / 6}, 0.123456789012345678),
        Recalibration(-0.3, 0.9),
        Recalibration(0.05, 1.1),
    )

    again = ChanceModel.from_dict(json.loads(json.dumps(model.to_dict())))

    assert again == model


@pytest.mark.parametrize(
    "edit",
    [
        {"form": 0},
        {"rates": [0.25]},
        {"rates": {"four": 0.25}},
        {"parameters": "default"},
        {"prior_recall": "high"},
        {"prior_recall": True},
        {"recall": [0.0]},
        {"recalibration": {"intercept": 0.0}},
    ],
)
def test_a_saved_model_in_another_form_is_not_taken(edit: dict[str, object]) -> None:
    saved = ChanceModel([0.2] * 21, Guessing({4: 0.25}, 0.3), Recalibration()).to_dict()

    assert ChanceModel.from_dict({**saved, **edit}) is None
    assert ChanceModel.from_dict({k: v for k, v in saved.items() if k != "recall"}) is None
