"""Export: a deck back from the collection, and as YAML in the deck format.

Exporting and importing again changes nothing.
"""

from __future__ import annotations

import yaml

from srs.collection.cards import exam_from_json
from srs.collection.contents import deck_cards
from srs.collection.decks import deck_row
from srs.collection.store import Store
from srs.model.deck import Card, Deck, parse_pass_mark

__all__ = ["deck_from_collection", "dump_deck"]


def deck_from_collection(store: Store, deck_id: str) -> Deck:
    """Rebuild a deck as the collection holds it (active cards, in file order).

    Raises:
        CollectionError: no such deck.
    """
    row = deck_row(store, deck_id, "title", "description", "exam")
    cards = tuple(deck_cards(store, deck_id))
    return Deck(deck_id, row[0], cards, row[1], exam_from_json(row[2]))


def _pass_mark_text(fraction: float) -> str:
    """ "70%" when a percentage reads back as exactly `fraction`, else the fraction itself."""
    percent = f"{fraction * 100:.10g}%"
    return percent if parse_pass_mark(percent) == fraction else repr(fraction)


def _duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return "".join(f"{n}{u}" for n, u in ((hours, "h"), (minutes, "m"), (secs, "s")) if n)


def dump_deck(deck: Deck) -> str:
    """The deck as YAML in the v1 format; loading it gives back an equal deck."""
    data: dict[str, object] = {"deck": deck.id, "title": deck.title}
    if deck.description is not None:
        data["description"] = deck.description
    if deck.exam is not None:
        exam: dict[str, object] = {
            "title": deck.exam.title,
            "questions": deck.exam.questions,
            "pass_mark": _pass_mark_text(deck.exam.pass_mark),
        }
        if deck.exam.time_limit:
            exam["time_limit"] = _duration(deck.exam.time_limit)
        if deck.exam.blueprint:
            exam["blueprint"] = dict(deck.exam.blueprint)
        data["exam"] = exam
    data["cards"] = [_card_data(card) for card in deck.cards]
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text: str = yaml.serialize(_node(data), Dumper=dumper, allow_unicode=True, width=100)
    return text


_STR, _INT = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int"
_MAP, _SEQ = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"


def _node(value: object) -> yaml.Node:
    """The node `yaml.dump` (block style, keys in order) makes of a deck's data, made
    directly: PyYAML's representer, asking of each value's type which method represents it,
    was a fifth of writing a 30,000-card deck (1.25 s of CPU). The emitter and its quoting
    are the same, so the text is too."""
    if isinstance(value, str):
        return yaml.ScalarNode(_STR, value)
    if isinstance(value, dict):
        pairs = [(_node(key), _node(item)) for key, item in value.items()]
        return yaml.MappingNode(_MAP, pairs, flow_style=False)
    if isinstance(value, list):
        return yaml.SequenceNode(_SEQ, [_node(item) for item in value], flow_style=False)
    if type(value) is int:
        return yaml.ScalarNode(_INT, str(value))
    raise TypeError(f"a deck holds no {type(value).__name__}")


def _card_data(card: Card) -> dict[str, object]:
    data: dict[str, object] = {"id": card.id}
    if card.topic is not None:
        data["topic"] = card.topic
    if card.tags:
        data["tags"] = list(card.tags)
    data["question"] = card.question
    data["answer"] = card.answers[0] if len(card.answers) == 1 else list(card.answers)
    if card.distractors:
        data["distractors"] = [
            c.text if c.feedback is None else {"text": c.text, "feedback": c.feedback}
            for c in card.distractors
        ]
    feedback = {
        k: v
        for k, v in (("correct", card.feedback_correct), ("incorrect", card.feedback_incorrect))
        if v is not None
    }
    if feedback:
        data["feedback"] = feedback
    if card.explanation is not None:
        data["explanation"] = card.explanation
    return data
