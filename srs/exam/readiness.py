"""Readiness: the chance to pass a deck's mock exam now, from the collection, and how well past
predictions matched results. The maths is `srs.exam.probability`'s and `srs.exam.fitting`'s; this
module reads what it needs through `srs.collection` (memory, the answer log, submitted attempts).

A question's chance is P = R + (1 - R) * g (see docs/exam.md):
- R is the memory model's exact retrievability now (`srs.model.memory.retrievability`,
  fractional days), adjusted by a recall calibration fitted to the learner's answers to
  studied cards; for a card never answered, the prior R0;
- g and R0 are fitted to the learner's first answers and to answers the model expected to be
  forgotten (`guessing`);
- once the deck has enough full mock exams, P is recalibrated against them if that would have
  predicted them better (`recalibration_check`).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import replace
from itertools import groupby

from srs.clock import to_db
from srs.collection.attempts import questions_at_start, submitted_attempts
from srs.collection.chances import KeptByMark, evidence_mark, save_model, saved_model
from srs.collection.exam_memory import (
    ChanceFormula,
    chance_sums,
    exam_card_memories,
    exam_shapes,
    first_choice_answers,
    later_choice_answers,
)
from srs.collection.outcomes import ExamOutcome, exam_outcomes
from srs.collection.settings import get_settings
from srs.collection.store import CollectionError, Store
from srs.exam.attempt import AttemptKind
from srs.exam.calibration import Calibration, calibration_of
from srs.exam.chance_model import ChanceModel
from srs.exam.fitting import (
    Guessing,
    ObservedAnswer,
    Recalibration,
    RecalibrationCheck,
    ScoredForm,
    check_recalibration,
    fit_guessing,
    fit_recalibration,
)
from srs.exam.form import (
    ExamError,
    check_pool,
    needed_to_pass,
    pool_demands,
    required_exam_spec,
    topic_pools,
)
from srs.exam.probability import (
    BINOMIAL_BOUND,
    PoolSummary,
    Prediction,
    binomial_prediction,
    predict,
    repeat_chance,
)
from srs.model.memory import (
    curve_constants,
    recall_at,
)

__all__ = [
    "LOW_RECALL",
    "RECENT_ANSWERS",
    "RECENT_ATTEMPTS",
    "calibration",
    "card_probabilities",
    "chance_model",
    "deck_readiness",
    "form_prediction",
    "guessing",
    "real_exams",
    "recalibration_check",
    "save_fitted_model",
    "topic_chances",
    "topic_sums",
]

LOW_RECALL = 0.5
"""Answers after a card's first enter the guessing fit when the model's R was at most this:
there a right answer says most about guessing, and least about how good the model's R is."""

RECENT_ANSWERS = 5000
"""The latest answers after a card's first read for the fits (bounds the read and the fitting
on a long history: about 0.06 s on a 1,000,000-answer log)."""

RECENT_ATTEMPTS = 30
"""The latest full attempts a recalibration is checked and fitted on."""

_Answered = tuple[int, float, bool]
"""An answer after a card's first: (ways of picking the card's options, the model's R then,
right)."""


def _later_answers(store: Store, deck_id: str, parameters: Sequence[float]) -> list[_Answered]:
    """The deck's latest answers after a card's first, each with the model's R when given."""
    answered = []
    for later in later_choice_answers(store, deck_id, RECENT_ANSWERS):
        recall = recall_at(later.stability, later.last_review, later.reviewed_at, parameters)
        if recall is not None:
            answered.append((math.comb(later.options, later.answers), recall, later.right))
    return answered


def _guessing(store: Store, deck_id: str, later: Sequence[_Answered]) -> Guessing:
    observed = []
    for shape in first_choice_answers(store, deck_id):
        picks = math.comb(shape.options, shape.answers)
        observed.append(ObservedAnswer(picks, None, True, shape.right))
        observed.append(ObservedAnswer(picks, None, False, shape.answered - shape.right))
    for picks, recall, right in later:
        if recall <= LOW_RECALL:
            observed.append(ObservedAnswer(picks, recall, right))
    return fit_guessing(observed)


def guessing(store: Store, deck_id: str) -> Guessing:
    """The learner's guess rate per card shape and prior R0, fitted to their answers in the deck.

    The evidence: every card's first answer (right with R0 + (1 - R0) * g), and later answers
    given when the model's R was at most `LOW_RECALL` (right with R + (1 - R) * g). See
    `srs.exam.probability.fit_guessing`.
    """
    parameters = get_settings(store, deck_id).parameters
    return _guessing(store, deck_id, _later_answers(store, deck_id, parameters))


def _uncalibrated_model(store: Store, deck_id: str) -> ChanceModel:
    """The model fitted to the learner's answers in the deck, before any exam recalibration:
    guessing, then how the model's R compares with the answers to studied cards."""
    parameters = get_settings(store, deck_id).parameters
    later = _later_answers(store, deck_id, parameters)
    fitted = _guessing(store, deck_id, later)
    recall = fit_recalibration(
        (recall, fitted.rate(picks), right) for picks, recall, right in later
    )
    return ChanceModel(parameters, fitted, recall)


def _check(store: Store, deck_id: str, model: ChanceModel) -> RecalibrationCheck:
    """The deck's latest full attempts, each question's chance recomputed by `model` as at the
    attempt's start, judged by `check_recalibration`."""
    forms = []
    rows = questions_at_start(store, deck_id, str(AttemptKind.FULL), RECENT_ATTEMPTS)
    for _attempt, group in groupby(rows, key=lambda row: row.attempt_id):
        questions = list(group)
        first = questions[0]
        forms.append(
            ScoredForm(
                [model.chance(q.memory, q.options, q.answers, q.started_at) for q in questions],
                [q.correct for q in questions],
                needed_to_pass(first.pass_mark, len(questions)),
            )
        )
    return check_recalibration(forms)


def recalibration_check(store: Store, deck_id: str) -> RecalibrationCheck:
    """How the model's predictions for the deck's past full attempts score, before and after a
    recalibration fitted (leave-one-out) to them; and the recalibration, if it is applied."""
    return _check(store, deck_id, _uncalibrated_model(store, deck_id))


_FITTED: KeptByMark[ChanceModel] = KeptByMark()
"""The model last fitted for each deck, with the `evidence_mark` and FSRS weights it was
fitted at."""


def _model(store: Store, deck_id: str) -> ChanceModel:
    mark = (*evidence_mark(store, deck_id), *get_settings(store, deck_id).parameters)
    return _FITTED.get(store, deck_id, mark, lambda: _saved_or_fitted(store, deck_id, mark))


def _saved_or_fitted(store: Store, deck_id: str, mark: tuple[object, ...]) -> ChanceModel:
    """The model saved in the collection if it was fitted at `mark` (another process fitted it
    since the last answer), else a model fitted now, then saved (on a writable connection)."""
    saved = _saved_at(store, deck_id, mark)
    if saved is not None and (model := ChanceModel.from_dict(saved)) is not None:
        return model
    model = _fitted_model(store, deck_id)
    if not store.read_only:
        with suppress(CollectionError):  # a cache: a busy or full collection goes without
            _save(store, deck_id, mark, model)
    return model


def save_fitted_model(store: Store, deck_id: str) -> None:
    """Save the model this process last fitted for the deck, if the collection does not hold
    it yet: for a model fitted on a worker's read-only connection, called on a writable one.

    Raises:
        CollectionError: the collection could not be written (read-only, busy, full).
    """
    kept = _FITTED.peek(store, deck_id)
    if kept is not None and _saved_at(store, deck_id, kept[0]) is None:
        _save(store, deck_id, *kept)


def _save(store: Store, deck_id: str, mark: tuple[object, ...], model: ChanceModel) -> None:
    save_model(store, deck_id, {"mark": list(mark), **model.to_dict()})


def _saved_at(store: Store, deck_id: str, mark: tuple[object, ...]) -> dict[str, object] | None:
    """The deck's saved model if it was fitted at `mark`, in its saved form."""
    saved = saved_model(store, deck_id)
    return saved if saved is not None and saved.get("mark") == list(mark) else None


def _fitted_model(store: Store, deck_id: str) -> ChanceModel:
    model = _uncalibrated_model(store, deck_id)
    return replace(model, recalibration=_check(store, deck_id, model).recalibration)


def _chances(
    store: Store, deck_id: str, card_ids: Iterable[int] | None = None
) -> Iterator[tuple[int, str | None, float]]:
    """Each card the deck's exam can ask, as (card id, topic, the chance of answering it right
    now), in card id order."""
    model = _model(store, deck_id)
    now = store.clock.now()
    for card in exam_card_memories(store, deck_id, card_ids):
        recall = recall_at(card.stability, card.last_review, now, model.parameters)
        chance = model.chance_of(recall, math.comb(card.options, card.answers))
        yield card.card_id, card.topic, chance


def chance_model(store: Store, deck_id: str) -> Callable[[float | None, int], float]:
    """The deck's model as a function: the chance of answering a card right from its R on
    some day (None: never studied) and its ways of picking options, C(options, answers). The
    exam plan (`srs.plan`) evaluates it on the days ahead, with R projected by FSRS."""
    return _model(store, deck_id).chance_of


def card_probabilities(
    store: Store, deck_id: str, card_ids: Iterable[int] | None = None
) -> dict[int, float]:
    """For each card of the deck an exam can ask (in the deck file and multiple choice), the
    chance of answering it right now.

    Args:
        store: the collection.
        deck_id: the deck.
        card_ids: only these cards (None: all the deck's cards an exam can ask).
    """
    return {card_id: chance for card_id, _topic, chance in _chances(store, deck_id, card_ids)}


def topic_chances(store: Store, deck_id: str) -> dict[str | None, list[float]]:
    """The chance of answering each card the deck's exam can ask right now, by topic: what an
    exact prediction needs (a large deck's is made from `topic_sums`)."""
    by_topic: dict[str | None, list[float]] = {}
    for _card_id, topic, chance in _chances(store, deck_id):
        by_topic.setdefault(topic, []).append(chance)
    return by_topic


def topic_sums(store: Store, deck_id: str) -> dict[str | None, tuple[int, float]]:
    """For each topic of the cards the deck's exam can ask: (cards, the sum of their chances
    of a right answer now). Equal to summing `topic_chances` (to the millisecond of each last
    answer), in a third of its time at 100,000 cards: SQLite computes the chances, with the
    model's numbers, one card shape at a time."""
    model = _model(store, deck_id)
    decay, factor = curve_constants(model.parameters)
    exam = model.recalibration
    sums: dict[str | None, tuple[int, float]] = {}
    now = to_db(store.clock.now())
    for options, answers in exam_shapes(store, deck_id):
        picks = math.comb(options, answers)
        formula = ChanceFormula(
            options,
            answers,
            decay,
            factor,
            Recalibration.edge,
            model.recall.odds_scale,
            model.recall.slope,
            model.guessing.rate(picks),
            None if exam is None else exam.odds_scale,
            1.0 if exam is None else exam.slope,
            model.chance_of(None, picks),
        )
        for topic, cards, total in chance_sums(store, deck_id, now, formula):
            before = sums.get(topic, (0, 0.0))
            sums[topic] = (before[0] + cards, before[1] + total)
    return sums


def deck_readiness(store: Store, deck_id: str, *, rng: random.Random | None = None) -> Prediction:
    """The chance of passing the deck's exam now, over every form it could draw (dashboard).

    A deck so large that the binomial estimate is within `BINOMIAL_BOUND` gets it from each
    pool's sum of chances (`topic_sums`); any other, `predict`'s from each card's chance.

    Raises:
        ExamError: no such deck, no exam, or too few cards for it.
    """
    spec = required_exam_spec(store, deck_id)
    needed = needed_to_pass(spec.pass_mark, spec.questions)
    sums = topic_sums(store, deck_id)
    summaries = []
    for topic, count in pool_demands(spec):
        parts = sums.values() if topic is None else [sums.get(topic, (0, 0.0))]
        size, total = sum(cards for cards, _ in parts), math.fsum(total for _, total in parts)
        check_pool(deck_id, topic, size, count)
        summaries.append(PoolSummary(size, total, count))
    if repeat_chance([(pool.size, pool.questions) for pool in summaries]) <= BINOMIAL_BOUND:
        return binomial_prediction(summaries, needed)
    pools = topic_pools(deck_id, spec, topic_chances(store, deck_id))
    return predict(pools, needed, rng=rng)


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
    """How the predictions stored at the start of submitted attempts compare with their results;
    for one deck, also the model's score on its full attempts before and after recalibration.

    Args:
        store: the collection.
        deck_id: one deck's attempts, or None for every deck's.
    """
    pairs = []
    for record in submitted_attempts(store, deck_id):
        if record.predicted_pass is not None and record.score is not None:
            passed = record.score >= needed_to_pass(record.pass_mark, record.questions)
            pairs.append((record.predicted_pass, float(passed)))
    stored = calibration_of(pairs)
    if deck_id is None:
        return stored
    check = recalibration_check(store, deck_id)
    return replace(
        stored,
        full_attempts=check.attempts,
        brier_before=check.brier_before,
        brier_after=check.brier_after,
        question_brier_before=check.question_brier_before,
        question_brier_after=check.question_brier_after,
        recalibrated=check.recalibration is not None,
    )


def real_exams(store: Store, deck_id: str | None = None) -> tuple[list[ExamOutcome], Calibration]:
    """The real exams recorded (`srs plan DECK --result`), each with the chance srs predicted
    for its day, and how those predictions score against the outcomes (Brier score).

    Args:
        store: the collection.
        deck_id: one deck's exams, or None for every deck's.
    """
    outcomes = exam_outcomes(store, deck_id)
    pairs = [(o.predicted_pass, float(o.passed)) for o in outcomes if o.predicted_pass is not None]
    return outcomes, calibration_of(pairs)
