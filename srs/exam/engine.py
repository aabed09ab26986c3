"""The mock-exam engine: drawing a form, taking it under exam conditions, submitting, resuming.

An attempt is a frozen value (`Attempt`). Each change the learner makes (an answer, a flag) is
written at once, in one short transaction, and returns the changed attempt: a crash loses
nothing, and `unfinished_attempt` brings the attempt back as it stood, options in the order
shown. The deadline is absolute, so time runs on while srs is closed; an attempt whose time ran
out is submitted as it stood at its deadline. Submitting freezes the verdicts and the score and
logs each answered question as a review (`record_answer`, source 'exam'), so FSRS learns from
the exam as from daily study. Nothing about the result is shown before submitting: the results
page is `srs.exam.results`. The rows are read and written through `srs.collection.attempts`.

Typical use (the exam screen)::

    attempt = unfinished_attempt(store, "aws") or start_exam(store, "aws")
    attempt = answer(store, attempt, 0, "S3")           # or a set of texts (select-all)
    attempt = flag(store, attempt, 3)
    ... every second: if (done := expire_if_due(store, attempt)) is not None: show results
    attempt = submit(store, attempt)
"""

from __future__ import annotations

import random
from collections.abc import Collection
from dataclasses import replace
from datetime import datetime, timedelta

from fsrs import Rating

from srs.collection.attempts import (
    attempt_answers,
    insert_attempt,
    mark_logged,
    open_attempt_id,
    overdue_attempt_ids,
    record_result,
    set_chosen,
    set_flagged,
    unlogged_attempt_ids,
)
from srs.collection.cards import card_contents, exam_cards
from srs.collection.store import Store
from srs.exam.attempt import Attempt, AttemptKind, ExamQuestion, attempt_row, load_attempt
from srs.exam.form import ExamError, draw_form, exam_pools, exam_spec, required_exam_spec
from srs.exam.readiness import form_prediction
from srs.study.answers import choices_for, grade, record_answer

__all__ = [
    "answer",
    "expire_if_due",
    "expire_overdue",
    "flag",
    "retake_missed",
    "start_exam",
    "submit",
    "unfinished_attempt",
]


# --- starting -------------------------------------------------------------------------------


def start_exam(store: Store, deck_id: str, *, rng: random.Random | None = None) -> Attempt:
    """Start a new attempt at the deck's exam ("New attempt"): a fresh form, options shuffled.

    Args:
        store: the collection.
        deck_id: the deck.
        rng: draws the form and shuffles the options (tests pass a seeded one).

    Raises:
        ExamError: no such deck, no exam, too few cards, or an attempt at this deck is still in
            progress (resume or submit it first).
    """
    rng = rng or random.Random()
    spec = required_exam_spec(store, deck_id)
    card_ids = draw_form(exam_pools(store, deck_id, spec), rng)
    return _create(
        store,
        deck_id,
        AttemptKind.FULL,
        card_ids,
        spec.pass_mark,
        spec.time_limit,
        rng,
        retake_of=None,
    )


def retake_missed(store: Store, attempt: Attempt, *, rng: random.Random | None = None) -> Attempt:
    """Start an attempt of just the questions missed (wrong or unanswered) in `attempt`.

    The pass mark is the original one; a timed exam gives the same time per question. Cards
    retired from the deck since are left out.

    Raises:
        ExamError: the attempt is not submitted, nothing was missed, or another attempt at the
            deck is in progress.
    """
    rng = rng or random.Random()
    source = load_attempt(store, attempt.id)
    if not source.is_submitted:
        raise ExamError("submit the attempt before retaking the questions it missed")
    missed_ids = [q.card_id for q in source.questions if not q.correct]
    askable = {card_id for card_id, _topic in exam_cards(store, source.deck_id, missed_ids)}
    missed = [card_id for card_id in missed_ids if card_id in askable]
    if not missed:
        raise ExamError("nothing to retake: every question of that attempt was answered right")
    spec = exam_spec(store, source.deck_id)
    time_limit = None
    if spec is not None and spec.time_limit:
        time_limit = -(-spec.time_limit * len(missed) // spec.questions)  # rounded up
    return _create(
        store,
        source.deck_id,
        AttemptKind.RETAKE,
        rng.sample(missed, len(missed)),
        source.pass_mark,
        time_limit,
        rng,
        retake_of=source.id,
    )


def _create(
    store: Store,
    deck_id: str,
    kind: AttemptKind,
    card_ids: list[int],
    pass_mark: float,
    time_limit: int | None,
    rng: random.Random,
    *,
    retake_of: int | None,
) -> Attempt:
    expire_overdue(store)
    cards = card_contents(store, card_ids)
    shown = [[option.text for option in choices_for(cards[c], rng)] for c in card_ids]
    prediction = form_prediction(store, deck_id, card_ids, pass_mark)
    now = store.clock.now()
    with store.write():
        # Checked inside the transaction: another srs process may have started one meanwhile.
        if open_attempt_id(store, deck_id) is not None:
            raise ExamError(
                f"an attempt at the '{deck_id}' exam is in progress: resume or submit it first"
            )
        attempt_id = insert_attempt(
            store,
            deck_id=deck_id,
            kind=str(kind),
            retake_of=retake_of,
            started_at=now,
            deadline=None if not time_limit else now + timedelta(seconds=time_limit),
            pass_mark=pass_mark,
            predicted_pass=prediction.pass_chance,
            predicted_score=prediction.expected_score,
            questions=list(zip(card_ids, shown, strict=True)),
        )
    return load_attempt(store, attempt_id)


# --- reading --------------------------------------------------------------------------------


def unfinished_attempt(store: Store, deck_id: str | None = None) -> Attempt | None:
    """The attempt in progress (of one deck, or the latest of any), so the app can offer to
    resume it; None when there is none.

    Attempts whose time ran out meanwhile are submitted first (see `expire_overdue`; call that
    before, to tell the learner about them).
    """
    expire_overdue(store)
    attempt_id = open_attempt_id(store, deck_id)
    return None if attempt_id is None else load_attempt(store, attempt_id)


# --- answering ------------------------------------------------------------------------------


def answer(store: Store, attempt: Attempt, position: int, chosen: str | Collection[str]) -> Attempt:
    """Answer a question (or change the answer; an empty collection clears it). Stored at once.

    Args:
        store: the collection.
        attempt: the attempt in progress.
        position: the question's position, from 0.
        chosen: the option text picked, or for a select-all card the set of texts picked.

    Returns:
        The attempt with the answer.

    Raises:
        ValueError: a text that is not one of the question's options, or several for a
            one-answer question (a bug in the caller, not the learner).
        ExamError: the attempt is submitted or its time is up (then call `expire_if_due`).
    """
    question = _question(attempt, position)
    picked = {chosen} if isinstance(chosen, str) else set(chosen)
    unknown = picked.difference(question.choices)
    if unknown:
        raise ValueError(f"{sorted(unknown)[0]!r} is not an option of question {position + 1}")
    if len(picked) > 1 and not question.is_select_all:
        raise ValueError(f"question {position + 1} takes one option, not {len(picked)}")
    ordered = tuple(text for text in question.choices if text in picked)
    now = store.clock.now()
    with store.write():
        _check_open(store, attempt.id, now)
        set_chosen(store, attempt.id, position, ordered, now)
    return _with_question(attempt, replace(question, chosen=ordered))


def flag(store: Store, attempt: Attempt, position: int, flagged: bool = True) -> Attempt:
    """Flag a question for another look before submitting (or unflag it). Stored at once.

    Raises:
        ExamError: the attempt is submitted or its time is up.
    """
    question = _question(attempt, position)
    with store.write():
        _check_open(store, attempt.id, store.clock.now())
        set_flagged(store, attempt.id, position, flagged)
    return _with_question(attempt, replace(question, flagged=flagged))


def _question(attempt: Attempt, position: int) -> ExamQuestion:
    if not 0 <= position < attempt.question_count:
        raise ValueError(f"no question at position {position} (0-{attempt.question_count - 1})")
    return attempt.questions[position]


def _with_question(attempt: Attempt, question: ExamQuestion) -> Attempt:
    questions = list(attempt.questions)
    questions[question.position] = question
    return replace(attempt, questions=tuple(questions))


def _check_open(store: Store, attempt_id: int, now: datetime) -> None:
    """Refuse a change to an attempt that is submitted or out of time. Called inside the
    change's transaction, so another srs process cannot submit it in between."""
    record = attempt_row(store, attempt_id)
    if record.submitted_at is not None:
        raise ExamError("this attempt has been submitted: its answers can no longer change")
    if record.deadline is not None and now >= record.deadline:
        raise ExamError("time is up: the attempt counts as it stood at the deadline")


# --- submitting -----------------------------------------------------------------------------


def submit(store: Store, attempt: Attempt) -> Attempt:
    """Submit the attempt: freeze each verdict and the score, then log the answered questions
    as reviews (wrong: Again, right: Good; source 'exam'). Unanswered questions count as wrong
    in the score but are not logged: they say nothing about memory.

    After the deadline, the attempt is submitted as it stood at the deadline (submitted_at =
    deadline, timed_out set). Submitting again does nothing more than finish the logging a
    crash may have interrupted.

    Returns:
        The submitted attempt (`srs.exam.results.exam_result` builds the results page).

    Raises:
        ExamError: no such attempt.
    """
    now = store.clock.now()
    deadline = attempt.deadline
    timed_out = deadline is not None and now >= deadline
    submitted_at = deadline if timed_out and deadline is not None else now
    with store.write():
        if attempt_row(store, attempt.id).submitted_at is None:
            _freeze_result(store, attempt.id, submitted_at, timed_out)
    _log_reviews(store, attempt.id)
    return load_attempt(store, attempt.id)


def _freeze_result(store: Store, attempt_id: int, submitted_at: datetime, timed_out: bool) -> None:
    """Grade the answers as stored (what the learner saw saved) and record the score."""
    verdicts = {
        stored.position: bool(stored.chosen) and grade(stored.card, stored.chosen).correct
        for stored in attempt_answers(store, attempt_id)
    }
    record_result(store, attempt_id, verdicts, submitted_at=submitted_at, timed_out=timed_out)


def _log_reviews(store: Store, attempt_id: int) -> None:
    """Log the submitted attempt's answered questions not logged yet, each through
    `record_answer` (its own transaction), then mark it logged."""
    submitted = attempt_row(store, attempt_id)
    answered = [stored for stored in attempt_answers(store, attempt_id) if stored.chosen]
    pending = [stored for stored in answered if stored.review_id is None]
    if submitted.submitted_at is None or not pending:
        return
    # Per-question times are not kept (the learner moves freely between questions): each
    # answer is logged with the attempt's average time per answered question.
    used = submitted.submitted_at - submitted.started_at
    duration_ms = int(used.total_seconds() * 1000 / len(answered))
    for stored in pending:
        # The review and its mark go together: a crash between them cannot log one twice.
        with store.write():
            result = record_answer(
                store,
                stored.card_id,
                Rating.Good if stored.correct else Rating.Again,
                duration_ms=duration_ms,
                choice=stored.chosen,
                source="exam",
                # Logged when submitted (the deadline if time ran out), even if found days
                # later: FSRS must see the answers when they were given, or it would credit
                # days of retention.
                at=submitted.submitted_at,
            )
            mark_logged(store, attempt_id, stored.position, result.review_id)


def expire_if_due(store: Store, attempt: Attempt) -> Attempt | None:
    """Submit the attempt as it stands if its time is up (the exam screen calls this on its
    timer). Returns the submitted attempt, or None while time is left."""
    if not attempt.is_overdue(store.clock.now()):
        return None
    return submit(store, attempt)


def expire_overdue(store: Store) -> list[Attempt]:
    """Submit every attempt whose time ran out while srs was closed, as it stood at its
    deadline, and finish any submission a crash interrupted. Call it at start-up.

    Returns:
        The attempts submitted now (to tell the learner "your exam ran out of time").
    """
    overdue = overdue_attempt_ids(store, store.clock.now())
    expired = [submit(store, load_attempt(store, attempt_id)) for attempt_id in overdue]
    for attempt_id in unlogged_attempt_ids(store):
        _log_reviews(store, attempt_id)
    return expired
