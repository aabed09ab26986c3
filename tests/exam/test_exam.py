"""The mock-exam engine as a learner meets it: drawing a form, answering under exam conditions,
time running out, resuming after a crash, results, retakes, history, and the exam feeding FSRS."""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from conftest import FakeClock, deck_yaml
from helpers import BUNDLED_DECK

import srs.exam.engine
from srs.clock import from_db
from srs.collection.store import Store
from srs.decks.importer import import_decks
from srs.decks.validate import load_deck, parse_deck
from srs.exam.attempt import Attempt, AttemptKind, ExamQuestion, load_attempt
from srs.exam.engine import (
    answer,
    expire_if_due,
    expire_overdue,
    flag,
    retake_missed,
    start_exam,
    submit,
    unfinished_attempt,
)
from srs.exam.form import ExamError
from srs.exam.results import (
    exam_history,
    exam_result,
    exam_trend,
    repeated_wrong_choices,
    score_text,
)
from srs.model.deck import Deck, ExamSpec
from srs.study.answers import record_answer

MakeStore = Callable[..., Store]
DECK = "synthetic-data"
TOPICS = {
    "Constitutional AI": 5,
    "Distillation": 4,
    "Instruction tuning": 3,
    "Self-improvement": 3,
    "Model collapse": 2,
    "Web data": 2,
    "Sim-to-real": 1,
}


def seed_deck(**exam: Any) -> Deck:
    """The bundled 20-question deck, its exam block changed by `exam` (e.g. time_limit=1800)."""
    deck = load_deck(BUNDLED_DECK)
    assert deck.exam is not None
    return replace(deck, exam=replace(deck.exam, **exam))


def open_with(make_store: MakeStore, clock: FakeClock, *decks: Deck) -> Store:
    store = make_store(clock=clock)
    import_decks(store, list(decks))
    return store


@pytest.fixture
def store(make_store: MakeStore, clock: FakeClock) -> Store:
    """A collection holding the bundled deck (20 cards, 20 questions, 70%, untimed)."""
    return open_with(make_store, clock, load_deck(BUNDLED_DECK))


@pytest.fixture
def timed(make_store: MakeStore, clock: FakeClock) -> Store:
    """The bundled deck with a 30-minute time limit."""
    return open_with(make_store, clock, seed_deck(time_limit=1800))


def right_option(question: ExamQuestion) -> str:
    return question.card.answers[0]


def wrong_option(question: ExamQuestion) -> str:
    return next(text for text in question.choices if text not in question.card.answers)


def answer_pattern(store: Store, attempt: Attempt, right: Callable[[int], bool | None]) -> Attempt:
    """Answer each question right (True), wrong (False) or not at all (None), by position."""
    for question in attempt.questions:
        verdict = right(question.position)
        if verdict is not None:
            option = right_option(question) if verdict else wrong_option(question)
            attempt = answer(store, attempt, question.position, option)
    return attempt


def first_n_right(n: int) -> Callable[[int], bool]:
    return lambda position: position < n


def card_ids(store: Store, deck_id: str = DECK) -> set[int]:
    rows = store.conn.execute("SELECT id FROM cards WHERE deck_id = ?", (deck_id,))
    return {row[0] for row in rows}


def exam_reviews(store: Store) -> list[tuple[int, int, str, str]]:
    """(card_id, rating, choice, reviewed_at) of every review logged by an exam."""
    return list(
        store.conn.execute(
            "SELECT card_id, rating, choice, reviewed_at FROM reviews WHERE source = 'exam' "
            "ORDER BY id"
        )
    )


# --- drawing a form -------------------------------------------------------------------------


def test_a_deck_with_as_many_cards_as_questions_asks_every_card(store: Store) -> None:
    attempt = start_exam(store, DECK, rng=random.Random(1))

    assert attempt.question_count == 20
    assert {q.card_id for q in attempt.questions} == card_ids(store)
    assert attempt.kind is AttemptKind.FULL
    assert (attempt.answered_count, attempt.flagged_count, attempt.score) == (0, 0, None)


def test_each_question_shows_all_its_options_shuffled(store: Store) -> None:
    attempt = start_exam(store, DECK, rng=random.Random(2))

    for question in attempt.questions:
        deck_order = (*question.card.answers, *(c.text for c in question.card.distractors))
        assert sorted(question.choices) == sorted(deck_order)
    assert any(
        q.choices != (*q.card.answers, *(c.text for c in q.card.distractors))
        for q in attempt.questions
    )


def test_the_same_seed_draws_the_same_form_and_another_seed_another_order(
    make_store: MakeStore, clock: FakeClock
) -> None:
    first = open_with(make_store, clock, load_deck(BUNDLED_DECK))
    second = open_with(make_store, clock, load_deck(BUNDLED_DECK))

    one = start_exam(first, DECK, rng=random.Random(7))
    same = start_exam(second, DECK, rng=random.Random(7))
    submit(first, one)
    other = start_exam(first, DECK, rng=random.Random(8))

    assert [(q.card.id, q.choices) for q in one.questions] == [
        (q.card.id, q.choices) for q in same.questions
    ]
    assert [q.card.id for q in one.questions] != [q.card.id for q in other.questions]


def test_a_form_is_drawn_at_random_from_a_larger_deck(make_store: MakeStore) -> None:
    deck = parse_deck(deck_yaml("big", free=3, choice=30, select_all=2))
    deck = replace(deck, exam=ExamSpec(questions=10, pass_mark=0.7))
    store = make_store()
    import_decks(store, [deck])
    free = {cid for (cid,) in store.conn.execute("SELECT id FROM cards WHERE key LIKE 'free-%'")}

    forms = []
    for seed in range(5):
        attempt = start_exam(store, "big", rng=random.Random(seed))
        forms.append({q.card_id for q in attempt.questions})
        submit(store, attempt)

    assert all(len(form) == 10 for form in forms)
    assert not any(form & free for form in forms)
    assert len({frozenset(form) for form in forms}) == 5


def test_retired_cards_are_never_drawn(make_store: MakeStore, clock: FakeClock) -> None:
    full = load_deck(BUNDLED_DECK)
    store = open_with(make_store, clock, full)
    gone = full.cards[0].id
    assert full.exam is not None
    shorter = replace(full, cards=full.cards[1:], exam=replace(full.exam, questions=19))
    import_decks(store, [shorter])

    attempt = start_exam(store, DECK, rng=random.Random(3))

    assert attempt.question_count == 19
    assert gone not in {q.card.id for q in attempt.questions}


def test_a_blueprint_draws_the_right_number_per_topic(
    make_store: MakeStore, clock: FakeClock
) -> None:
    blueprint = (("Constitutional AI", 3), ("Distillation", 2), ("Self-improvement", 1))
    store = open_with(make_store, clock, seed_deck(questions=6, blueprint=blueprint))

    for seed in range(10):
        attempt = start_exam(store, DECK, rng=random.Random(seed))
        per_topic = Counter(q.card.topic for q in attempt.questions)
        submit(store, attempt)

        assert per_topic == dict(blueprint)


def test_a_deck_without_an_exam_cannot_start_one(make_store: MakeStore) -> None:
    store = make_store(deck_yaml(choice=3))

    with pytest.raises(ExamError, match="has no mock exam"):
        start_exam(store, "demo")


def test_an_unknown_deck_cannot_start_an_exam(store: Store) -> None:
    with pytest.raises(ExamError, match="no deck 'nope'"):
        start_exam(store, "nope")


def test_a_second_attempt_cannot_start_while_one_is_in_progress(store: Store) -> None:
    start_exam(store, DECK, rng=random.Random(1))

    with pytest.raises(ExamError, match="in progress"):
        start_exam(store, DECK, rng=random.Random(2))


# --- exam conditions ------------------------------------------------------------------------


def test_the_header_counts_answered_and_flagged_questions_and_time_left(
    timed: Store, clock: FakeClock
) -> None:
    attempt = start_exam(timed, DECK, rng=random.Random(1))
    attempt = answer_pattern(timed, attempt, lambda p: True if p < 5 else None)
    attempt = flag(timed, attempt, 2)
    attempt = flag(timed, attempt, 9)
    clock.advance(minutes=10)

    assert (attempt.question_count, attempt.answered_count, attempt.flagged_count) == (20, 5, 2)
    assert attempt.time_left(clock.now()) == timedelta(minutes=20)
    assert attempt.deadline == attempt.started_at + timedelta(minutes=30)


def test_the_summary_before_submitting_lists_unanswered_and_flagged_positions(
    store: Store,
) -> None:
    attempt = start_exam(store, DECK, rng=random.Random(1))
    attempt = answer_pattern(store, attempt, lambda p: None if p in (3, 7, 19) else True)
    attempt = flag(store, attempt, 7)
    attempt = flag(store, attempt, 12)

    assert attempt.unanswered_positions == (3, 7, 19)
    assert attempt.flagged_positions == (7, 12)


def test_unflagging_a_question_is_stored(store: Store) -> None:
    attempt = flag(store, start_exam(store, DECK, rng=random.Random(1)), 4)

    attempt = flag(store, attempt, 4, flagged=False)

    assert attempt.flagged_positions == ()
    assert load_attempt(store, attempt.id).flagged_positions == ()


def test_an_answer_can_be_changed_or_cleared_until_submitted(store: Store) -> None:
    attempt = start_exam(store, DECK, rng=random.Random(1))
    question = attempt.questions[0]

    attempt = answer(store, attempt, 0, wrong_option(question))
    attempt = answer(store, attempt, 0, right_option(question))
    assert load_attempt(store, attempt.id).questions[0].chosen == (right_option(question),)

    attempt = answer(store, attempt, 0, ())
    assert load_attempt(store, attempt.id).questions[0].chosen == ()
    assert attempt.answered_count == 0


def test_results_are_not_shown_before_submitting(store: Store) -> None:
    attempt = answer_pattern(store, start_exam(store, DECK), first_n_right(20))

    assert all(q.correct is None for q in attempt.questions)
    with pytest.raises(ExamError, match="still in progress"):
        exam_result(attempt)


def test_answers_to_a_submitted_attempt_are_refused(store: Store) -> None:
    attempt = start_exam(store, DECK, rng=random.Random(1))
    submit(store, attempt)

    with pytest.raises(ExamError, match="submitted"):
        answer(store, attempt, 0, right_option(attempt.questions[0]))
    with pytest.raises(ExamError, match="submitted"):
        flag(store, attempt, 0)


def test_an_option_that_is_not_shown_is_a_caller_error(store: Store) -> None:
    attempt = start_exam(store, DECK, rng=random.Random(1))

    with pytest.raises(ValueError, match="not an option"):
        answer(store, attempt, 0, "Made up")
    with pytest.raises(ValueError, match="takes one option"):
        answer(store, attempt, 0, set(attempt.questions[0].choices[:2]))


def test_select_all_questions_take_a_set_of_options(make_store: MakeStore) -> None:
    deck = parse_deck(deck_yaml("multi", select_all=2))
    store = make_store()
    import_decks(store, [replace(deck, exam=ExamSpec(questions=2, pass_mark=0.5))])
    attempt = start_exam(store, "multi", rng=random.Random(1))
    first, second = attempt.questions
    assert (first.picks, first.is_select_all) == (2, True)

    attempt = answer(store, attempt, 0, set(first.card.answers))
    attempt = answer(store, attempt, 1, {second.card.answers[0]})
    done = submit(store, attempt)

    assert [q.correct for q in done.questions] == [True, False]
    assert set(done.questions[0].chosen) == set(first.card.answers)


# --- scoring --------------------------------------------------------------------------------


def test_a_full_attempt_answered_to_a_known_pattern_gets_the_exact_score(store: Store) -> None:
    pattern = {p: p % 3 != 0 for p in range(20)}  # wrong at 0, 3, ..., 18: 7 wrong
    attempt = answer_pattern(store, start_exam(store, DECK, rng=random.Random(4)), pattern.get)

    done = submit(store, attempt)

    assert done.score == 13
    assert [q.correct for q in done.questions] == [pattern[p] for p in range(20)]
    assert exam_result(done).missed == tuple(
        r for r in exam_result(done).questions if not pattern[r.position]
    )


@pytest.mark.parametrize(
    ("right", "passed", "text"),
    [(14, True, "14 / 20 · 70% · PASS"), (13, False, "13 / 20 · 65% · FAIL")],
)
def test_fourteen_of_twenty_passes_and_thirteen_fails_at_70_percent(
    store: Store, right: int, passed: bool, text: str
) -> None:
    attempt = answer_pattern(store, start_exam(store, DECK), first_n_right(right))

    result = exam_result(submit(store, attempt))

    assert (result.correct, result.total, result.needed) == (right, 20, 14)
    assert result.passed is passed
    assert result.score_text == text


def test_the_score_line_rounds_the_percentage_down() -> None:
    assert score_text(139, 200, passed=False) == "139 / 200 · 69% · FAIL"


def test_unanswered_questions_count_as_wrong(store: Store) -> None:
    attempt = answer_pattern(store, start_exam(store, DECK), lambda p: True if p < 15 else None)

    result = exam_result(submit(store, attempt))

    assert (result.correct, len(result.missed)) == (15, 5)
    assert all(not q.answered for q in result.missed)


def test_the_results_give_time_used_and_a_per_topic_table(store: Store, clock: FakeClock) -> None:
    attempt = start_exam(store, DECK, rng=random.Random(5))
    attempt = answer_pattern(
        store, attempt, lambda p: attempt.questions[p].card.topic != "Distillation"
    )
    clock.advance(minutes=12, seconds=30)

    result = exam_result(submit(store, attempt))

    assert result.time_used == timedelta(minutes=12, seconds=30)
    table = {t.topic: (t.right, t.total) for t in result.topics}
    assert table == {topic: (0 if topic == "Distillation" else n, n) for topic, n in TOPICS.items()}
    assert [t.topic for t in result.topics] == sorted(TOPICS)


def test_the_review_shows_answers_feedback_and_explanation(make_store: MakeStore) -> None:
    deck = parse_deck(deck_yaml("fb", choice=2))
    store = make_store()
    import_decks(store, [replace(deck, exam=ExamSpec(questions=2, pass_mark=0.5))])
    attempt = start_exam(store, "fb", rng=random.Random(1))
    by_key = {q.card.id: q for q in attempt.questions}
    attempt = answer(store, attempt, by_key["choice-0"].position, "Wrong 0a")
    attempt = answer(store, attempt, by_key["choice-1"].position, "Right 1")

    reviews = {r.card_id: r for r in exam_result(submit(store, attempt)).questions}
    wrong = reviews[by_key["choice-0"].card_id]
    right = reviews[by_key["choice-1"].card_id]

    assert (wrong.correct, wrong.chosen, wrong.answers) == (False, ("Wrong 0a",), ("Right 0",))
    assert wrong.feedback == "Not quite"
    assert wrong.chosen_feedback == (("Wrong 0a", "Not 0a"),)
    assert (right.correct, right.feedback, right.chosen_feedback) == (True, "Well done", ())
    assert json.dumps(exam_result(load_attempt(store, attempt.id)).to_dict())


# --- time -----------------------------------------------------------------------------------


def test_an_injected_clock_past_the_deadline_submits_the_attempt_with_the_answers_it_had(
    timed: Store, clock: FakeClock
) -> None:
    attempt = answer_pattern(timed, start_exam(timed, DECK), lambda p: p < 15 or None)
    clock.advance(minutes=29)
    assert expire_if_due(timed, attempt) is None

    clock.advance(minutes=1, seconds=5)
    done = expire_if_due(timed, attempt)

    assert done is not None and done.deadline is not None
    assert (done.score, done.timed_out, done.submitted_at) == (15, True, done.deadline)
    assert exam_result(done).time_used == timedelta(minutes=30)


def test_an_answer_after_the_deadline_is_refused(timed: Store, clock: FakeClock) -> None:
    attempt = start_exam(timed, DECK)
    clock.advance(minutes=30)

    with pytest.raises(ExamError, match="time is up"):
        answer(timed, attempt, 0, right_option(attempt.questions[0]))
    assert load_attempt(timed, attempt.id).answered_count == 0


def test_an_untimed_attempt_never_expires(store: Store, clock: FakeClock) -> None:
    attempt = start_exam(store, DECK)
    clock.advance(days=30)

    assert attempt.time_left(clock.now()) is None
    assert expire_if_due(store, attempt) is None
    assert unfinished_attempt(store) == attempt


# --- resume ---------------------------------------------------------------------------------


def test_an_attempt_left_unfinished_comes_back_with_its_answers_flags_and_choice_order(
    timed: Store, clock: FakeClock
) -> None:
    attempt = start_exam(timed, DECK, rng=random.Random(6))
    attempt = answer_pattern(timed, attempt, lambda p: p % 2 == 0 if p < 12 else None)
    attempt = flag(timed, attempt, 3)
    attempt = flag(timed, attempt, 15)
    path = timed.path
    timed.close()  # the crash: nothing but what was committed survives
    clock.advance(minutes=5)

    with Store.open(path, clock) as reopened:
        resumed = unfinished_attempt(reopened, DECK)

    assert resumed == attempt
    assert resumed is not None and resumed.time_left(clock.now()) == timedelta(minutes=25)


def test_an_attempt_found_after_its_deadline_is_submitted_as_it_stood_at_the_deadline(
    timed: Store, clock: FakeClock
) -> None:
    attempt = answer_pattern(timed, start_exam(timed, DECK), first_n_right(16))
    path = timed.path
    timed.close()
    clock.advance(days=3)

    with Store.open(path, clock) as reopened:
        expired = expire_overdue(reopened)
        left = unfinished_attempt(reopened)
        logged = {row[3] for row in exam_reviews(reopened)}

    assert [a.id for a in expired] == [attempt.id]
    assert expired[0].submitted_at == attempt.deadline
    assert (expired[0].score, expired[0].timed_out, left) == (16, True, None)
    assert {from_db(at) for at in logged} == {attempt.deadline}


def test_unfinished_attempt_of_another_deck_is_not_returned(
    make_store: MakeStore, clock: FakeClock
) -> None:
    other = replace(parse_deck(deck_yaml("other", choice=3)), exam=ExamSpec(3, 0.5))
    store = open_with(make_store, clock, load_deck(BUNDLED_DECK), other)
    attempt = start_exam(store, "other")

    assert unfinished_attempt(store, DECK) is None
    assert unfinished_attempt(store, "other") == attempt
    assert unfinished_attempt(store) == attempt


# --- the exam feeds FSRS --------------------------------------------------------------------


def test_exam_answers_are_logged_as_reviews_again_or_good_with_source_exam(store: Store) -> None:
    attempt = answer_pattern(store, start_exam(store, DECK), lambda p: p % 2 == 0)
    before = dict(store.conn.execute("SELECT card_id, state FROM memory"))

    done = submit(store, attempt)

    logged = {
        card_id: (rating, json.loads(choice)) for card_id, rating, choice, _ in exam_reviews(store)
    }
    expected = {q.card_id: (3 if q.correct else 1, list(q.chosen)) for q in done.questions}
    assert logged == expected
    after = dict(store.conn.execute("SELECT card_id, state FROM memory"))
    assert set(before.values()) == {0}
    assert all(after[card_id] != 0 for card_id in logged)
    reps = store.conn.execute("SELECT min(reps), max(reps) FROM memory").fetchone()
    assert tuple(reps) == (1, 1)


def test_unanswered_questions_are_not_logged(store: Store) -> None:
    attempt = answer_pattern(store, start_exam(store, DECK), lambda p: True if p < 8 else None)

    submit(store, attempt)

    assert len(exam_reviews(store)) == 8
    assert store.conn.execute("SELECT count(*) FROM memory WHERE state = 0").fetchone()[0] == 12


def test_submitting_twice_logs_each_answer_once(store: Store) -> None:
    attempt = answer_pattern(store, start_exam(store, DECK), first_n_right(20))

    first = submit(store, attempt)
    again = submit(store, attempt)

    assert first == again
    assert len(exam_reviews(store)) == 20


def test_a_submission_interrupted_while_logging_is_finished_at_start_up(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempt = answer_pattern(store, start_exam(store, DECK), first_n_right(20))
    real = record_answer
    calls = 0

    def crash_on_fifth(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        if calls == 5:
            raise KeyboardInterrupt
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(srs.exam.engine, "record_answer", crash_on_fifth)
    with pytest.raises(KeyboardInterrupt):
        submit(store, attempt)
    monkeypatch.setattr(srs.exam.engine, "record_answer", real)
    assert len(exam_reviews(store)) == 4

    expire_overdue(store)

    assert sorted(row[0] for row in exam_reviews(store)) == sorted(
        q.card_id for q in attempt.questions
    )
    assert load_attempt(store, attempt.id).score == 20


# --- retakes, history -----------------------------------------------------------------------


def test_a_retake_asks_exactly_the_missed_questions(store: Store) -> None:
    pattern = {p: (None if p in (2, 5) else p % 4 != 0) for p in range(20)}
    done = submit(store, answer_pattern(store, start_exam(store, DECK), pattern.get))
    missed = {q.card_id for q in done.questions if not pattern[q.position]}

    retake = retake_missed(store, done, rng=random.Random(9))

    assert retake.kind is AttemptKind.RETAKE and retake.retake_of == done.id
    assert {q.card_id for q in retake.questions} == missed
    assert retake.question_count == len(missed) == 7


def test_a_timed_retake_gives_the_same_time_per_question(timed: Store) -> None:
    done = submit(timed, answer_pattern(timed, start_exam(timed, DECK), first_n_right(15)))

    retake = retake_missed(timed, done)

    assert retake.deadline is not None
    assert retake.deadline - retake.started_at == timedelta(minutes=30) * 5 / 20


def test_a_perfect_attempt_has_nothing_to_retake(store: Store) -> None:
    done = submit(store, answer_pattern(store, start_exam(store, DECK), first_n_right(20)))

    with pytest.raises(ExamError, match="nothing to retake"):
        retake_missed(store, done)


def test_an_attempt_in_progress_cannot_be_retaken(store: Store) -> None:
    with pytest.raises(ExamError, match="submit the attempt"):
        retake_missed(store, start_exam(store, DECK))


def test_every_attempt_is_kept_in_the_history_with_its_trend(
    store: Store, clock: FakeClock
) -> None:
    for right, minutes in ((10, 20), (14, 25), (16, 15)):
        attempt = answer_pattern(store, start_exam(store, DECK), first_n_right(right))
        clock.advance(minutes=minutes)
        done = submit(store, attempt)
        clock.advance(days=1)
    submit(store, answer_pattern(store, retake_missed(store, done), first_n_right(4)))

    history = exam_history(store, DECK)
    trend = exam_trend(history)

    assert [(h.kind, h.score, h.total, h.percent, h.passed) for h in history] == [
        (AttemptKind.FULL, 10, 20, 50.0, False),
        (AttemptKind.FULL, 14, 20, 70.0, True),
        (AttemptKind.FULL, 16, 20, 80.0, True),
        (AttemptKind.RETAKE, 4, 4, 100.0, True),
    ]
    assert [h.duration for h in history[:3]] == [timedelta(minutes=m) for m in (20, 25, 15)]
    assert [h.day.isoformat() for h in history] == [
        "2025-01-06",
        "2025-01-07",
        "2025-01-08",
        "2025-01-09",
    ]
    assert all(h.predicted_pass is not None for h in history)
    assert (trend.attempts, trend.latest_percent, trend.change) == (3, 80.0, 10.0)
    assert trend.slope == pytest.approx(15.0)
    assert json.dumps([h.to_dict() for h in history] + [trend.to_dict()])


def test_the_trend_of_one_attempt_has_no_change(store: Store) -> None:
    submit(store, answer_pattern(store, start_exam(store, DECK), first_n_right(12)))

    trend = exam_trend(exam_history(store, DECK))

    assert (trend.attempts, trend.latest_percent, trend.change, trend.slope) == (
        1,
        60.0,
        None,
        None,
    )


def test_the_history_of_an_unknown_deck_is_an_exam_error(store: Store) -> None:
    with pytest.raises(ExamError, match="no deck 'nope'"):
        exam_history(store, "nope")


def test_an_attempt_in_progress_is_not_in_the_history(store: Store) -> None:
    start_exam(store, DECK)

    assert exam_history(store, DECK) == []


def test_a_wrong_option_chosen_in_several_attempts_is_reported(store: Store) -> None:
    pick: dict[int, str] = {}
    results = []
    for _ in range(3):
        attempt = start_exam(store, DECK)
        for question in attempt.questions:
            if question.card.id == "alpaca-training-cost":
                option = pick.setdefault(question.card_id, wrong_option(question))
                attempt = answer(store, attempt, question.position, option)
            else:
                attempt = answer(store, attempt, question.position, right_option(question))
        results.append(submit(store, attempt))

    first = repeated_wrong_choices(store, results[0])
    latest = repeated_wrong_choices(store, results[-1])

    card_id = next(iter(pick))
    position = next(q.position for q in results[-1].questions if q.card_id == card_id)
    assert [(r.card_id, r.choice, r.times) for r in latest] == [(card_id, pick[card_id], 3)]
    assert latest[0].position == position
    assert latest[0].message == f"You chose “{pick[card_id]}” for this question 3 times"
    assert [r.times for r in first] == [3]


def test_a_wrong_option_chosen_once_is_not_reported(store: Store) -> None:
    attempt = answer_pattern(store, start_exam(store, DECK), first_n_right(19))

    assert repeated_wrong_choices(store, submit(store, attempt)) == []


def test_the_prediction_is_stored_at_the_start(store: Store) -> None:
    attempt = start_exam(store, DECK)

    # Never studied: each question is a guess among 4 options, so 5 right are expected.
    assert attempt.predicted_score == pytest.approx(5.0)
    assert attempt.predicted_pass is not None and 0 < attempt.predicted_pass < 0.001


def test_loading_a_missing_attempt_is_an_exam_error(store: Store) -> None:
    with pytest.raises(ExamError, match="no exam attempt 99"):
        load_attempt(store, 99)
