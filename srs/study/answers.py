"""Answering cards: grading choices, the one function that writes an answer, undo, bury and
suspend, leeches.

The study session is in `srs.study.session` (its queue in `srs.study.queue`); both the session and
the exam engine write answers through `record_answer`, so every answer is scheduled and logged the
same way. The rows are read and written through `srs.collection` (memory, reviews, cards); the
rules (grading, scheduling, when a card becomes a leech, what undo may take back) are here.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from fsrs import Rating

from srs.collection.cards import (
    bury_until,
    card_ids_by_key,
    no_card,
    set_leech,
    set_suspended,
    suspended_keys,
)
from srs.collection.changes import record_card_change
from srs.collection.decks import require_deck
from srs.collection.memory import answer_basis, card_memory, memory_of, set_memory
from srs.collection.reviews import Review, Source, delete_review, log_review, logged_memory
from srs.collection.settings import clock_for
from srs.collection.store import CollectionError, Store
from srs.model.deck import Card, Choice
from srs.model.memory import Memory
from srs.study.intervals import card_identity
from srs.study.logreplay import LogScheduler

__all__ = [
    "MAX_DURATION_MS",
    "AnswerResult",
    "CardKind",
    "ChoiceOption",
    "Grade",
    "Source",
    "StudyCard",
    "bury_card",
    "choices_for",
    "find_cards",
    "forget_card",
    "forgotten",
    "grade",
    "load_card",
    "record_answer",
    "suspend_card",
    "suspended_cards",
    "undo_answer",
    "unsuspend_card",
]

MAX_DURATION_MS = 60_000
"""Answer times are capped at 60 s, as Anki does: a learner who walked away is not slow."""


class CardKind(StrEnum):
    """How a card is asked and graded."""

    FREE_RECALL = "free_recall"
    """No options: the answer is revealed and the learner rates recall 1-4."""
    MULTIPLE_CHOICE = "multiple_choice"
    """One right option among distractors."""
    SELECT_ALL = "select_all"
    """Several right options: right only when exactly those are chosen."""


@dataclass(frozen=True)
class StudyCard:
    """A card as the study screen needs it: what the deck says, and where it is in memory."""

    id: int
    deck_id: str
    content: Card
    memory: Memory

    @property
    def kind(self) -> CardKind:
        if not self.content.distractors:
            return CardKind.FREE_RECALL
        if len(self.content.answers) > 1:
            return CardKind.SELECT_ALL
        return CardKind.MULTIPLE_CHOICE


def load_card(store: Store, card_id: int) -> StudyCard:
    """The card with its memory.

    Raises:
        CollectionError: no such card.
    """
    deck_id, content, memory = card_memory(store, card_id)
    return StudyCard(card_id, deck_id, content, memory)


@dataclass(frozen=True)
class ChoiceOption:
    """One option as shown: its text, whether it is right, and feedback for choosing it."""

    text: str
    is_correct: bool
    feedback: str | None


def choices_for(card: Card, rng: random.Random | None = None) -> list[ChoiceOption]:
    """The options of a multiple-choice or select-all card, shuffled anew on every call.

    Args:
        card: the card's content; a free-recall card has no options (empty list).
        rng: the shuffle's source (tests pass a seeded one).
    """
    if not card.distractors:
        return []
    options = [ChoiceOption(text, True, card.feedback_correct) for text in card.answers]
    options += [_wrong_option(card, choice) for choice in card.distractors]
    (rng or random.Random()).shuffle(options)
    return options


def _wrong_option(card: Card, choice: Choice) -> ChoiceOption:
    return ChoiceOption(choice.text, False, choice.feedback or card.feedback_incorrect)


@dataclass(frozen=True)
class Grade:
    """The verdict on the options chosen, and the ratings the learner may then give.

    Attributes:
        correct: exactly the right option(s) were chosen.
        suggested: Good when right, Again when wrong.
        allowed: the ratings to offer: only Again when wrong; any when right (Again: "I
            guessed", so a lucky pick is not logged as known, as honest learners do in Anki).
        missed: right options not chosen.
        wrongly_chosen: wrong options chosen.
    """

    correct: bool
    suggested: Rating
    allowed: tuple[Rating, ...]
    missed: tuple[str, ...]
    wrongly_chosen: tuple[str, ...]


def grade(card: Card, chosen: Collection[str]) -> Grade:
    """Grade the option texts chosen for a multiple-choice or select-all card."""
    picked = set(chosen)
    missed = tuple(text for text in card.answers if text not in picked)
    wrong = tuple(text for text in chosen if text not in card.answers)
    if missed or wrong:
        return Grade(False, Rating.Again, (Rating.Again,), missed, wrong)
    return Grade(True, Rating.Good, tuple(Rating), (), ())


@dataclass(frozen=True)
class AnswerResult:
    """What one answer did; the session keeps it to undo the answer.

    Attributes:
        review_id: the row written to the review log.
        card_id: the card answered.
        rating: the rating given.
        day: the study day the answer counts for.
        duration_ms: the time taken, as logged (capped at 60 s).
        before: the card's memory before the answer (undo restores it).
        after: the card's memory after it.
        leech: the learner should be told the card is a leech: this lapse reached the deck's
            leech threshold (or another half of it past the threshold, as Anki warns).
        leech_flagged: this answer set the card's leech flag (undo clears it again).
    """

    review_id: int
    card_id: int
    rating: Rating
    day: date
    duration_ms: int
    before: Memory
    after: Memory
    leech: bool = False
    leech_flagged: bool = False

    @property
    def correct(self) -> bool:
        """Recalled: any rating above Again."""
        return self.rating > Rating.Again


def record_answer(
    store: Store,
    card_id: int,
    rating: Rating,
    *,
    duration_ms: int,
    choice: Sequence[str] | None = None,
    source: Source = "review",
    at: datetime | None = None,
) -> AnswerResult:
    """Schedule an answer and log it, in one transaction. The one way an answer is written.

    Example: `record_answer(store, 42, Rating.Good, duration_ms=5300, choice=["Paris"])`.

    Args:
        store: the collection.
        card_id: the card answered.
        rating: Again, Hard, Good or Easy.
        duration_ms: time taken to answer; logged capped at 60 s.
        choice: the option text(s) chosen (None for a free-recall card).
        source: 'review' (today's study session), 'exam' (a mock exam) or 'custom' (custom
            study, which spends none of the day's limits).
        at: when the answer was given, if not now (an exam is logged at its submission).

    Raises:
        CollectionError: no such card, or the collection cannot be written.
    """
    rating = Rating(rating)
    if source not in ("review", "exam", "custom"):
        raise ValueError(f"source must be 'review', 'exam' or 'custom', not {source!r}")
    clock = clock_for(store)
    duration = min(max(int(duration_ms), 0), MAX_DURATION_MS)
    with store.write():
        before, is_leech, settings, deck_id, key = answer_basis(store, card_id)
        now = clock.now() if at is None else at
        card = card_identity(deck_id, key)
        # `schedule`'s memory without building py-fsrs Cards: a fifth of its time, which was
        # over a quarter of an answer's (docs/performance.md, the durable answer).
        after = LogScheduler(settings, clock).answer(before, rating, card=card, now=now)
        assert after.last_review is not None
        day = clock.study_day(after.last_review)
        set_memory(store, card_id, after)
        review_id = log_review(
            store, Review(card_id, rating, day, duration, source, choice, before, after)
        )
        threshold = settings.leech_threshold
        lapsed = after.lapses > before.lapses and after.lapses >= threshold
        leech = lapsed and (after.lapses - threshold) % max(1, threshold // 2) == 0
        flagged = lapsed and not is_leech
        if flagged:
            set_leech(store, card_id, True)
    return AnswerResult(review_id, card_id, rating, day, duration, before, after, leech, flagged)


def undo_answer(store: Store, answer: AnswerResult) -> Memory:
    """Take an answer back in one transaction: the exact prior memory row returns, the log row
    goes, and a leech flag the answer set is cleared.

    Returns:
        The card's memory, as it was before the answer.

    Raises:
        CollectionError: the answer is gone from the log, or the card was answered again since
            (only the latest answer of a card can be taken back).
    """
    with store.write():
        logged = logged_memory(store, answer.review_id, answer.card_id)
        if logged is None:
            raise CollectionError("that answer is no longer in the review log; nothing to undo")
        before, after = logged
        if memory_of(store, answer.card_id) != after:
            raise CollectionError("the card was answered again since; that answer cannot be undone")
        set_memory(store, answer.card_id, before)
        delete_review(store, answer.review_id)
        if answer.leech_flagged:
            set_leech(store, answer.card_id, False)
    return before


def bury_card(store: Store, card_id: int) -> date:
    """Hide a card until the next study day. Returns the day it comes back.

    Raises:
        CollectionError: no such card.
    """
    tomorrow = clock_for(store).study_day() + timedelta(days=1)
    with store.write():
        bury_until(store, card_id, tomorrow)
        record_card_change(store, "buried", card_id, tomorrow.isoformat())
    return tomorrow


def suspend_card(store: Store, card_id: int) -> None:
    """Keep a card out of every queue until it is unsuspended (its memory is kept).

    Raises:
        CollectionError: no such card.
    """
    with store.write():
        set_suspended(store, card_id, True)
        record_card_change(store, "suspended", card_id, True)


def unsuspend_card(store: Store, card_id: int) -> None:
    """Put a suspended card back in the queues, with the memory it had.

    Raises:
        CollectionError: no such card.
    """
    with store.write():
        set_suspended(store, card_id, False)
        record_card_change(store, "suspended", card_id, False)


def forget_card(store: Store, card_id: int) -> None:
    """Make a card new again, as Anki's Forget does: it is studied from scratch among the new
    cards (in the order it was added); its review history, answer and lapse counts, and its
    suspended, buried and leech flags are kept. One transaction.

    The forget is an event of the card's history, shared by `srs sync`: a replay of the card's
    log (`srs import-log`, a sync's merge) makes it new again at that moment
    (`srs.study.history.replay`), here and on every other device.

    Raises:
        CollectionError: no such card.
    """
    with store.write():
        memory = memory_of(store, card_id)
        if memory is None:
            raise no_card(card_id)
        set_memory(store, card_id, forgotten(memory))
        record_card_change(store, "forget", card_id, True)


def forgotten(memory: Memory) -> Memory:
    """A card's memory once forgotten: new, with its answer and lapse counts kept."""
    return Memory(reps=memory.reps, lapses=memory.lapses)


def find_cards(store: Store, deck_id: str, keys: Sequence[str]) -> dict[str, int]:
    """Card ids by card id as written in the deck file (`srs suspend DECK CARD`).

    Raises:
        CollectionError: no such deck, or a key that is not one of its cards.
    """
    require_deck(store, deck_id)
    found = card_ids_by_key(store, deck_id, keys)
    missing = [key for key in keys if key not in found]
    if missing:
        raise CollectionError(f"no card '{missing[0]}' in deck '{deck_id}'")
    return found


def suspended_cards(store: Store, deck_id: str) -> list[str]:
    """The deck's suspended cards (card ids as in the deck file), in file order.

    Raises:
        CollectionError: no such deck.
    """
    require_deck(store, deck_id)
    return suspended_keys(store, deck_id)
