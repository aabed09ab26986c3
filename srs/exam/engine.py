"""The mock-exam engine: drawing a form, taking it under exam conditions, submitting, resuming.

An attempt is a frozen value (`Attempt`). Each change the learner makes (an answer, a flag) is
written at once, in one short transaction, and returns the changed attempt: a crash loses
nothing, and `unfinished_attempt` brings the attempt back as it stood, options in the order
shown. The deadline is absolute, so time runs on while srs is closed; an attempt whose time ran
out is submitted as it stood at its deadline. Submitting freezes the verdicts and the score and
logs each answered question as a review (`record_answer`, source 'exam'), so FSRS learns from
the exam as from daily study. Nothing about the result is shown before submitting: the results
page is `srs.exam_results`.

Typical use (the exam screen)::

    attempt = unfinished_attempt(store, "aws") or start_exam(store, "aws")
    attempt = answer(store, attempt, 0, "S3")           # or a set of texts (select-all)
    attempt = flag(store, attempt, 3)
    ... every second: if (done := expire_if_due(store, attempt)) is not None: show results
    attempt = submit(store, attempt)
"""

from __future__ import annotations

import json
import random
from collections.abc import Collection
from dataclasses import replace
from datetime import datetime, timedelta

from fsrs import Rating

from srs.clock import from_db, to_db
from srs.collection.cards import CARD_COLUMNS, card_from_row
from srs.collection.store import Store
from srs.exam.attempt import Attempt, AttemptKind, ExamQuestion, card_contents, load_attempt
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
    missed = _active_cards(store, [q.card_id for q in source.questions if not q.correct])
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


def _active_cards(store: Store, card_ids: list[int]) -> list[int]:
    active = {
        card_id
        for (card_id,) in store.conn.execute(
            "SELECT id FROM cards WHERE id IN (SELECT value FROM json_each(?)) AND retired = 0 "
            "AND distractors != '[]'",
            (json.dumps(card_ids),),
        )
    }
    return [card_id for card_id in card_ids if card_id in active]


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
    shown = [json.dumps([o.text for o in choices_for(cards[c], rng)]) for c in card_ids]
    prediction = form_prediction(store, deck_id, card_ids, pass_mark)
    now = store.clock.now()
    deadline = None if not time_limit else to_db(now + timedelta(seconds=time_limit))
    conn = store.conn
    with store.write():
        # Checked inside the transaction: another srs process may have started one meanwhile.
        if _open_attempt_id(store, deck_id) is not None:
            raise ExamError(
                f"an attempt at the '{deck_id}' exam is in progress: resume or submit it first"
            )
        attempt_id = conn.execute(
            "INSERT INTO exam_attempts (deck_id, kind, retake_of, started_at, deadline, "
            "pass_mark, predicted_pass, predicted_score) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                deck_id,
                str(kind),
                retake_of,
                to_db(now),
                deadline,
                pass_mark,
                prediction.pass_chance,
                prediction.expected_score,
            ),
        ).lastrowid
        assert attempt_id is not None
        conn.executemany(
            "INSERT INTO exam_answers (attempt_id, position, card_id, choices) VALUES (?, ?, ?, ?)",
            [
                (attempt_id, n, c, choices)
                for n, (c, choices) in enumerate(zip(card_ids, shown, strict=True))
            ],
        )
    return load_attempt(store, attempt_id)


# --- reading --------------------------------------------------------------------------------


def _open_attempt_id(store: Store, deck_id: str | None) -> int | None:
    sql = "SELECT id FROM exam_attempts WHERE submitted_at IS NULL"
    params: tuple[str, ...] = ()
    if deck_id is not None:
        sql += " AND deck_id = ?"
        params = (deck_id,)
    row = store.conn.execute(sql + " ORDER BY started_at DESC, id DESC LIMIT 1", params).fetchone()
    return None if row is None else int(row[0])


def unfinished_attempt(store: Store, deck_id: str | None = None) -> Attempt | None:
    """The attempt in progress (of one deck, or the latest of any), so the app can offer to
    resume it; None when there is none.

    Attempts whose time ran out meanwhile are submitted first (see `expire_overdue`; call that
    before, to tell the learner about them).
    """
    expire_overdue(store)
    attempt_id = _open_attempt_id(store, deck_id)
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
    _change_open_attempt(
        store,
        attempt.id,
        now,
        "UPDATE exam_answers SET chosen = ?, answered_at = ? WHERE attempt_id = ? AND position = ?",
        (
            json.dumps(ordered) if ordered else None,
            to_db(now) if ordered else None,
            attempt.id,
            position,
        ),
    )
    return _with_question(attempt, replace(question, chosen=ordered))


def flag(store: Store, attempt: Attempt, position: int, flagged: bool = True) -> Attempt:
    """Flag a question for another look before submitting (or unflag it). Stored at once.

    Raises:
        ExamError: the attempt is submitted or its time is up.
    """
    question = _question(attempt, position)
    _change_open_attempt(
        store,
        attempt.id,
        store.clock.now(),
        "UPDATE exam_answers SET flagged = ? WHERE attempt_id = ? AND position = ?",
        (int(flagged), attempt.id, position),
    )
    return _with_question(attempt, replace(question, flagged=flagged))


def _question(attempt: Attempt, position: int) -> ExamQuestion:
    if not 0 <= position < attempt.question_count:
        raise ValueError(f"no question at position {position} (0-{attempt.question_count - 1})")
    return attempt.questions[position]


def _with_question(attempt: Attempt, question: ExamQuestion) -> Attempt:
    questions = list(attempt.questions)
    questions[question.position] = question
    return replace(attempt, questions=tuple(questions))


def _change_open_attempt(
    store: Store, attempt_id: int, now: datetime, sql: str, params: tuple[object, ...]
) -> None:
    """Run one change to an attempt, in its own transaction, if the attempt is still open."""
    with store.write():
        row = store.conn.execute(
            "SELECT submitted_at, deadline FROM exam_attempts WHERE id = ?", (attempt_id,)
        ).fetchone()
        if row is None:
            raise ExamError(f"no exam attempt {attempt_id} in the collection")
        if row[0] is not None:
            raise ExamError("this attempt has been submitted: its answers can no longer change")
        if row[1] is not None and now >= from_db(row[1]):
            raise ExamError("time is up: the attempt counts as it stood at the deadline")
        store.conn.execute(sql, params)


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
        row = store.conn.execute(
            "SELECT submitted_at FROM exam_attempts WHERE id = ?", (attempt.id,)
        ).fetchone()
        if row is None:
            raise ExamError(f"no exam attempt {attempt.id} in the collection")
        if row[0] is None:
            _freeze_result(store, attempt.id, submitted_at, timed_out)
    _log_reviews(store, attempt.id)
    return load_attempt(store, attempt.id)


def _freeze_result(store: Store, attempt_id: int, submitted_at: datetime, timed_out: bool) -> None:
    """Grade the answers as stored (what the learner saw saved) and record the score."""
    conn = store.conn
    verdicts = [
        (
            int(bool(chosen) and grade(card_from_row(content), json.loads(chosen)).correct),
            attempt_id,
            position,
        )
        for position, chosen, *content in conn.execute(
            f"SELECT e.position, e.chosen, {CARD_COLUMNS} FROM exam_answers e "
            "JOIN cards c ON c.id = e.card_id WHERE e.attempt_id = ?",
            (attempt_id,),
        )
    ]
    conn.executemany(
        "UPDATE exam_answers SET correct = ? WHERE attempt_id = ? AND position = ?", verdicts
    )
    conn.execute(
        "UPDATE exam_attempts SET submitted_at = ?, timed_out = ?, score = ? WHERE id = ?",
        (to_db(submitted_at), int(timed_out), sum(v[0] for v in verdicts), attempt_id),
    )


def _log_reviews(store: Store, attempt_id: int) -> None:
    """Log the submitted attempt's answered questions not logged yet, each through
    `record_answer` (its own transaction), then mark it logged."""
    conn = store.conn
    started, submitted = conn.execute(
        "SELECT started_at, submitted_at FROM exam_attempts WHERE id = ?", (attempt_id,)
    ).fetchone()
    answered, pending = conn.execute(
        "SELECT count(*), sum(review_id IS NULL) FROM exam_answers "
        "WHERE attempt_id = ? AND chosen IS NOT NULL",
        (attempt_id,),
    ).fetchone()
    if not pending:
        return
    # Per-question times are not kept (the learner moves freely between questions): each
    # answer is logged with the attempt's average time per answered question.
    used = from_db(submitted) - from_db(started)
    duration_ms = int(used.total_seconds() * 1000 / answered)
    # Logged when submitted (the deadline if time ran out), even if found days later: FSRS must
    # see the answers when they were given, or it would credit days of retention.
    at_submission = from_db(submitted)
    rows = conn.execute(
        "SELECT position, card_id, chosen, correct FROM exam_answers WHERE attempt_id = ? "
        "AND chosen IS NOT NULL AND review_id IS NULL ORDER BY position",
        (attempt_id,),
    ).fetchall()
    for position, card_id, chosen, correct in rows:
        # The review and its mark go together: a crash between them cannot log one twice.
        with store.write():
            result = record_answer(
                store,
                card_id,
                Rating.Good if correct else Rating.Again,
                duration_ms=duration_ms,
                choice=json.loads(chosen),
                source="exam",
                at=at_submission,
            )
            conn.execute(
                "UPDATE exam_answers SET review_id = ? WHERE attempt_id = ? AND position = ?",
                (result.review_id, attempt_id, position),
            )


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
    conn = store.conn
    overdue = [
        attempt_id
        for (attempt_id,) in conn.execute(
            "SELECT id FROM exam_attempts WHERE submitted_at IS NULL AND deadline IS NOT NULL "
            "AND deadline <= ? ORDER BY id",
            (to_db(store.clock.now()),),
        ).fetchall()
    ]
    expired = [submit(store, load_attempt(store, attempt_id)) for attempt_id in overdue]
    interrupted = conn.execute(
        "SELECT DISTINCT e.attempt_id FROM exam_answers e "
        "JOIN exam_attempts a ON a.id = e.attempt_id WHERE a.submitted_at IS NOT NULL "
        "AND e.chosen IS NOT NULL AND e.review_id IS NULL"
    ).fetchall()
    for (attempt_id,) in interrupted:
        _log_reviews(store, attempt_id)
    return expired
