"""Today's queue: the cards a study session has left, and which one comes next.

Order, as in Anki: (re)learning cards due now come first; then review cards due today, oldest
due first, with the day's new cards mixed in at an even spacing (one every few reviews). Each
deck's daily limits apply, counting what earlier sessions of the same study day already used.
A card failed while learning comes back in the same session once its step is due; when only
such cards are left, one due within its deck's learn-ahead limit (20 minutes by default, as in
Anki) is shown at once, and otherwise `next_due()` says when the next one can be. Each deck's
cards are read through `srs.collection.memory.deck_queue`; the order, limits and spacing are
decided here. A custom selection (`srs.study.custom`) is queued with the same spacing of new
cards, and no limits.

The session (`srs.study.session`) asks it for the next card, tells it each answer, and has it
put a card back where it stood when an answer is undone.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from itertools import chain

from srs.clock import Clock, from_db, to_db
from srs.collection.decks import study_settings
from srs.collection.memory import deck_queue
from srs.collection.reviews import used_today
from srs.collection.settings import clock_for, get_settings
from srs.collection.store import Store
from srs.model.memory import Memory, MemoryState
from srs.study.answers import load_card
from srs.study.custom import CustomStudy, required_custom_cards
from srs.study.learning import LearningQueue

__all__ = [
    "QueueCounts",
    "QueuePlace",
    "StudyQueue",
]


@dataclass(frozen=True)
class QueueCounts:
    """Cards left in today's session, by kind (Anki's three numbers)."""

    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


class _Origin(Enum):
    NEW = "new"
    REVIEW = "review"
    LEARNING = "learning"
    OUTSIDE = "outside"


@dataclass(frozen=True)
class QueuePlace:
    """Where a card stood in the queue when it was answered: undo puts it back there."""

    origin: _Origin
    learning_due: str | None


class StudyQueue:
    """The cards of one session still to show, in the order they are shown.

    Built for the study day (again when a new one begins), or for a custom selection, which is
    what the learner chose and stays.
    """

    def __init__(
        self, store: Store, deck_ids: Sequence[str] | None, custom: CustomStudy | None
    ) -> None:
        """Build today's queue, or the queue of a custom selection.

        Raises:
            CollectionError: a deck id is not in the collection.
            CustomStudyError: the custom selection holds nothing to study.
        """
        self.store = store
        self.deck_ids = deck_ids
        self.custom = custom
        self._build()

    def _build(self) -> None:
        """The one place today's queue is built (again when a new study day begins)."""
        self.clock: Clock = clock_for(self.store)
        now = self.clock.now()
        self.day: date = self.clock.study_day(now)
        self._day_end = self.clock.next_day_start(now)
        self._learning = LearningQueue()
        self._ahead: dict[int, timedelta] = {}  # queued card id -> its deck's learn-ahead limit
        if self.custom is not None:
            cards = required_custom_cards(self.store, self.deck_ids, self.custom)
            self._main_queue(
                [card_id for card_id, is_new in cards if not is_new],
                [card_id for card_id, is_new in cards if is_new],
            )
            return
        used = used_today(self.store, self.day)
        reviews: list[tuple[str, int]] = []
        new: list[int] = []
        for deck_id, settings in study_settings(self.store, self.deck_ids):
            new_used, reviews_used = used.get(deck_id, (0, 0))
            queue = deck_queue(
                self.store,
                deck_id,
                today=self.day,
                until=self._day_end,
                new_limit=max(0, settings.new_per_day - new_used),
                review_limit=max(0, settings.reviews_per_day - reviews_used),
            )
            ahead = timedelta(minutes=settings.learn_ahead)
            for card_id in chain(queue.learning, queue.new, (cid for _, cid in queue.reviews)):
                self._ahead[card_id] = ahead
            for card_id, due in queue.learning.items():
                self._learning.add(card_id, due)
            reviews += queue.reviews
            new += queue.new
        self._main_queue([cid for _, cid in sorted(reviews)], new)

    def _main_queue(self, reviews: list[int], new: list[int]) -> None:
        """The main queue: review cards in this order, new cards spaced evenly among them."""
        self._reviews = deque(reviews)
        self._new = deque(new)
        # Anki's spacing: one new card every `modulus` cards of the main queue.
        self._modulus = max(2, (len(new) + len(reviews)) // len(new)) if new and reviews else 1
        self._main_shown = 0
        self._front: int | None = None

    def _roll_over(self) -> None:
        """Today's queue is built again when a new study day begins; a custom selection is
        what the learner chose, and stays."""
        if self.custom is None and self.clock.study_day() != self.day:
            self._build()

    def next_id(self) -> int | None:
        """The id of the card to show now (the same one until it is answered or dropped), or
        None when nothing is due now. A card an import retired since is not checked here."""
        self._roll_over()
        if self._front is not None:
            return self._front
        earliest = self._learning.earliest()
        if earliest is not None and earliest[0] <= to_db(self.clock.now()):
            return earliest[1]
        new_turn = (self._main_shown + 1) % self._modulus == 0
        if self._new and (new_turn or not self._reviews):
            return self._new[0]
        if self._reviews:
            return self._reviews[0]
        return self._learned_ahead()

    def _learned_ahead(self) -> int | None:
        """The earliest-due learning card within its deck's learn-ahead limit, for when
        nothing else is left: Anki shows it rather than make the learner wait a few minutes."""
        now = self.clock.now()
        cutoffs = {ahead: to_db(now + ahead) for ahead in set(self._ahead.values())}
        ready = [
            (due, card_id)
            for card_id, due in self._learning.items()
            if due <= cutoffs[self._ahead[card_id]]
        ]
        return min(ready)[1] if ready else None

    def _add_learning(self, card_id: int, due: str) -> None:
        """Queue a (re)learning card due at `due` (stored text) in this session."""
        self._learning.add(card_id, due)
        if card_id not in self._ahead:
            self._ahead[card_id] = self._learn_ahead_of(card_id)

    def _learn_ahead_of(self, card_id: int) -> timedelta:
        """The learn-ahead limit of a card that was not in the queue built for the day."""
        minutes = get_settings(self.store, load_card(self.store, card_id).deck_id).learn_ahead
        return timedelta(minutes=minutes)

    def next_due(self) -> datetime | None:
        """When the next (re)learning card can be shown: its due time less its deck's
        learn-ahead limit. None if no such card is left."""
        return min(
            (from_db(due) - self._ahead[card_id] for card_id, due in self._learning.items()),
            default=None,
        )

    @property
    def has_learning(self) -> bool:
        """A (re)learning card is still queued, due now or later today."""
        return bool(self._learning)

    def counts(self) -> QueueCounts:
        """New, learning and review cards left today (limits applied)."""
        return QueueCounts(len(self._new), len(self._learning), len(self._reviews))

    def place(self, card_id: int) -> QueuePlace:
        """Where the card stands now, to be kept with its answer."""
        return QueuePlace(self._origin(card_id), self._learning.get(card_id))

    def answered(self, card_id: int, place: QueuePlace, after: Memory) -> None:
        """Move on past an answered card: it comes back today only while (re)learning.

        Args:
            card_id: the card answered.
            place: where it stood before the answer (`place()`).
            after: its memory after the answer.
        """
        self.drop(card_id)
        if place.origin in (_Origin.NEW, _Origin.REVIEW):
            self._main_shown += 1
        if (
            after.state in (MemoryState.Learning, MemoryState.Relearning)
            and after.due
            and after.due < self._day_end
        ):
            self._add_learning(card_id, to_db(after.due))

    def put_back(self, card_id: int, place: QueuePlace) -> None:
        """Queue a card whose answer was undone where it stood before, to be shown next."""
        self.drop(card_id)
        if place.origin is _Origin.NEW:
            self._new.appendleft(card_id)
        elif place.origin is _Origin.REVIEW:
            self._reviews.appendleft(card_id)
        elif place.origin is _Origin.LEARNING and place.learning_due is not None:
            self._add_learning(card_id, place.learning_due)
        if place.origin in (_Origin.NEW, _Origin.REVIEW):
            self._main_shown = max(0, self._main_shown - 1)
        self._front = card_id

    def _origin(self, card_id: int) -> _Origin:
        if card_id in self._learning:
            return _Origin.LEARNING
        if card_id in self._new:
            return _Origin.NEW
        if card_id in self._reviews:
            return _Origin.REVIEW
        return _Origin.OUTSIDE

    def drop(self, card_id: int) -> None:
        """Take the card out of the queue (answered, buried, suspended, or gone)."""
        self._learning.discard(card_id)
        for queue in (self._new, self._reviews):
            if card_id in queue:
                queue.remove(card_id)
        if self._front == card_id:
            self._front = None
