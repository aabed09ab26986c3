"""The exam's shape: the deck's `exam:` block, what a form is drawn from, and the pass line.

Shared by the exam engine (which draws forms) and the readiness model (which averages over the
forms it could draw).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from srs.collection.cards import exam_cards
from srs.collection.decks import deck_exam
from srs.collection.store import CollectionError, Store
from srs.model.deck import ExamSpec

__all__ = [
    "ExamError",
    "Pool",
    "draw_form",
    "exam_pools",
    "exam_spec",
    "needed_to_pass",
    "pools_of",
    "required_exam_spec",
]


class ExamError(CollectionError):
    """A mock exam cannot be started, answered or read; the message says why."""


@dataclass(frozen=True)
class Pool:
    """Cards one part of a form is drawn from: `count` of them, uniformly, without repeats.

    Attributes:
        topic: the blueprint topic, or None for the whole deck.
        card_ids: the eligible cards, in deck order.
        count: questions drawn from them.
    """

    topic: str | None
    card_ids: tuple[int, ...]
    count: int


def needed_to_pass(pass_mark: float, total: int) -> int:
    """Right answers needed to pass: a score equal to the pass mark passes.

    The tolerance keeps 56% of 25 (14.000000000000002 in floating point) at 14.
    """
    return max(0, math.ceil(pass_mark * total - 1e-9))


def exam_spec(store: Store, deck_id: str) -> ExamSpec | None:
    """The deck's `exam:` block as last imported; None when the deck has none.

    Raises:
        ExamError: no such deck.
    """
    try:
        return deck_exam(store, deck_id)
    except CollectionError as exc:
        raise ExamError(str(exc)) from None


def required_exam_spec(store: Store, deck_id: str) -> ExamSpec:
    """The deck's `exam:` block.

    Raises:
        ExamError: no such deck, or it has no exam.
    """
    spec = exam_spec(store, deck_id)
    if spec is None:
        raise ExamError(
            f"deck '{deck_id}' has no mock exam: add an 'exam:' block to its file and import it"
        )
    return spec


def exam_pools(store: Store, deck_id: str, spec: ExamSpec) -> tuple[Pool, ...]:
    """What a form of the deck's exam is drawn from: the cards an exam can ask (in the deck
    file and multiple choice; suspended and buried ones too), as one pool or one per blueprint
    topic.

    Raises:
        ExamError: too few eligible cards for the exam (or for a blueprint topic).
    """
    return pools_of(deck_id, spec, exam_cards(store, deck_id))


def pools_of(
    deck_id: str, spec: ExamSpec, cards: Sequence[tuple[int, str | None]]
) -> tuple[Pool, ...]:
    """The pools of the deck's exam, from the cards it can ask as (id, topic), kept in the
    order given (`exam_pools` reads them; the readiness model passes the ones it read).

    Raises:
        ExamError: too few cards for the exam (or for a blueprint topic).
    """
    pools: tuple[Pool, ...] = (Pool(None, tuple(c for c, _ in cards), spec.questions),)
    if spec.blueprint:
        pools = tuple(
            Pool(topic, tuple(card_id for card_id, t in cards if t == topic), count)
            for topic, count in spec.blueprint
        )
    for pool in pools:
        if len(pool.card_ids) < pool.count:
            where = f" on '{pool.topic}'" if pool.topic is not None else ""
            raise ExamError(
                f"the exam needs {pool.count} questions{where} but deck '{deck_id}' has "
                f"{len(pool.card_ids)} multiple-choice cards{where}"
            )
    return pools


def draw_form(pools: Sequence[Pool], rng: random.Random) -> list[int]:
    """Card ids of a fresh form: `count` cards at random from each pool, in random order."""
    drawn = [card_id for pool in pools for card_id in rng.sample(pool.card_ids, pool.count)]
    rng.shuffle(drawn)
    return drawn
