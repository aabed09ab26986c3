"""The predicted chance to pass: per-question probabilities (exact R, the learner's guessing and
recall), the exact score distribution, the average over forms, Monte Carlo, speed, and
calibration against results."""

from __future__ import annotations

import itertools
import json
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import timedelta

import pytest
from conftest import FakeClock, deck_yaml
from fsrs import Rating
from helpers import BUNDLED_DECK

from srs.clock import to_db
from srs.collection.chances import KeptByMark
from srs.collection.settings import get_settings
from srs.collection.store import Store
from srs.decks.importer import import_decks
from srs.decks.validate import load_deck, parse_deck
from srs.exam import readiness
from srs.exam.engine import answer, start_exam, submit
from srs.exam.fitting import (
    MIN_ATTEMPTS,
    ObservedAnswer,
    ScoredForm,
    check_recalibration,
    fit_guessing,
)
from srs.exam.form import ExamError, exam_pools, needed_to_pass
from srs.exam.probability import (
    answer_probability,
    form_score_distribution,
    predict,
    score_distribution,
    uniform_guess,
)
from srs.exam.readiness import (
    calibration,
    card_probabilities,
    deck_readiness,
    guessing,
)
from srs.model.deck import ExamSpec
from srs.model.memory import Memory, retrievability
from srs.study.answers import record_answer, undo_answer

MakeStore = Callable[..., Store]
DECK = "synthetic-data"


def brute_force(probabilities: Sequence[float]) -> list[float]:
    """P(k right) by walking all 2^n outcomes."""
    dist = [0.0] * (len(probabilities) + 1)
    for outcome in itertools.product((0, 1), repeat=len(probabilities)):
        chance = math.prod(
            p if hit else 1 - p for p, hit in zip(probabilities, outcome, strict=True)
        )
        dist[sum(outcome)] += chance
    return dist


def over_forms(pools: Sequence[tuple[Sequence[float], int]], needed: int) -> float:
    """The pass chance averaged over every form, each form's chance by brute force."""
    choices = [list(itertools.combinations(ps, count)) for ps, count in pools]
    forms = list(itertools.product(*choices))
    total = 0.0
    for form in forms:
        questions = [p for part in form for p in part]
        total += sum(brute_force(questions)[needed:])
    return total / len(forms)


def studied_store(make_store: MakeStore, clock: FakeClock, *, cards: int, questions: int) -> Store:
    """A deck of `cards` multiple-choice cards, an exam of `questions` (60%), and a varied
    memory: three quarters of the cards in review, last seen 0-60 days ago with stabilities of
    1-90 days; the rest never studied."""
    deck = parse_deck(deck_yaml("mixed", choice=cards))
    store = make_store(clock=clock)
    import_decks(store, [replace(deck, exam=ExamSpec(questions, 0.6))])
    ids = [row[0] for row in store.conn.execute("SELECT id FROM cards ORDER BY id")]
    rng = random.Random(11)
    now = clock.now()
    rows = []
    for card_id in ids[: cards * 3 // 4]:
        stability = rng.uniform(1, 90)
        last = now - timedelta(days=rng.uniform(0, 60))
        rows.append((stability, to_db(last + timedelta(days=stability)), to_db(last), card_id))
    with store.write():
        store.conn.executemany(
            "UPDATE memory SET state = 2, stability = ?, difficulty = 5.0, due = ?, "
            "last_review = ?, reps = 3 WHERE card_id = ?",
            rows,
        )
    return store


# --- one question ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("recall", "options", "answers", "expected"),
    [
        (0.0, 4, 1, 0.25),
        (1.0, 4, 1, 1.0),
        (0.5, 4, 1, 0.625),
        (0.0, 4, 2, 1 / 6),
        (0.4, 5, 2, 0.4 + 0.6 / 10),
    ],
)
def test_the_chance_of_a_right_answer_adds_the_guessing_chance(
    recall: float, options: int, answers: int, expected: float
) -> None:
    assert answer_probability(recall, uniform_guess(options, answers)) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("mark", "total", "needed"),
    [
        (0.7, 20, 14),
        (0.7, 19, 14),
        (0.75, 3, 3),
        (1.0, 5, 5),
        (0.56, 25, 14),  # 0.56 * 25 is 14.000000000000002 in floating point
        (0.55, 100, 55),
    ],
)
def test_a_score_equal_to_the_pass_mark_passes(mark: float, total: int, needed: int) -> None:
    assert needed_to_pass(mark, total) == needed


# --- the score distribution -----------------------------------------------------------------


@pytest.mark.parametrize("n", range(11))
def test_the_score_distribution_agrees_with_all_2_to_the_n_outcomes(n: int) -> None:
    rng = random.Random(n)
    probabilities = [rng.random() for _ in range(n)]

    assert score_distribution(probabilities) == pytest.approx(brute_force(probabilities), abs=1e-12)


def test_certain_questions_give_a_certain_score() -> None:
    assert score_distribution([1.0, 1.0, 0.0]) == [0.0, 0.0, 1.0, 0.0]


@pytest.mark.parametrize("count", range(9))
def test_the_average_over_forms_agrees_with_enumerating_every_form(count: int) -> None:
    rng = random.Random(100 + count)
    pool = [rng.random() for _ in range(8)]
    expected = [0.0] * (count + 1)
    forms = list(itertools.combinations(pool, count))
    for form in forms:
        for k, chance in enumerate(brute_force(form)):
            expected[k] += chance / len(forms)

    assert form_score_distribution(pool, count) == pytest.approx(expected, abs=1e-12)


def test_a_pool_as_large_as_the_form_is_one_certain_form() -> None:
    pool = [0.9, 0.2, 0.5, 0.7]

    assert form_score_distribution(pool, 4) == pytest.approx(brute_force(pool), abs=1e-15)


def test_blueprint_pools_agree_with_enumerating_every_form() -> None:
    rng = random.Random(5)
    pools = [([rng.random() for _ in range(5)], 2), ([rng.random() for _ in range(4)], 3)]

    prediction = predict(pools, 3)

    assert prediction.method == "exact" and prediction.standard_error == 0.0
    assert prediction.pass_chance == pytest.approx(over_forms(pools, 3), abs=1e-12)
    assert prediction.expected_score == pytest.approx(
        sum(count * sum(ps) / len(ps) for ps, count in pools)
    )


def test_a_large_pool_keeps_all_its_probability_without_underflow() -> None:
    rng = random.Random(9)
    pool = [rng.random() for _ in range(1200)]

    dist = form_score_distribution(pool, 600)

    # Drawing 600 of 1,200 cards: the extreme scores are below 1e-300 (they would underflow).
    assert math.fsum(dist) == pytest.approx(1.0, abs=1e-9)
    assert math.fsum(k * p for k, p in enumerate(dist)) == pytest.approx(sum(pool) / 2)


def test_drawing_more_questions_than_cards_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot draw 5 questions from 4 cards"):
        form_score_distribution([0.5] * 4, 5)


def test_monte_carlo_lands_within_three_standard_errors_of_the_exact_answer() -> None:
    rng = random.Random(21)
    pools = [([0.2 + 0.8 * rng.random() for _ in range(60)], 20)]
    exact = predict(pools, 14, method="exact")

    estimate = predict(pools, 14, method="monte_carlo", rng=random.Random(3), samples=2000)

    assert estimate.method == "monte_carlo" and estimate.standard_error > 0
    assert abs(estimate.pass_chance - exact.pass_chance) < 3 * estimate.standard_error
    assert estimate.expected_score == exact.expected_score


def test_a_huge_pool_is_estimated_binomially_a_long_form_by_monte_carlo_others_exactly() -> None:
    rng = random.Random(8)
    huge = [rng.random() for _ in range(60_000)]

    binomial = predict([(huge, 20)], 14, samples=50)
    assert binomial.method == "binomial"
    # 20 cards drawn with replacement from 60,000 repeat one with chance about 190 / 60,000.
    assert binomial.error_bound == pytest.approx(1 - math.prod(1 - k / 60_000 for k in range(20)))
    assert predict([(huge[:10_000], 60)], 42, samples=50).method == "monte_carlo"
    assert predict([(huge[:1000], 50)], 35).method == "exact"


def test_the_binomial_estimate_lands_within_its_bound_of_the_exact_average_over_forms() -> None:
    rng = random.Random(5)
    pool = [0.3 + 0.7 * rng.random() ** 0.5 for _ in range(5_000)]
    pools = [(pool, 10), (pool[:3_000], 5)]
    exact = predict(pools, 11, method="exact")

    estimate = predict(pools, 11, method="binomial")

    assert estimate.method == "binomial" and 0.01 < estimate.error_bound < 0.02
    assert abs(estimate.pass_chance - exact.pass_chance) <= estimate.error_bound
    assert estimate.expected_score == pytest.approx(exact.expected_score, rel=1e-12)
    assert 0.05 < exact.pass_chance < 0.95  # a chance where an error would show


# --- the collection -------------------------------------------------------------------------


def test_never_studied_cards_are_guesses_among_their_options(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(clock=clock)
    import_decks(store, [load_deck(BUNDLED_DECK)])

    prediction = deck_readiness(store, DECK)

    # 20 questions of 4 options each, 14 needed: P(Binomial(20, 1/4) >= 14).
    exact = sum(math.comb(20, k) * 0.25**k * 0.75 ** (20 - k) for k in range(14, 21))
    assert prediction.pass_chance == pytest.approx(exact, rel=1e-9)
    assert prediction.expected_score == pytest.approx(5.0)
    assert (prediction.questions, prediction.needed) == (20, 14)
    assert json.dumps(prediction.to_dict())


def test_right_first_answers_raise_the_prior_for_cards_never_studied(
    make_store: MakeStore,
) -> None:
    store = make_store(deck_yaml(choice=31))
    ids = [row[0] for row in store.conn.execute("SELECT id FROM cards ORDER BY id")]
    # 21 of 30 first answers right: far more than guessing among 4 options explains.
    for n, card_id in enumerate(ids[:30]):
        rating = Rating.Good if n < 21 else Rating.Again
        record_answer(store, card_id, rating, duration_ms=1000, choice=["x"])

    fitted = guessing(store, "demo")
    unseen = card_probabilities(store, "demo")[ids[30]]

    # Knowledge, not luck: R0 rises and g stays 1/4. The prior, ten first answers right at the
    # guessing rate, holds the chance at (21 + 2.5) / (30 + 10).
    assert fitted.prior_recall == pytest.approx(0.45, abs=1e-3)
    assert fitted.rate(4) == pytest.approx(0.25, abs=1e-3)
    assert unseen == pytest.approx((21 + 2.5) / (30 + 10), abs=1e-6)


def test_the_kept_model_is_fitted_again_when_an_undone_answer_is_answered_differently(
    make_store: MakeStore,
) -> None:
    store = make_store(deck_yaml(choice=31))
    ids = [row[0] for row in store.conn.execute("SELECT id FROM cards ORDER BY id")]
    for card_id in ids[:20]:
        record_answer(store, card_id, Rating.Good, duration_ms=1000, choice=["x"])
    wrong = record_answer(store, ids[20], Rating.Again, duration_ms=1000, choice=["x"])
    after_wrong = card_probabilities(store, "demo")[ids[30]]

    undo_answer(store, wrong)  # the log's last row goes; the next answer takes its id
    record_answer(store, ids[20], Rating.Good, duration_ms=1000, choice=["x"])
    after_right = card_probabilities(store, "demo")[ids[30]]

    # 21 of 21 first answers right, not 20 of 21: the prior for unseen cards rises.
    assert after_right > after_wrong
    assert after_right == pytest.approx((21 + 2.5) / (21 + 10), abs=1e-6)


def test_wrong_first_answers_keep_the_prior_at_pure_guessing(make_store: MakeStore) -> None:
    store = make_store(deck_yaml(choice=3))
    first, *unseen = [row[0] for row in store.conn.execute("SELECT id FROM cards ORDER BY id")]
    record_answer(store, first, Rating.Again, duration_ms=1000, choice=["x"])

    chances = card_probabilities(store, "demo", unseen)

    assert guessing(store, "demo").prior_recall == pytest.approx(0.0, abs=1e-6)
    assert all(chance <= 0.25 for chance in chances.values())


def test_a_learner_lured_by_distractors_guesses_below_chance(make_store: MakeStore) -> None:
    store = make_store(deck_yaml(choice=45))
    ids = [row[0] for row in store.conn.execute("SELECT id FROM cards ORDER BY id")]
    # First answers to 40 four-option cards, 2 of them right: 5%, where blind guessing gives 25%.
    for n, card_id in enumerate(ids[:40]):
        rating = Rating.Good if n < 2 else Rating.Again
        record_answer(store, card_id, rating, duration_ms=1000, choice=["x"])

    rate = guessing(store, "demo").rate(4)
    unseen = card_probabilities(store, "demo")[ids[44]]

    assert rate < 0.15
    assert unseen == pytest.approx(rate) and unseen < 0.25


@pytest.mark.parametrize(("scale", "low", "high"), [(100, 0.07, 0.08), (1, 0.1, 0.2)])
def test_guessing_below_chance_is_fitted_from_cards_the_model_says_are_forgotten(
    scale: int, low: float, high: float
) -> None:
    # Studied cards whose R had fallen to 0.2, answered right 26% of the time: 0.2 + 0.8 * g
    # with g = 0.075, well below 1/4. Many answers find it; a hundred are pulled towards 1/4.
    answers = [ObservedAnswer(4, 0.2, True, 26 * scale), ObservedAnswer(4, 0.2, False, 74 * scale)]

    fitted = fit_guessing(answers)

    assert low < fitted.rate(4) < high
    assert fitted.rate(10) == 0.1  # no answers of that shape: a blind guess


def test_studied_cards_use_the_exact_retrievability_now(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(choice=2), clock=clock)
    card_id = store.conn.execute("SELECT min(id) FROM cards").fetchone()[0]
    record_answer(store, card_id, Rating.Good, duration_ms=1000)
    clock.advance(days=3)
    record_answer(store, card_id, Rating.Good, duration_ms=1000)
    clock.advance(days=20, hours=7)
    row = store.conn.execute(
        f"SELECT {', '.join(Memory.COLUMNS)} FROM memory WHERE card_id = ?", (card_id,)
    ).fetchone()
    parameters = get_settings(store, "demo").parameters
    recall = retrievability(Memory.from_row(row), clock.now(), parameters)

    chance = card_probabilities(store, "demo")[card_id]

    assert recall is not None and 0.3 < recall < 0.99
    assert chance == pytest.approx(recall + (1 - recall) / 4)


def test_a_card_answered_minutes_ago_with_a_tiny_stability_is_far_from_certain(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml(choice=2), clock=clock)
    card_id = store.conn.execute("SELECT min(id) FROM cards").fetchone()[0]
    answered = clock.now() - timedelta(minutes=15)
    with store.write():
        store.conn.execute(
            "UPDATE memory SET state = 3, step = 0, stability = 0.003, difficulty = 8.0, "
            "due = ?, last_review = ?, reps = 5, lapses = 1 WHERE card_id = ?",
            (to_db(clock.now()), to_db(answered), card_id),
        )

    chance = card_probabilities(store, "demo")[card_id]

    # 15 minutes are 5 stabilities: R = (1 + 0.98 * 3.47) ** -0.154, about 0.80.
    assert chance < 0.9
    assert chance == pytest.approx(0.797 + 0.203 / 4, abs=0.005)


def test_the_deck_prediction_agrees_with_enumerating_every_form_of_a_small_deck(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = studied_store(make_store, clock, cards=9, questions=5)
    chances = card_probabilities(store, "mixed")
    assert len(set(chances.values())) > 3

    prediction = deck_readiness(store, "mixed")

    needed = needed_to_pass(0.6, 5)
    assert prediction.pass_chance == pytest.approx(
        over_forms([(list(chances.values()), 5)], needed), abs=1e-12
    )
    assert prediction.expected_score == pytest.approx(sum(chances.values()) * 5 / 9)


def test_the_prediction_of_an_attempt_is_that_of_its_form(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = studied_store(make_store, clock, cards=9, questions=5)
    chances = card_probabilities(store, "mixed")

    attempt = start_exam(store, "mixed", rng=random.Random(2))

    form = [chances[q.card_id] for q in attempt.questions]
    assert attempt.predicted_pass == pytest.approx(sum(brute_force(form)[3:]), abs=1e-12)
    assert attempt.predicted_score == pytest.approx(sum(form))


def test_too_few_cards_for_the_exam_is_an_exam_error(make_store: MakeStore) -> None:
    store = make_store(deck_yaml(choice=3))

    with pytest.raises(ExamError, match="needs 5 questions"):
        exam_pools(store, "demo", ExamSpec(5, 0.7))
    with pytest.raises(ExamError, match="needs 2 questions on 'Maths'"):
        exam_pools(store, "demo", ExamSpec(2, 0.7, blueprint=(("Maths", 2),)))


def test_a_deck_without_an_exam_has_no_prediction(make_store: MakeStore) -> None:
    store = make_store(deck_yaml(choice=3))

    with pytest.raises(ExamError, match="has no mock exam"):
        deck_readiness(store, "demo")


def fastest(action: Callable[[], object], runs: int = 5) -> float:
    """The best of a few runs, in milliseconds (the least disturbed by the machine)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def test_the_dashboard_prediction_is_fast_on_the_seed_deck(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(clock=clock)
    import_decks(store, [load_deck(BUNDLED_DECK)])

    assert fastest(lambda: deck_readiness(store, DECK)) < 10


def test_the_dashboard_prediction_is_fast_on_a_thousand_card_deck(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = studied_store(make_store, clock, cards=1000, questions=50)

    assert fastest(lambda: deck_readiness(store, "mixed"), runs=3) < 200


# --- calibration ----------------------------------------------------------------------------


def sit_exam(store: Store, right: int) -> int:
    """Arrange: sit the seed deck's exam, answering `right` questions right and the rest
    wrong, and submit it; returns the attempt's id."""
    attempt = start_exam(store, DECK, rng=random.Random(right))
    for question in attempt.questions:
        wrong = next(t for t in question.choices if t not in question.card.answers)
        option = question.card.answers[0] if question.position < right else wrong
        attempt = answer(store, attempt, question.position, option)
    submit(store, attempt)
    return attempt.id


def scored_attempt(store: Store, right: int, predicted: float) -> None:
    """Arrange: a submitted 20-question attempt with `right` right answers and, as if predicted
    at its start, a pass chance of `predicted`."""
    attempt_id = sit_exam(store, right)
    with store.write():
        store.conn.execute(
            "UPDATE exam_attempts SET predicted_pass = ? WHERE id = ?", (predicted, attempt_id)
        )


def study_all(store: Store, clock: FakeClock, days: Sequence[int]) -> None:
    """Arrange: answer every card of the seed deck right on each of these days (from now)."""
    ids = [row[0] for row in store.conn.execute("SELECT id FROM cards ORDER BY id")]
    start = clock.now()
    for day in days:
        clock.set(start + timedelta(days=day))
        for card_id in ids:
            record_answer(store, card_id, Rating.Good, duration_ms=4000, choice=["x"])


def test_an_exam_with_misses_lowers_the_prediction_right_away(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(clock=clock)
    import_decks(store, [load_deck(BUNDLED_DECK)])
    study_all(store, clock, days=(0, 2, 6))
    clock.advance(hours=20)
    before = deck_readiness(store, DECK)

    sit_exam(store, right=15)  # 14 needed: a pass, but the 5 misses are logged as Again
    clock.advance(minutes=5)
    after = deck_readiness(store, DECK)

    assert before.pass_chance > 0.99
    # Five cards just forgotten: about three more questions expected wrong, and 14 of 20 is
    # no longer a sure thing.
    assert after.expected_score < before.expected_score - 2.5
    assert after.pass_chance < 0.98


def test_calibration_compares_predictions_with_results(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(clock=clock)
    import_decks(store, [load_deck(BUNDLED_DECK)])
    for right, predicted in ((15, 0.8), (13, 0.6), (9, 0.3), (14, 0.9)):
        scored_attempt(store, right, predicted)
        clock.advance(days=1)
    start_exam(store, DECK)  # in progress: no result to compare with yet

    result = calibration(store, DECK)

    # Passed: 15 and 14 (14 needed). Brier: (0.2² + 0.6² + 0.3² + 0.1²) / 4 = 0.5 / 4.
    assert result.attempts == 4
    assert result.mean_predicted == pytest.approx(2.6 / 4)
    assert result.pass_rate == 0.5
    assert result.brier == pytest.approx(0.125)
    assert calibration(store).attempts == 4
    assert json.dumps(result.to_dict())


def test_calibration_without_attempts_is_empty(make_store: MakeStore) -> None:
    store = make_store(deck_yaml(choice=3))

    result = calibration(store, "demo")

    assert (result.attempts, result.mean_predicted, result.pass_rate, result.brier) == (
        0,
        None,
        None,
        None,
    )


def test_time_passing_lowers_the_chance_of_a_studied_deck(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = studied_store(make_store, clock, cards=30, questions=10)
    now = deck_readiness(store, "mixed")
    clock.advance(timedelta(days=120))

    later = deck_readiness(store, "mixed")

    assert later.pass_chance < now.pass_chance
    assert later.expected_score < now.expected_score


# --- recalibration against mock exams -------------------------------------------------------


def test_recalibration_waits_for_enough_full_attempts_and_then_corrects_a_flattering_model() -> (
    None
):
    # Each question predicted right 95% of the time, each attempt 12 of 20 right (14 needed).
    forms = [ScoredForm([0.95] * 20, [n < 12 for n in range(20)], 14)] * MIN_ATTEMPTS

    early = check_recalibration(forms[:-1])
    ready = check_recalibration(forms)

    assert (early.attempts, early.brier_after, early.recalibration) == (
        MIN_ATTEMPTS - 1,
        None,
        None,
    )
    assert early.brier_before is not None and early.brier_before > 0.9
    assert ready.recalibration is not None
    assert ready.brier_after is not None and ready.brier_after < 0.2
    assert 0.55 < ready.recalibration.apply(0.95) < 0.7


def test_a_deck_whose_exams_go_worse_than_predicted_is_recalibrated_from_the_tenth_attempt(
    make_store: MakeStore, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_store(clock=clock)
    import_decks(store, [load_deck(BUNDLED_DECK)])

    def study_then_fail() -> None:
        """Every card answered right in study, yet only 10 of 20 in the exam the next day."""
        study_all(store, clock, days=(0,))
        clock.advance(hours=20)
        sit_exam(store, right=10)
        clock.advance(hours=4)

    def chance_without_recalibration() -> float:
        with monkeypatch.context() as patch:
            patch.setattr(
                readiness,
                "check_recalibration",
                lambda forms: check_recalibration(forms, minimum=len(forms) + 1),
            )
            # The kept and the saved model are recalibrated: fit one, and keep it from both.
            patch.setattr(readiness, "_FITTED", KeptByMark())
            patch.setattr(readiness, "saved_model", lambda store, deck_id: None)
            patch.setattr(readiness, "save_model", lambda store, deck_id, values: None)
            return deck_readiness(store, DECK).pass_chance

    for _ in range(MIN_ATTEMPTS - 1):
        study_then_fail()
    study_all(store, clock, days=(0,))
    clock.advance(hours=20)
    early = calibration(store, DECK)
    early_chance = deck_readiness(store, DECK).pass_chance
    early_unrecalibrated = chance_without_recalibration()
    sit_exam(store, right=10)
    clock.advance(hours=4)
    study_all(store, clock, days=(0,))
    clock.advance(hours=20)
    ready = calibration(store, DECK)
    ready_chance = deck_readiness(store, DECK).pass_chance

    assert (early.full_attempts, early.brier_after, early.recalibrated) == (9, None, False)
    assert early_chance == early_unrecalibrated
    assert (ready.full_attempts, ready.recalibrated) == (10, True)
    assert ready.question_brier_after is not None and ready.question_brier_before is not None
    assert ready.question_brier_after < ready.question_brier_before
    assert ready.brier_after is not None and ready.brier_before is not None
    assert ready.brier_after < ready.brier_before
    unrecalibrated = chance_without_recalibration()
    assert ready_chance < unrecalibrated - 0.1, (ready_chance, unrecalibrated)
    # A large deck's sums, computed by SQLite, are recalibrated as each card's chance is.
    each = readiness.card_probabilities(store, DECK).values()
    sums = readiness.topic_sums(store, DECK).values()
    assert sum(cards for cards, _ in sums) == len(each)
    assert sum(total for _, total in sums) == pytest.approx(math.fsum(each), rel=1e-9)
