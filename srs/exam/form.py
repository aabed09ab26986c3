"""The exam's shape: the deck's `exam:` block, what a form is drawn from, and the pass line.

Shared by the exam engine (which draws forms) and the readiness model (which averages over the
forms it could draw).
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from srs.collection.cards import exam_cards
from srs.collection.decks import deck_exam
from srs.collection.store import CollectionError, Store
from srs.model.deck import ExamSpec

__all__ = [
    "ExamError",
    "Pool",
    "check_pool",
    "draw_form",
    "exam_pools",
    "exam_spec",
    "needed_to_pass",
    "pool_demands",
    "pools_of",
    "required_exam_spec",
    "topic_pools",
]

T = TypeVar("T")


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
        check_pool(deck_id, pool.topic, len(pool.card_ids), pool.count)
    return pools


def pool_demands(spec: ExamSpec) -> list[tuple[str | None, int]]:
    """Each pool of the exam as (topic, questions drawn from it): the whole deck (topic None),
    or each blueprint topic."""
    return [*spec.blueprint] or [(None, spec.questions)]


def topic_pools(
    deck_id: str, spec: ExamSpec, by_topic: Mapping[str | None, Sequence[T]]
) -> list[tuple[Sequence[T], int]]:
    """The exam's pools as (members, questions drawn), from the cards it can ask grouped by
    topic (any value per card: the readiness model passes each card's chance).

    Raises:
        ExamError: too few cards for the exam (or for a blueprint topic).
    """
    pools: list[tuple[Sequence[T], int]] = []
    for topic, count in pool_demands(spec):
        if topic is None:
            members: Sequence[T] = [m for each in by_topic.values() for m in each]
        else:
            members = by_topic.get(topic, ())
        check_pool(deck_id, topic, len(members), count)
        pools.append((members, count))
    return pools


def check_pool(deck_id: str, topic: str | None, size: int, count: int) -> None:
    """Refuse a pool (topic None: the whole deck) with fewer cards than questions to draw.

    Raises:
        ExamError: too few cards.
    """
    if size < count:
        where = f" on '{topic}'" if topic is not None else ""
        raise ExamError(
            f"the exam needs {count} questions{where} but deck '{deck_id}' has "
            f"{size} multiple-choice cards{where}"
        )


def draw_form(pools: Sequence[Pool], rng: random.Random) -> list[int]:
    """Card ids of a fresh form: `count` cards at random from each pool, in random order."""
    drawn = [card_id for pool in pools for card_id in rng.sample(pool.card_ids, pool.count)]
    rng.shuffle(drawn)
    return drawn
