"""A deck's review history in and out: the log as CSV, and an import that rebuilds memory.

The CSV has the columns of py-fsrs's optimizer (`card_id,review_rating,review_time,
review_duration`), which Anki review logs are commonly converted to, plus `source`: a learner
can take their history elsewhere, or bring reviews made elsewhere (another device, Anki) into
srs. An import appends only the answers the log does not hold yet (the same card, time to the
millisecond and rating), then replays each touched card's whole history in time order (with
`LogScheduler`, which gives what `schedule` gives, faster), so its memory, and every logged
memory before and after each answer (what undo restores), is what answering in that order
would have given (`srs.study.replay`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fsrs import Rating

from srs.collection.cards import card_ids_by_key
from srs.collection.decks import require_deck
from srs.collection.reviews import (
    Source,
    deck_log,
    logged_answers,
)
from srs.collection.settings import clock_for
from srs.collection.store import Store
from srs.model.progress import Progress, unreported
from srs.study.answers import MAX_DURATION_MS
from srs.study.replay import CardHistory, LogEntry, replay
from srs.textsafe import displayable

__all__ = [
    "LOG_COLUMNS",
    "LogError",
    "LogImport",
    "LogProblem",
    "export_log",
    "import_answers",
    "import_log",
    "parse_log",
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
    store: Store,
    deck_id: str,
    path: Path,
    *,
    before_write: Callable[[], object] | None = None,
    progress: Progress = unreported,
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
        progress: hears how far the replay has got.

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
        store,
        deck_id,
        entries,
        source=str(path),
        problems=problems,
        before_write=before_write,
        progress=progress,
    )


def import_answers(
    store: Store,
    deck_id: str,
    entries: Sequence[LogEntry],
    *,
    source: str,
    problems: Sequence[LogProblem] = (),
    before_write: Callable[[], object] | None = None,
    progress: Progress = unreported,
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
        before_write, progress: as for `import_log`.

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
        replay(store, deck_id, plan, progress=progress)
    added = sum(len(history.new) for history in plan.values())
    return LogImport(added, len(entries) - added, len(plan))


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
