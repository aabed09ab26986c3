"""The rules of the deck format: every key and value of a deck, checked once.

`DeckChecker` walks the values the readers hand it (`srs.decks.linereader` or
`srs.decks.yamltree`) and builds the `Deck`; `srs.decks.validate` chooses the reader and the mode.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from srs.decks.yamltree import Map, NeedsPositions, Problem, ProblemList, position
from srs.model.deck import Card, Choice, Deck, ExamSpec, parse_duration, parse_pass_mark

__all__ = [
    "CARD_ID",
    "CARD_KEYS",
    "CHOICE_KEYS",
    "DECK_ID",
    "DECK_KEYS",
    "EXAM_KEYS",
    "FEEDBACK_KEYS",
    "DeckChecker",
    "normal_text",
]

DECK_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
CARD_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
_INTEGER = re.compile(r"[0-9]{1,9}")
_MAX_COUNT = 100_000

DECK_KEYS = ("deck", "title", "description", "exam", "cards")
EXAM_KEYS = ("title", "questions", "pass_mark", "time_limit", "blueprint")
CARD_KEYS = ("id", "question", "answer", "distractors", "topic", "tags", "feedback", "explanation")
FEEDBACK_KEYS = ("correct", "incorrect")
CHOICE_KEYS = ("text", "feedback")


def normal_text(text: str) -> str:
    """The text as compared for repeats: case and runs of whitespace ignored."""
    # Printable text has no whitespace but the space (str.split's other separators are all
    # unprintable): without doubled or outer spaces, splitting and joining would not change it.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text.casefold()
    return " ".join(text.split()).casefold()


Node = Any  # a parsed value: dict, list, str or None (located subclasses in located mode)


@dataclass
class DeckChecker:
    """Walks the values once. In located mode it collects every problem with its position; in
    fast mode the first problem stops it (the caller then reads again, located).

    The readers hand it each card as soon as they have read it (`item`); the rest of the deck
    is checked once the whole file is read (`deck`).
    """

    path: str
    located: bool
    problems: ProblemList = field(init=False)
    shared: dict[str, str] = field(default_factory=dict)
    """One object per distinct topic and tag: 100,000 cards may share a dozen of them."""
    first_line: dict[str, int] = field(default_factory=dict)
    """Each card id read so far, with its line (0 in fast mode), to report a duplicate."""

    def __post_init__(self) -> None:
        self.problems = ProblemList(self.path)

    def error(self, node: Node, message: str) -> None:
        if not self.located:
            raise NeedsPositions
        self.problems.add(Problem(self.path, *position(node), message))

    def key(self, parent: dict[str, Any], key: str) -> Node:
        """Where `key` is written in `parent` (for problems about its value or absence)."""
        return parent.key_texts.get(key, parent) if isinstance(parent, Map) else parent

    def at(self, parent: dict[str, Any], key: str) -> Node:
        """The value of `key`, or where the key is written when the value is empty."""
        value = parent[key]
        return self.key(parent, key) if value is None else value

    def mapping(self, node: Node, what: str, allowed: tuple[str, ...]) -> dict[str, Any] | None:
        if not isinstance(node, dict):
            self.error(node, f"{what} must be a mapping of keys to values")
            return None
        for key in node:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                known = f" (known: {', '.join(allowed)})"
                hint = f"; did you mean '{close[0]}'?" if close else known
                self.error(self.key(node, key), f"unknown key '{key}' in {what}{hint}")
        return node

    def text(self, parent: dict[str, Any], key: str, *, required: bool = False) -> str | None:
        value = parent.get(key)
        if value.__class__ is str and value and not value.isspace():
            return value  # the common case, without a call
        if value is None:
            if required:
                self.error(self.key(parent, key), f"'{key}' is required")
            return None
        return self.scalar(value, f"'{key}'")

    def scalar(self, node: Node, what: str) -> str | None:
        if node.__class__ is str and node and not node.isspace():
            return node  # the common case
        if not isinstance(node, str):
            kind = "a list" if isinstance(node, list) else "a mapping"
            self.error(node, f"{what} must be text, not {kind}")
            return None
        if not node or node.isspace():
            self.error(node, f"{what} must not be empty")
            return None
        return str(node)

    def sequence(self, parent: dict[str, Any], key: str) -> list[Any] | None:
        value = parent.get(key)
        if value is None:
            return None
        if not isinstance(value, list):
            self.error(value, f"'{key}' must be a list")
            return None
        return value

    def deck(self, root: Node) -> Deck | None:
        if root is None:
            self.problems.add(
                Problem(self.path, 1, 1, "empty file: a deck needs 'deck', 'title' and 'cards'")
            )
            return None
        top = self.mapping(root, "the deck", DECK_KEYS)
        if top is None:
            return None
        deck_id = self.text(top, "deck", required=True)
        if deck_id is not None and not DECK_ID.fullmatch(deck_id):
            self.error(
                top["deck"],
                f"deck id '{deck_id}' must be a slug: lowercase letters, "
                "digits, '-' or '_', at most 64 characters",
            )
        title = self.text(top, "title", required=True)
        description = self.text(top, "description")
        cards = self.cards(top)
        exam = self.exam(top, cards) if "exam" in top else None
        if deck_id is None or title is None or self.problems:
            return None
        return Deck(deck_id, title, tuple(cards), description, exam)

    def cards(self, top: dict[str, Any]) -> list[Card]:
        """The deck's cards; each item of the list is already checked (`item`)."""
        items = top.get("cards")
        if not isinstance(items, list):
            if items is None:
                self.error(self.key(top, "cards"), "'cards' is required: a list of questions")
            else:
                self.error(items, "'cards' must be a list of questions")
            return []
        if not items:
            self.error(items, "'cards' must hold at least one card")
        return [card for card in items if card is not None]

    def item(self, node: Node) -> Card | None:
        """One item of the cards list, checked as soon as it is read: its card, or None if it
        has problems (then reported). Its id is compared with those of the items before it."""
        card = self.card(node)
        card_id = node.get("id") if isinstance(node, dict) else None
        if isinstance(card_id, str):
            if (first := self.first_line.get(card_id)) is not None:
                self.error(card_id, f"duplicate card id '{card_id}' (first at line {first})")
                return None
            # A plain copy: a located id carries its position in a dict of its own.
            self.first_line[str(card_id)] = position(card_id)[0]
        return card

    def card(self, node: Node) -> Card | None:
        entry = self.mapping(node, "a card", CARD_KEYS)
        if entry is None:
            return None
        before = len(self.problems)
        card_id = self.text(entry, "id", required=True)
        if card_id is not None and not CARD_ID.fullmatch(card_id):
            self.error(
                entry["id"],
                f"card id '{card_id}' may hold only letters, digits, '.', "
                "'-' and '_' (at most 128 characters)",
            )
        question = self.text(entry, "question", required=True)
        answers = self.answers(entry)
        distractors = self.distractors(entry, answers)
        if len(answers) > 1 and not distractors:
            self.error(
                entry["answer"], "a list of answers (select-all) needs distractors to choose from"
            )
        tags = self.tags(entry)
        feedback_correct = feedback_incorrect = None
        if entry.get("feedback") is not None:
            feedback = self.mapping(entry["feedback"], "'feedback'", FEEDBACK_KEYS)
            if feedback is not None:
                feedback_correct = self.text(feedback, "correct")
                feedback_incorrect = self.text(feedback, "incorrect")
        topic = self.text(entry, "topic")
        if topic is not None:
            topic = self.shared.setdefault(topic, topic)
        explanation = self.text(entry, "explanation")
        if len(self.problems) > before or card_id is None or question is None or not answers:
            return None
        return Card(
            card_id,
            question,
            answers,
            distractors,
            topic,
            tags,
            feedback_correct,
            feedback_incorrect,
            explanation,
        )

    def answers(self, card: dict[str, Any]) -> tuple[str, ...]:
        value = card.get("answer")
        if isinstance(value, list):
            if not value:
                self.error(value, "'answer' must not be an empty list")
            texts = [self.scalar(item, "an answer") for item in value]
            self.repeats(value, texts, "answer")
            return tuple(t for t in texts if t is not None)
        single = self.text(card, "answer", required=True)
        return (single,) if single is not None else ()

    def distractors(self, card: dict[str, Any], answers: tuple[str, ...]) -> tuple[Choice, ...]:
        items = self.sequence(card, "distractors")
        if items is None:
            return ()
        choices: list[Choice | None] = [self.choice(item) for item in items]
        texts = [c.text if c else None for c in choices]
        normals = self.repeats(items, texts, "distractor")
        for answer in answers:
            if (index := normals.get(normal_text(answer))) is not None:
                self.error(items[index], f"distractor '{texts[index]}' is also the answer")
        return tuple([c for c in choices if c is not None])

    def choice(self, node: Node) -> Choice | None:
        if node.__class__ is str and node and not node.isspace():
            return Choice(node)  # the common case
        if isinstance(node, dict):
            choice = self.mapping(node, "a distractor", CHOICE_KEYS)
            if choice is None:
                return None
            text = self.text(choice, "text", required=True)
            feedback = self.text(choice, "feedback")
            return Choice(text, feedback) if text is not None else None
        text = self.scalar(node, "a distractor")
        return Choice(text) if text is not None else None

    def repeats(self, nodes: list[Any], texts: list[str | None], what: str) -> dict[str, int]:
        """Report repeated texts; return each normalised text's first index."""
        seen: dict[str, int] = {}
        for index, text in enumerate(texts):
            if text is not None:
                seen.setdefault(normal_text(text), index)
        if len(seen) == len(texts):  # the common case: every one a text, none repeated
            return seen
        seen.clear()
        for index, text in enumerate(texts):
            if text is None:
                continue
            key = normal_text(text)
            if key in seen:
                first = position(nodes[seen[key]])[0]
                self.error(nodes[index], f"repeated {what} '{text}' (first at line {first})")
            else:
                seen[key] = index
        return seen

    def tags(self, card: dict[str, Any]) -> tuple[str, ...]:
        items = self.sequence(card, "tags")
        if items is None:
            return ()
        shared = self.shared.setdefault
        tags: dict[str, None] = {}  # in order, once each
        for item in items:
            if (tag := self.scalar(item, "a tag")) is not None:
                tags[shared(tag, tag)] = None
        return tuple(tags)

    def exam(self, top: dict[str, Any], cards: list[Card]) -> ExamSpec | None:
        exam = self.mapping(self.at(top, "exam"), "'exam'", EXAM_KEYS)
        if exam is None:
            return None
        title = self.text(exam, "title") or ExamSpec.title
        choice_cards = [c for c in cards if c.is_multiple_choice]
        questions = self.count(exam, "questions", required=True)
        if questions is not None and cards and questions > len(choice_cards):
            self.error(
                exam["questions"],
                f"the exam asks for {questions} questions but the deck "
                f"has {len(choice_cards)} multiple-choice cards",
            )
        pass_mark = None
        if (text := self.text(exam, "pass_mark", required=True)) is not None:
            pass_mark = parse_pass_mark(text)
            if pass_mark is None:
                self.error(
                    exam["pass_mark"],
                    f"pass mark '{text}' must be a percentage in "
                    "(0%, 100%] such as 70%, or a fraction such as 0.7",
                )
        time_limit = None
        if (text := self.text(exam, "time_limit")) is not None:
            time_limit = parse_duration(text)
            if time_limit is None:
                self.error(
                    exam["time_limit"], f"time limit '{text}' must look like 90s, 30m or 1h30m"
                )
        blueprint = self.blueprint(exam, questions, choice_cards)
        if questions is None or pass_mark is None:
            return None
        return ExamSpec(questions, pass_mark, title, time_limit, blueprint)

    def count(self, parent: dict[str, Any], key: str, *, required: bool = False) -> int | None:
        text = self.text(parent, key, required=required)
        if text is None:
            if key in parent and not required:
                self.error(self.key(parent, key), f"'{key}' needs a number")
            return None
        if not _INTEGER.fullmatch(text.strip()) or not 1 <= int(text) <= _MAX_COUNT:
            self.error(parent[key], f"'{key}' must be a whole number from 1 to {_MAX_COUNT:,}")
            return None
        return int(text)

    def blueprint(
        self, exam: dict[str, Any], questions: int | None, cards: list[Card]
    ) -> tuple[tuple[str, int], ...]:
        if "blueprint" not in exam:
            return ()
        node = self.at(exam, "blueprint")
        if not isinstance(node, dict):
            self.error(node, "'blueprint' must map topics to numbers of questions")
            return ()
        per_topic: dict[str, int] = {}
        for card in cards:
            if card.topic is not None:
                per_topic[card.topic] = per_topic.get(card.topic, 0) + 1
        plan: list[tuple[str, int]] = []
        for topic in node:
            wanted = self.count(node, topic)
            if wanted is None:
                continue
            if wanted > per_topic.get(topic, 0):
                self.error(
                    self.key(node, topic),
                    f"blueprint asks for {wanted} '{topic}' "
                    f"questions but the deck has {per_topic.get(topic, 0)} "
                    "multiple-choice cards on it",
                )
            plan.append((str(topic), wanted))
        total = sum(n for _, n in plan)
        if questions is not None and plan and total != questions:
            self.error(node, f"blueprint adds up to {total} questions, not {questions}")
        return tuple(plan)
