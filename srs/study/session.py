"""The study session the TUI and CLI drive: today's queue shown card by card, each card answered
(or buried, or suspended), answers undone back through the session, and its summary.

Which card comes next, the daily limits and the learning steps are the queue's
(`srs.study.queue`). A session built with a custom selection (`srs.study.custom`: a topic, an
exam's missed questions, extra new cards, reviews ahead) studies those cards instead, with the
same spacing of new cards, undo, bury and suspend; its answers spend none of the day's limits.

A card an import retired (or another srs process suspended or buried) after the queue was
built is dropped when its turn comes, never shown.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from fsrs import Rating

from srs.clock import Clock
from srs.collection.memory import studyable_cards
from srs.collection.settings import get_settings
from srs.collection.store import Store
from srs.model.deck import Card
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
from srs.study.custom import CustomStudy
from srs.study.intervals import card_identity
from srs.study.queue import QueueCounts, QueuePlace, StudyQueue
from srs.study.scheduling import Preview, preview
from srs.study.upcoming import next_study_time

__all__ = [
    "SessionSummary",
    "StudySession",
]


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


@dataclass(frozen=True)
class _Answered:
    result: AnswerResult
    place: QueuePlace


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
        self._queue = StudyQueue(store, self.deck_ids, custom)
        self._shown: StudyCard | None = None
        """The card `next_card()` last gave: its answer is graded against what was shown."""

    @property
    def clock(self) -> Clock:
        """The collection's clock, as read when the queue was last built."""
        return self._queue.clock

    @property
    def day(self) -> date:
        """The study day the queue was built for (a new one rebuilds it)."""
        return self._queue.day

    def next_card(self) -> StudyCard | None:
        """The card to show now (the same one until it is answered, buried or suspended).

        Returns:
            The card, or None when nothing is due now: then `next_due()` tells whether a
            learning card is still to come today.
        """
        while (card_id := self._queue.next_id()) is not None:
            if card_id in studyable_cards(self.store, [card_id], today=self.day):
                self._shown = load_card(self.store, card_id)
                return self._shown
            self._queue.drop(card_id)
        return None

    def next_due(self) -> datetime | None:
        """When the next (re)learning card of this session can be shown: its due time less its
        deck's learn-ahead limit. None if no such card is left.

        Ask it when `next_card()` returns None: a time means "wait until then", None means the
        session is over.
        """
        return self._queue.next_due()

    @property
    def is_finished(self) -> bool:
        """Nothing to show now and no learning card still to come today."""
        return self.next_card() is None and not self._queue.has_learning

    def counts(self) -> QueueCounts:
        """New, learning and review cards left today (limits applied)."""
        return self._queue.counts()

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
        if choice is not None and (content := self._content(card_id)).distractors:
            allowed = grade(content, choice).allowed
            if Rating(rating) not in allowed:
                names = ", ".join(r.name for r in allowed)
                raise ValueError(f"rating {Rating(rating).name} contradicts the choice ({names})")
        place = self._queue.place(card_id)
        result = record_answer(
            self.store,
            card_id,
            rating,
            duration_ms=duration_ms,
            choice=choice,
            source="review" if self.custom is None else "custom",
        )
        self._queue.answered(card_id, place, result.after)
        self._answered.append(_Answered(result, place))
        return result

    def _content(self, card_id: int) -> Card:
        """The card as shown, if it is the one shown (no read, and a re-import since does not
        change what the choice is graded against), else as stored."""
        shown = self._shown
        return (
            shown if shown is not None and shown.id == card_id else load_card(self.store, card_id)
        ).content

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
        self._queue.put_back(card_id, entry.place)
        return load_card(self.store, card_id)

    def bury(self, card_id: int) -> date:
        """Hide the card until the next study day. Returns the day it comes back."""
        day = bury_card(self.store, card_id)
        self._queue.drop(card_id)
        return day

    def suspend(self, card_id: int) -> None:
        """Take the card out of every queue until it is unsuspended."""
        suspend_card(self.store, card_id)
        self._queue.drop(card_id)

    def summary(self) -> SessionSummary:
        """Cards answered, share correct, time spent, and when the next card is ready."""
        results = [entry.result for entry in self._answered]
        if self._queue.next_id() is not None:
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
