"""Which of a card's Anki log entries are answers that make up its memory, as Anki decides.

Anki's log also records changes that are not answers (a due date set by hand, FSRS's
rescheduling, a reset to new) and previews in filtered decks that do not reschedule. Anki
computes a card's FSRS memory from the answers since the card last started from new: the
first answer of its last run of learning steps, or the first answer after a reset. srs keeps
the same answers, so that replaying them gives the memory Anki has (rslib's
`reviews_for_fsrs`, read for its rules).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from srs.decks.anki.model import RevlogEntry, RevlogKind

__all__ = ["BEFORE_RESET", "NOT_ANSWERS", "PREVIEWS", "memory_answers"]

NOT_ANSWERS = "not answers (a due date set, rescheduled, reset)"
PREVIEWS = "previews in a filtered deck without rescheduling"
BEFORE_RESET = "answers before the card was reset to new"


def _preview(entry: RevlogEntry) -> bool:
    return entry.kind == RevlogKind.Filtered and entry.factor == 0


def _answer(entry: RevlogEntry) -> bool:
    return 1 <= entry.ease <= 4 and entry.kind not in (RevlogKind.Manual, RevlogKind.Rescheduled)


def memory_answers(entries: Sequence[RevlogEntry]) -> tuple[list[RevlogEntry], Counter[str]]:
    """The answers of one card's log (oldest first) that its memory is made of, and how many
    entries were left out for each reason."""
    start = 0
    learning_seen = False
    for index in range(len(entries) - 1, -1, -1):
        entry = entries[index]
        if _preview(entry):
            continue
        if _answer(entry) and entry.kind == RevlogKind.Learning:
            start, learning_seen = index, True
        elif learning_seen:
            break
        elif entry.kind == RevlogKind.Manual and entry.factor == 0:
            start = index + 1
            break
    skipped: Counter[str] = Counter()
    kept = []
    for index, entry in enumerate(entries):
        if _preview(entry):
            skipped[PREVIEWS] += 1
        elif not _answer(entry):
            skipped[NOT_ANSWERS] += 1
        elif index < start:
            skipped[BEFORE_RESET] += 1
        else:
            kept.append(entry)
    return kept, skipped
