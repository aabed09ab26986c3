"""The mock exam as a learner meets it in the app: answering by keys, moving and flagging, the
summary before submitting, results, retakes and history, time running out on an injected clock,
resuming after the app stopped, the exam feeding the memory model, and deck text shown literally.

Every test drives the real app on a real collection in tmp_path. Options are shuffled: the keys
pressed are read from the exam screen's attempt (`question.choices` against `card.answers`).
"""

from __future__ import annotations

import json
import random
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from conftest import FakeClock
from helpers import BUNDLED_DECK
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Static

import srs.exam.engine
import srs.exam.readiness
from srs.collection.chances import KeptByMark, saved_model
from srs.collection.store import Store
from srs.decks.importer import import_decks
from srs.exam.attempt import Attempt, AttemptKind, ExamQuestion, load_attempt
from srs.exam.engine import answer, flag, start_exam, submit
from srs.model.deck import Card, Choice, Deck, ExamSpec
from srs.tui.app import SrsApp
from srs.tui.screens.dashboard import DashboardScreen
from srs.tui.screens.exam import ExamScreen
from srs.tui.screens.exam_start import ExamStartScreen
from srs.tui.screens.history import HistoryScreen
from srs.tui.screens.results import ResultsScreen
from srs.tui.screens.submit import SubmitScreen
from srs.tui.widgets.choices import LETTERS, ChoiceRow

from .conftest import (
    SIZE,
    collapse,
    db_rows,
    notifications,
    on,
    press,
    screen_text,
    settle,
    shown,
    table_rows,
)

MakeStore = Callable[..., Store]

SEED = "synthetic-data"
"""The bundled deck: 20 cards, 20 questions, 70% to pass (14 of 20), no time limit."""

TIMED = "quick"
TIMED_DECK = b"""\
deck: quick
title: Quick quiz
exam: {questions: 3, pass_mark: 70%, time_limit: 2m}
cards:
  - id: one
    question: First question?
    answer: Right one
    distractors: [Wrong one a, Wrong one b]
  - id: two
    question: Second question?
    answer: Right two
    distractors: [Wrong two a, Wrong two b]
  - id: three
    question: Third question?
    answer: Right three
    distractors: [Wrong three a, Wrong three b]
"""
"""Three questions, all needed to pass, two minutes."""

PERCENT = re.compile(r"^[<>]?\d{1,3}%$")
"""A chance as the screens show it: 0%-100%, or <1% / >99%."""


@pytest.fixture
def seed(make_store: MakeStore, clock: FakeClock) -> Store:
    return make_store(BUNDLED_DECK.read_bytes(), clock=clock)


@pytest.fixture
def timed(make_store: MakeStore, clock: FakeClock) -> Store:
    return make_store(TIMED_DECK, clock=clock)


# --- driving the app ------------------------------------------------------------------------


async def open_start_page(pilot: Pilot[Any]) -> ExamStartScreen:
    """`e` on the dashboard (its first deck selected); with an attempt in progress, the app
    opens on its start page by itself."""
    await pilot.pause()
    if not isinstance(pilot.app.screen, ExamStartScreen):
        on(pilot.app, DashboardScreen)
        await press(pilot, "e")
    return on(pilot.app, ExamStartScreen)


async def begin(pilot: Pilot[Any]) -> ExamScreen:
    """From the dashboard: the start page, then enter (begin, or resume)."""
    await open_start_page(pilot)
    await press(pilot, "enter")
    return on(pilot.app, ExamScreen)


def key(question: ExamQuestion, *, right: bool) -> str:
    """The letter of the first right (or wrong) option, as the options were shuffled."""
    for index, text in enumerate(question.choices):
        if (text in question.card.answers) == right:
            return LETTERS[index]
    raise AssertionError(
        f"question {question.number} has no {'right' if right else 'wrong'} option"
    )


async def answer_current(pilot: Pilot[Any], *, right: bool) -> None:
    screen = on(pilot.app, ExamScreen)
    await press(pilot, key(screen.question, right=right))


async def answer_in_order(pilot: Pilot[Any], pattern: Sequence[bool | None]) -> ExamScreen:
    """From question 1: answer each question right (True), wrong (False) or not (None), `n`
    after each."""
    screen = on(pilot.app, ExamScreen)
    for position, right in enumerate(pattern):
        assert screen.position == position
        chosen = () if right is None else (key(screen.question, right=right),)
        await pilot.press(*chosen, "n")
    await pilot.pause()
    return screen


async def submit_by_keys(pilot: Pilot[Any]) -> ResultsScreen:
    await press(pilot, "ctrl+s")
    on(pilot.app, SubmitScreen)
    await press(pilot, "y")
    return on(pilot.app, ResultsScreen)


def status(app: App[Any]) -> str:
    return collapse(shown(app, "#exam-status"))


def score_line(app: App[Any]) -> str:
    return shown(app, "#score").splitlines()[0]


def picked(app: App[Any]) -> list[str]:
    """The options shown as picked (their letters)."""
    return [LETTERS[row.index] for row in app.screen.query(ChoiceRow) if row.state == "picked"]


def navigator_cell(app: App[Any], position: int) -> Button:
    return app.screen.query_one(f"#navigator #q-{position}", Button)


def results_questions(app: App[Any]) -> str:
    """The question review of the results page as text."""
    widgets = app.screen.query("#questions, #questions Static")
    return "\n".join(str(w.visual) for w in widgets if isinstance(w, Static))


def reviewed_numbers(app: App[Any]) -> list[int]:
    """The numbers of the questions listed in the results' question review."""
    return [int(n) for n in re.findall(r"^[✓✗] +(\d+)\. ", results_questions(app), re.M)]


def stored_answers(store: Store, attempt_id: int) -> list[tuple[int, list[str] | None, int]]:
    """(position, chosen, flagged) per question, read from the file by another connection."""
    return [
        (position, None if chosen is None else json.loads(chosen), flagged)
        for position, chosen, flagged in db_rows(
            store,
            "SELECT position, chosen, flagged FROM exam_answers WHERE attempt_id = ? "
            "ORDER BY position",
            attempt_id,
        )
    ]


# --- a full attempt -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("right", "expected"),
    [(14, "14 / 20 · 70% · PASS"), (13, "13 / 20 · 65% · FAIL")],
    ids=["pass-mark-passes", "one-below-fails"],
)
async def test_full_attempt_answered_by_keys_shows_the_exact_score(
    seed: Store, right: int, expected: str
) -> None:
    app = SrsApp(seed)
    async with app.run_test(size=SIZE) as pilot:
        exam = await begin(pilot)
        attempt_id = exam.attempt.id
        await answer_in_order(pilot, [n < right for n in range(20)])

        assert status(app).startswith("Question 20 of 20 · 20 of 20 answered")
        await submit_by_keys(pilot)

        assert score_line(app) == expected
        assert db_rows(seed, "SELECT score FROM exam_attempts WHERE id = ?", attempt_id) == [
            (right,)
        ]
        await press(pilot, "h")
        table = on(app, HistoryScreen).query_one("#attempts", DataTable)
        score, percent, verdict = expected.split(" · ")
        assert [str(cell) for cell in table.get_row_at(0)][1:5] == [
            "full",
            score,
            percent,
            verdict,
        ]


# --- moving, flagging, changing answers ------------------------------------------------------


async def test_keys_move_between_questions_and_flag(seed: Store) -> None:
    app = SrsApp(seed)
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot)
        assert status(app) == "Question 1 of 20 · 0 of 20 answered · 0 flagged"
        await press(pilot, "p", "left")
        assert status(app).startswith("Question 1 of 20")  # no question before the first

        await answer_current(pilot, right=True)
        await press(pilot, "n")
        await press(pilot, "right")
        await press(pilot, "f")

        assert status(app) == "Question 3 of 20 · 1 of 20 answered · 1 flagged"
        assert "⚑" in str(navigator_cell(app, 2).label)
        assert navigator_cell(app, 2).has_class("-flagged")
        assert "✓" in str(navigator_cell(app, 0).label)
        assert "⚑ flagged" in shown(app, "#exam-question")

        await press(pilot, "p")
        assert status(app) == "Question 2 of 20 · 1 of 20 answered · 1 flagged"
        await press(pilot, "left")
        assert status(app).startswith("Question 1 of 20")
        assert len(picked(app)) == 1  # the answer given is shown again

        await press(pilot, "right", "right", "f")  # unflag
        assert status(app) == "Question 3 of 20 · 1 of 20 answered · 0 flagged"
        assert "⚑" not in str(navigator_cell(app, 2).label)

        assert await pilot.click("#navigator #q-19")
        await press(pilot, "n", "right")
        assert status(app).startswith("Question 20 of 20")  # no question after the last


async def test_clicking_a_navigator_number_jumps_to_that_question(seed: Store) -> None:
    app = SrsApp(seed)
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot)

        assert await pilot.click("#navigator #q-11")
        await pilot.pause()

        assert status(app).startswith("Question 12 of 20")
        assert navigator_cell(app, 11).has_class("-current")


async def test_changing_an_answer_before_submitting_keeps_only_the_last_choice(
    seed: Store,
) -> None:
    app = SrsApp(seed)
    async with app.run_test(size=SIZE) as pilot:
        exam = await begin(pilot)
        question = exam.question
        right, wrong = key(question, right=True), key(question, right=False)

        await press(pilot, right)
        await press(pilot, wrong)

        assert picked(app) == [wrong]
        assert stored_answers(seed, exam.attempt.id)[0] == (
            0,
            [question.choices[LETTERS.index(wrong)]],
            0,
        )
        assert status(app).startswith("Question 1 of 20 · 1 of 20 answered")
        results = await submit_by_keys(pilot)
        assert results.result.correct == 0


# --- the summary before submitting ----------------------------------------------------------


async def test_submit_summary_lists_unanswered_and_flagged_and_n_goes_back(seed: Store) -> None:
    app = SrsApp(seed)
    async with app.run_test(size=SIZE) as pilot:
        exam = await begin(pilot)
        await answer_in_order(pilot, [True, None, False])  # now on question 4
        await press(pilot, "f")
        await press(pilot, "p", "p", "f")  # question 2: unanswered and flagged

        await press(pilot, "ctrl+s")

        summary = collapse(shown(app, "#submit-text"))
        assert "2 of 20 questions answered." in summary
        unanswered = ", ".join(str(n) for n in [2, *range(4, 21)])
        assert f"Unanswered: {unanswered} (they count as wrong)" in summary
        assert "Flagged: 2, 4" in summary

        await press(pilot, "n")

        on(app, ExamScreen)
        assert status(app) == "Question 2 of 20 · 2 of 20 answered · 2 flagged"
        assert db_rows(
            seed, "SELECT submitted_at, score FROM exam_attempts WHERE id = ?", exam.attempt.id
        ) == [(None, None)]


async def test_navigator_submit_button_opens_the_same_summary(seed: Store) -> None:
    app = SrsApp(seed)
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot)
        await answer_current(pilot, right=True)
        await press(pilot, "f")

        assert await pilot.click("#navigator #submit")
        await pilot.pause()

        on(app, SubmitScreen)
        summary = collapse(shown(app, "#submit-text"))
        assert "1 of 20 questions answered." in summary
        assert "Flagged: 1" in summary
        await press(pilot, "escape")
        on(app, ExamScreen)

        assert await pilot.click("#navigator #submit")
        await pilot.pause()
        await press(pilot, "y")
        assert score_line(app) == "1 / 20 · 5% · FAIL"


# --- crash safety and resuming --------------------------------------------------------------


async def test_every_answer_and_flag_is_in_the_file_the_moment_it_is_made(seed: Store) -> None:
    app = SrsApp(seed)
    async with app.run_test(size=SIZE) as pilot:
        exam = await begin(pilot)
        attempt_id = exam.attempt.id
        first = exam.question
        assert stored_answers(seed, attempt_id)[0] == (0, None, 0)

        await press(pilot, key(first, right=True))
        assert stored_answers(seed, attempt_id)[0] == (0, [first.card.answers[0]], 0)

        await press(pilot, "f")
        assert stored_answers(seed, attempt_id)[0] == (0, [first.card.answers[0]], 1)

        await press(pilot, "n", "f")
        assert stored_answers(seed, attempt_id)[1] == (1, None, 1)
        await press(pilot, "f")
        assert stored_answers(seed, attempt_id)[1] == (1, None, 0)


async def stop_mid_exam(store: Store) -> tuple[int, list[ExamQuestion]]:
    """Start the seed exam in the app, answer questions 1 (right) and 2 (wrong), flag 2, and
    stop the app; returns the attempt id and its first two questions as answered."""
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        exam = await begin(pilot)
        await answer_in_order(pilot, [True])
        await answer_current(pilot, right=False)
        await press(pilot, "f")
        return exam.attempt.id, list(exam.attempt.questions[:2])


async def test_an_attempt_stopped_mid_exam_resumes_with_its_answers(
    seed: Store, clock: FakeClock
) -> None:
    attempt_id, (first, second) = await stop_mid_exam(seed)
    seed.close()
    clock.advance(minutes=10)

    with Store.open(seed.path, clock) as reopened:
        app = SrsApp(reopened)
        async with app.run_test(size=SIZE) as pilot:
            await open_start_page(pilot)
            action = collapse(shown(app, "#start-action"))
            assert action.startswith("An attempt is in progress: 2 of 20 answered.")
            assert "enter: resume it" in action

            await press(pilot, "enter")

            exam = on(app, ExamScreen)
            assert exam.attempt.id == attempt_id
            assert status(app) == "Question 3 of 20 · 2 of 20 answered · 1 flagged"
            assert shown(app, "#exam-note").startswith("Resumed")
            await press(pilot, "p")
            assert picked(app) == [key(second, right=False)]
            assert "⚑ flagged" in shown(app, "#exam-question")
            await press(pilot, "p")
            assert picked(app) == [key(first, right=True)]


async def test_restarting_the_app_mid_exam_opens_the_start_page_with_the_resume_offer(
    seed: Store, clock: FakeClock
) -> None:
    await stop_mid_exam(seed)
    seed.close()

    with Store.open(seed.path, clock) as reopened:
        app = SrsApp(reopened)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            on(app, ExamStartScreen)
            assert "An attempt is in progress" in shown(app, "#start-action")


async def test_the_app_opened_on_a_deck_exam_shows_its_start_page(seed: Store) -> None:
    app = SrsApp(seed, exam=SEED)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        on(app, ExamStartScreen)
        await press(pilot, "escape")
        on(app, DashboardScreen)


# --- time limit (injected clock) -------------------------------------------------------------


async def test_one_minute_left_warns_and_the_deadline_submits_what_was_answered(
    timed: Store, clock: FakeClock
) -> None:
    app = SrsApp(timed)
    async with app.run_test(size=SIZE) as pilot:
        exam = await begin(pilot)
        assert status(app).endswith("0 flagged · 2:00 left")
        await answer_current(pilot, right=True)
        await press(pilot, "n")

        clock.advance(minutes=1)
        exam.tick()
        await pilot.pause()

        assert "1 minute left." in notifications(app)
        assert status(app).endswith("1:00 left")
        exam.tick()
        assert notifications(app).count("1 minute left.") == 1  # warned once

        clock.advance(seconds=60)
        exam.tick()
        await pilot.pause()

        results = on(app, ResultsScreen)
        attempt = results.result.attempt
        assert attempt.timed_out
        assert attempt.submitted_at == attempt.deadline
        assert score_line(app) == "1 / 3 · 33% · FAIL"
        assert "(time ran out)" in shown(app, "#score")
        assert "Time used 2m 00s" in shown(app, "#score")
        assert "Time is up: the exam was submitted as it stood." in notifications(app)
        assert [chosen for _, chosen, _ in stored_answers(timed, attempt.id)] == [
            [attempt.questions[0].card.answers[0]],
            None,
            None,
        ]


async def test_an_option_picked_after_the_deadline_submits_instead_of_saving(
    timed: Store, clock: FakeClock
) -> None:
    app = SrsApp(timed)
    async with app.run_test(size=SIZE) as pilot:
        exam = await begin(pilot)
        clock.advance(minutes=2)  # before the screen's timer notices

        await answer_current(pilot, right=True)

        results = on(app, ResultsScreen)
        assert results.result.attempt.timed_out
        assert score_line(app) == "0 / 3 · 0% · FAIL"
        assert stored_answers(timed, exam.attempt.id)[0][1] is None


async def test_a_two_minute_exam_never_says_five_minutes_left(timed: Store) -> None:
    app = SrsApp(timed)
    async with app.run_test(size=SIZE) as pilot:
        exam = await begin(pilot)

        exam.tick()
        await pilot.pause()

        assert status(app).endswith("2:00 left")
        assert "5 minutes left." not in notifications(app)


def overdue_attempt(store: Store, clock: FakeClock) -> int:
    """An attempt at the 2-minute exam with question 1 answered right, left open while srs is
    closed until its deadline has passed; returns its id."""
    attempt = start_exam(store, TIMED)
    first = attempt.questions[0]
    answer(store, attempt, 0, first.card.answers[0])
    clock.advance(minutes=5)
    return attempt.id


async def test_an_exam_that_ran_out_while_closed_is_reported_at_start_up(
    timed: Store, clock: FakeClock
) -> None:
    attempt_id = overdue_attempt(timed, clock)

    app = SrsApp(timed)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        assert any("ran out of time" in text for text in notifications(app))
        assert db_rows(timed, "SELECT timed_out FROM exam_attempts WHERE id = ?", attempt_id) == [
            (1,)
        ]


async def test_the_answers_of_an_exam_that_ran_out_while_closed_count_on_the_first_dashboard(
    timed: Store, clock: FakeClock
) -> None:
    overdue_attempt(timed, clock)

    # The counts are read ahead while the app starts, before the overdue exam is submitted:
    # what the dashboard first shows must include the answers that submission logs.
    app = SrsApp(timed)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        logged = db_rows(timed, "SELECT count(*) FROM reviews WHERE source = 'exam'")[0][0]
        assert logged > 0
        ((_, _, _, _, done_today),) = table_rows(app)
        assert done_today == str(logged)


async def test_a_submission_a_crash_cut_short_is_logged_at_start_up_and_counted_on_the_dashboard(
    timed: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempt = start_exam(timed, TIMED)
    for position, question in enumerate(attempt.questions):
        attempt = answer(timed, attempt, position, question.card.answers[0])
    record_answer = srs.exam.engine.record_answer

    def crash_after_the_first(*args: Any, **kwargs: Any) -> Any:
        if db_rows(timed, "SELECT count(*) FROM reviews WHERE source = 'exam'")[0][0]:
            raise KeyboardInterrupt
        return record_answer(*args, **kwargs)

    monkeypatch.setattr(srs.exam.engine, "record_answer", crash_after_the_first)
    with pytest.raises(KeyboardInterrupt):
        submit(timed, attempt)
    monkeypatch.setattr(srs.exam.engine, "record_answer", record_answer)
    assert db_rows(timed, "SELECT count(*) FROM reviews")[0][0] == 1

    app = SrsApp(timed)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        ((_, _, _, _, done_today),) = table_rows(app)
        assert done_today == str(len(attempt.questions))


async def test_an_exam_that_ran_out_while_closed_is_in_history_as_submitted_at_its_deadline(
    timed: Store, clock: FakeClock
) -> None:
    attempt_id = overdue_attempt(timed, clock)

    app = SrsApp(timed)
    async with app.run_test(size=SIZE) as pilot:
        await open_start_page(pilot)
        assert "in progress" not in shown(app, "#start-action")
        await press(pilot, "h")

        on(app, HistoryScreen)
        table = app.screen.query_one("#attempts", DataTable)
        assert table.row_count == 1
        row = [str(cell) for cell in table.get_row_at(0)]
        assert row[1:5] == ["full", "1 / 3", "33%", "FAIL"]
        assert row[5] == "2m 00s ⏱"
    attempt = load_attempt(timed, attempt_id)
    assert attempt.timed_out
    assert attempt.submitted_at == attempt.deadline


# --- the exam feeds the memory model ---------------------------------------------------------


async def test_submitted_answers_are_logged_as_exam_reviews_and_move_memory(seed: Store) -> None:
    app = SrsApp(seed)
    async with app.run_test(size=SIZE) as pilot:
        exam = await begin(pilot)
        await answer_in_order(pilot, [True, False, None, True])
        assert db_rows(seed, "SELECT count(*) FROM reviews") == [(0,)]  # nothing before submit
        await submit_by_keys(pilot)
        questions = exam.attempt.questions

    expected = {
        questions[0].card_id: 3,  # right: Good
        questions[1].card_id: 1,  # wrong: Again
        questions[3].card_id: 3,
    }
    logged = db_rows(seed, "SELECT card_id, rating FROM reviews WHERE source = 'exam'")
    assert dict(logged) == expected
    assert len(logged) == 3  # the unanswered question is not logged
    assert db_rows(seed, "SELECT count(*) FROM reviews WHERE source != 'exam'") == [(0,)]
    states = dict(db_rows(seed, "SELECT card_id, state FROM memory"))
    assert all(states[card_id] != 0 for card_id in expected)
    assert states[questions[2].card_id] == 0


# --- results ---------------------------------------------------------------------------------


def answered_attempt(store: Store, right: int) -> Attempt:
    """A seed-exam attempt answered through the engine (the key-driven full attempt is tested
    above): the first `right` questions right, the others wrong; not submitted."""
    attempt = start_exam(store, SEED, rng=random.Random(1))
    for question in attempt.questions:
        text = question.choices[LETTERS.index(key(question, right=question.position < right))]
        attempt = answer(store, attempt, question.position, text)
    return attempt


async def submit_from_dashboard(pilot: Pilot[Any]) -> ResultsScreen:
    """Resume the attempt in progress from the dashboard and submit it by keys."""
    await begin(pilot)
    return await submit_by_keys(pilot)


async def test_results_m_toggles_the_missed_questions(seed: Store) -> None:
    answered_attempt(seed, right=14)
    app = SrsApp(seed)
    async with app.run_test(size=SIZE) as pilot:
        await submit_from_dashboard(pilot)
        assert score_line(app) == "14 / 20 · 70% · PASS"
        assert collapse(shown(app, "#filter")).startswith("All questions (20)")
        assert reviewed_numbers(app) == list(range(1, 21))

        await press(pilot, "m")

        assert collapse(shown(app, "#filter")).startswith("Missed questions (6)")
        assert reviewed_numbers(app) == list(range(15, 21))
        await press(pilot, "m")
        assert collapse(shown(app, "#filter")).startswith("All questions (20)")


async def test_results_r_retakes_exactly_the_missed_questions(seed: Store) -> None:
    answered_attempt(seed, right=14)
    app = SrsApp(seed)
    async with app.run_test(size=SIZE) as pilot:
        results = await submit_from_dashboard(pilot)
        first = results.result.attempt

        await press(pilot, "r")

        retake = on(app, ExamScreen).attempt
        assert retake.kind is AttemptKind.RETAKE
        assert {q.card_id for q in retake.questions} == {q.card_id for q in first.questions[14:]}
        assert status(app) == "Question 1 of 6 · 0 of 6 answered · 0 flagged"
        assert db_rows(seed, "SELECT id, kind, retake_of FROM exam_attempts ORDER BY id") == [
            (first.id, "full", None),
            (retake.id, "retake", first.id),
        ]
        await submit_by_keys(pilot)
        assert score_line(app) == "0 / 6 · 0% · FAIL"


async def test_results_capital_n_starts_a_new_full_attempt(seed: Store) -> None:
    answered_attempt(seed, right=14)
    app = SrsApp(seed)
    async with app.run_test(size=SIZE) as pilot:
        results = await submit_from_dashboard(pilot)

        await press(pilot, "N")

        fresh = on(app, ExamScreen).attempt
        assert fresh.kind is AttemptKind.FULL
        assert fresh.id != results.result.attempt.id
        assert status(app) == "Question 1 of 20 · 0 of 20 answered · 0 flagged"


async def test_results_h_lists_the_attempt_in_history_and_escape_returns_to_the_dashboard(
    seed: Store,
) -> None:
    answered_attempt(seed, right=14)
    app = SrsApp(seed)
    async with app.run_test(size=SIZE) as pilot:
        await submit_from_dashboard(pilot)

        await press(pilot, "h")

        on(app, HistoryScreen)
        table = app.screen.query_one("#attempts", DataTable)
        assert [str(cell) for cell in table.get_row_at(0)][1:5] == [
            "full",
            "14 / 20",
            "70%",
            "PASS",
        ]
        assert "Full attempts 1" in collapse(shown(app, "#trend"))

        await press(pilot, "escape")
        on(app, ResultsScreen)
        await press(pilot, "escape")
        on(app, DashboardScreen)
        assert len(app.screen_stack) == 2  # the start page is gone too


# --- the dashboard's way in ------------------------------------------------------------------


async def test_dashboard_e_opens_the_start_page_with_the_exam_shape_and_chance(
    seed: Store,
) -> None:
    app = SrsApp(seed)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        cell = str(app.screen.query_one("#decks", DataTable).get_cell(SEED, "pass chance"))
        assert PERCENT.match(cell.strip()), cell
        # Never studied: a 1-in-4 guess on each of 20 questions.
        assert shown(app, "#selected").endswith(
            "Mock exam: 5.0 of 20 right expected, 14 needed to pass"
        )

        await open_start_page(pilot)
        await settle(pilot)

        body = shown(app, "#start-body")
        assert re.search(r"^Questions +20$", body, re.M)
        assert re.search(r"^Pass mark +70% \(14 of 20\)$", body, re.M)
        assert re.search(r"^Time limit +none$", body, re.M)
        chance = re.search(r"^Chance to pass +(\S+)$", body, re.M)
        assert chance and PERCENT.match(chance[1]), body
        assert "Final Exam" in shown(app, "#start-title")

        await press(pilot, "escape")
        on(app, DashboardScreen)


async def test_the_start_page_shows_at_once_and_fills_in_the_chance_when_it_is_computed(
    seed: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The prediction (about a second on a deck of 100,000 cards) is held back here until
    the test releases it: meanwhile the page is up and answers keys."""
    release = threading.Event()
    predict = srs.exam.readiness.deck_readiness

    def held_back(store: Store, deck_id: str) -> Any:
        release.wait(timeout=10)
        return predict(store, deck_id)

    monkeypatch.setattr(srs.exam.readiness, "deck_readiness", held_back)
    app = SrsApp(seed)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await open_start_page(pilot)

            body = shown(app, "#start-body")
            assert re.search(r"^Pass mark +70% \(14 of 20\)$", body, re.M)
            assert re.search(r"^Chance to pass +computing…$", body, re.M)
            assert re.search(r"^Expected score +computing…$", body, re.M)
            await press(pilot, "h")
            on(app, HistoryScreen)
            await press(pilot, "escape")
            on(app, ExamStartScreen)

            release.set()
            await settle(pilot)

            body = shown(app, "#start-body")
            chance = re.search(r"^Chance to pass +(\S+)$", body, re.M)
            assert chance and PERCENT.match(chance[1]), body
            assert re.search(r"^Expected score +5\.0 of 20$", body, re.M)
    finally:
        release.set()


async def test_the_next_run_shows_the_last_chance_at_once_while_it_is_computed_again(
    seed: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chance computed in one run is kept in the collection: the next run's dashboard and
    start page show it (dim; "updating…") before the worker, held back here, delivers."""
    app = SrsApp(seed)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = app.screen.query_one("#decks", DataTable).get_cell(SEED, "pass chance")
    assert PERCENT.match(str(first).strip()) and first.style == "bold", first

    release = threading.Event()
    predict = srs.exam.readiness.deck_readiness

    def held_back(store: Store, deck_id: str) -> Any:
        release.wait(timeout=10)
        return predict(store, deck_id)

    monkeypatch.setattr(srs.exam.readiness, "deck_readiness", held_back)
    app = SrsApp(seed)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            cell = app.screen.query_one("#decks", DataTable).get_cell(SEED, "pass chance")
            assert (str(cell), cell.style) == (str(first), "dim")
            assert shown(app, "#selected").endswith(
                "Mock exam: 5.0 of 20 right expected, 14 needed to pass"
            )

            await open_start_page(pilot)
            body = shown(app, "#start-body")
            chance = re.escape(str(first).strip())
            assert re.search(rf"^Chance to pass +{chance} \(updating…\)$", body, re.M), body
            assert re.search(r"^Expected score +5\.0 of 20$", body, re.M)

            release.set()
            await settle(pilot)
            body = shown(app, "#start-body")
            assert re.search(rf"^Chance to pass +{chance}$", body, re.M), body
    finally:
        release.set()


async def test_the_model_fitted_in_a_run_is_saved_for_the_next_one(
    seed: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker fits the pass chance's model on a read-only connection; the app saves it
    on its own, and the next run predicts with it instead of fitting again."""
    app = SrsApp(seed)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = app.screen.query_one("#decks", DataTable).get_cell(SEED, "pass chance")
    assert saved_model(seed, SEED) is not None

    def not_fitted(store: Store, deck_id: str) -> Any:
        raise AssertionError("the model saved by the last run should have been taken")

    monkeypatch.setattr(srs.exam.readiness, "_FITTED", KeptByMark())  # a new process
    monkeypatch.setattr(srs.exam.readiness, "_fitted_model", not_fitted)
    app = SrsApp(seed)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        again = app.screen.query_one("#decks", DataTable).get_cell(SEED, "pass chance")
    assert (str(again), again.style) == (str(first), "bold")


async def test_a_very_large_decks_chance_is_shown_with_the_binomial_estimates_margin(
    make_store: MakeStore, clock: FakeClock
) -> None:
    # 40,000 cards, 20 questions: a form would repeat a card with chance ~0.48%, within the
    # binomial estimate's bound, so it is used, and its margin shown.
    cards = tuple(
        Card(f"c{n}", f"Question {n}?", (f"Right {n}",), (Choice("A"), Choice("B"), Choice("C")))
        for n in range(40_000)
    )
    store = make_store(clock=clock)
    import_decks(store, [Deck("big", "Big", cards, exam=ExamSpec(20, 0.7))])
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_start_page(pilot)
        await settle(pilot)

        body = shown(app, "#start-body")
        # Never studied: each question a blind guess among four, 14 of 20 needed.
        assert re.search(r"^Chance to pass +<1% \(±0\.5%\)$", body, re.M), body
        assert re.search(r"^Expected score +5\.0 of 20$", body, re.M), body


async def test_the_start_page_says_why_the_chance_cannot_be_computed(
    seed: Store, tmp_path: Path
) -> None:
    app = SrsApp(seed)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # The file moved away under the running app: its own connection still reads, but a
        # worker's new connection cannot open it.
        seed.path.rename(tmp_path / "moved.db")

        await open_start_page(pilot)
        await settle(pilot)

        body = collapse(shown(app, "#start-body"))
        assert f"Chance to pass unavailable: cannot open {seed.path}" in body
        assert "Expected score —" in body
        await press(pilot, "escape")
        on(app, DashboardScreen)


async def test_dashboard_e_on_a_deck_without_an_exam_says_so(
    make_store: MakeStore, clock: FakeClock
) -> None:
    from conftest import deck_yaml

    app = SrsApp(make_store(deck_yaml("plain", choice=2), clock=clock))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "e")

        on(app, DashboardScreen)
        assert any("no mock exam" in text for text in notifications(app))


# --- deck text is untrusted ------------------------------------------------------------------

EVIL_DECK = b"""\
deck: evil
title: "[@click=app.quit]Evil title[/]"
exam: {questions: 1, pass_mark: 100%}
cards:
  - id: card
    question: "Q [@click=app.quit]q[/] [/] [bold]x"
    answer: "A [@click=app.quit]right[/] [bold]r"
    distractors:
      - {text: "D [@click=app.quit]wrong[/] [/]", feedback: "DF [@click=app.quit]why[/] [bold]"}
      - "E [bold]other[/bold]"
    feedback:
      correct: "FC [@click=app.quit]yes[/]"
      incorrect: "FI [@click=app.quit]no[/] [/] [bold]"
    explanation: "EX [@click=app.quit]ex[/]"
"""


async def click_each(pilot: Pilot[Any], *words: str) -> int:
    """Click the first character of each place `words` show on screen (never the footer);
    the app must still run after each click. Returns the clicks made."""
    app = pilot.app
    targets = [
        (line.index(word), y)
        for y, line in enumerate(screen_text(app).splitlines()[:-1])
        for word in words
        if word in line
    ]
    for offset in targets:
        await pilot.click(offset=offset)
        await pilot.pause()
        assert app.is_running and app.return_code is None, f"a click at {offset} quit the app"
    return len(targets)


async def test_markup_in_deck_text_shows_literally_on_the_exam_and_results_and_runs_nothing(
    make_store: MakeStore, clock: FakeClock
) -> None:
    app = SrsApp(make_store(EVIL_DECK, clock=clock))
    async with app.run_test(size=SIZE) as pilot:
        await open_start_page(pilot)
        assert "[@click=app.quit]Evil title[/]" in shown(app, "#start-title")
        await press(pilot, "enter")
        exam = on(app, ExamScreen)
        assert "Q [@click=app.quit]q[/] [/] [bold]x" in shown(app, "#exam-question")
        rendered = screen_text(app)
        for option in exam.question.choices:
            assert option in rendered
        assert sorted(exam.question.choices) == [
            "A [@click=app.quit]right[/] [bold]r",
            "D [@click=app.quit]wrong[/] [/]",
            "E [bold]other[/bold]",
        ]
        assert await click_each(pilot, "[@click") >= 3  # a click on an option picks it

        decoy = next(n for n, text in enumerate(exam.question.choices) if text.startswith("D "))
        await press(pilot, LETTERS[decoy])
        assert exam.question.chosen == ("D [@click=app.quit]wrong[/] [/]",)
        await submit_by_keys(pilot)

        review = results_questions(app)
        for text in (
            "Q [@click=app.quit]q[/] [/] [bold]x",
            "D [@click=app.quit]wrong[/] [/]",
            "A [@click=app.quit]right[/] [bold]r",
            "FI [@click=app.quit]no[/] [/] [bold]",
            "D [@click=app.quit]wrong[/] [/]: DF [@click=app.quit]why[/] [bold]",
            "EX [@click=app.quit]ex[/]",
        ):
            assert text in review
        assert await click_each(pilot, "[@click") >= 6
        on(app, ResultsScreen)


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (40, 12)])
async def test_the_key_panel_beside_the_navigator_keeps_every_cell_visible(
    seed: Store, size: tuple[int, int]
) -> None:
    # A fixed 10-column navigator once collapsed to zero-width cells here and crashed the app.
    app = SrsApp(seed)
    async with app.run_test(size=size) as pilot:
        await begin(pilot)
        await press(pilot, "question_mark")
        assert app.screen.query("KeysPanel")
        cells = list(app.screen.query("#cells Button"))
        assert len(cells) == 20
        assert all(cell.size.width >= 4 for cell in cells if cell.region)
        await press(pilot, "b", "n")
        assert app.is_running
        assert db_rows(seed, "SELECT count(*) FROM exam_answers WHERE chosen IS NOT NULL") == [(1,)]
        await press(pilot, "question_mark")
        assert not app.screen.query("KeysPanel")


# --- the exam room: clearing, jumping by number, flags in the navigator ---------------------


async def test_x_clears_an_answer_so_the_question_counts_as_unanswered(seed: Store) -> None:
    app = SrsApp(seed)
    async with app.run_test(size=SIZE) as pilot:
        exam = await begin(pilot)
        await answer_current(pilot, right=True)
        assert "✓" in str(navigator_cell(app, 0).label)

        await press(pilot, "x")

        assert picked(app) == []
        assert stored_answers(seed, exam.attempt.id)[0] == (0, None, 0)
        assert status(app).startswith("Question 1 of 20 · 0 of 20 answered")
        assert "✓" not in str(navigator_cell(app, 0).label)


async def test_typing_a_number_goes_to_that_question(seed: Store) -> None:
    app = SrsApp(seed)
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot)

        await press(pilot, "1", "7")
        assert status(app).startswith("Question 17 of 20")
        await press(pilot, "4")
        assert status(app).startswith("Question 4 of 20")  # 174 is no question: 4 is
        await press(pilot, "2", "0")
        assert status(app).startswith("Question 20 of 20")


async def test_the_navigator_shows_the_flag_of_questions_from_10_on(seed: Store) -> None:
    app = SrsApp(seed)
    async with app.run_test(size=(80, 24)) as pilot:
        await begin(pilot)
        await press(pilot, "1", "3")
        await answer_current(pilot, right=True)
        await press(pilot, "f")

        assert str(navigator_cell(app, 12).label) == "13✓⚑"
        assert "13✓⚑" in screen_text(app)


@pytest.mark.parametrize(
    ("deck", "says_clock"), [(SEED, False), (TIMED, True)], ids=["untimed", "timed"]
)
async def test_a_resumed_exam_speaks_of_the_clock_only_when_it_has_one(
    make_store: MakeStore, clock: FakeClock, deck: str, says_clock: bool
) -> None:
    store = make_store(BUNDLED_DECK.read_bytes(), TIMED_DECK, clock=clock)
    start_exam(store, deck, rng=random.Random(1))
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await press(pilot, "enter")  # the start page of the attempt in progress: resume

        note = collapse(shown(app, "#exam-note"))
        assert note.startswith("Resumed: your answers were kept.")
        assert ("clock kept running" in note) is says_clock
        await press(pilot, "escape")
        assert ("clock keeps running" in notifications(app)[-1]) is says_clock


# --- history: reopening an attempt, one rounding --------------------------------------------


async def test_enter_on_a_history_row_reopens_that_attempts_review_with_its_flags(
    seed: Store,
) -> None:
    attempt = answered_attempt(seed, right=14)
    flag(seed, attempt, 2)
    submit(seed, attempt)
    app = SrsApp(seed)
    async with app.run_test(size=SIZE) as pilot:
        await open_start_page(pilot)
        await press(pilot, "h")
        on(app, HistoryScreen)

        await press(pilot, "enter")

        results = on(app, ResultsScreen)
        assert results.result.attempt.id == attempt.id
        assert score_line(app) == "14 / 20 · 70% · PASS"
        flagged = [line for line in results_questions(app).splitlines() if "⚑" in line]
        assert len(flagged) == 1 and flagged[0].startswith("✓ 3. ")
        await press(pilot, "escape")
        on(app, HistoryScreen)


async def test_the_same_score_reads_the_same_percent_on_results_and_in_history(
    timed: Store,
) -> None:
    attempt = start_exam(timed, TIMED, rng=random.Random(1))
    for question in attempt.questions[:2]:
        attempt = answer(timed, attempt, question.position, question.card.answers[0])
    app = SrsApp(timed)
    async with app.run_test(size=SIZE) as pilot:
        await submit_from_dashboard(pilot)
        assert score_line(app) == "2 / 3 · 66% · FAIL"

        await press(pilot, "h")

        table = app.screen.query_one("#attempts", DataTable)
        assert [str(cell) for cell in table.get_row_at(0)][2:4] == ["2 / 3", "66%"]
        assert "Latest 66%" in collapse(shown(app, "#trend"))
