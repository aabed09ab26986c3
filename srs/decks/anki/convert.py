"""An Anki collection as srs decks: one per top-level Anki deck, its subdecks as topics.

Card ids come from the note's guid (Anki's identity for a note across exports and updates of a
shared deck) and the card's template or cloze number, so importing an updated package matches
every card to the one imported before. Deck ids come from the top-level deck's name (or the
learner's `--deck-id`). The Anki review log is sorted out here too: per srs card, the answers
its memory is made of (`srs.decks.anki.revlog`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from srs.decks.anki.fieldtext import FieldText, field_text, plain_text
from srs.decks.anki.model import AnkiCard, AnkiCollection, AnkiDeck, Note, RevlogEntry
from srs.decks.anki.notes import CardText, NoteTypePlan, Skip, plan_for
from srs.decks.anki.package import AnkiError
from srs.decks.anki.revlog import memory_answers
from srs.decks.checker import DECK_ID
from srs.model.deck import Card, Choice, Deck

__all__ = ["Conversion", "ConvertedDeck", "card_key", "convert", "deck_slug"]

_SLUG_SPACE = re.compile(r"[^a-z0-9]+")
_OF_SKIPPED_CARDS = "answers to cards left out"
_OF_MISSING_CARDS = "answers to cards not in the package"


@dataclass
class ConvertedDeck:
    """One srs deck made from a top-level Anki deck.

    Attributes:
        deck: the deck, as its YAML file will hold it.
        anki_name: the Anki deck it came from.
        suspended: the keys of the cards suspended in Anki.
        answers: per card key, the Anki answers its memory is made of, oldest first.
    """

    deck: Deck
    anki_name: str
    suspended: list[str] = field(default_factory=list)
    answers: dict[str, list[RevlogEntry]] = field(default_factory=dict)


@dataclass
class Conversion:
    """The decks made from a package, and what came in, was converted and was left out.

    Attributes:
        source: what was read ("collection.anki21b, schema 18").
        decks: the srs decks, in Anki's deck order.
        notes: notes with at least one card in the package.
        cards: Anki cards in the package.
        kinds: converted cards by kind (`srs.decks.anki.notes.Kind`).
        skipped_cards: cards left out, by reason.
        reviews: log entries in the package.
        skipped_reviews: log entries left out, by reason.
        images: images shown as `[image: name]`.
        sounds: sounds shown as `[sound: name]`.
        controls: fields whose control characters were made visible.
        media: the media files in the package (none is imported).
    """

    source: str
    decks: list[ConvertedDeck] = field(default_factory=list)
    notes: int = 0
    cards: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    skipped_cards: Counter[str] = field(default_factory=Counter)
    reviews: int = 0
    skipped_reviews: Counter[str] = field(default_factory=Counter)
    images: int = 0
    sounds: int = 0
    controls: int = 0
    media: tuple[str, ...] = ()


def deck_slug(name: str) -> str:
    """A deck id from an Anki deck name: lowercase ASCII letters and digits joined by '-'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = _SLUG_SPACE.sub("-", ascii_name.lower()).strip("-")[:64].rstrip("-")
    return slug or "anki"


def card_key(guid: str, ord_: int) -> str:
    """A card's id: its note's guid, hashed to letters and digits, and its card number (the
    template's, or the cloze number). The same note gives the same id in every export."""
    digest = hashlib.blake2b(guid.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
    return f"{digest}-{ord_ + 1}"


def convert(collection: AnkiCollection, deck_id: str | None = None) -> Conversion:
    """The srs decks a collection's cards make, with their answers, and the summary's counts.

    Args:
        collection: what the package holds.
        deck_id: the id for the one deck the package makes (None: from the deck's name).

    Raises:
        AnkiError: the package has no cards, or `deck_id` is malformed or given for a package
            that makes several decks.
    """
    result = Conversion(collection.source, media=collection.media)
    plans: dict[int, NoteTypePlan] = {}
    texts: dict[int, list[str]] = {}
    grouped: dict[str, list[tuple[tuple[str, ...], Note, AnkiCard, CardText]]] = {}
    keys: dict[int, tuple[str, str]] = {}  # Anki card id -> (top-level deck, srs card id)
    taken: set[tuple[str, str]] = set()
    noted: set[int] = set()
    for card in collection.cards:
        result.cards += 1
        note = collection.notes.get(card.note_id)
        deck = _home(collection.decks, card.deck_id)
        notetype = None if note is None else collection.notetypes.get(note.notetype_id)
        if note is None or notetype is None or deck is None:
            result.skipped_cards["note, note type or deck missing"] += 1
            continue
        noted.add(note.id)
        if note.id not in texts:
            texts[note.id] = _note_texts(note, len(notetype.fields), result)
        plan = plans.get(notetype.id) or plans.setdefault(notetype.id, plan_for(notetype))
        made = plan.card(texts[note.id], card.ord)
        if isinstance(made, Skip):
            result.skipped_cards[made.reason] += 1
            continue
        top = deck.name[0]
        key = card_key(note.guid, card.ord)
        if (top, key) in taken:
            result.skipped_cards["a second note with the same guid"] += 1
            continue
        taken.add((top, key))
        result.kinds[made.kind] += 1
        grouped.setdefault(top, []).append((deck.name, note, card, made))
        keys[card.id] = (top, key)
    result.notes = len(noted)
    if not grouped:
        raise AnkiError("the package holds no cards srs can import")
    ids = _deck_ids(list(grouped), deck_id)
    by_top: dict[str, ConvertedDeck] = {}
    for top, cards in grouped.items():
        converted = _deck(ids[top], top, cards, collection.decks)
        by_top[top] = converted
        result.decks.append(converted)
    _sort_answers(collection, keys, by_top, result)
    return result


def _home(decks: dict[int, AnkiDeck], deck_id: int) -> AnkiDeck | None:
    deck = decks.get(deck_id)
    return None if deck is None or deck.filtered or not deck.name[0] else deck


def _note_texts(note: Note, count: int, result: Conversion) -> list[str]:
    """The note's fields as plain text, one per field of its note type (counted)."""
    fields = list(note.fields[:count]) + [""] * (count - len(note.fields))
    converted: list[FieldText] = [field_text(html) for html in fields]
    for text in converted:
        result.images += text.images
        result.sounds += text.sounds
        result.controls += text.controls
    return [text.text for text in converted]


def _deck_ids(tops: Sequence[str], given: str | None) -> dict[str, str]:
    """An id per top-level deck name: `given`, else the name's slug (made unique)."""
    if given is not None:
        if not DECK_ID.fullmatch(given):
            raise AnkiError(
                f"deck id '{plain_text(given)}' must be a slug: lowercase letters, digits, "
                "'-' or '_', at most 64 characters"
            )
        if len(tops) > 1:
            names = ", ".join(plain_text(top) for top in tops)
            raise AnkiError(
                f"the package holds {len(tops)} top-level decks ({names}); --deck-id names "
                "one deck: leave it out to name each after its Anki deck"
            )
        return {tops[0]: given}
    ids: dict[str, str] = {}
    for top in tops:
        slug = deck_slug(top)
        candidate, serial = slug, 1
        while candidate in ids.values():
            serial += 1
            candidate = f"{slug[: 64 - len(str(serial)) - 1]}-{serial}"
        ids[top] = candidate
    return ids


def _deck(
    deck_id: str,
    name: str,
    cards: list[tuple[tuple[str, ...], Note, AnkiCard, CardText]],
    decks: dict[int, AnkiDeck],
) -> ConvertedDeck:
    """The srs deck of one top-level Anki deck: cards grouped by subdeck, in note order."""
    cards.sort(key=lambda item: (item[0], item[1].id, item[2].ord))
    top = next((d for d in decks.values() if d.name == (name,)), None)
    description = field_text(top.description).text if top and top.description else None
    made = []
    suspended = []
    for path, note, card, text in cards:
        key = card_key(note.guid, card.ord)
        tags = tuple(dict.fromkeys(t for t in (plain_text(tag) for tag in note.tags) if t))
        made.append(
            Card(
                key,
                text.question,
                text.answers,
                tuple(Choice(d) for d in text.distractors),
                plain_text("::".join(path[1:])) or None,
                tags,
                explanation=text.explanation,
            )
        )
        if card.suspended:
            suspended.append(key)
    deck = Deck(deck_id, plain_text(name) or deck_id, tuple(made), description or None)
    return ConvertedDeck(deck, name, suspended)


def _sort_answers(
    collection: AnkiCollection,
    keys: dict[int, tuple[str, str]],
    decks: dict[str, ConvertedDeck],
    result: Conversion,
) -> None:
    """Hand each converted card the answers its memory is made of (the log is in card order)."""
    revlog = collection.revlog
    present = {card.id for card in collection.cards}
    result.reviews = len(revlog)
    start = 0
    while start < len(revlog):
        card_id = revlog[start].card_id
        end = start
        while end < len(revlog) and revlog[end].card_id == card_id:
            end += 1
        found = keys.get(card_id)
        if found is None:
            reason = _OF_SKIPPED_CARDS if card_id in present else _OF_MISSING_CARDS
            result.skipped_reviews[reason] += end - start
        else:
            kept, skipped = memory_answers(revlog[start:end])
            result.skipped_reviews.update(skipped)
            if kept:
                decks[found[0]].answers[found[1]] = kept
        start = end
