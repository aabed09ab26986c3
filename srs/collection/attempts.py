"""The `exam_attempts` and `exam_answers` tables: mock-exam attempts and their answers, as stored.

An attempt row holds when it began, its deadline, its pass mark, the prediction made at the start
and, once submitted, the score; each answer row holds one question of it: the card, the options
in the order shown, what was chosen, the flag, the verdict frozen at submission and the review it
was logged as. The exam engine (`srs.exam.engine`) decides what to write and when; this module
reads and writes the rows, so the exam's rules live there and its SQL here.

Typical use (the engine)::

    with store.write():
        if open_attempt_id(store, "aws") is None:
            attempt_id = insert_attempt(store, deck_id="aws", kind="full", ...)
    set_chosen(store, attempt_id, 0, ["S3"], at=now)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from srs.clock import from_db, to_db
from srs.collection.cards import CARD_COLUMNS, card_from_row
from srs.collection.store import Store
from srs.model.deck import Card
from srs.model.memory import Memory

__all__ = [
    "AnswerRecord",
    "AttemptRecord",
    "QuestionAtStart",
    "attempt_answers",
    "attempt_record",
    "choices_in_submitted_attempts",
    "insert_attempt",
    "last_submitted_attempt_id",
    "mark_logged",
    "missed_card_ids",
    "open_attempt_id",
    "overdue_attempt_ids",
    "questions_at_start",
    "record_result",
    "set_chosen",
    "set_flagged",
    "submitted_attempts",
    "unlogged_attempt_ids",
]


@dataclass(frozen=True)
class AttemptRecord:
    """One `exam_attempts` row, with its number of questions.

    Attributes:
        id: the row id.
        deck_id: the deck examined.
        kind: 'full' or 'retake' (`srs.exam.attempt.AttemptKind`).
        retake_of: for a retake, the attempt whose missed questions it asks.
        started_at: when it began.
        deadline: when time runs out (None: untimed).
        submitted_at: when it was submitted (None while in progress).
        timed_out: the clock, not the learner, submitted it.
        pass_mark: the fraction of questions to get right.
        predicted_pass: the chance of passing predicted at the start.
        predicted_score: the number right expected at the start.
        score: right answers (None while in progress).
        questions: its number of questions.
    """

    id: int
    deck_id: str
    kind: str
    retake_of: int | None
    started_at: datetime
    deadline: datetime | None
    submitted_at: datetime | None
    timed_out: bool
    pass_mark: float
    predicted_pass: float | None
    predicted_score: float | None
    score: int | None
    questions: int


@dataclass(frozen=True)
class AnswerRecord:
    """One `exam_answers` row, with the content of the card it asks.

    Attributes:
        position: the question's place in the attempt, from 0.
        card_id: the card asked.
        card: the card's content as it is now.
        choices: the option texts, in the order shown.
        chosen: the texts picked; empty while unanswered.
        flagged: marked for another look.
        correct: the verdict frozen at submission (None before).
        review_id: the review the answer was logged as (None: not logged yet).
    """

    position: int
    card_id: int
    card: Card
    choices: tuple[str, ...]
    chosen: tuple[str, ...]
    flagged: bool
    correct: bool | None
    review_id: int | None


_ATTEMPTS = (
    "SELECT a.id, a.deck_id, a.kind, a.retake_of, a.started_at, a.deadline, a.submitted_at, "
    "a.timed_out, a.pass_mark, a.predicted_pass, a.predicted_score, a.score, "
    "(SELECT count(*) FROM exam_answers e WHERE e.attempt_id = a.id) AS questions "
    "FROM exam_attempts a"
)


def _attempt(row: dict[str, Any]) -> AttemptRecord:
    deadline, submitted = row["deadline"], row["submitted_at"]
    return AttemptRecord(
        **{
            **row,
            "started_at": from_db(row["started_at"]),
            "deadline": None if deadline is None else from_db(deadline),
            "submitted_at": None if submitted is None else from_db(submitted),
            "timed_out": bool(row["timed_out"]),
        }
    )


def attempt_record(store: Store, attempt_id: int) -> AttemptRecord | None:
    """The attempt's row; None when there is no such attempt."""
    rows = store.db.query(_ATTEMPTS + " WHERE a.id = ?", (attempt_id,))
    return next((_attempt(row) for row in rows), None)


def attempt_answers(store: Store, attempt_id: int) -> list[AnswerRecord]:
    """The attempt's questions in order, each with its card's content."""
    rows = store.conn.execute(
        "SELECT e.position, e.card_id, e.choices, e.chosen, e.flagged, e.correct, e.review_id, "
        f"{CARD_COLUMNS} FROM exam_answers e JOIN cards c ON c.id = e.card_id "
        "WHERE e.attempt_id = ? ORDER BY e.position",
        (attempt_id,),
    )
    return [
        AnswerRecord(
            position,
            card_id,
            card_from_row(content),
            tuple(json.loads(choices)),
            tuple(json.loads(chosen)) if chosen else (),
            bool(flagged),
            None if correct is None else bool(correct),
            review_id,
        )
        for position, card_id, choices, chosen, flagged, correct, review_id, *content in rows
    ]


def submitted_attempts(store: Store, deck_id: str | None = None) -> list[AttemptRecord]:
    """The submitted attempts (of one deck, or of every deck), oldest first: the history, and
    the predictions calibration compares with results."""
    sql = _ATTEMPTS + " WHERE a.submitted_at IS NOT NULL"
    params: tuple[str, ...] = ()
    if deck_id is not None:
        sql += " AND a.deck_id = ?"
        params = (deck_id,)
    return [_attempt(row) for row in store.db.query(sql + " ORDER BY a.started_at, a.id", params)]


class QuestionAtStart(NamedTuple):
    """A question of a submitted attempt, with its card's memory when the attempt started."""

    attempt_id: int
    started_at: datetime
    pass_mark: float
    options: int
    answers: int
    memory: Memory
    """The card's memory at the start: after its last answer before then (New if none)."""
    correct: bool
    """The verdict frozen at submission (unanswered: wrong)."""


def questions_at_start(store: Store, deck_id: str, kind: str, limit: int) -> list[QuestionAtStart]:
    """Every question of the deck's latest `limit` submitted attempts of this kind, oldest
    attempt first, in question order: what the chance of each was computed from, and what
    happened (what the predictions are checked and recalibrated against)."""
    rows = store.conn.execute(
        "SELECT a.id, a.started_at, a.pass_mark, "
        "c.option_count, c.answer_count, e.correct, (SELECT r.after FROM reviews r "
        "WHERE r.card_id = e.card_id AND r.reviewed_at < a.started_at "
        "ORDER BY r.reviewed_at DESC, r.id DESC LIMIT 1) "
        "FROM (SELECT id, started_at, pass_mark FROM exam_attempts WHERE deck_id = ? "
        "AND kind = ? AND submitted_at IS NOT NULL ORDER BY started_at DESC, id DESC LIMIT ?) a "
        "JOIN exam_answers e ON e.attempt_id = a.id JOIN cards c ON c.id = e.card_id "
        "ORDER BY a.started_at, a.id, e.position",
        (deck_id, kind, limit),
    )
    return [
        QuestionAtStart(
            attempt_id,
            from_db(started_at),
            pass_mark,
            options,
            answers,
            Memory() if memory is None else Memory.from_json(memory),
            bool(correct),
        )
        for attempt_id, started_at, pass_mark, options, answers, correct, memory in rows
    ]


def open_attempt_id(store: Store, deck_id: str | None = None) -> int | None:
    """The latest attempt still in progress (of one deck, or of any); None when there is none."""
    sql = "SELECT id FROM exam_attempts WHERE submitted_at IS NULL"
    params: tuple[str, ...] = ()
    if deck_id is not None:
        sql += " AND deck_id = ?"
        params = (deck_id,)
    row = store.conn.execute(sql + " ORDER BY started_at DESC, id DESC LIMIT 1", params).fetchone()
    return None if row is None else int(row[0])


def overdue_attempt_ids(store: Store, now: datetime) -> list[int]:
    """Attempts still in progress whose deadline is `now` or earlier, oldest first."""
    return [
        attempt_id
        for (attempt_id,) in store.conn.execute(
            "SELECT id FROM exam_attempts WHERE submitted_at IS NULL AND deadline IS NOT NULL "
            "AND deadline <= ? ORDER BY id",
            (to_db(now),),
        )
    ]


def unlogged_attempt_ids(store: Store) -> list[int]:
    """Submitted attempts with answers not yet logged as reviews (a crash interrupted the
    logging), oldest first."""
    return [
        attempt_id
        for (attempt_id,) in store.conn.execute(
            "SELECT DISTINCT e.attempt_id FROM exam_answers e "
            "JOIN exam_attempts a ON a.id = e.attempt_id WHERE a.submitted_at IS NOT NULL "
            "AND e.chosen IS NOT NULL AND e.review_id IS NULL ORDER BY e.attempt_id"
        )
    ]


def choices_in_submitted_attempts(
    store: Store, card_ids: Iterable[int]
) -> list[tuple[int, tuple[str, ...]]]:
    """(card id, texts chosen) for every answer to these cards in a submitted attempt."""
    return [
        (card_id, tuple(json.loads(chosen)))
        for card_id, chosen in store.conn.execute(
            "SELECT e.card_id, e.chosen FROM exam_answers e "
            "JOIN exam_attempts a ON a.id = e.attempt_id WHERE a.submitted_at IS NOT NULL "
            "AND e.chosen IS NOT NULL AND e.card_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(card_ids)),),
        )
    ]


def insert_attempt(
    store: Store,
    *,
    deck_id: str,
    kind: str,
    retake_of: int | None,
    started_at: datetime,
    deadline: datetime | None,
    pass_mark: float,
    predicted_pass: float,
    predicted_score: float,
    questions: Sequence[tuple[int, Sequence[str]]],
) -> int:
    """Store a new attempt and its questions, together; returns the attempt's id.

    Args:
        questions: (card id, option texts in the order shown) per question, in order.
    """
    with store.write() as db:
        attempt_id = (
            db.table("exam_attempts")
            .insert(
                {
                    "deck_id": deck_id,
                    "kind": kind,
                    "retake_of": retake_of,
                    "started_at": to_db(started_at),
                    "deadline": None if deadline is None else to_db(deadline),
                    "pass_mark": pass_mark,
                    "predicted_pass": predicted_pass,
                    "predicted_score": predicted_score,
                }
            )
            .last_rowid
        )
        assert attempt_id is not None, "an insert gives the new row's id"
        db.table("exam_answers").insert_all(
            {
                "attempt_id": attempt_id,
                "position": position,
                "card_id": card_id,
                "choices": json.dumps(list(choices)),
            }
            for position, (card_id, choices) in enumerate(questions)
        )
    return attempt_id


def _update_answer(
    store: Store, attempt_id: int, position: int, assignments: str, values: tuple[object, ...]
) -> None:
    with store.write():
        store.conn.execute(
            f"UPDATE exam_answers SET {assignments} WHERE attempt_id = ? AND position = ?",
            (*values, attempt_id, position),
        )


def set_chosen(
    store: Store, attempt_id: int, position: int, chosen: Sequence[str], at: datetime
) -> None:
    """Store the texts picked for a question at `at` (none: the answer is cleared)."""
    values = (json.dumps(list(chosen)), to_db(at)) if chosen else (None, None)
    _update_answer(store, attempt_id, position, "chosen = ?, answered_at = ?", values)


def set_flagged(store: Store, attempt_id: int, position: int, flagged: bool) -> None:
    """Flag a question for another look, or unflag it."""
    _update_answer(store, attempt_id, position, "flagged = ?", (int(flagged),))


def mark_logged(store: Store, attempt_id: int, position: int, review_id: int) -> None:
    """Record the review an answer was logged as, so it is never logged twice."""
    _update_answer(store, attempt_id, position, "review_id = ?", (review_id,))


def record_result(
    store: Store,
    attempt_id: int,
    verdicts: Mapping[int, bool],
    *,
    submitted_at: datetime,
    timed_out: bool,
) -> None:
    """Freeze the attempt's verdicts (right or not, by position) and its score, the number right,
    together."""
    with store.write():
        store.conn.executemany(
            "UPDATE exam_answers SET correct = ? WHERE attempt_id = ? AND position = ?",
            [(int(right), attempt_id, position) for position, right in verdicts.items()],
        )
        store.conn.execute(
            "UPDATE exam_attempts SET submitted_at = ?, timed_out = ?, score = ? WHERE id = ?",
            (to_db(submitted_at), int(timed_out), sum(verdicts.values()), attempt_id),
        )


def last_submitted_attempt_id(store: Store, deck_id: str) -> int | None:
    """The deck's most recently submitted attempt (None: none submitted yet)."""
    row = store.conn.execute(
        "SELECT id FROM exam_attempts WHERE deck_id = ? AND submitted_at IS NOT NULL "
        "ORDER BY submitted_at DESC, id DESC LIMIT 1",
        (deck_id,),
    ).fetchone()
    return None if row is None else int(row[0])


def missed_card_ids(store: Store, attempt_id: int) -> list[int]:
    """The cards a submitted attempt got wrong or left unanswered, in question order."""
    return [
        card_id
        for (card_id,) in store.conn.execute(
            "SELECT card_id FROM exam_answers WHERE attempt_id = ? AND correct = 0 "
            "ORDER BY position",
            (attempt_id,),
        )
    ]
