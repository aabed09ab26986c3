"""The YAML deck format (v1): strict loading, validation with line:col errors, and the Deck model.

Every problem in a file is reported at once, as `path:line:col: message`. A deck that loads is
fully valid: nothing downstream needs to check it again.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from srs.yamltree import Mapping, Node, Problem, Scalar, Sequence, YamlProblems, parse_tree

__all__ = [
    "Card",
    "Choice",
    "Deck",
    "DeckError",
    "ExamSpec",
    "Problem",
    "deck_files",
    "load_deck",
    "parse_deck",
    "parse_duration",
    "parse_pass_mark",
]

DECK_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
CARD_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
_DURATION = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_FRACTION = re.compile(r"0?\.\d+|1(?:\.0+)?|0")
_INTEGER = re.compile(r"\d+")

DECK_KEYS = ("deck", "title", "description", "exam", "cards")
EXAM_KEYS = ("title", "questions", "pass_mark", "time_limit", "blueprint")
CARD_KEYS = ("id", "question", "answer", "distractors", "topic", "tags", "feedback", "explanation")
FEEDBACK_KEYS = ("correct", "incorrect")
CHOICE_KEYS = ("text", "feedback")


class DeckError(Exception):
    """A deck file has problems; `problems` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


@dataclass(frozen=True)
class Choice:
    """A wrong option of a multiple-choice card, with optional feedback for picking it."""

    text: str
    feedback: str | None = None


@dataclass(frozen=True)
class Card:
    """One question as the deck states it (content only; memory state lives in the store)."""

    id: str
    question: str
    answers: tuple[str, ...]
    distractors: tuple[Choice, ...] = ()
    topic: str | None = None
    tags: tuple[str, ...] = ()
    feedback_correct: str | None = None
    feedback_incorrect: str | None = None
    explanation: str | None = None

    @property
    def is_multiple_choice(self) -> bool:
        return bool(self.distractors)


@dataclass(frozen=True)
class ExamSpec:
    """The `exam:` block: what one mock-exam attempt looks like."""

    questions: int
    pass_mark: float
    title: str = "Mock exam"
    time_limit: int | None = None
    """Seconds, or None for an untimed exam."""
    blueprint: tuple[tuple[str, int], ...] = ()
    """Questions drawn per topic; empty means drawn from the whole deck."""


@dataclass(frozen=True)
class Deck:
    id: str
    title: str
    cards: tuple[Card, ...]
    description: str | None = None
    exam: ExamSpec | None = None


def deck_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into the deck files (`*.yaml`, `*.yml`) they hold, sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in {".yaml", ".yml"}))
        else:
            found.append(path)
    return found


def load_deck(path: Path) -> Deck:
    """Read and validate one deck file.

    Raises:
        DeckError: with every problem found; a missing or unreadable file is one problem.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise DeckError([Problem(str(path), 0, 0, f"cannot read: {reason}")]) from None
    return parse_deck(data, str(path))


def parse_deck(data: bytes, path: str = "<deck>") -> Deck:
    """Validate deck text; see `load_deck`."""
    try:
        root, problems = parse_tree(data, path)
    except YamlProblems as exc:
        raise DeckError(exc.problems) from None
    checker = _Checker(path, problems)
    deck = checker.deck(root)
    if checker.problems or deck is None:
        raise DeckError(sorted(checker.problems))
    return deck


def parse_duration(text: str) -> int | None:
    """`90s`, `30m`, `1h30m` -> seconds; None when malformed or zero."""
    match = _DURATION.fullmatch(text.strip())
    if not match or not any(match.groups()):
        return None
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    total = hours * 3600 + minutes * 60 + seconds
    return total or None


def parse_pass_mark(text: str) -> float | None:
    """`70%` or `0.7` -> 0.7; None when malformed or outside (0, 1]."""
    text = text.strip()
    if match := _PERCENT.fullmatch(text):
        value = float(match.group(1)) / 100
    elif _FRACTION.fullmatch(text):
        value = float(text)
    else:
        return None
    return value if 0 < value <= 1 else None


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass
class _Checker:
    """Walks the tree once, collecting every problem instead of stopping at the first."""

    path: str
    problems: list[Problem] = field(default_factory=list)

    def error(self, node: Node, message: str) -> None:
        self.problems.append(Problem(self.path, node.line, node.col, message))

    def mapping(self, node: Node, what: str, allowed: tuple[str, ...]) -> Mapping | None:
        if not isinstance(node, Mapping):
            self.error(node, f"{what} must be a mapping of keys to values")
            return None
        for key, (key_node, _) in node.entries.items():
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else f" (known: {', '.join(allowed)})"
                self.error(key_node, f"unknown key '{key}' in {what}{hint}")
        return node

    def text(self, parent: Mapping, key: str, *, required: bool = False) -> str | None:
        entry = parent.entries.get(key)
        if entry is None or (isinstance(entry[1], Scalar) and entry[1].is_null):
            if required:
                self.error(entry[0] if entry else parent, f"'{key}' is required")
            return None
        return self.scalar(entry[1], f"'{key}'")

    def scalar(self, node: Node, what: str) -> str | None:
        if not isinstance(node, Scalar):
            kind = "a list" if isinstance(node, Sequence) else "a mapping"
            self.error(node, f"{what} must be text, not {kind}")
            return None
        if not node.text.strip():
            self.error(node, f"{what} must not be empty")
            return None
        return node.text

    def sequence(self, parent: Mapping, key: str) -> Sequence | None:
        entry = parent.entries.get(key)
        if entry is None or (isinstance(entry[1], Scalar) and entry[1].is_null):
            return None
        if not isinstance(entry[1], Sequence):
            self.error(entry[1], f"'{key}' must be a list")
            return None
        return entry[1]

    def deck(self, root: Node | None) -> Deck | None:
        if root is None:
            self.problems.append(Problem(self.path, 1, 1, "empty file: a deck needs 'deck', "
                                         "'title' and 'cards'"))
            return None
        top = self.mapping(root, "the deck", DECK_KEYS)
        if top is None:
            return None
        deck_id = self.text(top, "deck", required=True)
        if deck_id is not None and not DECK_ID.fullmatch(deck_id):
            self.error(top.entries["deck"][1], f"deck id '{deck_id}' must be a slug: lowercase "
                       "letters, digits, '-' or '_', at most 64 characters")
        title = self.text(top, "title", required=True)
        description = self.text(top, "description")
        cards = self.cards(top)
        exam = self.exam(top.entries["exam"][1], cards) if "exam" in top.entries else None
        if deck_id is None or title is None or self.problems:
            return None
        return Deck(deck_id, title, tuple(cards), description, exam)

    def cards(self, top: Mapping) -> list[Card]:
        items = self.sequence(top, "cards")
        if items is None:
            if "cards" not in top.entries or isinstance(top.entries["cards"][1], Scalar):
                where = top.entries["cards"][0] if "cards" in top.entries else top
                self.error(where, "'cards' is required: a list of questions")
            return []
        if not items.items:
            self.error(items, "'cards' must hold at least one card")
        cards: list[Card] = []
        first_line: dict[str, int] = {}
        for item in items.items:
            card = self.card(item)
            id_node = item.entries.get("id", (None, None))[1] if isinstance(item, Mapping) else None
            if isinstance(id_node, Scalar) and not id_node.is_null:
                if id_node.text in first_line:
                    self.error(id_node, f"duplicate card id '{id_node.text}' (first at line "
                               f"{first_line[id_node.text]})")
                    continue
                first_line[id_node.text] = id_node.line
            if card is not None:
                cards.append(card)
        return cards

    def card(self, node: Node) -> Card | None:
        entry = self.mapping(node, "a card", CARD_KEYS)
        if entry is None:
            return None
        before = len(self.problems)
        card_id = self.text(entry, "id", required=True)
        if card_id is not None and not CARD_ID.fullmatch(card_id):
            self.error(entry.entries["id"][1], f"card id '{card_id}' may hold only letters, "
                       "digits, '.', '-' and '_' (at most 128 characters)")
        question = self.text(entry, "question", required=True)
        answers = self.answers(entry)
        distractors = self.distractors(entry, answers)
        if len(answers) > 1 and not distractors:
            self.error(entry.entries["answer"][1], "a list of answers (select-all) needs "
                       "distractors to choose from")
        tags = self.tags(entry)
        feedback_correct = feedback_incorrect = None
        if "feedback" in entry.entries:
            feedback = self.mapping(entry.entries["feedback"][1], "'feedback'", FEEDBACK_KEYS)
            if feedback is not None:
                feedback_correct = self.text(feedback, "correct")
                feedback_incorrect = self.text(feedback, "incorrect")
        topic = self.text(entry, "topic")
        explanation = self.text(entry, "explanation")
        if len(self.problems) > before or card_id is None or question is None or not answers:
            return None
        return Card(card_id, question, answers, distractors, topic, tags, feedback_correct,
                    feedback_incorrect, explanation)

    def answers(self, card: Mapping) -> tuple[str, ...]:
        entry = card.entries.get("answer")
        if entry is not None and isinstance(entry[1], Sequence):
            texts = [self.scalar(item, "an answer") for item in entry[1].items]
            if not entry[1].items:
                self.error(entry[1], "'answer' must not be an empty list")
            self.repeats(entry[1].items, texts, "answer")
            return tuple(t for t in texts if t is not None)
        single = self.text(card, "answer", required=True)
        return (single,) if single is not None else ()

    def distractors(self, card: Mapping, answers: tuple[str, ...]) -> tuple[Choice, ...]:
        items = self.sequence(card, "distractors")
        if items is None:
            return ()
        choices: list[Choice | None] = [self.choice(item) for item in items.items]
        texts = [c.text if c else None for c in choices]
        self.repeats(items.items, texts, "distractor")
        correct = {_normal(a) for a in answers}
        for item, text in zip(items.items, texts, strict=True):
            if text is not None and _normal(text) in correct:
                self.error(item, f"distractor '{text}' is also the answer")
        return tuple(c for c in choices if c is not None)

    def choice(self, node: Node) -> Choice | None:
        if isinstance(node, Mapping):
            choice = self.mapping(node, "a distractor", CHOICE_KEYS)
            if choice is None:
                return None
            text = self.text(choice, "text", required=True)
            feedback = self.text(choice, "feedback")
            return Choice(text, feedback) if text is not None else None
        text = self.scalar(node, "a distractor")
        return Choice(text) if text is not None else None

    def repeats(self, nodes: list[Node], texts: list[str | None], what: str) -> None:
        seen: dict[str, int] = {}
        for node, text in zip(nodes, texts, strict=True):
            if text is None:
                continue
            key = _normal(text)
            if key in seen:
                self.error(node, f"repeated {what} '{text}' (first at line {seen[key]})")
            else:
                seen[key] = node.line

    def tags(self, card: Mapping) -> tuple[str, ...]:
        items = self.sequence(card, "tags")
        if items is None:
            return ()
        tags = [self.scalar(item, "a tag") for item in items.items]
        return tuple(dict.fromkeys(t for t in tags if t is not None))

    def exam(self, node: Node, cards: list[Card]) -> ExamSpec | None:
        exam = self.mapping(node, "'exam'", EXAM_KEYS)
        if exam is None:
            return None
        title = self.text(exam, "title") or ExamSpec.title
        choice_cards = [c for c in cards if c.is_multiple_choice]
        questions = self.count(exam, "questions", required=True)
        if questions is not None and cards and questions > len(choice_cards):
            self.error(exam.entries["questions"][1], f"the exam asks for {questions} questions "
                       f"but the deck has {len(choice_cards)} multiple-choice cards")
        pass_mark = None
        if (text := self.text(exam, "pass_mark", required=True)) is not None:
            pass_mark = parse_pass_mark(text)
            if pass_mark is None:
                self.error(exam.entries["pass_mark"][1], f"pass mark '{text}' must be a "
                           "percentage in (0%, 100%] such as 70%, or a fraction such as 0.7")
        time_limit = None
        if (text := self.text(exam, "time_limit")) is not None:
            time_limit = parse_duration(text)
            if time_limit is None:
                self.error(exam.entries["time_limit"][1], f"time limit '{text}' must look "
                           "like 90s, 30m or 1h30m")
        blueprint = self.blueprint(exam, questions, choice_cards)
        if questions is None or pass_mark is None:
            return None
        return ExamSpec(questions, pass_mark, title, time_limit, blueprint)

    def count(self, parent: Mapping, key: str, *, required: bool = False) -> int | None:
        text = self.text(parent, key, required=required)
        if text is None:
            return None
        if not _INTEGER.fullmatch(text.strip()) or int(text) < 1:
            self.error(parent.entries[key][1], f"'{key}' must be a whole number of at least 1")
            return None
        return int(text)

    def blueprint(
        self, exam: Mapping, questions: int | None, cards: list[Card]
    ) -> tuple[tuple[str, int], ...]:
        if "blueprint" not in exam.entries:
            return ()
        node = exam.entries["blueprint"][1]
        if not isinstance(node, Mapping):
            self.error(node, "'blueprint' must map topics to numbers of questions")
            return ()
        per_topic: dict[str, int] = {}
        for card in cards:
            if card.topic is not None:
                per_topic[card.topic] = per_topic.get(card.topic, 0) + 1
        plan: list[tuple[str, int]] = []
        for topic, (key_node, _) in node.entries.items():
            wanted = self.count(node, topic)
            if wanted is None:
                continue
            if wanted > per_topic.get(topic, 0):
                self.error(key_node, f"blueprint asks for {wanted} '{topic}' questions but the "
                           f"deck has {per_topic.get(topic, 0)} multiple-choice cards on it")
            plan.append((topic, wanted))
        total = sum(n for _, n in plan)
        if questions is not None and plan and total != questions:
            self.error(node, f"blueprint adds up to {total} questions, not {questions}")
        return tuple(plan)

