"""The forecast's own FSRS arithmetic agrees with py-fsrs, and its chances with the exact maths."""

from __future__ import annotations

import random

from fsrs import Rating, Scheduler

from srs.exam.probability import predict
from srs.plan.chance import form_chance
from srs.plan.forecast import ForecastInput, Studied, forecast

W = Scheduler().parameters


def source(card: Studied, days: int, relearning: int) -> ForecastInput:
    return ForecastInput(
        days=days,
        now=0.5,
        studied=card,
        new=[],
        new_per_day=0,
        pool_counts=[1],
        needed=1,
        chance=lambda recall, picks: 0.0 if recall is None else recall,
        parameters=W,
        desired_retention=0.9,
        exam_retention=None,
        maximum_interval=36500,
        first=(1.0, 5.0, 1),
        first_answers=1,
        relearning_answers=relearning,
        seconds_per_answer=60.0,
    )


def test_a_review_leaves_the_expected_stability_of_py_fsrs_good_and_again() -> None:
    scheduler = Scheduler(parameters=W, relearning_steps=(), enable_fuzzing=False)
    s, d, elapsed = 10.0, 5.0, 9 + 1 / 3 - 0.5  # last answer at now (0.5), review on day 9
    # Day 9 is past the first interval: the review happens there and the next one later.
    card = Studied([s], [d], [0.5], [9], [0], [0], [4])
    result = forecast(source(card, 9, 0))
    decay = -W[20]
    recall = (1 + (0.9 ** (1 / decay) - 1) * elapsed / s) ** decay
    good = scheduler._next_stability(
        difficulty=d, stability=s, retrievability=recall, rating=Rating.Good
    )
    again = scheduler._next_stability(
        difficulty=d, stability=s, retrievability=recall, rating=Rating.Again
    )
    expected = recall * good + (1 - recall) * again
    # On exam day (the review's own day) recall is taken at midday: a sixth of a day later.
    on_day = (1 + (0.9 ** (1 / decay) - 1) * (1 / 6) / expected) ** decay
    assert abs(result.recall_exam_day - on_day) < 1e-9
    assert result.rows[9].reviews == 1.0


def test_exam_day_recall_of_cards_reviewed_or_not_is_each_cards_own() -> None:
    # The first card is not due before the exam, the second is reviewed on days 2 and after:
    # with no limit on the minutes the cards do not interact, so exam day's mean recall is
    # the mean of each card forecast alone.
    waiting = Studied([30.0], [5.0], [-2.0], [40], [0], [0], [4])
    reviewed = Studied([2.0], [6.0], [-1.0], [2], [0], [0], [4])
    both = Studied([30.0, 2.0], [5.0, 6.0], [-2.0, -1.0], [40, 2], [0, 0], [0, 0], [4, 4])

    alone = [forecast(source(card, 9, 1)).recall_exam_day for card in (waiting, reviewed)]
    together = forecast(source(both, 9, 1))

    assert together.rows[2].reviews > 0
    assert alone[0] != alone[1]
    assert abs(together.recall_exam_day - sum(alone) / 2) < 1e-12


def test_the_chance_of_a_large_pool_is_close_to_the_exact_one() -> None:
    rng = random.Random(5)
    chances = [rng.uniform(0.4, 1.0) for _ in range(3000)]
    exact = predict([(chances, 40)], 30, method="exact").pass_chance
    fast, _ = form_chance([(chances, 40)], 30)
    assert abs(fast - exact) < 0.005
