"""A deck's review history in and out: the log as CSV, and an import that rebuilds memory.

The CSV has the columns of py-fsrs's optimizer (`card_id,review_rating,review_time,
review_duration`), which Anki review logs are commonly converted to, plus `source`: a learner
can take their history elsewhere, or bring reviews made elsewhere (another device, Anki) into
srs. An import appends only the answers the log does not hold yet (the same card, time to the
millisecond and rating), then replays each touched card's whole history in time order (with
`LogScheduler`, which gives what `schedule` gives, faster), so its memory, and every logged
memory before and after each answer (what undo restores), is what answering in that order
would have given.

`replay` is that rebuild, the one every path uses: `import-log`, the Anki import (through
`import_answers`) and a sync's merge (`srs.sync.merge`). A forget is part of a card's history:
the replay makes the card new again at its moment.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fsrs import Rating

from srs.clock import from_db
from srs.collection.cards import card_ids_by_key, set_leech
from srs.collection.changes import forget_times
from srs.collection.decks import require_deck
from srs.collection.memory import set_memories
from srs.collection.reviews import (
    LoggedReview,
    Review,
    Source,
    deck_log,
    log_reviews,
    logged_answers,
    set_logged_memory,
)
from srs.collection.settings import clock_for, get_settings
from srs.collection.store import Store
from srs.model.memory import Memory
from srs.study.answers import MAX_DURATION_MS, forgotten
from srs.study.intervals import card_identity
from srs.study.logreplay import LogScheduler
from srs.textsafe import displayable

__all__ = [
    "LOG_COLUMNS",
    "CardHistory",
    "LogEntry",
    "LogError",
    "LogImport",
    "LogProblem",
    "export_log",
    "import_answers",
    "import_log",
    "parse_log",
    "replay",
]

LOG_COLUMNS = ("card_id", "review_rating", "review_time", "review_duration", "source")
"""The columns of a log file, in the order `export_log` writes them; `source` is optional."""

_REQUIRED = LOG_COLUMNS[:4]
_SOURCES: dict[str, Source] = {
    "review": "review",
    "exam": "exam",
    "custom": "custom",
    "anki": "anki",
}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)


@dataclass(frozen=True)
class LogProblem:
    """One thing wrong with a log file, at a 1-based line (0: the file as a whole)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        # Messages quote the file's text: printed raw, an escape in it would reach the terminal.
        location = f"{self.path}:{self.line}" if self.line else self.path
        return displayable(f"{location}: {self.message}").replace("\n", "\u23ce")


class LogError(Exception):
    """A log file has problems; `problems` lists every one of them (nothing was written)."""

    def __init__(self, problems: list[LogProblem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


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


@dataclass(frozen=True)
class LogImport:
    """What an import did.

    Attributes:
        added: answers appended to the log.
        already: answers the log held already (left as they were).
        cards: cards whose memory was rebuilt.
    """

    added: int
    already: int
    cards: int


# --- out ------------------------------------------------------------------------------------


def export_log(store: Store, deck_id: str) -> str:
    """The deck's whole review log as CSV (`LOG_COLUMNS`), oldest answer first.

    Example: `Path("log.csv").write_text(export_log(store, "aws"))`.

    Raises:
        CollectionError: no such deck.
    """
    require_deck(store, deck_id)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LOG_COLUMNS)
    writer.writerows(
        (r.card_key, int(r.rating), r.reviewed_at.isoformat(), r.duration_ms, r.source)
        for r in deck_log(store, deck_id)
    )
    return out.getvalue()


# --- in -------------------------------------------------------------------------------------


def parse_log(text: str, path: str) -> tuple[list[LogEntry], list[LogProblem]]:
    """Read log CSV: the answers it holds, and every problem with its line.

    Whether the cards exist and the times are past is the importer's to check (it knows the
    deck and the clock).
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip() for name in next(reader, [])]
    missing = [name for name in _REQUIRED if name not in header]
    if missing:
        expected = ",".join(LOG_COLUMNS)
        found = "no header" if not header else f"missing {', '.join(missing)}"
        return [], [
            LogProblem(path, 1, f"a review log starts with the header {expected} ({found})")
        ]
    index = {name: header.index(name) for name in LOG_COLUMNS if name in header}
    entries: list[LogEntry] = []
    problems: list[LogProblem] = []
    for row in reader:
        line = reader.line_num
        if not any(field.strip() for field in row):
            continue
        if len(row) != len(header):
            problems.append(
                LogProblem(path, line, f"expected {len(header)} fields, found {len(row)}")
            )
            continue
        fields = {name: row[at].strip() for name, at in index.items()}
        entry, messages = _entry(line, fields)
        problems += [LogProblem(path, line, message) for message in messages]
        if entry is not None:
            entries.append(entry)
    return entries, problems


def _entry(line: int, fields: dict[str, str]) -> tuple[LogEntry | None, list[str]]:
    """One row's answer, or the messages saying what is wrong with it."""
    messages = []
    key = fields["card_id"]
    if not key:
        messages.append("card_id is empty")
    rating = fields["review_rating"]
    if rating not in ("1", "2", "3", "4"):
        messages.append(f"review_rating must be 1, 2, 3 or 4 (Again to Easy), not '{rating}'")
    moment = _time(fields["review_time"])
    if moment is None:
        messages.append(
            "review_time must be ISO-8601 with a UTC offset, e.g. "
            f"2024-03-29T20:32:32.250+00:00, not '{fields['review_time']}'"
        )
    duration = fields["review_duration"] or "0"
    if not duration.isdigit():
        messages.append(f"review_duration must be whole milliseconds, not '{duration}'")
    source = fields.get("source") or "review"
    if source not in _SOURCES:
        messages.append(f"source must be {' or '.join(_SOURCES)}, not '{source}'")
    if messages or moment is None:
        return None, messages
    return LogEntry(
        line,
        key,
        Rating(int(rating)),
        moment,
        min(int(duration), MAX_DURATION_MS),
        _SOURCES[source],
    ), []


def _time(text: str) -> datetime | None:
    """An ISO-8601 time with its offset, in UTC (None: not one, or without an offset)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return None if moment.utcoffset() is None else moment.astimezone(UTC)


def _identity(card_id: int, moment: datetime, rating: Rating) -> tuple[int, int, int]:
    """What makes two answers the same answer: card, time to the millisecond, and rating."""
    return card_id, (moment - _EPOCH) // _MILLISECOND, int(rating)


def import_log(
    store: Store, deck_id: str, path: Path, *, before_write: Callable[[], object] | None = None
) -> LogImport:
    """Append a log file's answers that the deck's log does not hold yet, and rebuild the
    memory of each card they touch, in one transaction. Importing a file twice changes
    nothing the second time.

    Example: `import_log(store, "aws", Path("anki-reviews.csv"))`.

    Args:
        store: the collection.
        deck_id: the deck whose cards the file's card ids name.
        path: the CSV file (`LOG_COLUMNS`; `source` may be left out).
        before_write: called once before anything is written, and only if something will
            change (the CLI takes its automatic backup there).

    Raises:
        CollectionError: no such deck.
        LogError: the file cannot be read, or has problems (a bad rating or time, a card the
            deck does not have, a time in the future): every problem, and nothing written.
    """
    require_deck(store, deck_id)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise LogError([LogProblem(str(path), 0, f"cannot read: {reason or exc}")]) from None
    entries, problems = parse_log(text, str(path))
    return import_answers(
        store, deck_id, entries, source=str(path), problems=problems, before_write=before_write
    )


def import_answers(
    store: Store,
    deck_id: str,
    entries: Sequence[LogEntry],
    *,
    source: str,
    problems: Sequence[LogProblem] = (),
    before_write: Callable[[], object] | None = None,
) -> LogImport:
    """What `import_log` does once the file is read, for answers from anywhere (an Anki
    package's review log comes in through it): append those the log does not hold yet and
    rebuild each touched card's memory, in one transaction.

    Args:
        store: the collection.
        deck_id: the deck whose cards the entries' card ids name.
        entries: the answers (durations already capped).
        source: where they came from, for problems (a file's path).
        problems: problems found reading them, reported with any found here.
        before_write: as for `import_log`.

    Raises:
        CollectionError: no such deck.
        LogError: `problems`, an entry naming a card the deck does not have or dated in the
            future: every problem, and nothing written.
    """
    require_deck(store, deck_id)
    clock = clock_for(store)
    version = store.data_version()
    plan = _plan(store, deck_id, entries, problems, source, clock.now())
    if plan and before_write is not None:
        before_write()
    with store.write():
        if store.data_version() != version:  # another process wrote since: plan again
            plan = _plan(store, deck_id, entries, problems, source, clock.now())
        replay(store, deck_id, plan)
    added = sum(len(history.new) for history in plan.values())
    return LogImport(added, len(entries) - added, len(plan))


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


_Plan = dict[int, CardHistory]
"""Per card with answers to add: its logged answers, and the file's answers new to it."""


def _plan(
    store: Store,
    deck_id: str,
    entries: Sequence[LogEntry],
    problems: Sequence[LogProblem],
    path: str,
    now: datetime,
) -> _Plan:
    """What importing `entries` adds to each card's log, after checking the cards and times.

    Raises:
        LogError: `problems`, and every unknown card and future time, sorted by line.
    """
    card_ids = card_ids_by_key(store, deck_id, sorted({e.card_key for e in entries}))
    found = list(problems)
    for entry in entries:
        if entry.card_key not in card_ids:
            found.append(
                LogProblem(path, entry.line, f"no card '{entry.card_key}' in deck '{deck_id}'")
            )
        if entry.reviewed_at > now:
            found.append(
                LogProblem(
                    path,
                    entry.line,
                    f"review_time {entry.reviewed_at.isoformat()} is in the future "
                    f"(now is {now.isoformat(timespec='seconds')})",
                )
            )
    if found:
        raise LogError(sorted(found, key=lambda problem: problem.line))
    seen = logged_answers(store, set(card_ids.values()))
    plan: _Plan = {}
    for entry in entries:
        identity = _identity(card_ids[entry.card_key], entry.reviewed_at, entry.rating)
        if identity not in seen:
            seen.add(identity)
            plan.setdefault(identity[0], CardHistory()).new.append(entry)
    if plan:  # only the cards with something new are replayed: only their logs are read
        for review in deck_log(store, deck_id, plan):
            plan[review.card_id].logged.append(review)
    return plan


def replay(store: Store, deck_id: str, cards: Mapping[int, CardHistory]) -> None:
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

    Example: `replay(store, "aws", {card: CardHistory(deck_log(store, "aws", [card]))})`.
    """
    settings = get_settings(store, deck_id)
    # One scheduler for every card: the settings' py-fsrs formulas and the learner's zone are
    # looked up once (`Clock.local_zone` reads TZ on every call).
    scheduler = LogScheduler(settings, clock_for(store))
    forgets = forget_times(store, cards)
    rewritten: list[tuple[int, Memory, Memory]] = []
    final: dict[int, Memory] = {}

    def new_answers() -> Iterator[Review]:
        for card_id, history in cards.items():
            final[card_id] = yield from _rebuild(
                card_id,
                deck_id,
                history,
                [from_db(at) for at in forgets.get(card_id, ())],
                scheduler,
                rewritten,
            )

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
