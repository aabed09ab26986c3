"""Import decks into the collection: idempotent, all or nothing, history kept.

Cards are matched by (deck id, card id): an edited card keeps its memory state and review log, a
card gone from the file is retired (kept with its history, out of every queue) and comes back if
it reappears.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from srs.clock import to_db
from srs.collection.cards import card_content, exam_to_json
from srs.collection.contents import (
    DeckHeader,
    add_cards,
    deck_header,
    deck_with_fingerprint,
    move_cards,
    retire_cards,
    set_fingerprint,
    stored_cards,
    update_cards,
    upsert_deck,
)
from srs.collection.store import CollectionError, Store
from srs.decks.validate import DeckError, Problem, parse_deck
from srs.model.collector import collector_paused
from srs.model.deck import Deck
from srs.model.progress import Progress, unreported
from srs.textsafe import displayable

__all__ = [
    "DeckChanges",
    "DeckFile",
    "fingerprint",
    "import_decks",
    "import_files",
    "plan_import",
    "read_deck_files",
    "unchanged_since_import",
]


@dataclass
class DeckChanges:
    """What importing one deck changes (or would change, for a dry run)."""

    deck_id: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    """Cards whose text is unchanged but whose place in the file is not (counted unchanged)."""
    unchanged: int = 0
    deck_changed: bool = False
    is_new_deck: bool = False

    @property
    def changes_anything(self) -> bool:
        cards = self.added or self.updated or self.retired or self.restored or self.moved
        return bool(cards or self.deck_changed)

    def summary(self) -> str:
        text = (
            f"{self.deck_id}: {len(self.added):,} added, {len(self.updated):,} updated, "
            f"{len(self.retired):,} retired, {self.unchanged:,} unchanged"
        )
        if self.restored:
            text += f", {len(self.restored):,} restored"
        if self.deck_changed and not self.is_new_deck:
            text += "; deck title, description or exam updated"
        return text

    def to_dict(self) -> dict[str, object]:
        return {
            "deck": self.deck_id,
            "added": len(self.added),
            "updated": len(self.updated),
            "retired": len(self.retired),
            "restored": len(self.restored),
            "unchanged": self.unchanged,
        }


# Part of every fingerprint: change it whenever the same bytes would import differently.
_FORMAT_SALT = b"srs deck format 1\0"


def fingerprint(data: bytes) -> str:
    """Identifies a deck file's exact bytes, so an unchanged file is recognised unparsed."""
    digest = hashlib.sha256(_FORMAT_SALT)
    digest.update(data)  # not `salt + data`: that would copy a 75 MB file once more
    return digest.hexdigest()


def unchanged_since_import(store: Store, file_fingerprint: str) -> DeckChanges | None:
    """The no-op result for a file whose bytes are those of its deck's last import, else None.

    Re-importing an unchanged file is the common case (a folder of decks imported daily);
    it then costs a hash instead of a parse.
    """
    found = deck_with_fingerprint(store, file_fingerprint)
    return None if found is None else DeckChanges(found[0], unchanged=found[1])


@dataclass(frozen=True)
class DeckFile:
    """A deck file read for import: parsed, or recognised as unchanged since its last import."""

    path: Path
    fingerprint: str
    deck: Deck | None
    unchanged: DeckChanges | None

    @property
    def deck_id(self) -> str:
        if self.deck is not None:
            return self.deck.id
        assert self.unchanged is not None
        return self.unchanged.deck_id


def read_deck_files(
    paths: Sequence[Path], store: Store | None, *, progress: Progress = unreported
) -> list[DeckFile]:
    """Read and validate deck files for import, telling `progress` of each file read.

    A file whose bytes are those of its deck's last import into `store` is not parsed again.

    Raises:
        DeckError: every problem of every file, including a deck id given by two files.
    """
    files: list[DeckFile] = []
    problems: list[Problem] = []
    for path in paths:
        progress(f"Reading {displayable(path.name)}", 0, 0)
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(str(path), 0, 0, f"cannot read: {exc.strerror or exc}"))
            continue
        file_fingerprint = fingerprint(data)
        if store is not None and (same := unchanged_since_import(store, file_fingerprint)):
            files.append(DeckFile(path, file_fingerprint, None, same))
            continue
        try:
            files.append(DeckFile(path, file_fingerprint, parse_deck(data, str(path)), None))
        except DeckError as exc:
            problems.extend(exc.problems)
    first: dict[str, Path] = {}
    for item in files:
        if item.deck_id in first:
            problems.append(
                Problem(
                    str(item.path),
                    1,
                    1,
                    f"deck id '{item.deck_id}' is given by two files in one import "
                    f"(also {first[item.deck_id]})",
                )
            )
        first.setdefault(item.deck_id, item.path)
    if problems:
        raise DeckError(problems)
    return files


def import_files(
    store: Store,
    files: Sequence[DeckFile],
    *,
    dry_run: bool = False,
    before_write: Callable[[], object] | None = None,
) -> list[DeckChanges]:
    """Import files read by `read_deck_files` (or only plan it); one result per file, in order."""
    decks = [f.deck for f in files if f.deck is not None]
    with collector_paused():
        if dry_run:
            imported = plan_import(store, decks)
        else:
            imported = import_decks(
                store,
                decks,
                source=str(files[0].path) if len(files) == 1 else None,
                before_write=before_write,
                fingerprints={f.deck.id: f.fingerprint for f in files if f.deck is not None},
            )
    parsed = iter(imported)
    return [f.unchanged if f.unchanged is not None else next(parsed) for f in files]


def plan_import(store: Store, decks: Iterable[Deck]) -> list[DeckChanges]:
    """Compare decks with the collection without writing anything."""
    return [_plan_deck(store, deck)[0] for deck in decks]


def _plan_deck(store: Store, deck: Deck) -> tuple[DeckChanges, dict[str, tuple[object, ...]]]:
    changes = DeckChanges(deck.id)
    stored = deck_header(store, deck.id)
    changes.is_new_deck = stored is None
    changes.deck_changed = stored != _header(deck)
    existing = stored_cards(store, deck.id)
    wanted: dict[str, tuple[object, ...]] = {}
    for position, card in enumerate(deck.cards):
        content = card_content(card, position)
        wanted[card.id] = content
        old = existing.get(card.id)
        if old is None:
            changes.added.append(card.id)
        elif old.retired:
            changes.restored.append(card.id)
        elif old.content[1:] != content[1:]:
            changes.updated.append(card.id)
        else:
            changes.unchanged += 1
            if old.content[0] != position:
                changes.moved.append(card.id)
    changes.retired = [k for k, old in existing.items() if not old.retired and k not in wanted]
    return changes, wanted


def import_decks(
    store: Store,
    decks: Sequence[Deck],
    *,
    source: str | None = None,
    before_write: Callable[[], object] | None = None,
    fingerprints: Mapping[str, str] | None = None,
) -> list[DeckChanges]:
    """Write decks into the collection in one transaction: all of them or nothing.

    Args:
        store: the open collection.
        decks: validated decks, with distinct ids.
        source: where the decks came from, recorded on each deck.
        before_write: called once before anything is written, and only if something will
            change (the CLI takes its automatic backup there).
        fingerprints: deck id -> `fingerprint()` of the file it was read from.

    Raises:
        CollectionError: two decks share an id, or the collection cannot be written.
    """
    seen: set[str] = set()
    for deck in decks:
        if deck.id in seen:
            raise CollectionError(f"deck id '{deck.id}' is given by two files in one import")
        seen.add(deck.id)
    fingerprints = fingerprints or {}
    version = store.data_version()
    plans = [_plan_deck(store, deck) for deck in decks]
    if any(changes.changes_anything for changes, _ in plans) and before_write is not None:
        before_write()
    now = to_db(store.clock.now())
    with store.write():
        if store.data_version() != version:  # another process wrote since: plan again
            plans = [_plan_deck(store, deck) for deck in decks]
        for deck, (changes, wanted) in zip(decks, plans, strict=True):
            if changes.changes_anything:
                _write_deck(store, deck, changes, wanted, now, source)
            # The fingerprint vouches for the deck's content: a change made without one (not
            # from a file) voids it, so the old file is never mistaken for unchanged.
            if changes.changes_anything or deck.id in fingerprints:
                set_fingerprint(store, deck.id, fingerprints.get(deck.id))
    return [changes for changes, _ in plans]


def _write_deck(
    store: Store,
    deck: Deck,
    changes: DeckChanges,
    wanted: dict[str, tuple[object, ...]],
    now: str,
    source: str | None,
) -> None:
    upsert_deck(store, _header(deck), deck.id, source, now)
    update_cards(store, deck.id, ((k, wanted[k]) for k in changes.updated + changes.restored), now)
    move_cards(store, deck.id, ((k, wanted[k][0]) for k in changes.moved))
    retire_cards(store, deck.id, changes.retired, now)
    if changes.added:
        add_cards(store, deck.id, ((k, wanted[k]) for k in changes.added), now)


def _header(deck: Deck) -> DeckHeader:
    return DeckHeader(deck.title, deck.description, exam_to_json(deck.exam))
