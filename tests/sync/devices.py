"""Simulated devices for the sync tests: each a collection of its own, with its own clock."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from conftest import FakeClock, deck_yaml

from srs.collection.cards import card_ids_by_key
from srs.collection.memory import memory_of
from srs.collection.reviews import deck_log
from srs.collection.store import Store
from srs.decks.importer import import_decks
from srs.decks.validate import parse_deck
from srs.model.memory import Memory

DECK = "demo"


def demo_deck(cards: int = 4) -> bytes:
    """The deck every device studies: free-recall and multiple-choice cards."""
    return deck_yaml(DECK, free=cards // 2, choice=cards - cards // 2)


@dataclass
class Device:
    """One device: its collection file, opened, and its clock."""

    store: Store
    clock: FakeClock

    @classmethod
    def make(cls, path: Path, clock: FakeClock, *decks: bytes) -> Device:
        store = Store.open(path, clock)
        if decks:
            import_decks(store, [parse_deck(text) for text in decks])
        return cls(store, clock)

    def card(self, key: str, deck: str = DECK) -> int:
        return card_ids_by_key(self.store, deck, [key])[key]

    def log(self, deck: str = DECK) -> list[tuple[str, str, int, str]]:
        """Every answer of the deck as (card key, time, rating, source), in time order."""
        return sorted(
            (r.card_key, r.reviewed_at.isoformat(), int(r.rating), r.source)
            for r in deck_log(self.store, deck)
        )

    def memories(self, deck: str = DECK) -> dict[str, Memory | None]:
        """Each card's memory, by card key."""
        keys = sorted({r.card_key for r in deck_log(self.store, deck)})
        ids = card_ids_by_key(self.store, deck, keys)
        return {key: memory_of(self.store, ids[key]) for key in keys}

    def day_sums(self) -> list[tuple[object, ...]]:
        """The per-day sums as stored (`review_days`), days with answers only."""
        return self.store.conn.execute(
            "SELECT * FROM review_days WHERE answers != 0 ORDER BY deck_id, day, in_deck, topic"
        ).fetchall()

    def recounted(self) -> list[tuple[object, ...]]:
        """The same sums counted here from the log row by row: young answers to review cards
        under 21 days' interval, mature from 21."""
        sums: dict[tuple[object, ...], list[int]] = {}
        rows = self.store.conn.execute(
            "SELECT c.deck_id, r.day, c.retired = 0, coalesce(c.topic, ''), r.rating, "
            "r.duration_ms, json_extract(r.before, '$.state'), "
            "round(julianday(json_extract(r.before, '$.due')) "
            "- julianday(json_extract(r.before, '$.last_review'))) "
            "FROM reviews r JOIN cards c ON c.id = r.card_id"
        )
        for deck, day, in_deck, topic, rating, duration, state, interval in rows:
            kind = 0 if state != 2 else (2 if interval >= 21 else 1)
            right = rating > 1
            add = (
                1,
                right,
                duration,
                kind == 1,
                kind == 1 and right,
                kind == 2,
                kind == 2 and right,
            )
            total = sums.setdefault((deck, day, in_deck, topic), [0] * 7)
            for n, value in enumerate(add):
                total[n] += int(value)
        return sorted((*key, *values) for key, values in sums.items())
