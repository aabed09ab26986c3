"""Generators for benchmark data: large decks and large collections."""

from __future__ import annotations

import random
from pathlib import Path

__all__ = ["write_deck"]

_WORDS = (
    "model data synthetic training loss teacher student gradient token corpus sample filter "
    "reward policy signal anchor collapse tail domain transfer oracle"
).split()


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize()


def write_deck(path: Path, cards: int, *, seed: int = 1, deck_id: str = "bench") -> Path:
    """Write a multiple-choice deck of `cards` cards (~300 bytes each) to `path`."""
    rng = random.Random(seed)
    lines = [
        f"deck: {deck_id}",
        f"title: Benchmark deck of {cards} cards",
        "exam: {questions: 20, pass_mark: 70%, time_limit: 30m}",
        "cards:",
    ]
    for n in range(cards):
        answer = f"{_sentence(rng, 5)} {n}"
        lines += [
            f"  - id: card-{n}",
            f"    topic: Topic {n % 7}",
            f"    question: {_sentence(rng, 12)} {n}?",
            f"    answer: {answer}",
            "    distractors:",
            *(f"      - {_sentence(rng, 5)} {n}-{k}" for k in range(3)),
            "    feedback:",
            f"      correct: {_sentence(rng, 8)}",
            f"      incorrect: {_sentence(rng, 8)}",
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
