"""The first answer to each of a deck's multiple-choice cards, counted by card shape: what the
pass chance's guessing fit takes as a learner's knowledge before studying (`first_choice_answers`).

Reading them means finding every studied card's earliest answer in the log: 0.1-0.15 s at
100,000 cards, and the pass chance is worked out again after every answer. So the counts are
kept in memory per (collection file, deck), with each card's first answer and where in the log
they were read up to, and brought up to date from the answers added since. A card's first
answer is its earliest, always given to a new memory; a replay (a merge, an imported log, a
merged forget) rewrites the memory logged with the card's later answers only. So a first
answer can only change for a card answered since (a new answer, or another device's older one
merged in), and anything else that could change one makes the next read start again: a deleted
answer (an undo, a merged one), a row replaced at the log's end, a re-import of the deck (card
shapes), a change recorded for sync (`srs.collection.log_growth`). Tests hold the kept counts to
a fresh count through random answers, undos, exams, forgets, merges, re-imports, imported logs
and restored backups.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from fsrs import Rating

from srs.collection.cards import MULTIPLE_CHOICE
from srs.collection.log_growth import KeptReads, LogMark, answered_since
from srs.collection.reviews import STATE_BEFORE
from srs.collection.store import Store
from srs.model.memory import MemoryState

__all__ = ["FirstAnswers", "first_choice_answers"]


class FirstAnswers(NamedTuple):
    """The first answers to cards of one shape (options shown, right options among them)."""

    options: int
    answers: int
    answered: int
    """Cards of this shape answered at least once."""
    right: int
    """Of them, those whose first answer was right."""


# A card's first answer is its earliest whose memory was new, read from the partial index over
# those answers (reviews_first) alone: through the whole log's (card_id, reviewed_at) index and
# rows it took 0.27 s at 100,000 cards. SQLite takes a bare column beside min() from the row
# where the minimum is. Each is one number, (options * _SHAPES + right options) * 2 + right,
# so that 100,000 of them make a dict without a tuple each. `{cards}` narrows it to some cards.
_SHAPES = 1 << 16  # more options than any card has
_FIRST = (
    f"SELECT f.card_id, (c.option_count * {_SHAPES} + c.answer_count) * 2 "
    f"+ (f.rating > {int(Rating.Again)}) "
    "FROM (SELECT r.card_id, r.rating, r.choice, min(r.reviewed_at) FROM reviews r "
    f"INDEXED BY reviews_first WHERE {STATE_BEFORE} = {int(MemoryState.New)}{{cards}} "
    "GROUP BY r.card_id) f JOIN cards c ON c.id = f.card_id "
    f"WHERE c.deck_id = :deck AND {MULTIPLE_CHOICE} AND f.choice IS NOT NULL"
)


@dataclass
class _Counted:
    """A deck's first answers as last read: each card's (in `_FIRST`'s numbers), and how many
    cards have each number."""

    cards: dict[int, int]
    counts: Counter[int] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.counts.update(self.cards.values())

    def put(self, card_id: int, first: int | None) -> None:
        """Set (or, None, clear) one card's first answer, keeping the counts."""
        old = self.cards.pop(card_id, None)
        if old is not None:
            self.counts[old] -= 1
        if first is not None:
            self.cards[card_id] = first
            self.counts[first] += 1

    def result(self) -> list[FirstAnswers]:
        shapes: dict[tuple[int, int], list[int]] = {}
        for first, cards in self.counts.items():
            if cards:
                shape, right = divmod(first, 2)
                count = shapes.setdefault(divmod(shape, _SHAPES), [0, 0])
                count[0] += cards
                count[1] += cards * right
        return [FirstAnswers(*shape, *count) for shape, count in sorted(shapes.items())]


_KEPT: KeptReads[_Counted] = KeptReads()


def first_choice_answers(store: Store, deck_id: str) -> list[FirstAnswers]:
    """The first answer (in a session or an exam) to each of the deck's multiple-choice cards
    (retired ones too), counted by card shape, in shape order: what a learner knows before
    studying a card. Kept between calls (see the module's notes)."""

    def bring(kept: tuple[LogMark, _Counted] | None, now: LogMark) -> _Counted:
        added = None if kept is None else answered_since(store, deck_id, kept[0], now)
        if kept is None or added is None:
            return _Counted(_firsts(store, deck_id, None))
        counted = kept[1]
        if added:
            firsts = _firsts(store, deck_id, added)
            for card_id in added:
                counted.put(card_id, firsts.get(card_id))
        return counted

    return _KEPT.read(store, deck_id, deck_id, bring, _Counted.result)


def _firsts(store: Store, deck_id: str, card_ids: Iterable[int] | None) -> dict[int, int]:
    """The first answer of each of the deck's cards (or of these) that has one."""
    if card_ids is None:
        rows = store.conn.execute(_FIRST.format(cards=""), {"deck": deck_id})
    else:
        rows = store.conn.execute(
            _FIRST.format(cards=" AND r.card_id IN (SELECT value FROM json_each(:cards))"),
            {"deck": deck_id, "cards": json.dumps(list(card_ids))},
        )
    return dict(rows)
