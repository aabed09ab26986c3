"""How a card's content is stored in a `cards` row, and read back (one codec for every module).

List fields (answers, distractors, tags) are JSON text; the exam block is JSON on its deck.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from json.encoder import encode_basestring as _string

from srs.model.deck import Card, Choice, ExamSpec

__all__ = [
    "CARD_COLUMNS",
    "CONTENT_COLUMNS",
    "card_content",
    "card_from_row",
    "exam_from_json",
    "exam_to_json",
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
    )


CONTENT_COLUMNS = (
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
    if text is None:
        return None
    data = json.loads(text)
    return ExamSpec(
        data["questions"],
        data["pass_mark"],
        data["title"],
        data["time_limit"],
        tuple((topic, n) for topic, n in data["blueprint"]),
    )


def card_from_row(row: Sequence[object]) -> Card:
    """Build a `Card` from a row of `CARD_COLUMNS`."""
    key, _position, question, answers, distractors, topic, tags, fc, fi, explanation = row
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


CARD_COLUMNS = "c.key, " + ", ".join(f"c.{column}" for column in CONTENT_COLUMNS)
"""SQL: the columns `card_from_row` reads, from the `cards` table aliased `c`."""
