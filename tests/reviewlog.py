"""The real review log in tests/fixtures/review-log, and a deck whose card ids are its card ids."""

from __future__ import annotations

import csv
from pathlib import Path

from srs.clock import Clock
from srs.collection.store import Store
from srs.decks.importer import import_decks
from srs.decks.validate import parse_deck
from srs.study.history import import_log

REAL_LOG = (
    Path(__file__).parent
    / "fixtures"
    / "review-log"
    / "py-fsrs_review_logs_josh_1711744352250_to_1728234780857.csv"
)
"""12,580 Anki reviews of 1,205 cards, 2024-03-29 .. 2024-10-06 (see its README)."""

REAL_DECK = "josh"


def real_log_rows() -> list[dict[str, str]]:
    with REAL_LOG.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def real_log_deck() -> bytes:
    """A free-recall deck with one card per card id of the real log, in first-answer order."""
    lines = [f"deck: {REAL_DECK}", "title: A real learner's cards", "cards:"]
    for key in dict.fromkeys(row["card_id"] for row in real_log_rows()):
        lines += [f"  - id: '{key}'", f"    question: Card {key}?", f"    answer: Answer {key}"]
    return ("\n".join(lines) + "\n").encode()


def real_log_collection(path: Path, clock: Clock) -> Path:
    """A closed collection file at `path` holding the deck and the whole real log."""
    with Store.open(path, clock) as store:
        import_decks(store, [parse_deck(real_log_deck())])
        import_log(store, REAL_DECK, REAL_LOG)
    return path
