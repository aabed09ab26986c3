"""Anki notes as srs card texts: one per Anki card, by what its note type is.

- A cloze note type: one card per cloze number (`srs.decks.anki.cloze`); the answer is what
  the deletion hides, the explanation the whole text and the fields on the back.
- A note type whose fields read as a question, lettered or numbered options and the correct
  answer (`Question`, `A`..`D`, `Answer: B`; `Q_1`..`Q_5`, `Answers: 0 1 0 0`): multiple
  choice when the answer names options, free recall with the options listed when it cannot be
  matched to them.
- Any other note type, by its templates: the fields the front shows are the question, the first
  field only the back adds is the answer, the back's other fields the explanation. Basic, Basic
  (and reversed card), the optional-reversed and typing variants are this rule.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from srs.decks.anki.cloze import IMAGE_OCCLUSION, cloze_numbers, deleted, parse_cloze, shown
from srs.decks.anki.model import NoteType
from srs.decks.checker import normal_text

__all__ = ["CardText", "Kind", "NoteTypePlan", "Skip", "plan_for"]

_REFERENCE = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
_SPECIAL = frozenset({"frontside", "tags", "type", "deck", "subdeck", "card", "cardflag", "cardid"})
_QUESTION_FIELDS = frozenset({"question", "front", "prompt", "stem", "q", "question text"})
_OPTION_FIELD = re.compile(
    r"(?:(?:option|choice|alternative|answer|opt|q)[\s_.-]*)?\(?([1-9]|[a-h])\)?", re.IGNORECASE
)
_CORRECT_FIELDS = frozenset(
    {
        "answer",
        "answers",
        "correct",
        "correct answer",
        "correct answers",
        "correct option",
        "correct options",
        "correct choice",
        "right answer",
        "key",
        "solution",
    }
)
_EXPLANATION_FIELDS = frozenset(
    {
        "explanation",
        "explanations",
        "extra",
        "extra 1",
        "back extra",
        "notes",
        "note",
        "rationale",
        "comment",
        "comments",
        "remarks",
        "reason",
        "source",
        "sources",
        "reference",
        "references",
    }
)
_FLAGS = re.compile(r"[01](?:[\s,;]+[01])*")
_LABELS = re.compile(r"\(?([a-h]|[1-9])[.):]?", re.IGNORECASE)
_LABEL_SEPARATORS = re.compile(r"\s*(?:[,;/&+]|\band\b)\s*|\s+", re.IGNORECASE)
_LABELLED_TEXT = re.compile(r"\(?([a-h]|[1-9])[.):]\s+\S", re.IGNORECASE)


class Kind:
    """What a converted card is, as the summary counts it."""

    FREE_RECALL = "free recall"
    MULTIPLE_CHOICE = "multiple choice"
    SELECT_ALL = "select all"
    CLOZE = "cloze"
    UNRECOGNISED_CHOICE = "free recall (options not matched to the answer)"


class CardText(NamedTuple):
    """One srs card's text (before ids, topics and tags are added)."""

    question: str
    answers: tuple[str, ...]
    distractors: tuple[str, ...]
    explanation: str | None
    kind: str


class Skip(NamedTuple):
    """An Anki card left out, and why."""

    reason: str


def _join(texts: Sequence[str], separator: str = "\n") -> str:
    return separator.join(text for text in texts if text)


def _references(template: str) -> list[tuple[str, str]]:
    """The fields a template shows, as (filter, field name), in order. Sections (`{{#F}}`),
    comments and Anki's own values (`{{FrontSide}}`, `{{Tags}}`) show no field."""
    found = []
    for match in _REFERENCE.finditer(template):
        reference = match.group(1)
        if not reference or reference[0] in "#^/!":
            continue
        *filters, name = reference.split(":")
        name = name.strip()
        if name.casefold() not in _SPECIAL:
            found.append((filters[0].strip().casefold() if filters else "", name))
    return found


@dataclass(frozen=True)
class NoteTypePlan(ABC):
    """How the notes of one note type become card texts (worked out once per note type)."""

    notetype: NoteType

    def index(self, name: str) -> int | None:
        """A field's position by the name a template uses (exact, else ignoring case)."""
        names = self.notetype.fields
        if name in names:
            return names.index(name)
        folded = [n.casefold() for n in names]
        return folded.index(name.casefold()) if name.casefold() in folded else None

    def indexes(self, references: Sequence[tuple[str, str]], *filters: str) -> list[int]:
        """The positions of the referenced fields shown through one of `filters`, each once."""
        found: list[int] = []
        for used, name in references:
            at = self.index(name)
            if used in filters and at is not None and at not in found:
                found.append(at)
        return found

    @abstractmethod
    def card(self, fields: Sequence[str], ord_: int) -> CardText | Skip:
        """The card text of a note's card `ord_`, from the note's fields as plain text (one
        per field of the note type)."""


@dataclass(frozen=True)
class _TemplatePlan(NoteTypePlan):
    """The front's fields are the question; what the back adds is the answer, then the rest."""

    @cached_property
    def sides(self) -> list[tuple[list[int], list[int]]]:
        """Per template: the question's fields, then the back's own fields in order."""
        sides = []
        for template in self.notetype.templates:
            front = self.indexes(_references(template.front), "", "text", "furigana", "kana")
            back_refs = _references(template.back)
            back = [i for i in self.indexes(back_refs, "", "text", "type") if i not in front]
            hints = [i for i in self.indexes(_references(template.front), "hint") if i not in back]
            if not back:
                back = [i for i in range(len(self.notetype.fields)) if i not in front]
            sides.append((front, back + hints))
        return sides

    def card(self, fields: Sequence[str], ord_: int) -> CardText | Skip:
        if not 0 <= ord_ < len(self.sides):
            return Skip("card type missing from its note type")
        front, back = self.sides[ord_]
        question = _join([fields[i] for i in front])
        if not question:
            return Skip("empty front")
        answers = [fields[i] for i in back if fields[i]]
        if not answers:
            return Skip("nothing on the back")
        explanation = _join(answers[1:], "\n\n") or None
        return CardText(question, (answers[0],), (), explanation, Kind.FREE_RECALL)


@dataclass(frozen=True)
class _ClozePlan(NoteTypePlan):
    """One card per cloze number, from the fields the template shows through `cloze:`."""

    @cached_property
    def parts(self) -> tuple[list[int], list[int]]:
        """The cloze fields, and the other fields the templates show (the back's extras)."""
        templates = self.notetype.templates
        references = [ref for t in templates for ref in _references(t.front + t.back)]
        text = self.indexes(references, "cloze") or [0]
        extras = [i for i in self.indexes(references, "", "text") if i not in text]
        return text, extras

    def card(self, fields: Sequence[str], ord_: int) -> CardText | Skip:
        text, extras = self.parts
        texts = [fields[i] for i in text if i < len(fields)]
        parsed = [parse_cloze(field) for field in texts]
        number = ord_ + 1
        if any(IMAGE_OCCLUSION in field for field in texts):
            return Skip("image occlusion (shapes on an image)")
        if not any(number in cloze_numbers(parts) for parts in parsed):
            return Skip(f"no cloze {number} in the note")
        question = _join([shown(parts, number).strip() for parts in parsed])
        answers = [answer for parts in parsed for answer in deleted(parts, number) if answer]
        if not answers:
            return Skip("empty cloze")
        revealed = _join([shown(parts).strip() for parts in parsed])
        explanation = _join([revealed, *(fields[i] for i in extras)], "\n\n")
        answer = "; ".join(dict.fromkeys(answers))
        return CardText(question, (answer,), (), explanation or None, Kind.CLOZE)


@dataclass(frozen=True)
class _ChoicePlan(NoteTypePlan):
    """A question field, lettered or numbered option fields, and a field naming the right ones."""

    question: int
    options: tuple[int, ...]
    """The option fields, in label order (A, B, ... or 1, 2, ...)."""
    correct: int
    explanations: tuple[int, ...]

    def card(self, fields: Sequence[str], ord_: int) -> CardText | Skip:
        question = fields[self.question]
        if not question:
            return Skip("empty front")
        explanation = _join([fields[i] for i in self.explanations], "\n\n") or None
        key = fields[self.correct]
        right = self.right_options(fields, key)
        texts = [fields[i] for i in self.options]
        if right:
            answers = list(dict.fromkeys(texts[i] for i in right))
            taken = {normal_text(text) for text in answers}
            distractors = []
            for text in texts:
                if text and normal_text(text) not in taken:
                    taken.add(normal_text(text))
                    distractors.append(text)
            if distractors:
                kind = Kind.MULTIPLE_CHOICE if len(answers) == 1 else Kind.SELECT_ALL
                return CardText(question, tuple(answers), tuple(distractors), explanation, kind)
        if not key:
            return Skip("nothing on the back")
        listed = [f"{self.label(n)}. {text}" for n, text in enumerate(texts) if text]
        return CardText(
            _join([question, *listed]), (key,), (), explanation, Kind.UNRECOGNISED_CHOICE
        )

    def label(self, position: int) -> str:
        name = self.notetype.fields[self.options[position]]
        match = _OPTION_FIELD.fullmatch(name.strip())
        return match.group(1).upper() if match else str(position + 1)

    def right_options(self, fields: Sequence[str], key: str) -> list[int]:
        """The positions (in `options`) of the options `key` names; [] when it names none
        that has text. `key` may be an option's text, flags (`0 1 0 0`), labels (`B`, `A, C`,
        `2`) or a labelled text (`B) Paris`)."""
        texts = [fields[i] for i in self.options]
        if not key:
            return []
        same = [n for n, text in enumerate(texts) if text and normal_text(text) == normal_text(key)]
        if same:
            return same[:1]
        found: list[int] = []
        if _FLAGS.fullmatch(key) and len(flags := re.findall("[01]", key)) == len(texts):
            found = [n for n, flag in enumerate(flags) if flag == "1"]
        elif all(_LABELS.fullmatch(token) for token in _tokens(key)):
            found = [self.position(token) for token in _tokens(key)]
        elif match := _LABELLED_TEXT.match(key):
            found = [self.position(match.group(1))]
        if not found or any(n < 0 or n >= len(texts) or not texts[n] for n in found):
            return []
        return list(dict.fromkeys(found))

    def position(self, label: str) -> int:
        """An option's position from its label: by the field names' own labels, else as the
        letter's or number's place (A or 1 is the first)."""
        label = label.strip("().:").upper()
        for n in range(len(self.options)):
            if self.label(n) == label:
                return n
        return ord(label) - ord("A") if label.isalpha() else int(label) - 1


def _tokens(key: str) -> list[str]:
    return [token for token in _LABEL_SEPARATORS.split(key.strip()) if token]


def _choice_plan(notetype: NoteType) -> _ChoicePlan | None:
    """The multiple-choice reading of a note type, when its field names give one."""
    names = [name.strip().casefold() for name in notetype.fields]
    questions = [n for n, name in enumerate(names) if name in _QUESTION_FIELDS]
    corrects = [n for n, name in enumerate(names) if name in _CORRECT_FIELDS]
    options = [
        (n, match.group(1).upper())
        for n, name in enumerate(notetype.fields)
        if n not in corrects and (match := _OPTION_FIELD.fullmatch(name.strip()))
    ]
    if len(questions) != 1 or len(corrects) != 1 or len(options) < 2:
        return None
    labels = [label for _, label in options]
    if len(set(labels)) != len(labels) or len({label.isalpha() for label in labels}) != 1:
        return None
    ordered = tuple(n for n, _ in sorted(options, key=lambda option: option[1]))
    explanations = tuple(n for n, name in enumerate(names) if name in _EXPLANATION_FIELDS)
    return _ChoicePlan(notetype, questions[0], ordered, corrects[0], explanations)


def plan_for(notetype: NoteType) -> NoteTypePlan:
    """How this note type's notes become cards."""
    if notetype.is_cloze:
        return _ClozePlan(notetype)
    return _choice_plan(notetype) or _TemplatePlan(notetype)
