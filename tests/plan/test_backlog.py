"""The forecast's waiting cards: a day's expected answers from block sums stay within a hair of
weighing every card, and a day takes exactly the first cards that fit."""

from __future__ import annotations

import random

from fsrs import Scheduler

from srs.plan.backlog import Backlog, Cards

W = Scheduler().parameters
DECAY = -W[20]
FACTOR = 0.9 ** (1 / DECAY) - 1
NOW = 0.4


def moment(day: int) -> float:
    return NOW if day == 0 else day + 1 / 3


def expected_answers(cards: Cards, index: int, day: int, relearn: int) -> float:
    """One card's expected answers, as the forecast counted them before blocks."""
    if cards.steps[index]:
        return cards.steps[index] * cards.weight[index]
    elapsed = moment(day) - cards.last[index]
    recall = (1 + FACTOR * elapsed / cards.stability[index]) ** DECAY
    return (1 + (1 - recall) * relearn) * cards.weight[index]


def random_cards(rng: random.Random, count: int) -> Cards:
    """Cards of every kind a backlog holds: weak and strong, long overdue and just due, a few
    in learning, a few entries standing for several new cards."""
    stability = [rng.choice([0.3, 1.0, 2.3]) * rng.lognormvariate(1.5, 1.2) for _ in range(count)]
    last = [-rng.uniform(0, 3 * s) for s in stability]
    steps = [1 if rng.random() < 0.05 else 0 for _ in range(count)]
    weight = [rng.choice([2, 7]) if rng.random() < 0.03 else 1 for _ in range(count)]
    return Cards(stability, [5.0] * count, last, [0] * count, [4] * count, steps, weight)


def test_cards_waiting_for_weeks_ask_for_what_weighing_each_card_gives() -> None:
    rng = random.Random(7)
    days, relearn = 60, 1
    cards = random_cards(rng, 30_000)
    backlog = Backlog(cards, FACTOR, DECAY, relearn, NOW, days)
    waiting: list[int] = []
    arrivals = iter(range(len(cards.stability)))
    worst = 0.0
    for day in range(days + 1):
        joining = [next(arrivals) for _ in range(6000 if day == 0 else 400)]
        backlog.add(joining, day)
        waiting += joining
        exact = sum(expected_answers(cards, i, day, relearn) for i in waiting)
        worst = max(worst, abs(backlog.answers(day) - exact) / exact)
        taken = backlog.take(day, 150.0)
        assert taken == waiting[: len(taken)]
        del waiting[: len(taken)]
    assert worst < 2e-4  # 0.02%: docs/plan.md


def test_a_day_takes_the_first_cards_whose_answers_fit() -> None:
    cards = random_cards(random.Random(3), 1000)
    backlog = Backlog(cards, FACTOR, DECAY, 2, NOW, 10)
    backlog.add(list(range(1000)), 0)
    backlog.answers(4)
    limit = 700.0

    taken = backlog.take(4, limit)

    spent = [expected_answers(cards, i, 4, 2) for i in range(1000)]
    assert taken == list(range(len(taken)))
    assert sum(spent[: len(taken)]) <= limit < sum(spent[: len(taken) + 1])
    assert backlog.take_all() == list(range(len(taken), 1000))
    assert backlog.answers(5) == 0.0
