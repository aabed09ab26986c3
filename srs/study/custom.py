"""Custom study: studying beyond the day's queue, as Anki's Custom Study does, shaped for an exam.

Five selections: drill one topic; the questions missed in the last mock exam; extra new cards
today; review ahead (review cards due in the next few days); cram the weakest cards. A
`StudySession` built with one (`StudySession(store, ["aws"], custom=CustomStudy.of_topic("IAM"))`)
studies exactly those cards. Its answers are reviews like any other (FSRS schedules an early
review from the time that really passed), logged with the source 'custom' so they spend none of
the day's new-card or review limits. The cards are read through `srs.collection`; which ones, in
what order, and why there are none, is decided here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from srs.clock import to_db
from srs.collection.attempts import last_submitted_attempt_id, missed_card_ids
from srs.collection.decks import study_settings
from srs.collection.memory import deck_queue, studyable_cards, topic_cards, topic_counts
from srs.collection.planning import studied_cards
from srs.collection.settings import clock_for, get_settings
from srs.collection.store import CollectionError, Store
from srs.model.memory import retrievability

__all__ = [
    "MAX_AMOUNT",
    "CustomCard",
    "CustomKind",
    "CustomStudy",
    "CustomStudyError",
    "custom_cards",
    "required_custom_cards",
    "study_topics",
    "weakest_cards",
]

MAX_AMOUNT = 9999
"""The most extra new cards, or days ahead, one custom session takes (`new_per_day`'s limit)."""


class CustomStudyError(CollectionError):
    """A custom study that has nothing to study; the message says why."""


class CustomKind(StrEnum):
    """What a custom session studies."""

    TOPIC = "topic"
    """Every card of one topic that can be studied today, due or not."""
    MISSED = "missed"
    """The questions the last submitted mock exam got wrong or left unanswered."""
    NEW = "new"
    """New cards beyond the day's limit."""
    AHEAD = "ahead"
    """Review cards due in the next few days (not today: those are today's queue)."""
    WEAKEST = "weakest"
    """Cram: the studied cards least likely to be recalled now, due or not, weakest topic
    first."""


@dataclass(frozen=True)
class CustomStudy:
    """One custom selection. Build it with the class methods.

    Attributes:
        kind: what is studied.
        topic: the topic drilled (TOPIC only), compared exactly, as a blueprint does.
        amount: new cards to add (NEW), or days to look ahead (AHEAD).
    """

    kind: CustomKind
    topic: str | None = None
    amount: int = 0

    @classmethod
    def of_topic(cls, topic: str) -> CustomStudy:
        return cls(CustomKind.TOPIC, topic=topic)

    @classmethod
    def missed(cls) -> CustomStudy:
        return cls(CustomKind.MISSED)

    @classmethod
    def new_cards(cls, count: int) -> CustomStudy:
        """Raises:
        ValueError: not from 1 to `MAX_AMOUNT`."""
        return cls(CustomKind.NEW, amount=_amount(count, "new cards"))

    @classmethod
    def ahead(cls, days: int) -> CustomStudy:
        """Raises:
        ValueError: not from 1 to `MAX_AMOUNT`."""
        return cls(CustomKind.AHEAD, amount=_amount(days, "days ahead"))

    @classmethod
    def weakest(cls, count: int) -> CustomStudy:
        """Raises:
        ValueError: not from 1 to `MAX_AMOUNT`."""
        return cls(CustomKind.WEAKEST, amount=_amount(count, "cards"))

    @property
    def title(self) -> str:
        """What the session studies, for its title (the topic is deck text: display it
        safely)."""
        if self.kind is CustomKind.TOPIC:
            return f"topic {self.topic}"
        if self.kind is CustomKind.MISSED:
            return "missed in the last mock exam"
        if self.kind is CustomKind.NEW:
            return f"{self.amount} extra new card{'s' * (self.amount != 1)}"
        if self.kind is CustomKind.WEAKEST:
            return f"the {self.amount} weakest card{'s' * (self.amount != 1)}"
        return f"reviews due in the next {self.amount} day{'s' * (self.amount != 1)}"


def _amount(value: int, what: str) -> int:
    if not 1 <= value <= MAX_AMOUNT:
        raise ValueError(f"{what} must be a whole number from 1 to {MAX_AMOUNT}, not {value}")
    return value


CustomCard = tuple[int, bool]
"""A card a custom session studies: (card id, is new)."""


def custom_cards(
    store: Store, deck_ids: Sequence[str] | None, study: CustomStudy
) -> list[CustomCard]:
    """The cards `study` selects from these decks (None: all), in the order they are shown:
    deck by deck, each deck's in the selection's order (soonest due first; new cards in deck
    order; missed questions in exam order). Retired, suspended and buried cards are left out.

    Raises:
        CollectionError: a deck id is not in the collection.
    """
    clock = clock_for(store)
    now = clock.now()
    today = clock.study_day(now)
    day_end = clock.next_day_start(now)
    cards: list[CustomCard] = []
    for deck_id, _settings in study_settings(store, deck_ids):
        if study.kind is CustomKind.TOPIC:
            assert study.topic is not None
            cards += topic_cards(store, deck_id, study.topic, today=today)
        elif study.kind is CustomKind.MISSED:
            attempt_id = last_submitted_attempt_id(store, deck_id)
            missed = [] if attempt_id is None else missed_card_ids(store, attempt_id)
            studyable = studyable_cards(store, missed, today=today)
            cards += [(card_id, studyable[card_id]) for card_id in missed if card_id in studyable]
        elif study.kind is CustomKind.WEAKEST:
            cards += weakest_cards(store, deck_id, study.amount - len(cards), now=now, today=today)
        elif study.kind is CustomKind.NEW:
            queue = deck_queue(
                store,
                deck_id,
                today=today,
                until=day_end,
                new_limit=study.amount - len(cards),
                review_limit=0,
            )
            cards += [(card_id, True) for card_id in queue.new]
        else:
            queue = deck_queue(
                store,
                deck_id,
                today=today,
                until=day_end + timedelta(days=study.amount),
                new_limit=0,
                review_limit=-1,  # SQLite: no limit
            )
            tomorrow = to_db(day_end)
            cards += [(card_id, False) for due, card_id in queue.reviews if due >= tomorrow]
    return cards


def weakest_cards(
    store: Store, deck_id: str, count: int, *, now: datetime, today: date
) -> list[CustomCard]:
    """The deck's `count` studied cards with the lowest chance of recall at `now` (the memory
    model's R), due or not, grouped by topic: the topic whose chosen cards are weakest on
    average first, each topic's weakest card first. New cards are left out: they have no
    recall to be weak in, and extra new cards are `CustomStudy.new_cards`."""
    if count <= 0:
        return []
    parameters = get_settings(store, deck_id).parameters
    chances = []
    for card_id, topic, memory in studied_cards(store, deck_id, today=today):
        recall = retrievability(memory, now, parameters)
        chances.append((0.0 if recall is None else recall, card_id, topic))
    chosen = sorted(chances)[:count]
    by_topic: dict[str | None, list[tuple[float, int, str | None]]] = {}
    for entry in chosen:
        by_topic.setdefault(entry[2], []).append(entry)
    topics = sorted(by_topic.values(), key=lambda group: sum(r for r, _, _ in group) / len(group))
    return [(card_id, False) for group in topics for _, card_id, _ in group]


def required_custom_cards(
    store: Store, deck_ids: Sequence[str] | None, study: CustomStudy
) -> list[CustomCard]:
    """`custom_cards`, or why there are none (what the command line prints before opening the
    app, and the custom study screen shows).

    Raises:
        CustomStudyError: the selection holds no card to study; the message says why.
        CollectionError: a deck id is not in the collection.
    """
    cards = custom_cards(store, deck_ids, study)
    if cards:
        return cards
    where = "any deck" if deck_ids is None else ", ".join(f"'{d}'" for d in deck_ids)
    if study.kind is CustomKind.TOPIC:
        topics = study_topics(store, deck_ids)
        known = f" (topics: {', '.join(topics)})" if topics else " (its cards have no topics)"
        raise CustomStudyError(f"no card of topic '{study.topic}' to study in {where}{known}")
    if study.kind is CustomKind.MISSED:
        decks = [deck_id for deck_id, _ in study_settings(store, deck_ids)]
        if all(last_submitted_attempt_id(store, deck_id) is None for deck_id in decks):
            raise CustomStudyError(f"no mock exam of {where} has been submitted yet")
        raise CustomStudyError(f"the last mock exam of {where} left nothing missed to study")
    if study.kind is CustomKind.NEW:
        raise CustomStudyError(f"no new cards left in {where}")
    if study.kind is CustomKind.WEAKEST:
        raise CustomStudyError(f"no card of {where} has been studied yet")
    days = f"{study.amount} day{'s' * (study.amount != 1)}"
    raise CustomStudyError(f"no review card of {where} is due in the next {days}")


def study_topics(store: Store, deck_ids: Sequence[str] | None) -> dict[str, int]:
    """Per topic, the cards of these decks (None: all) that can be studied today: the topics
    a custom session can drill, in alphabetical order."""
    clock = clock_for(store)
    return topic_counts(store, deck_ids, today=clock.study_day())
