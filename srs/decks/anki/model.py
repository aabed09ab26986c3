"""An Anki collection as plain values: what srs reads from a package, whatever its schema.

The same values come from a schema-18 database (`notetypes`, `fields`, `templates`, `decks`
tables, with protobuf configs) and from a schema-11 one (note types and decks as JSON in the
`col` row), so the conversion to srs cards knows nothing of either.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import NamedTuple

__all__ = [
    "AnkiCard",
    "AnkiCollection",
    "AnkiDeck",
    "Note",
    "NoteType",
    "RevlogEntry",
    "RevlogKind",
    "Template",
]


class RevlogKind(IntEnum):
    """`revlog.type`: what kind of answer (or change) a log entry records."""

    Learning = 0
    Review = 1
    Relearning = 2
    Filtered = 3
    """Answered in a filtered deck (with rescheduling off, its `factor` is 0: a preview)."""
    Manual = 4
    """Set by hand: a due date set (ease 0), or the card reset to new (ease 0, factor 0)."""
    Rescheduled = 5
    """Moved by FSRS's rescheduling, not answered."""


@dataclass(frozen=True)
class Template:
    """One card type of a note type: the front and back templates, as written."""

    name: str
    front: str
    back: str


@dataclass(frozen=True)
class NoteType:
    """A note type: its fields and card templates, in order (a card's `ord` indexes them;
    for a cloze note type the one template serves every cloze number)."""

    id: int
    name: str
    is_cloze: bool
    fields: tuple[str, ...]
    templates: tuple[Template, ...]


@dataclass(frozen=True)
class AnkiDeck:
    """A deck: its name's parts (`A::B` -> ("A", "B")); filtered decks only borrow cards."""

    id: int
    name: tuple[str, ...]
    filtered: bool = False
    description: str = ""


class Note(NamedTuple):
    """A note: its fields as stored (HTML), its tags, and its guid (its identity across
    exports and updates of a shared deck)."""

    id: int
    guid: str
    notetype_id: int
    tags: tuple[str, ...]
    fields: tuple[str, ...]


class AnkiCard(NamedTuple):
    """A card: the note and template (`ord`, the cloze number minus one for cloze notes) it
    shows, its home deck (outside any filtered deck it was moved to), and whether it is
    suspended."""

    id: int
    note_id: int
    deck_id: int
    ord: int
    suspended: bool


class RevlogEntry(NamedTuple):
    """One `revlog` row.

    Attributes:
        id: when, in epoch milliseconds (unique).
        card_id: the card.
        ease: the button, 1 (Again) to 4 (Easy); 0 for an entry that is not an answer.
        kind: the `RevlogKind` number.
        factor: the ease factor (0 on a reset to new, and on a preview in a filtered deck).
        duration_ms: time taken to answer.
    """

    id: int
    card_id: int
    ease: int
    kind: int
    factor: int
    duration_ms: int


@dataclass(frozen=True)
class AnkiCollection:
    """Everything srs takes from a package.

    Attributes:
        source: what was read, for the summary ("collection.anki21b, schema 18").
        notetypes: by id.
        decks: by id.
        notes: by id.
        cards: in card id order.
        revlog: ordered by card, then time.
        media: the names of the media files the package carries (none is imported).
    """

    source: str
    notetypes: dict[int, NoteType]
    decks: dict[int, AnkiDeck]
    notes: dict[int, Note]
    cards: list[AnkiCard]
    revlog: list[RevlogEntry]
    media: tuple[str, ...]
