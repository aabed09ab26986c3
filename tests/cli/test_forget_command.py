"""`srs forget DECK KEY...`: cards new again, their history kept."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import deck_yaml
from fsrs import Rating
from helpers import invoke

from srs.collection.store import Store
from srs.study.answers import find_cards, record_answer


def test_forget_makes_cards_new_and_names_each(tmp_path: Path) -> None:
    db = tmp_path / "srs.db"
    deck = tmp_path / "demo.yaml"
    deck.write_bytes(deck_yaml(free=2))
    assert invoke(db, "import", str(deck)).exit_code == 0
    with Store.open(db) as store:
        for card in find_cards(store, "demo", ["free-0", "free-1"]).values():
            record_answer(store, card, Rating.Good, duration_ms=1000)

    result = invoke(db, "forget", "demo", "free-1")

    assert result.exit_code == 0, result.output
    assert result.output == "forgot demo/free-1: new again, its history kept\n"
    cards = json.loads(invoke(db, "cards", "demo", "--json").output)
    assert [(c["id"], c["state"], c["reviews"]) for c in cards] == [
        ("free-0", "learning", 1),
        ("free-1", "new", 1),
    ]


def test_forget_refuses_an_unknown_card_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "srs.db"
    deck = tmp_path / "demo.yaml"
    deck.write_bytes(deck_yaml(free=1))
    invoke(db, "import", str(deck))

    result = invoke(db, "forget", "demo", "nope")

    assert result.exit_code == 1
    assert "no card 'nope' in deck 'demo'" in result.output
