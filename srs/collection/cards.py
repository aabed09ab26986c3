"""The `cards` table: how a card's content is stored and read back (one codec for every module),
the rules that select cards (active, suspended, multiple choice), and a card's flags.

List fields (answers, distractors, tags) are JSON text; the exam block is JSON on its deck. The
SQL rules are fragments for the queries of `srs.collection` only: each is written once here, and
engines ask for cards through typed functions. Writers run inside the caller's `Store.write()`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from json.encoder import encode_basestring as _string

from srs.collection.store import CollectionError, Store
from srs.model.deck import Card, Choice, ExamSpec

__all__ = [
    "ACTIVE",
    "CARD_COLUMNS",
    "CONTENT_COLUMNS",
    "EXAM_CARD",
    "IN_DECK",
    "LIVE",
    "MULTIPLE_CHOICE",
    "SUSPENDED",
    "bury_until",
    "card_content",
    "card_contents",
    "card_from_row",
    "card_ids_by_key",
    "exam_card_filter",
    "exam_cards",
    "exam_from_json",
    "exam_to_json",
    "no_card",
    "set_leech",
    "set_suspended",
    "suspended_keys",
]


# One encoder for every call: json.dumps with options builds a new encoder each time.
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


# The JSON columns of a card are lists of strings: joining the C string encoder's output writes
# exactly what `_dumps` writes, at a third of the cost (it ran 3 times per card per import).
def _strings(texts: Sequence[str]) -> str:
    return "[" + ",".join(map(_string, texts)) + "]"


def _choices(choices: Sequence[Choice]) -> str:
    return (
        "["
        + ",".join(
            f"[{_string(c.text)},{'null' if c.feedback is None else _string(c.feedback)}]"
            for c in choices
        )
        + "]"
    )


def card_content(card: Card, position: int) -> tuple[object, ...]:
    """A card's stored columns, in the order `CONTENT_COLUMNS` names them."""
    return (
        position,
        card.question,
        _strings(card.answers),
        _choices(card.distractors),
        card.topic,
        _strings(card.tags),
        card.feedback_correct,
        card.feedback_incorrect,
        card.explanation,
        len(card.answers) + len(card.distractors),
        len(card.answers),
    )


_TEXT_COLUMNS = (
    "position",
    "question",
    "answers",
    "distractors",
    "topic",
    "tags",
    "feedback_correct",
    "feedback_incorrect",
    "explanation",
)

CONTENT_COLUMNS = (*_TEXT_COLUMNS, "option_count", "answer_count")
"""What a deck file sets of a card: its text, and its shape (options shown, right ones among
them) as numbers, which the pass chance reads for every card without parsing the lists."""


def exam_to_json(exam: ExamSpec | None) -> str | None:
    if exam is None:
        return None
    return _dumps(
        {
            "title": exam.title,
            "questions": exam.questions,
            "pass_mark": exam.pass_mark,
            "time_limit": exam.time_limit,
            "blueprint": [list(b) for b in exam.blueprint],
        }
    )


def exam_from_json(text: str | None) -> ExamSpec | None:
    """The stored exam block.

    Raises:
        CollectionError: the stored text is not an exam block (the collection was damaged).
    """
    if text is None:
        return None
    try:
        data = json.loads(text)
        return ExamSpec(
            data["questions"],
            data["pass_mark"],
            data["title"],
            data["time_limit"],
            tuple((topic, n) for topic, n in data["blueprint"]),
        )
    except (ValueError, KeyError, TypeError):
        raise _damaged("a deck's exam") from None


def card_from_row(row: Sequence[object]) -> Card:
    """Build a `Card` from a row of `CARD_COLUMNS`.

    Raises:
        CollectionError: a list column is not the JSON srs wrote (the collection was damaged).
    """
    key, _position, question, answers, distractors, topic, tags, fc, fi, explanation = row
    try:
        return Card(
            str(key),
            str(question),
            tuple(json.loads(str(answers))),
            tuple(Choice(text, feedback) for text, feedback in json.loads(str(distractors))),
            topic if topic is None else str(topic),
            tuple(json.loads(str(tags))),
            fc if fc is None else str(fc),
            fi if fi is None else str(fi),
            explanation if explanation is None else str(explanation),
        )
    except (ValueError, TypeError):
        raise _damaged(f"card '{key}'") from None


def _damaged(what: str) -> CollectionError:
    return CollectionError(
        f"the collection is damaged: {what} cannot be read; restore a backup (srs restore)"
    )


CARD_COLUMNS = "c.key, " + ", ".join(f"c.{column}" for column in _TEXT_COLUMNS)
"""SQL: the columns `card_from_row` reads, from the `cards` table aliased `c`."""


# --- which cards: SQL rules over the `cards` table aliased `c` ------------------------------

IN_DECK = "c.retired = 0"
"""SQL: the card is still in its deck file (not retired); it may be suspended or buried."""

LIVE = f"{IN_DECK} AND c.suspended = 0"
"""SQL: the card is still in its deck file and not suspended (it may be buried for today)."""

ACTIVE = f"{LIVE} AND (c.buried_until IS NULL OR c.buried_until <= :today)"
"""SQL: the card can be studied on the study day `:today` (ISO date): not retired, suspended or
buried."""

SUSPENDED = f"c.suspended = 1 AND {IN_DECK}"
"""SQL: the card is suspended and still in its deck file."""

MULTIPLE_CHOICE = "c.option_count > c.answer_count"
"""SQL: the card has options to choose from (multiple choice or select all): a mock exam can ask
it, and choosing shows what the learner knew."""

EXAM_CARD = f"{IN_DECK} AND {MULTIPLE_CHOICE}"
"""SQL: a mock exam can ask the card: in its deck file and multiple choice. Suspended and buried
cards are asked too: they leave the study queue, not the syllabus."""


# --- one card's flags -----------------------------------------------------------------------


def no_card(card_id: int) -> CollectionError:
    """The error for a card id that is not in the collection (one wording everywhere)."""
    return CollectionError(f"no card {card_id} in the collection")


def _set_flag(store: Store, card_id: int, column: str, value: object) -> None:
    from sqlite_utils.db import NotFoundError

    try:
        store.db.table("cards").update(card_id, {column: value})
    except NotFoundError:
        raise no_card(card_id) from None


def bury_until(store: Store, card_id: int, day: date) -> None:
    """Keep the card out of the queues until the study day `day` begins.

    Raises:
        CollectionError: no such card.
    """
    _set_flag(store, card_id, "buried_until", day.isoformat())


def set_suspended(store: Store, card_id: int, suspended: bool) -> None:
    """Take the card out of every queue (or put it back); its memory is kept either way.

    Raises:
        CollectionError: no such card.
    """
    _set_flag(store, card_id, "suspended", int(suspended))


def set_leech(store: Store, card_id: int, leech: bool) -> None:
    """Flag the card as a leech (or clear the flag, when the answer that set it is undone).

    Raises:
        CollectionError: no such card.
    """
    _set_flag(store, card_id, "leech", int(leech))


# --- finding cards --------------------------------------------------------------------------


def card_ids_by_key(store: Store, deck_id: str, keys: Sequence[str]) -> dict[str, int]:
    """The ids of the deck's cards with these keys (card ids as written in the deck file).

    Returns:
        Card id by key, for the keys found (a key not in the deck is left out).
    """
    return dict(
        store.conn.execute(
            "SELECT key, id FROM cards WHERE deck_id = ? AND key IN (SELECT value FROM "
            "json_each(?))",
            (deck_id, json.dumps(list(keys))),
        )
    )


def suspended_keys(store: Store, deck_id: str) -> list[str]:
    """The keys of the deck's suspended cards, in file order."""
    return [
        key
        for (key,) in store.conn.execute(
            f"SELECT c.key FROM cards c WHERE c.deck_id = ? AND {SUSPENDED} ORDER BY c.position",
            (deck_id,),
        )
    ]


def card_contents(store: Store, card_ids: Iterable[int]) -> dict[int, Card]:
    """The content of these cards, by id (an id not in the collection is left out)."""
    rows = store.conn.execute(
        f"SELECT c.id, {CARD_COLUMNS} FROM cards c WHERE c.id IN (SELECT value FROM json_each(?))",
        (json.dumps(list(card_ids)),),
    )
    return {row[0]: card_from_row(row[1:]) for row in rows}


# --- the cards a mock exam asks -------------------------------------------------------------


def exam_card_filter(
    deck_id: str, card_ids: Iterable[int] | None = None
) -> tuple[str, tuple[str, ...]]:
    """SQL: the condition (on `cards` aliased `c`) and its parameters that select the deck's
    `EXAM_CARD`s, or only those among `card_ids`."""
    if card_ids is None:
        return f"c.deck_id = ? AND {EXAM_CARD}", (deck_id,)
    return (
        f"c.deck_id = ? AND {EXAM_CARD} AND c.id IN (SELECT value FROM json_each(?))",
        (deck_id, json.dumps(list(card_ids))),
    )


def exam_cards(
    store: Store, deck_id: str, card_ids: Iterable[int] | None = None
) -> list[tuple[int, str | None]]:
    """The deck's cards a mock exam can ask (`EXAM_CARD`), as (id, topic) in deck order.

    Args:
        store: the collection.
        deck_id: the deck.
        card_ids: only these cards (None: all of them).
    """
    where, params = exam_card_filter(deck_id, card_ids)
    return [
        (card_id, topic)
        for card_id, topic in store.conn.execute(
            f"SELECT c.id, c.topic FROM cards c WHERE {where} ORDER BY c.position, c.id", params
        )
    ]
