"""An Anki package into the collection: YAML deck files, the cards, the review history.

`read_anki` reads and converts a package without touching anything; `deck_files` turns each
deck into the YAML file it will be written as, and reads that text back through the deck
validator, so what is imported is exactly what `srs check` accepts and `srs import` of the same
file would give (its fingerprint is recorded: importing the file later changes nothing).
`import_anki` then writes everything in one transaction: the decks (`import_decks`, so a
re-import updates, retires and restores cards as for any deck file), each card's Anki answers
through the review-log import (`srs.study.history.import_answers`: answers the log holds
already are not added twice, and each touched card's memory is rebuilt by replaying its whole
log), and Anki's suspensions. `staged_files` writes the deck files only once that committed.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fsrs import Rating

from srs.collection.cards import card_ids_by_key, set_suspended, suspended_keys
from srs.collection.settings import clock_for
from srs.collection.store import Store
from srs.decks.anki.convert import Conversion, ConvertedDeck, convert
from srs.decks.anki.fieldtext import plain_text
from srs.decks.anki.package import AnkiError, open_package
from srs.decks.anki.reader import read_collection
from srs.decks.export import dump_deck
from srs.decks.importer import DeckChanges, fingerprint, import_decks, unchanged_since_import
from srs.decks.validate import parse_deck
from srs.model.collector import collector_paused
from srs.model.deck import Deck
from srs.model.progress import Progress, unreported
from srs.study.answers import MAX_DURATION_MS
from srs.study.history import LogImport, import_answers
from srs.study.replay import LogEntry
from srs.textsafe import displayable

__all__ = [
    "FUTURE",
    "AnkiImport",
    "DeckFile",
    "ImportedDeck",
    "check_targets",
    "deck_files",
    "import_anki",
    "read_anki",
    "staged_files",
    "summary",
]

FUTURE = "answers dated in the future (or before 1970)"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)
# Looked up, not called: `Rating(n)` took a third of making an entry (an Anki answer's ease
# is 1 to 4: `memory_answers` keeps no other).
_RATINGS = {int(rating): rating for rating in Rating}


# The package, its log and each answer's memory live until the import ends and hold no
# cycles: with the collector on, it walked them over and over (about a tenth of the CPU time
# of a 300,000-answer import, docs/performance.md).
@collector_paused()
def read_anki(path: Path, deck_id: str | None = None) -> Conversion:
    """Read an `.apkg` / `.colpkg` file and convert it to srs decks; nothing is written.

    Raises:
        AnkiError: the file is not a readable Anki package, or holds no cards to import.
    """
    collection = read_collection(open_package(path))
    try:
        return convert(collection, deck_id)
    except AnkiError as exc:
        raise AnkiError(f"{path}: {exc}") from None


@dataclass(frozen=True)
class DeckFile:
    """A converted deck as the YAML file it becomes.

    Attributes:
        converted: the deck and its Anki answers.
        path: where the file goes.
        data: the file's bytes.
        deck: the deck as the validator reads it back from `data` (what is imported).
    """

    converted: ConvertedDeck
    path: Path
    data: bytes
    deck: Deck


@collector_paused()
def deck_files(conversion: Conversion, output: Path | None, package: Path) -> list[DeckFile]:
    """The YAML file of each deck: `output` itself for one deck (unless it is a folder), else
    `<deck id>.yaml` in the folder `output` (the current folder when None).

    Raises:
        AnkiError: `output` is a file and the package makes several decks.
        DeckError: a converted deck that the validator refuses (a bug: conversion makes
            only valid decks).
    """
    several = len(conversion.decks) > 1
    if several and output is not None and output.exists() and not output.is_dir():
        raise AnkiError(
            f"{output} is a file, and the package makes {len(conversion.decks)} decks: "
            "name a folder for their files"
        )
    folder = output if output is not None and (several or output.is_dir()) else None
    files = []
    for converted in conversion.decks:
        if folder is not None or output is None:
            path = (folder or Path()) / f"{converted.deck.id}.yaml"
        else:
            path = output
        header = (
            f"# Imported from Anki by `srs import-anki`: {plain_text(package.name)}, deck "
            f"'{converted.deck.title}'.\n# Card ids come from Anki's notes: keep them, and "
            "a re-import of an updated package\n# updates these cards instead of adding "
            "new ones.\n"
        )
        data = (header + dump_deck(converted.deck)).encode("utf-8")
        files.append(DeckFile(converted, path, data, parse_deck(data, str(path))))
    return files


def check_targets(store: Store, files: Sequence[DeckFile], *, force: bool) -> None:
    """Refuse to replace a file srs did not write, or one edited since its last import.

    A file whose bytes are those its deck was last imported from is srs's own output, safe to
    replace with the updated deck; any other existing file needs `force`. A symbolic link is
    never written through.

    Raises:
        AnkiError: a target that may not be replaced.
    """
    for item in files:
        path = item.path
        if path.is_symlink():
            raise AnkiError(f"{path} is a symbolic link; srs writes only to the real path")
        if path.is_dir():
            raise AnkiError(f"{path} is a folder; name a file, or a folder for several decks")
        if force or not path.exists():
            continue
        try:
            same = unchanged_since_import(store, fingerprint(path.read_bytes()))
        except OSError as exc:
            raise AnkiError(f"cannot read {path}: {exc.strerror or exc}") from None
        if same is None or same.deck_id != item.deck.id:
            raise AnkiError(
                f"{path} exists and is not the file deck '{item.deck.id}' was last imported "
                "from; move it away or add --force to replace it"
            )


@dataclass(frozen=True)
class ImportedDeck:
    """What importing one deck did.

    Attributes:
        file: the deck file written.
        changes: the cards added, updated, retired, restored.
        log: the answers added to the log, and those it held already.
        suspended: cards suspended in Anki (and so in srs).
    """

    file: DeckFile
    changes: DeckChanges
    log: LogImport
    suspended: int


@dataclass(frozen=True)
class AnkiImport:
    """What an Anki import did: per deck, and the answers left out because of their date."""

    decks: list[ImportedDeck]
    skipped_reviews: Counter[str]


@collector_paused()
def import_anki(
    store: Store,
    files: Sequence[DeckFile],
    *,
    source: str,
    before_write: Callable[[], object] | None = None,
    progress: Progress = unreported,
) -> AnkiImport:
    """Import the decks, their Anki answers and suspensions in one transaction.

    Args:
        store: the collection.
        files: from `deck_files`.
        source: where the decks came from, recorded on each deck (the package's path).
        before_write: called once before anything is written, and only if something will
            change (the CLI takes its automatic backup there).
        progress: hears of the cards' import, then how far each deck's replay has got.

    Raises:
        CollectionError: the collection cannot be written (nothing was).
    """
    now = clock_for(store).now()
    once = _Once(before_write)
    skipped: Counter[str] = Counter()
    results = []
    with store.write():
        progress("Importing the cards", 0, 0)
        changes = import_decks(
            store,
            [item.deck for item in files],
            source=source,
            before_write=once,
            fingerprints={item.deck.id: fingerprint(item.data) for item in files},
        )
        for item, deck_changes in zip(files, changes, strict=True):
            entries = list(_entries(item.converted, now, skipped))
            log = import_answers(
                store,
                item.deck.id,
                entries,
                source=source,
                before_write=once,
                progress=progress,
            )
            suspended = item.converted.suspended
            newly = sorted(set(suspended) - set(suspended_keys(store, item.deck.id)))
            if newly:
                once()
                for card_id in card_ids_by_key(store, item.deck.id, newly).values():
                    set_suspended(store, card_id, True)
            results.append(ImportedDeck(item, deck_changes, log, len(suspended)))
    return AnkiImport(results, skipped)


def _entries(converted: ConvertedDeck, now: datetime, skipped: Counter[str]) -> Iterator[LogEntry]:
    """The deck's Anki answers as review-log entries (source 'anki'); an answer dated after
    now (a device clock ahead) is left out, as `srs import-log` refuses one."""
    now_ms = (now - _EPOCH) // _MILLISECOND
    for key, answers in converted.answers.items():
        for answer in answers:
            if not 0 <= answer.id <= now_ms:
                skipped[FUTURE] += 1
                continue
            # Exact milliseconds (a float division could lose one, and with it the match
            # that keeps a re-import from adding the answer twice).
            at = _EPOCH + answer.id * _MILLISECOND
            duration = min(max(answer.duration_ms, 0), MAX_DURATION_MS)
            yield LogEntry(0, key, _RATINGS[answer.ease], at, duration, "anki")


class _Once:
    """Calls `action` the first time it is called, never again (one backup per import)."""

    def __init__(self, action: Callable[[], object] | None) -> None:
        self.action = action

    def __call__(self) -> None:
        action, self.action = self.action, None
        if action is not None:
            action()


@contextmanager
def staged_files(files: Sequence[DeckFile]) -> Iterator[None]:
    """Write each file beside its target first; rename them into place when the block
    succeeds, remove them (and any folder made for them) when it fails.

    A rename replaces a link itself, never what it points to, and no reader sees half a file.

    Raises:
        AnkiError: a file or folder cannot be written (nothing is left behind).
    """
    made: list[Path] = []
    partials: list[tuple[Path, Path]] = []
    try:
        for item in files:
            folder = item.path.parent
            if not folder.exists():
                made.extend(p for p in (folder, *folder.parents) if not p.exists())
                folder.mkdir(parents=True)
            partial = item.path.with_name(f".{item.path.name}.{os.getpid()}.partial")
            with partial.open("xb") as handle:
                partials.append((partial, item.path))
                handle.write(item.data)
        yield
        for partial, target in partials:
            partial.replace(target)
    except BaseException as exc:
        for partial, _ in partials:
            partial.unlink(missing_ok=True)
        for folder in made:
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        if isinstance(exc, OSError):
            where = exc.filename or "the deck files"
            raise AnkiError(f"cannot write {where}: {exc.strerror or exc}") from None
        raise


def summary(conversion: Conversion, result: AnkiImport, package: Path) -> list[str]:
    """What came in, what was converted and what was left out, as the lines `srs import-anki`
    prints (every name from the package made displayable)."""
    decks = len(result.decks)
    lines = [
        f"read {package.name} ({conversion.source}): {_count(decks, 'deck')}, "
        f"{_count(conversion.notes, 'note')}, {_count(conversion.cards, 'card')}, "
        f"{_count(conversion.reviews, 'log entry', 'log entries')}"
    ]
    for deck in result.decks:
        log, changes = deck.log, deck.changes
        lines.append(f"{changes.summary()} -> {deck.file.path}")
        text = (
            f"{changes.deck_id}: {_count(log.added, 'answer')} added to the log "
            f"({log.already:,} already there), memory rebuilt for {_count(log.cards, 'card')}"
        )
        if deck.suspended:
            text += f"; {_count(deck.suspended, 'card')} suspended as in Anki"
        lines.append(text)
    lines.append("converted: " + _counts(conversion.kinds))
    if conversion.skipped_cards:
        cards = _count(sum(conversion.skipped_cards.values()), "card")
        lines.append(f"left out {cards}: " + _counts(conversion.skipped_cards))
    skipped = conversion.skipped_reviews + result.skipped_reviews
    if skipped:
        entries = _count(sum(skipped.values()), "log entry", "log entries")
        lines.append(f"left out {entries}: " + _counts(skipped))
    shown = [
        f"{_count(number, kind)} as [{kind}: name]"
        for kind, number in (("image", conversion.images), ("sound", conversion.sounds))
        if number
    ]
    if shown:
        lines.append("media shown by name: " + ", ".join(shown))
    if conversion.media:
        names = ", ".join(displayable(name) for name in conversion.media[:5])
        more = len(conversion.media) - 5
        lines.append(
            f"not imported: {_count(len(conversion.media), 'media file')} ({names}"
            + (f" and {more:,} more)" if more > 0 else ")")
        )
    if conversion.controls:
        lines.append(
            f"{_count(conversion.controls, 'field')} held control characters (terminal "
            "escapes): shown as symbols such as ␛"
        )
    return lines


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number:,} {one if number == 1 else many or one + 's'}"


def _counts(counter: Counter[str]) -> str:
    """`12 free recall, 3 cloze`: the counts, largest first ('none' when there are none)."""
    return ", ".join(f"{number:,} {what}" for what, number in counter.most_common()) or "none"
