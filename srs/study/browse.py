"""The card browser: each card of a deck with where it stands in memory (the columns of Anki's
browser), sortable by any of them and searched by text, topic or tag, a page at a time (`srs
cards`, the app's browser); one card with its whole review history.

Sorting, searching and paging happen in SQL (`srs.collection.browser`): the first page of a
100,000-card deck is read without building the other rows.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from fsrs import Rating

from srs.collection.browser import CARD_ORDERS, DeckCardMemory, browser_card, deck_card_page
from srs.collection.decks import require_deck
from srs.collection.memory import card_memory
from srs.collection.reviews import Source, card_reviews
from srs.collection.settings import clock_for, get_settings
from srs.collection.store import Store
from srs.model.deck import Card
from srs.model.memory import MemoryState, retrievability
from srs.textsafe import displayable

__all__ = [
    "HEADINGS",
    "PAGE_SIZE",
    "SORT_COLUMNS",
    "CardDetails",
    "CardPage",
    "CardRow",
    "HistoryEntry",
    "Search",
    "browse_cards",
    "browse_page",
    "card_details",
]


@dataclass(frozen=True)
class CardRow:
    """One card as the browser shows it.

    Attributes:
        card_id: the card's id in the collection.
        key: the card's id in the deck file.
        topic: its topic (None: none given).
        state: New, Learning, Review or Relearning.
        suspended: kept out of every queue.
        buried: kept out of today's queue.
        leech: flagged as a leech.
        due: when it is next due (None while New).
        last_review: when it was last answered (None while New).
        stability: FSRS stability in days (None while New).
        difficulty: FSRS difficulty, 1-10 (None while New).
        retrievability: the chance of recalling it now (None while New).
        reviews: answers given so far.
        lapses: times it was forgotten after being learned.
    """

    card_id: int
    key: str
    topic: str | None
    state: MemoryState
    suspended: bool
    buried: bool
    leech: bool
    due: datetime | None
    last_review: datetime | None
    stability: float | None
    difficulty: float | None
    retrievability: float | None
    reviews: int
    lapses: int

    def to_dict(self) -> dict[str, object]:
        """The row as JSON values: times as ISO-8601 UTC, the state by name."""
        return {
            "id": self.key,
            "topic": self.topic,
            "state": self.state.name.lower(),
            "suspended": self.suspended,
            "buried": self.buried,
            "leech": self.leech,
            "due": None if self.due is None else self.due.isoformat(),
            "last_review": None if self.last_review is None else self.last_review.isoformat(),
            "stability": self.stability,
            "difficulty": self.difficulty,
            "retrievability": self.retrievability,
            "reviews": self.reviews,
            "lapses": self.lapses,
        }

    def cells(self, zone: tzinfo) -> tuple[str, ...]:
        """The row as text under `HEADINGS` (`srs cards`, the app's browser): deck text made
        displayable, times in the learner's zone, the flags after the state."""

        def when(moment: datetime | None) -> str:
            return "-" if moment is None else f"{moment.astimezone(zone):%Y-%m-%d %H:%M}"

        def number(value: float | None, form: str) -> str:
            return "-" if value is None else format(value, form)

        flags = [name for name in ("suspended", "buried", "leech") if getattr(self, name)]
        stability = self.stability
        return (
            displayable(self.key),
            displayable(self.topic or "-"),
            ", ".join([self.state.name.lower(), *flags]),
            when(self.due),
            when(self.last_review),
            "-" if stability is None else f"{stability:.{2 if stability < 1 else 1}f}d",
            number(self.difficulty, ".1f"),
            number(self.retrievability, ".0%"),
            str(self.reviews),
            str(self.lapses),
        )


HEADINGS = (
    "id",
    "topic",
    "state",
    "due",
    "last review",
    "stability",
    "difficulty",
    "R",
    "reviews",
    "lapses",
)
"""The headings of `CardRow.cells`, in order; from "stability" on the cells are numbers."""

SORT_COLUMNS = tuple(CARD_ORDERS)
"""The columns `browse_page` and `browse_cards` sort by."""

PAGE_SIZE = 100
"""Cards the app's browser reads at a time: a screenful several times over."""


@dataclass(frozen=True)
class Search:
    """What a search in the browser asks for; a card must match every term.

    Attributes:
        words: each found in the card's id, question, answers, topic or tags.
        topics: each found in the card's topic (`topic:NAME`).
        tags: each one of the card's tags, whole (`tag:NAME`).
    """

    words: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> Search:
        """Read a search as typed: words, `topic:NAME` and `tag:NAME`, quoted when they hold
        spaces (`topic:"Model collapse" teacher`); case is ignored (for ASCII letters).

        An unbalanced quote is read as a plain character rather than refused: the learner is
        typing, and a search that shows nothing says enough.
        """
        try:
            terms = shlex.split(text)
        except ValueError:
            terms = text.split()
        words: list[str] = []
        topics: list[str] = []
        tags: list[str] = []
        for term in terms:
            field, colon, value = term.partition(":")
            if colon and value and field.lower() in ("topic", "tag"):
                (topics if field.lower() == "topic" else tags).append(value)
            elif term:
                words.append(term)
        return cls(tuple(words), tuple(topics), tuple(tags))


@dataclass(frozen=True)
class CardPage:
    """A page of the browser.

    Attributes:
        rows: the page's cards, in order.
        total: the cards that match the search in all (every page).
    """

    rows: tuple[CardRow, ...]
    total: int


def browse_page(
    store: Store,
    deck_id: str,
    *,
    sort: str | None = None,
    reverse: bool = False,
    search: Search | None = None,
    offset: int = 0,
    limit: int | None = PAGE_SIZE,
) -> CardPage:
    """A page of the deck's cards (retired ones left out), with their memory and chance of
    recall now.

    Example: `browse_page(store, "aws", sort="retrievability", search=Search.parse("tag:s3"))`.

    Args:
        store: the collection.
        deck_id: the deck.
        sort: one of `SORT_COLUMNS`; None keeps the deck file's order.
        reverse: largest (or latest, or last in the alphabet) first. Cards without a value in
            the sort column (a new card has no due date) come last either way.
        search: only the cards that match it (None: every card).
        offset: cards to skip (the pages before).
        limit: cards in the page at most (None: every card from `offset` on).

    Raises:
        CollectionError: no such deck.
        ValueError: `sort` is not one of `SORT_COLUMNS`.
    """
    if sort is not None and sort not in CARD_ORDERS:
        raise ValueError(f"cannot sort by {sort!r}: choose one of {', '.join(SORT_COLUMNS)}")
    require_deck(store, deck_id)
    clock = clock_for(store)
    now = clock.now()
    search = search or Search()
    cards, total = deck_card_page(
        store,
        deck_id,
        now=now,
        order=sort,
        descending=reverse,
        words=search.words,
        topics=search.topics,
        tags=search.tags,
        offset=offset,
        limit=limit,
    )
    parameters = get_settings(store, deck_id).parameters
    today = clock.study_day(now)
    return CardPage(tuple(_card_row(card, now, today, parameters) for card in cards), total)


def browse_cards(
    store: Store, deck_id: str, *, sort: str | None = None, reverse: bool = False
) -> list[CardRow]:
    """Every card of the deck (retired ones left out), with its memory and its chance of
    recall now: `browse_page` without a limit (`srs cards`).

    Example: `browse_cards(store, "aws", sort="retrievability")` (weakest first).

    Raises:
        CollectionError: no such deck.
        ValueError: `sort` is not one of `SORT_COLUMNS`.
    """
    return list(browse_page(store, deck_id, sort=sort, reverse=reverse, limit=None).rows)


def _card_row(
    card: DeckCardMemory, now: datetime, today: date, parameters: Sequence[float]
) -> CardRow:
    memory = card.memory
    return CardRow(
        card_id=card.card_id,
        key=card.key,
        topic=card.topic,
        state=memory.state,
        suspended=card.suspended,
        buried=card.buried_until is not None and card.buried_until > today,
        leech=card.leech,
        due=memory.due,
        last_review=memory.last_review,
        stability=memory.stability,
        difficulty=memory.difficulty,
        retrievability=retrievability(memory, now, parameters),
        reviews=memory.reps,
        lapses=memory.lapses,
    )


# --- one card -------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    """One answer in a card's history.

    Attributes:
        reviewed_at: when it was given (UTC).
        rating: Again, Hard, Good or Easy.
        source: today's study ('review'), a mock exam, custom study or Anki (imported).
        duration_ms: the time taken.
        state: the card's state after it.
        interval: how long until the card was due again after it (None: it left no due
            date).
    """

    reviewed_at: datetime
    rating: Rating
    source: Source
    duration_ms: int
    state: MemoryState
    interval: timedelta | None


@dataclass(frozen=True)
class CardDetails:
    """A card opened in the browser: its content, its row (memory, flags, chance of recall
    now) and every answer to it, oldest first."""

    deck_id: str
    content: Card
    row: CardRow
    history: tuple[HistoryEntry, ...]


def card_details(store: Store, card_id: int) -> CardDetails:
    """The card with its memory and whole review history.

    Raises:
        CollectionError: no such card.
    """
    deck_id, content, _memory = card_memory(store, card_id)
    clock = clock_for(store)
    now = clock.now()
    parameters = get_settings(store, deck_id).parameters
    row = _card_row(browser_card(store, card_id), now, clock.study_day(now), parameters)
    history = tuple(
        HistoryEntry(
            review.reviewed_at,
            review.rating,
            review.source,
            review.duration_ms,
            review.state_after,
            None if review.due_after is None else review.due_after - review.reviewed_at,
        )
        for review in card_reviews(store, card_id)
    )
    return CardDetails(deck_id, content, row, history)
