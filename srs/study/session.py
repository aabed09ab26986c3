"""Today's queue: the study session the TUI and CLI drive.

Order, as in Anki: (re)learning cards due now come first; then review cards due today, oldest
due first, with the day's new cards mixed in at an even spacing (one every few reviews). Each
deck's daily limits apply, counting what earlier sessions of the same study day already used.
A card failed while learning comes back in the same session once its step is due; when only
such cards are left, one due within its deck's learn-ahead limit (20 minutes by default, as in
Anki) is shown at once, and otherwise `next_due()` says when the next one can be. Each deck's
cards are read through `srs.collection.memory.deck_queue`; the order, limits and spacing are
decided here.

A session built with a custom selection (`srs.study.custom`: a topic, an exam's missed
questions, extra new cards, reviews ahead) studies those cards instead, with the same spacing
of new cards, undo, bury and suspend; its answers spend none of the day's limits.

A card an import retired (or another srs process suspended or buried) after the queue was
built is dropped when its turn comes, never shown.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from itertools import chain

from fsrs import Rating

from srs.clock import Clock, from_db, to_db
from srs.collection.decks import study_settings
from srs.collection.memory import deck_queue, studyable_cards
from srs.collection.reviews import used_today
from srs.collection.settings import clock_for, get_settings
from srs.collection.store import Store
from srs.model.memory import MemoryState
from srs.study.answers import (
    AnswerResult,
    ChoiceOption,
    StudyCard,
    bury_card,
    choices_for,
    grade,
    load_card,
    record_answer,
    suspend_card,
    undo_answer,
)
from srs.study.custom import CustomStudy, required_custom_cards
from srs.study.intervals import card_identity
from srs.study.learning import LearningQueue
from srs.study.scheduling import Preview, preview
from srs.study.upcoming import next_study_time

__all__ = [
    "QueueCounts",
    "SessionSummary",
    "StudySession",
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


@dataclass(frozen=True)
class SessionSummary:
    """The end-of-session screen.

    Attributes:
        cards_reviewed: distinct cards answered in the session (undone answers excluded).
        answers: answers given (a failed card answered again counts twice).
        correct: answers rated above Again.
        time_spent: the answer times added up (each capped at 60 s).
        next_due: when a card is next ready to study (None: nothing left in these decks).
    """

    cards_reviewed: int
    answers: int
    correct: int
    time_spent: timedelta
    next_due: datetime | None

    @property
    def percent_correct(self) -> float:
        """Answers rated above Again, in percent (0 when nothing was answered)."""
        return 100.0 * self.correct / self.answers if self.answers else 0.0


class _Origin(Enum):
    NEW = "new"
    REVIEW = "review"
    LEARNING = "learning"
    OUTSIDE = "outside"


@dataclass(frozen=True)
class _Answered:
    result: AnswerResult
    origin: _Origin
    learning_due: str | None


class StudySession:
    """Today's study of one deck, some decks, or all of them.

    Typical use (the TUI's loop)::

        session = StudySession(store, ["aws"])
        while (card := session.next_card()) is not None:
            ...show card, previews = session.preview(card) ...
            result = session.answer(card.id, Rating.Good, duration_ms=4200)
        if (when := session.next_due()) is not None:
            ...wait until `when`, then ask next_card() again...
        summary = session.summary()
    """

    def __init__(
        self,
        store: Store,
        deck_ids: Sequence[str] | None = None,
        *,
        rng: random.Random | None = None,
        custom: CustomStudy | None = None,
    ) -> None:
        """Build today's queue, or the queue of a custom selection.

        Args:
            store: the collection.
            deck_ids: the decks to study; None for all of them (each deck's limits apply).
            rng: shuffles the options of multiple-choice cards (tests pass a seeded one).
            custom: study this selection instead of today's queue (no limits apply, none
                are spent).

        Raises:
            CollectionError: a deck id is not in the collection.
            CustomStudyError: the custom selection holds nothing to study (the message says
                why).
        """
        self.store = store
        self.deck_ids = None if deck_ids is None else tuple(deck_ids)
        self.rng = rng or random.Random()
        self.custom = custom
        self._answered: list[_Answered] = []
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
            self._queue(
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
        self._queue([cid for _, cid in sorted(reviews)], new)

    def _queue(self, reviews: list[int], new: list[int]) -> None:
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

    def _next_id(self) -> int | None:
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

    def next_card(self) -> StudyCard | None:
        """The card to show now (the same one until it is answered, buried or suspended).

        Returns:
            The card, or None when nothing is due now: then `next_due()` tells whether a
            learning card is still to come today.
        """
        while (card_id := self._next_id()) is not None:
            if card_id in studyable_cards(self.store, [card_id], today=self.day):
                return load_card(self.store, card_id)
            self._drop(card_id)
        return None

    def next_due(self) -> datetime | None:
        """When the next (re)learning card of this session can be shown: its due time less its
        deck's learn-ahead limit. None if no such card is left.

        Ask it when `next_card()` returns None: a time means "wait until then", None means the
        session is over.
        """
        return min(
            (from_db(due) - self._ahead[card_id] for card_id, due in self._learning.items()),
            default=None,
        )

    @property
    def is_finished(self) -> bool:
        """Nothing to show now and no learning card still to come today."""
        return self.next_card() is None and not self._learning

    def counts(self) -> QueueCounts:
        """New, learning and review cards left today (limits applied)."""
        return QueueCounts(len(self._new), len(self._learning), len(self._reviews))

    def choices(self, card: StudyCard) -> list[ChoiceOption]:
        """The card's options, shuffled anew for this showing (empty for free recall)."""
        return choices_for(card.content, self.rng)

    def preview(self, card: StudyCard) -> dict[Rating, Preview]:
        """Per rating, the due date and interval answering it now would give."""
        settings = get_settings(self.store, card.deck_id)
        return preview(
            card.memory,
            card=card_identity(card.deck_id, card.content.id),
            now=self.clock.now(),
            settings=settings,
            clock=self.clock,
        )

    def answer(
        self,
        card_id: int,
        rating: Rating,
        *,
        duration_ms: int,
        choice: Sequence[str] | None = None,
    ) -> AnswerResult:
        """Answer a card: schedule it, log it, and move on in the queue.

        Args:
            card_id: the card answered (normally the one `next_card()` gave).
            rating: the rating; for chosen options it must be one `grade()` allows (wrong:
                Again; right: Hard, Good or Easy).
            duration_ms: time taken (logged capped at 60 s).
            choice: the option text(s) chosen, for multiple-choice and select-all cards.

        Raises:
            ValueError: the rating contradicts the options chosen.
            CollectionError: no such card, or the collection cannot be written.
        """
        if choice is not None and (content := load_card(self.store, card_id).content).distractors:
            allowed = grade(content, choice).allowed
            if Rating(rating) not in allowed:
                names = ", ".join(r.name for r in allowed)
                raise ValueError(f"rating {Rating(rating).name} contradicts the choice ({names})")
        learning_due = self._learning.get(card_id)
        origin = self._origin(card_id)
        result = record_answer(
            self.store,
            card_id,
            rating,
            duration_ms=duration_ms,
            choice=choice,
            source="review" if self.custom is None else "custom",
        )
        self._drop(card_id)
        if origin in (_Origin.NEW, _Origin.REVIEW):
            self._main_shown += 1
        after = result.after
        if (
            after.state in (MemoryState.Learning, MemoryState.Relearning)
            and after.due
            and after.due < self._day_end
        ):
            self._add_learning(card_id, to_db(after.due))
        self._answered.append(_Answered(result, origin, learning_due))
        return result

    def _origin(self, card_id: int) -> _Origin:
        if card_id in self._learning:
            return _Origin.LEARNING
        if card_id in self._new:
            return _Origin.NEW
        if card_id in self._reviews:
            return _Origin.REVIEW
        return _Origin.OUTSIDE

    def _drop(self, card_id: int) -> None:
        self._learning.discard(card_id)
        for queue in (self._new, self._reviews):
            if card_id in queue:
                queue.remove(card_id)
        if self._front == card_id:
            self._front = None

    @property
    def can_undo(self) -> bool:
        return bool(self._answered)

    def undo(self) -> StudyCard | None:
        """Take back the session's last answer (again for the one before, and so on).

        The card's memory is restored exactly, its log row deleted, and it is shown next.

        Returns:
            The card to show again, or None when the session has no answer to take back.

        Raises:
            CollectionError: the card was answered again elsewhere since.
        """
        if not self._answered:
            return None
        entry = self._answered[-1]
        undo_answer(self.store, entry.result)
        self._answered.pop()
        card_id = entry.result.card_id
        self._drop(card_id)
        if entry.origin is _Origin.NEW:
            self._new.appendleft(card_id)
        elif entry.origin is _Origin.REVIEW:
            self._reviews.appendleft(card_id)
        elif entry.origin is _Origin.LEARNING and entry.learning_due is not None:
            self._add_learning(card_id, entry.learning_due)
        if entry.origin in (_Origin.NEW, _Origin.REVIEW):
            self._main_shown = max(0, self._main_shown - 1)
        self._front = card_id
        return load_card(self.store, card_id)

    def bury(self, card_id: int) -> date:
        """Hide the card until the next study day. Returns the day it comes back."""
        day = bury_card(self.store, card_id)
        self._drop(card_id)
        return day

    def suspend(self, card_id: int) -> None:
        """Take the card out of every queue until it is unsuspended."""
        suspend_card(self.store, card_id)
        self._drop(card_id)

    def summary(self) -> SessionSummary:
        """Cards answered, share correct, time spent, and when the next card is ready."""
        results = [entry.result for entry in self._answered]
        if self._next_id() is not None:
            next_due: datetime | None = self.clock.now()
        else:
            next_due = self.next_due() or next_study_time(self.store, self.deck_ids)
        return SessionSummary(
            len({r.card_id for r in results}),
            len(results),
            sum(r.correct for r in results),
            timedelta(milliseconds=sum(r.duration_ms for r in results)),
            next_due,
        )
