"""A deck's latest answers to multiple-choice cards after each card's first, with the memory
each was given to: what the pass chance's guessing fit and recall calibration are fitted to
(`later_choice_answers`).

They are read again after every answer (~25 ms at 5,000 answers of a 1,000,000-answer log), so
the latest read is kept in memory per (collection file, deck, how many) with where the log
stood (`srs.collection.log_growth`), and brought up to date from the answers added since: the
new ones come first and the oldest leave. An answer already read changes only when its card's
history is replayed (another device's or an imported log's older answer, a merged forget) or
deleted, or its card's shape changes (a re-import): each makes the next read start again.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from fsrs import Rating

from srs.clock import from_db
from srs.collection.cards import MULTIPLE_CHOICE
from srs.collection.log_growth import KeptReads, LogMark, answered_since, rewritten_since
from srs.collection.reviews import STATE_BEFORE
from srs.collection.store import Store
from srs.model.memory import MemoryState

__all__ = ["LaterAnswer", "later_choice_answers"]


class LaterAnswer(NamedTuple):
    """An answer to a multiple-choice card after its first, with what the card's memory was
    when it was given (what its R then depends on)."""

    options: int
    answers: int
    stability: float | None
    """The memory's stability before the answer."""
    last_review: datetime | None
    """The answer before it."""
    reviewed_at: datetime
    right: bool


# Only the two fields R needs are taken from the logged memory: parsing all of it took twice as
# long as the query. CROSS JOIN keeps the log the outer loop, read newest first until enough are
# found: led by the deck's cards (cards_exam), it sorted the whole log. SQLite's estimate leaves
# out that the scan stops there: with `ANALYZE`'s statistics it built a Bloom filter of every
# card first (75 ms against 32 at 100,000 cards, docs/performance.md). Marking the answers with
# a choice as rare keeps its estimate of the log read small. A test holds the plan both ways.
_LATER = (
    "SELECT c.option_count, c.answer_count, json_extract(r.before, '$.stability'), "
    "json_extract(r.before, '$.last_review'), r.reviewed_at, "
    f"r.rating > {int(Rating.Again)} FROM reviews r CROSS JOIN cards c ON c.id = r.card_id "
    "WHERE c.deck_id = :deck AND likelihood(r.choice IS NOT NULL, 0.001) "
    f"AND {MULTIPLE_CHOICE} AND {STATE_BEFORE} != {int(MemoryState.New)} "
    "AND r.id > :after AND r.id <= :until ORDER BY r.id DESC LIMIT :limit"
)

_KEPT: KeptReads[list[LaterAnswer]] = KeptReads()


def later_choice_answers(store: Store, deck_id: str, limit: int) -> list[LaterAnswer]:
    """The deck's latest `limit` answers to multiple-choice cards (retired ones too) that were
    not a card's first, newest first: with the memory before each, they show how the learner
    does when the model expects little recall (how they guess). Kept between calls (see the
    module's notes)."""

    def bring(kept: tuple[LogMark, list[LaterAnswer]] | None, now: LogMark) -> list[LaterAnswer]:
        # Read up to the mark: a row another process adds meanwhile is read with the next mark.
        added = None if kept is None else answered_since(store, deck_id, kept[0], now)
        if kept is None or added is None or (added and rewritten_since(store, kept[0], now)):
            return _read(store, deck_id, limit, 0, now.last)
        if added:
            return (_read(store, deck_id, limit, kept[0].last, now.last) + kept[1])[:limit]
        return kept[1]

    return _KEPT.read(store, deck_id, (deck_id, limit), bring, list)


def _read(store: Store, deck_id: str, limit: int, after: int, until: int) -> list[LaterAnswer]:
    """The answers logged in the rows after id `after` up to id `until`, newest first."""
    rows = store.conn.execute(
        _LATER, {"deck": deck_id, "limit": limit, "after": after, "until": until}
    )
    return [
        LaterAnswer(
            options,
            answers,
            stability,
            None if last is None else from_db(last),
            from_db(at),
            bool(right),
        )
        for options, answers, stability, last, at, right in rows
    ]
