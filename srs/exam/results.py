"""What a submitted attempt tells: the score, the per-topic table, the per-question review, the
history of attempts with its trend, and wrong options chosen again and again.

Everything here reads what submission froze (each verdict and the score), so a deck edited
later does not rewrite past results.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from srs.collection.attempts import choices_in_submitted_attempts, submitted_attempts
from srs.collection.settings import clock_for
from srs.collection.store import Store
from srs.exam.attempt import Attempt, AttemptKind, ExamQuestion
from srs.exam.form import ExamError, exam_spec, needed_to_pass
from srs.model.percent import percent_text

__all__ = [
    "ExamResult",
    "HistoryEntry",
    "QuestionReview",
    "RepeatedChoice",
    "TopicScore",
    "Trend",
    "exam_history",
    "exam_result",
    "exam_trend",
    "repeated_wrong_choices",
    "score_text",
]


def score_text(correct: int, total: int, passed: bool) -> str:
    """The score line, e.g. `14 / 20 · 70% · PASS`.

    The percentage is rounded down (`srs.model.percent`), so 69.5% never shows as 70%.
    """
    return f"{correct} / {total} · {percent_text(correct, total)} · {'PASS' if passed else 'FAIL'}"


@dataclass(frozen=True)
class TopicScore:
    """One row of the per-topic table (topic None: cards without a topic)."""

    topic: str | None
    right: int
    total: int

    def to_dict(self) -> dict[str, object]:
        return {"topic": self.topic, "right": self.right, "total": self.total}


@dataclass(frozen=True)
class QuestionReview:
    """One question on the results page.

    Attributes:
        position: its place in the attempt, from 0.
        card_id: the card asked.
        question: the question text.
        choices: the options, in the order shown.
        chosen: the learner's answer(s); empty when unanswered.
        answers: the right option(s).
        correct: answered right.
        feedback: the card's feedback for a right or a wrong answer (None if it has none).
        chosen_feedback: (option, feedback) for each wrong option picked that has feedback of
            its own.
        explanation: the card's explanation.
    """

    position: int
    card_id: int
    question: str
    choices: tuple[str, ...]
    chosen: tuple[str, ...]
    answers: tuple[str, ...]
    correct: bool
    feedback: str | None
    chosen_feedback: tuple[tuple[str, str], ...]
    explanation: str | None

    @property
    def number(self) -> int:
        return self.position + 1

    @property
    def answered(self) -> bool:
        return bool(self.chosen)

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data["chosen_feedback"] = [list(pair) for pair in self.chosen_feedback]
        return data


@dataclass(frozen=True)
class ExamResult:
    """The results page of a submitted attempt.

    Attributes:
        attempt: the attempt.
        correct: right answers.
        total: questions.
        needed: right answers needed to pass.
        passed: the score reaches the pass mark.
        time_used: from the start to submission (to the deadline when time ran out).
        topics: right and total per topic, topics in alphabetical order, no topic last.
        questions: every question's review, in order.
    """

    attempt: Attempt
    correct: int
    total: int
    needed: int
    passed: bool
    time_used: timedelta
    topics: tuple[TopicScore, ...]
    questions: tuple[QuestionReview, ...]

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.total if self.total else 0.0

    @property
    def score_text(self) -> str:
        """The score line, e.g. `14 / 20 · 70% · PASS`."""
        return score_text(self.correct, self.total, self.passed)

    @property
    def missed(self) -> tuple[QuestionReview, ...]:
        """The questions answered wrong or not answered (what "Retake missed" asks again)."""
        return tuple(q for q in self.questions if not q.correct)

    def to_dict(self) -> dict[str, object]:
        return {
            "attempt": self.attempt.id,
            "deck": self.attempt.deck_id,
            "kind": str(self.attempt.kind),
            "correct": self.correct,
            "total": self.total,
            "percent": self.percent,
            "needed": self.needed,
            "passed": self.passed,
            "timed_out": self.attempt.timed_out,
            "time_used_seconds": self.time_used.total_seconds(),
            "topics": [t.to_dict() for t in self.topics],
            "questions": [q.to_dict() for q in self.questions],
        }


def exam_result(attempt: Attempt) -> ExamResult:
    """The results page of a submitted attempt (from `srs.exam.engine.submit` or `load_attempt`).

    Raises:
        ExamError: the attempt is still in progress (results are shown only after submitting).
    """
    if attempt.submitted_at is None or attempt.score is None:
        raise ExamError("the attempt is still in progress: submit it to see the results")
    return ExamResult(
        attempt,
        attempt.score,
        attempt.question_count,
        attempt.needed,
        bool(attempt.passed),
        attempt.submitted_at - attempt.started_at,
        _topics(attempt.questions),
        tuple(_review(q) for q in attempt.questions),
    )


def _topics(questions: Sequence[ExamQuestion]) -> tuple[TopicScore, ...]:
    right: Counter[str | None] = Counter()
    total: Counter[str | None] = Counter()
    for question in questions:
        total[question.card.topic] += 1
        right[question.card.topic] += bool(question.correct)
    order = sorted(total, key=lambda topic: (topic is None, topic or ""))
    return tuple(TopicScore(topic, right[topic], total[topic]) for topic in order)


def _review(question: ExamQuestion) -> QuestionReview:
    card = question.card
    own_feedback = {choice.text: choice.feedback for choice in card.distractors}
    chosen_feedback = tuple(
        (text, feedback)
        for text in question.chosen
        if (feedback := own_feedback.get(text)) is not None
    )
    correct = bool(question.correct)
    return QuestionReview(
        question.position,
        question.card_id,
        card.question,
        question.choices,
        question.chosen,
        card.answers,
        correct,
        card.feedback_correct if correct else card.feedback_incorrect,
        chosen_feedback,
        card.explanation,
    )


# --- history --------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    """One submitted attempt in the history.

    Attributes:
        attempt_id: the attempt.
        kind: a full form or a retake.
        started_at: when it began, in the learner's zone (the collection's, if it names one).
        day: the study day it began on (local, day starting at the rollover hour).
        score: right answers.
        total: questions.
        passed: the score reached the pass mark.
        duration: time used.
        timed_out: time ran out before the learner submitted.
        predicted_pass: the chance of passing predicted at the start (None if not stored).
        predicted_score: the number right expected at the start.
    """

    attempt_id: int
    kind: AttemptKind
    started_at: datetime
    day: date
    score: int
    total: int
    passed: bool
    duration: timedelta
    timed_out: bool
    predicted_pass: float | None
    predicted_score: float | None

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.total if self.total else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "attempt": self.attempt_id,
            "kind": str(self.kind),
            "started_at": self.started_at.isoformat(),
            "date": self.day.isoformat(),
            "score": self.score,
            "total": self.total,
            "percent": self.percent,
            "passed": self.passed,
            "duration_seconds": self.duration.total_seconds(),
            "timed_out": self.timed_out,
            "predicted_pass": self.predicted_pass,
            "predicted_score": self.predicted_score,
        }


def exam_history(store: Store, deck_id: str) -> list[HistoryEntry]:
    """Every submitted attempt at the deck's exam, oldest first (`srs exam history DECK`).

    Raises:
        ExamError: no such deck.
    """
    exam_spec(store, deck_id)  # an unknown deck is an error, not an empty history
    clock = clock_for(store)
    history = []
    for record in submitted_attempts(store, deck_id):
        score, submitted = record.score, record.submitted_at
        assert score is not None and submitted is not None  # submission stores both
        history.append(
            HistoryEntry(
                record.id,
                AttemptKind(record.kind),
                record.started_at.astimezone(clock.local_zone),
                clock.study_day(record.started_at),
                score,
                record.questions,
                score >= needed_to_pass(record.pass_mark, record.questions),
                submitted - record.started_at,
                record.timed_out,
                record.predicted_pass,
                record.predicted_score,
            )
        )
    return history


@dataclass(frozen=True)
class Trend:
    """How full attempts are going (retakes ask only missed questions, so they are left out).

    Attributes:
        attempts: full attempts in the history.
        latest_percent: the last one's score in percent (None without attempts).
        change: percentage points gained since the attempt before it (None with fewer than 2).
        slope: percentage points gained per attempt over the last `window` ones, by least
            squares (None with fewer than 2).
        window: attempts the slope looks at.
    """

    attempts: int
    latest_percent: float | None
    change: float | None
    slope: float | None
    window: int

    def to_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def exam_trend(history: Sequence[HistoryEntry], window: int = 5) -> Trend:
    """The trend of the full attempts in `history` (as `exam_history` returns it)."""
    percents = [entry.percent for entry in history if entry.kind is AttemptKind.FULL]
    if not percents:
        return Trend(0, None, None, None, window)
    if len(percents) < 2:
        return Trend(1, percents[-1], None, None, window)
    recent = percents[-window:]
    mean_x = (len(recent) - 1) / 2
    mean_y = sum(recent) / len(recent)
    spread = sum((x - mean_x) ** 2 for x in range(len(recent)))
    slope = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(recent)) / spread
    return Trend(len(percents), percents[-1], percents[-1] - percents[-2], slope, window)


# --- wrong options chosen again -------------------------------------------------------------


@dataclass(frozen=True)
class RepeatedChoice:
    """A wrong option chosen for the same question in several submitted attempts.

    Attributes:
        position: the question's position in the attempt being shown, from 0.
        card_id: the card.
        choice: the wrong option's text.
        times: submitted attempts (this one included) in which it was chosen.
    """

    position: int
    card_id: int
    choice: str
    times: int

    @property
    def message(self) -> str:
        """E.g. `You chose “X” for this question 3 times` (deck text: display it safely)."""
        return f"You chose “{self.choice}” for this question {self.times} times"

    def to_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def repeated_wrong_choices(
    store: Store, attempt: Attempt, *, at_least: int = 2
) -> list[RepeatedChoice]:
    """The wrong options chosen in `attempt` that were also chosen for the same card in other
    submitted attempts: `at_least` times in all. A misconception, not a slip.

    Returns:
        One entry per (question, wrong option), in question order.
    """
    wrong_now = {
        (question.card_id, text): question.position
        for question in attempt.questions
        for text in question.chosen
        if text not in question.card.answers
    }
    if not wrong_now:
        return []
    card_ids = sorted({card_id for card_id, _ in wrong_now})
    times: Counter[tuple[int, str]] = Counter()
    for card_id, chosen in choices_in_submitted_attempts(store, card_ids):
        for text in set(chosen):
            times[card_id, text] += 1
    found = [
        RepeatedChoice(position, card_id, text, times[card_id, text])
        for (card_id, text), position in wrong_now.items()
        if times[card_id, text] >= at_least
    ]
    return sorted(found, key=lambda r: (r.position, r.choice))
