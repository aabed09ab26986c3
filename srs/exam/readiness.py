"""Readiness: the chance to pass a deck's mock exam now, from the collection, and how well past
predictions matched results. The maths is `srs.exam.probability`'s; this module reads what it needs.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterable, Sequence

from srs.collection.memory import MEMORY_COLUMNS
from srs.collection.settings import get_settings
from srs.collection.store import Store
from srs.exam.form import ExamError, exam_pools, needed_to_pass, required_exam_spec
from srs.exam.probability import (
    Calibration,
    Prediction,
    answer_probability,
    calibration_of,
    predict,
)
from srs.model.memory import Memory, MemoryState
from srs.study.scheduling import scheduler_for

__all__ = [
    "PRIOR_WEIGHT",
    "calibration",
    "card_probabilities",
    "deck_readiness",
    "form_prediction",
    "prior_retrievability",
]

PRIOR_WEIGHT = 10.0
"""How many first answers the "knows nothing yet" prior is worth (see `prior_retrievability`)."""


def prior_retrievability(store: Store, deck_id: str) -> float:
    """The R used for cards never answered: what the learner's first answers in this deck show.

    A first answer (a card's first review, in a session or an exam) is right with probability
    R0 + (1 - R0) * g. Over the deck's first answers to multiple-choice cards, with `right` of
    them right where guessing alone would give `guessed`, R0 = (right - guessed) /
    (answered - guessed + PRIOR_WEIGHT): the weight pulls a short record towards R0 = 0
    (pure guessing), which is also the value before any answer.
    """
    # Each card's first answer through the (card_id, reviewed_at) index: a scan of the whole
    # log instead took ~3 s at 1,000,000 reviews.
    rows = store.conn.execute(
        "SELECT json_array_length(c.answers), json_array_length(c.distractors), count(*), "
        "sum(r.rating > 1) FROM cards c JOIN reviews r ON r.id = (SELECT f.id FROM reviews f "
        "WHERE f.card_id = c.id ORDER BY f.reviewed_at, f.id LIMIT 1) "
        "WHERE c.deck_id = ? AND r.choice IS NOT NULL AND c.distractors != '[]' "
        "AND json_extract(r.before, '$.state') = 0 GROUP BY 1, 2",
        (deck_id,),
    )
    answered = right = guessed = 0.0
    for answers, distractors, count, correct in rows:
        answered += count
        right += correct
        guessed += count / math.comb(answers + distractors, answers)
    return max(0.0, right - guessed) / (answered - guessed + PRIOR_WEIGHT)


def card_probabilities(
    store: Store, deck_id: str, card_ids: Iterable[int] | None = None
) -> dict[int, float]:
    """For each active multiple-choice card of the deck, the chance of answering it right now.

    R comes from py-fsrs (`Scheduler.get_card_retrievability`, with the deck's parameters);
    cards never answered get `prior_retrievability`.

    Args:
        store: the collection.
        deck_id: the deck.
        card_ids: only these cards (None: all of the deck's active multiple-choice cards).
    """
    scheduler = scheduler_for(get_settings(store, deck_id))
    prior = prior_retrievability(store, deck_id)
    now = store.clock.now()
    sql = (
        "SELECT c.id, json_array_length(c.answers), json_array_length(c.distractors), "
        f"{MEMORY_COLUMNS} "
        "FROM cards c JOIN memory m ON m.card_id = c.id "
        "WHERE c.deck_id = ? AND c.retired = 0 AND c.distractors != '[]'"
    )
    params: tuple[str, ...] = (deck_id,)
    if card_ids is not None:
        sql += " AND c.id IN (SELECT value FROM json_each(?))"
        params = (deck_id, json.dumps(list(card_ids)))
    rows = store.conn.execute(sql, params)
    result = {}
    for card_id, answers, distractors, *memory_row in rows:
        memory = Memory.from_row(memory_row)
        if memory.state is MemoryState.New:
            recall = prior
        else:
            recall = scheduler.get_card_retrievability(memory.to_fsrs(card_id, now), now)
        result[card_id] = answer_probability(recall, answers + distractors, answers)
    return result


def deck_readiness(store: Store, deck_id: str, *, rng: random.Random | None = None) -> Prediction:
    """The chance of passing the deck's exam now, over every form it could draw (dashboard).

    Raises:
        ExamError: no such deck, no exam, or too few cards for it.
    """
    spec = required_exam_spec(store, deck_id)
    probabilities = card_probabilities(store, deck_id)
    pools = [
        ([probabilities[card_id] for card_id in pool.card_ids], pool.count)
        for pool in exam_pools(store, deck_id, spec)
    ]
    return predict(pools, needed_to_pass(spec.pass_mark, spec.questions), rng=rng)


def form_prediction(
    store: Store, deck_id: str, card_ids: Sequence[int], pass_mark: float
) -> Prediction:
    """The chance of passing one drawn form (the questions of an attempt), exactly.

    Raises:
        ExamError: a card is not an active multiple-choice card of the deck.
    """
    probabilities = card_probabilities(store, deck_id, card_ids)
    missing = [card_id for card_id in card_ids if card_id not in probabilities]
    if missing:
        raise ExamError(f"card {missing[0]} is not an active multiple-choice card of '{deck_id}'")
    form = [probabilities[card_id] for card_id in card_ids]
    return predict([(form, len(form))], needed_to_pass(pass_mark, len(form)), method="exact")


# --- calibration ----------------------------------------------------------------------------


def calibration(store: Store, deck_id: str | None = None) -> Calibration:
    """How the predictions stored at the start of submitted attempts compare with their results.

    Args:
        store: the collection.
        deck_id: one deck's attempts, or None for every deck's.
    """
    sql = (
        "SELECT a.predicted_pass, a.pass_mark, a.score, "
        "(SELECT count(*) FROM exam_answers e WHERE e.attempt_id = a.id) "
        "FROM exam_attempts a WHERE a.submitted_at IS NOT NULL AND a.predicted_pass IS NOT NULL"
    )
    params: tuple[str, ...] = ()
    if deck_id is not None:
        sql += " AND a.deck_id = ?"
        params = (deck_id,)
    pairs = [
        (float(predicted), 1.0 if score >= needed_to_pass(pass_mark, total) else 0.0)
        for predicted, pass_mark, score, total in store.conn.execute(sql, params)
    ]
    return calibration_of(pairs)
