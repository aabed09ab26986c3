"""Rebuilding cards' memory from their logs: the one replay, which `import-log`, the Anki import
(both through `srs.study.history.import_answers`) and a sync's merge (`srs.sync.merge`) use.

Each card's answers, logged and new, are scheduled in time order with `LogScheduler` (what
`schedule` gives, faster), so its memory, and every logged memory before and after each answer
(what undo restores), is what answering in that order would have given. A forget is part of a
card's history: the replay makes the card new again at its moment.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from fsrs import Rating

from srs.clock import from_db
from srs.collection.cards import set_leech
from srs.collection.changes import forget_times
from srs.collection.memory import set_memories
from srs.collection.reviews import LoggedReview, Review, Source, log_reviews, set_logged_memory
from srs.collection.settings import clock_for, get_settings
from srs.collection.store import Store
from srs.model.memory import Memory
from srs.model.progress import Progress, unreported
from srs.study.answers import forgotten
from srs.study.intervals import card_identity
from srs.study.logreplay import LogScheduler

__all__ = ["CardHistory", "LogEntry", "replay"]


@dataclass(frozen=True)
class LogEntry:
    """One answer read from a log file.

    Attributes:
        line: where it was written.
        card_key: the card's id in the deck file.
        rating: Again, Hard, Good or Easy.
        reviewed_at: when it was given (UTC).
        duration_ms: the time taken (capped at 60 s, as every answer is).
        source: a study session ('review', also when the file does not say), a mock exam,
            custom study, or Anki (answers imported from an Anki package).
    """

    line: int
    card_key: str
    rating: Rating
    reviewed_at: datetime
    duration_ms: int
    source: Source


@dataclass
class CardHistory:
    """One card's answers to replay.

    Attributes:
        logged: its answers in the log, in replay order (time, then event id), each with its
            log row: the replay rewrites the memory logged before and after each.
        new: answers to add to the log, in any order: each is logged as it is replayed.
        start: the memory to continue from (None: a new card's, with the whole log given).
            A caller that knows every answer to replay is later than the card's stored last
            review passes the stored memory and only those answers: the same result as the
            whole log, without scheduling it all again.
    """

    logged: list[LoggedReview] = field(default_factory=list)
    new: list[LogEntry] = field(default_factory=list)
    start: Memory | None = None


def replay(
    store: Store,
    deck_id: str,
    cards: Mapping[int, CardHistory],
    *,
    progress: Progress = unreported,
) -> None:
    """Rebuild these cards' memory from their logs: the one replay, which `import-log`, the Anki
    import and a sync's merge use, so every path gives the memory answering in that order
    would have given. Runs inside the caller's `Store.write()`.

    Each card's answers are scheduled in time order with the deck's settings and the learner's
    days; a forget (`srs.study.answers.forget_card`, here or merged from another device) makes
    the card new again at its moment, with its counts kept, as it did when it was made. The
    rows are written in one batch per kind: the new answers (fed to the log's insert as they
    are replayed), the memory around the logged ones (what undo restores), each card's final
    memory. One statement per answer was a third of the time an import of 300,000 answers took.
    A card whose lapses reach the leech threshold is flagged, as an answer would flag it.

    `progress` hears of the answers replayed, card by card, then of the writing.

    Example: `replay(store, "aws", {card: CardHistory(deck_log(store, "aws", [card]))})`.
    """
    settings = get_settings(store, deck_id)
    # One scheduler for every card: the settings' py-fsrs formulas and the learner's zone are
    # looked up once (`Clock.local_zone` reads TZ on every call).
    scheduler = LogScheduler(settings, clock_for(store))
    forgets = forget_times(store, cards)
    rewritten: list[tuple[int, Memory, Memory]] = []
    final: dict[int, Memory] = {}

    step = f"Replaying the answers of {deck_id}"
    total = sum(len(history.logged) + len(history.new) for history in cards.values())

    def new_answers() -> Iterator[Review]:
        done = 0
        for card_id, history in cards.items():
            final[card_id] = yield from _rebuild(
                card_id,
                deck_id,
                history,
                [from_db(at) for at in forgets.get(card_id, ())],
                scheduler,
                rewritten,
            )
            done += len(history.logged) + len(history.new)
            progress(step, done, total)
        progress(f"Writing the log of {deck_id}", 0, 0)

    log_reviews(store, new_answers(), expected=sum(len(h.new) for h in cards.values()))
    set_logged_memory(store, rewritten)
    set_memories(store, final.items())
    for card_id, memory in final.items():
        if memory.lapses >= settings.leech_threshold:
            set_leech(store, card_id, True)


def _rebuild(
    card_id: int,
    deck_id: str,
    history: CardHistory,
    forgets: Sequence[datetime],
    scheduler: LogScheduler,
    rewritten: list[tuple[int, Memory, Memory]],
) -> Generator[Review, None, Memory]:
    """Replay the card's answers, logged and new, in time order from its start (a new card's
    memory unless given), making it new at each forget after that: yield each new answer as
    it is to be logged, add the memory before and after each logged one to `rewritten`, and
    return the card's final memory."""
    timeline: list[LoggedReview | LogEntry] = sorted(
        [*history.logged, *history.new],
        key=lambda answer: (answer.reviewed_at, isinstance(answer, LogEntry)),
    )
    memory = history.start or Memory()
    card = card_identity(deck_id, timeline[0].card_key) if timeline else ""
    since = memory.last_review
    pending = [at for at in forgets if since is None or at > since]
    for answer in timeline:
        if pending and pending[0] < answer.reviewed_at:
            memory = forgotten(memory)
            pending = [at for at in pending if at >= answer.reviewed_at]
        after = scheduler.answer(memory, answer.rating, card=card, now=answer.reviewed_at)
        if isinstance(answer, LoggedReview):
            rewritten.append((answer.id, memory, after))
        else:
            day = scheduler.study_day(answer.reviewed_at)
            yield Review(
                card_id, answer.rating, day, answer.duration_ms, answer.source, None, memory, after
            )
        memory = after
    return forgotten(memory) if pending else memory
