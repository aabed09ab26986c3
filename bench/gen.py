"""Generators for benchmark data: large decks, as YAML files or as `Card` values.

Both forms draw the same text from the same seed, so a deck written to YAML and the cards built
in memory are the same cards. `write_full_deck` writes the larger cards of a real certification
deck (a topic, two tags, four options, feedback both ways and an explanation: ~750 bytes each).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from srs.model.deck import Card, Choice

__all__ = ["GeneratedCard", "deck_cards", "generate_cards", "write_deck", "write_full_deck"]

_WORDS = (
    "model data synthetic training loss teacher student gradient token corpus sample filter "
    "reward policy signal anchor collapse tail domain transfer oracle"
).split()


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize()


@dataclass(frozen=True)
class GeneratedCard:
    """One multiple-choice card's text (~530 bytes as YAML)."""

    id: str
    topic: str
    question: str
    answer: str
    distractors: tuple[str, ...]
    correct: str
    incorrect: str


def generate_cards(cards: int, *, seed: int = 1) -> Iterator[GeneratedCard]:
    """The cards of the benchmark deck, in file order."""
    rng = random.Random(seed)
    for n in range(cards):
        answer = f"{_sentence(rng, 5)} {n}"
        question = f"{_sentence(rng, 12)} {n}?"
        distractors = tuple(f"{_sentence(rng, 5)} {n}-{k}" for k in range(3))
        correct = _sentence(rng, 8)
        incorrect = _sentence(rng, 8)
        yield GeneratedCard(
            f"card-{n}", f"Topic {n % 7}", question, answer, distractors, correct, incorrect
        )


def write_deck(path: Path, cards: int, *, seed: int = 1, deck_id: str = "bench") -> Path:
    """Write a multiple-choice deck of `cards` cards (~530 bytes each) to `path`."""
    lines = [
        f"deck: {deck_id}",
        f"title: Benchmark deck of {cards} cards",
        "exam: {questions: 20, pass_mark: 70%, time_limit: 30m}",
        "cards:",
    ]
    for card in generate_cards(cards, seed=seed):
        lines += [
            f"  - id: {card.id}",
            f"    topic: {card.topic}",
            f"    question: {card.question}",
            f"    answer: {card.answer}",
            "    distractors:",
            *(f"      - {text}" for text in card.distractors),
            "    feedback:",
            f"      correct: {card.correct}",
            f"      incorrect: {card.incorrect}",
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


_TAGS = "core exam-2024 recall tricky definitions history metrics methods".split()


def write_full_deck(path: Path, cards: int, *, seed: int = 1, deck_id: str = "bench-full") -> Path:
    """Write a deck of `cards` full certification cards (~750 bytes each) to `path`.

    100,000 of them make a 75 MB file, the largest deck srs is sized for.
    """
    rng = random.Random(seed)
    lines = [
        f"deck: {deck_id}",
        f"title: Certification deck of {cards} cards",
        "exam: {questions: 20, pass_mark: 70%, time_limit: 30m}",
        "cards:",
    ]
    for n in range(cards):
        tags = rng.sample(_TAGS, 2)
        lines += [
            f"  - id: cert-{n}",
            f"    topic: Topic {n % 12}",
            f"    tags: [{tags[0]}, {tags[1]}]",
            f"    question: {_sentence(rng, 13)} {n}?",
            f"    answer: {_sentence(rng, 6)} {n}",
            "    distractors:",
            *(f"      - {_sentence(rng, 6)} {n}-{k}" for k in range(3)),
            "    feedback:",
            f"      correct: Correct. {_sentence(rng, 9)}.",
            f"      incorrect: Not quite. {_sentence(rng, 9)}.",
            f"    explanation: {_sentence(rng, 14)}.",
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def deck_cards(cards: int, *, seed: int = 1) -> tuple[Card, ...]:
    """The same cards as `write_deck` writes, as the loader would return them."""
    return tuple(
        Card(
            c.id,
            c.question,
            (c.answer,),
            tuple(Choice(text) for text in c.distractors),
            c.topic,
            (),
            c.correct,
            c.incorrect,
        )
        for c in generate_cards(cards, seed=seed)
    )
