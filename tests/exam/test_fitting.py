"""The guessing fit gives what its plain definition gives, each answer its own term in every
round of the EM: the fit sums the answers that count alike, so only the order of float sums
may differ."""

from __future__ import annotations

import random

import pytest

from srs.exam.fitting import (
    GUESS_PRIOR_WEIGHT,
    PRIOR_WEIGHT,
    Guessing,
    ObservedAnswer,
    fit_guessing,
)

SHAPES = [2, 3, 4, 6, 10, 15]


def plain_guessing(answers: list[ObservedAnswer]) -> Guessing:
    """`fit_guessing` by its definition: every answer, one by one, in every round."""
    first_counts: dict[int, float] = {}
    for a in answers:
        if a.recall is None:
            first_counts[a.picks] = first_counts.get(a.picks, 0.0) + a.count
    data = list(answers)
    for picks, count in first_counts.items():
        weight = PRIOR_WEIGHT * count / sum(first_counts.values())
        data.append(ObservedAnswer(picks, None, True, weight / picks))
        data.append(ObservedAnswer(picks, None, False, weight * (1.0 - 1.0 / picks)))
    rates = {a.picks: 1.0 / a.picks for a in data}
    prior = 0.5 if first_counts else 0.0
    for _ in range(1000):
        tries = dict.fromkeys(rates, 0.0)
        right = dict.fromkeys(rates, 0.0)
        known_first = first = 0.0
        for a in data:
            recall = prior if a.recall is None else a.recall
            known = recall / (recall + (1.0 - recall) * rates[a.picks]) if a.right else 0.0
            tries[a.picks] += a.count * (1.0 - known)
            right[a.picks] += a.count * (1.0 - known) * a.right
            if a.recall is None:
                first += a.count
                known_first += a.count * known
        new_rates = {
            p: (right[p] + GUESS_PRIOR_WEIGHT / p) / (tries[p] + GUESS_PRIOR_WEIGHT) for p in rates
        }
        new_prior = known_first / first if first else 0.0
        change = max([abs(new_prior - prior)] + [abs(new_rates[p] - rates[p]) for p in rates])
        rates, prior = new_rates, new_prior
        if change < 1e-9:
            break
    return Guessing(rates, prior)


def random_answers(rng: random.Random) -> list[ObservedAnswer]:
    """First answers counted by shape (some shapes without), and later answers to cards the
    model gave R <= 0.5, right as often as R + (1 - R) / C(k, m) makes them."""
    shapes = rng.sample(SHAPES, rng.randint(1, 4))
    answers = []
    for picks in shapes:
        if rng.random() < 0.8:
            answered = rng.randint(1, 300)
            right = rng.randint(0, answered)
            answers.append(ObservedAnswer(picks, None, True, right))
            answers.append(ObservedAnswer(picks, None, False, answered - right))
    for _ in range(rng.randint(0, 150)):
        picks, recall = rng.choice(shapes), rng.uniform(0.0, 0.5)
        answers.append(ObservedAnswer(picks, recall, rng.random() < recall + (1 - recall) / picks))
    rng.shuffle(answers)
    return answers


@pytest.mark.parametrize("seed", range(30))
def test_the_guessing_fit_is_the_plain_em_over_every_answer(seed: int) -> None:
    answers = random_answers(random.Random(seed))

    fitted = fit_guessing(answers)
    expected = plain_guessing(answers)

    assert fitted.rates.keys() == expected.rates.keys()
    for picks, rate in expected.rates.items():
        assert fitted.rates[picks] == pytest.approx(rate, rel=1e-11, abs=0)
    assert fitted.prior_recall == pytest.approx(expected.prior_recall, rel=1e-11, abs=0)


def test_without_answers_nothing_is_fitted() -> None:
    assert fit_guessing([]) == Guessing({}, 0.0)
