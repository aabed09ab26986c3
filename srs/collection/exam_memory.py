"""What the pass chance reads (`srs.exam.readiness`): of the cards a mock exam can ask, each
card's shape and memory, or for a large deck the sums of their chances, computed by SQLite; of
the log, the answers its model is fitted to (first answers and the latest later ones, each
kept between reads: `srs.collection.first_answers`, `srs.collection.later_answers`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import NamedTuple

from srs.clock import from_db
from srs.collection.cards import EXAM_CARD, IN_DECK, MULTIPLE_CHOICE, exam_card_filter
from srs.collection.first_answers import FirstAnswers, first_choice_answers
from srs.collection.later_answers import LaterAnswer, later_choice_answers
from srs.collection.store import Store

__all__ = [
    "ChanceFormula",
    "ExamCardMemory",
    "FirstAnswers",
    "LaterAnswer",
    "chance_sums",
    "exam_card_memories",
    "exam_shapes",
    "first_choice_answers",
    "later_choice_answers",
]


class ExamCardMemory(NamedTuple):
    """A card a mock exam can ask, with its topic and what the chance of answering it right
    depends on."""

    card_id: int
    topic: str | None
    options: int
    """Options shown: the right ones and the distractors."""
    answers: int
    """Right options."""
    stability: float | None
    """The memory's stability (None: never answered)."""
    last_review: datetime | None
    """When it was last answered (None: never)."""


def exam_card_memories(
    store: Store, deck_id: str, card_ids: Iterable[int] | None = None
) -> Iterator[ExamCardMemory]:
    """The memory of each of the deck's cards a mock exam can ask (`cards.EXAM_CARD`), in card
    id order.

    What a card's chance depends on, with the last answer as a datetime: for reading cards
    one by one (a drawn form, an exact prediction, the simulations in bench/). A large
    deck's pass chance is summed by SQLite instead (`chance_sums`).

    Args:
        store: the collection.
        deck_id: the deck.
        card_ids: only these cards (None: all of them).
    """
    where, params = exam_card_filter(deck_id, card_ids)
    rows = store.conn.execute(
        "SELECT c.id, c.topic, c.option_count, c.answer_count, m.stability, m.last_review "
        f"FROM cards c JOIN memory m ON m.card_id = c.id WHERE {where} ORDER BY c.id",
        params,
    )
    for card_id, topic, options, answers, stability, last_review in rows:
        reviewed = None if last_review is None else from_db(last_review)
        yield ExamCardMemory(card_id, topic, options, answers, stability, reviewed)


_EXAM_CARD_OF_DECK = f"c.deck_id = :deck AND {EXAM_CARD}"

# Each shape is found by a seek in the cards_exam index, from the one before: `SELECT
# DISTINCT` skips ahead like this only with `ANALYZE`'s statistics, and without them (a
# learner's collection) it read every card's entry: 14 ms against 0.02 at 100,000 cards
# (docs/performance.md). A test holds the seeks both ways.
_EXAM_SHAPES = f"""
WITH RECURSIVE
    options(n) AS (
        SELECT min(c.option_count) FROM cards c WHERE {_EXAM_CARD_OF_DECK}
        UNION ALL
        SELECT (SELECT min(c.option_count) FROM cards c
            WHERE {_EXAM_CARD_OF_DECK} AND c.option_count > o.n)
        FROM options o WHERE o.n IS NOT NULL),
    shapes(options, answers) AS (
        SELECT o.n, (SELECT min(c.answer_count) FROM cards c
            WHERE {_EXAM_CARD_OF_DECK} AND c.option_count = o.n)
        FROM options o WHERE o.n IS NOT NULL
        UNION ALL
        SELECT s.options, (SELECT min(c.answer_count) FROM cards c
            WHERE {_EXAM_CARD_OF_DECK} AND c.option_count = s.options
            AND c.answer_count > s.answers)
        FROM shapes s WHERE s.answers IS NOT NULL)
SELECT options, answers FROM shapes WHERE answers IS NOT NULL ORDER BY 1, 2"""


def exam_shapes(store: Store, deck_id: str) -> list[tuple[int, int]]:
    """The shapes of the deck's cards a mock exam can ask, as (options shown, right options):
    a few in a whole deck."""
    return store.conn.execute(_EXAM_SHAPES, {"deck": deck_id}).fetchall()


class ChanceFormula(NamedTuple):
    """The pass-chance model's numbers for the cards of one shape, for SQLite to compute each
    one's chance as `srs.exam.readiness` does in Python (`chance_sums`).

    Per answered card: R = (1 + factor * t / S) ** decay, t the days since its last answer;
    then the recall calibration r = 1 / (1 + recall_scale * (1 / R' - 1) ** recall_slope), R'
    being R kept within [edge, 1 - edge]; then P = guess + (1 - guess) * r; then, when
    exam_scale is not None, the same calibration of P against mock exams. A card never
    answered has the chance `unseen`.
    """

    options: int
    answers: int
    decay: float
    factor: float
    edge: float
    recall_scale: float
    recall_slope: float
    guess: float
    exam_scale: float | None
    exam_slope: float
    unseen: float


def _calibrated(value: str, scale: str, slope: str) -> str:
    """SQL: `srs.exam.fitting.Recalibration.apply` of a value, which it names once."""
    kept = f"min(max({value}, :edge), 1.0 - :edge)"
    return f"1.0 / (1.0 + {scale} * pow(1.0 / {kept} - 1.0, {slope}))"


_RECALL = (
    "pow(1.0 + :factor * max(julianday(:now) - julianday(m.last_review), 0.0) / m.stability, "
    ":decay)"
)
_RAW = f":guess + (1.0 - :guess) * ({_calibrated(_RECALL, ':recall_scale', ':recall_slope')})"

# Each value is named once, so SQLite computes it once per card, in one pass over the
# cards_exam index in topic order (no subquery to hold it, no sorting for the groups): the
# shape's equalities come before the index's own rule, which is marked as nearly always true.
# Otherwise the planner takes `option_count > answer_count` for a range, then sorts (without
# ANALYZE's statistics), or reads every card's row through cards_topic (with them): 1.6-2.6
# times as long at 100,000 cards (docs/performance.md). A test holds the plan both ways.
_CHANCE_SUMS = f"""
SELECT c.topic, count(*), sum(CASE
    WHEN m.stability IS NULL OR m.last_review IS NULL THEN :unseen
    WHEN :exam_scale IS NULL THEN {_RAW}
    ELSE {_calibrated(_RAW, ":exam_scale", ":exam_slope")} END)
FROM cards c JOIN memory m ON m.card_id = c.id
WHERE c.deck_id = :deck AND {IN_DECK}
  AND c.option_count = :options AND c.answer_count = :answers
  AND likelihood({MULTIPLE_CHOICE}, 0.99)
GROUP BY c.topic"""


def chance_sums(
    store: Store, deck_id: str, now: str, formula: ChanceFormula
) -> list[tuple[str | None, int, float]]:
    """For the deck's cards of the formula's shape a mock exam can ask, per topic: (topic,
    cards, the sum of their chances), each chance computed by SQLite (the time since each
    answer to the millisecond). A whole deck's pass chance from sums takes a fraction of the
    time of reading each card into Python.

    Args:
        store: the collection.
        deck_id: the deck.
        now: the moment the chances are for, as `srs.clock.to_db` text.
        formula: the model's numbers for one card shape.
    """
    return store.conn.execute(
        _CHANCE_SUMS, {"deck": deck_id, "now": now, **formula._asdict()}
    ).fetchall()


# --- the answers the model is fitted to ----------------------------------------------------
