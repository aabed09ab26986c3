"""Shared fixtures: a clock that moves only when told, and real collections in tmp_path."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

import pytest

from srs.clock import Clock
from srs.collection.store import Store
from srs.decks.importer import import_decks
from srs.decks.validate import parse_deck


class FakeClock(Clock):
    """A `Clock` whose time stands still until a test moves it (never sleep in tests).

    Clocks derived from it (`srs.collection.settings.clock_for`) share its time.
    """

    def __init__(
        self,
        start: datetime = datetime(2025, 1, 6, 12, 0, tzinfo=UTC),
        zone: tzinfo = UTC,
        rollover_hour: int = 4,
    ) -> None:
        self.current = start.astimezone(UTC)
        super().__init__(now_fn=lambda: self.current, zone=zone, rollover_hour=rollover_hour)

    def advance(self, delta: timedelta | None = None, **units: float) -> datetime:
        """Move time forward (or back, with a negative delta); returns the new now."""
        self.current += (delta or timedelta()) + timedelta(**units)
        return self.current

    def set(self, moment: datetime) -> None:
        self.current = moment.astimezone(UTC)


def deck_yaml(
    deck_id: str = "demo",
    *,
    free: int = 0,
    choice: int = 0,
    select_all: int = 0,
    title: str | None = None,
) -> bytes:
    """A valid deck with `free` free-recall, `choice` multiple-choice and `select_all`
    select-all cards, in that order (ids free-0.., choice-0.., select-0..)."""
    lines = [f"deck: {deck_id}", f"title: {title or deck_id.title()}", "cards:"]
    for n in range(free):
        lines += [
            f"  - id: free-{n}",
            f"    question: Free question {n}?",
            f"    answer: Free answer {n}",
        ]
    for n in range(choice):
        lines += [
            f"  - id: choice-{n}",
            f"    question: Choice question {n}?",
            f"    answer: Right {n}",
            "    distractors:",
            f"      - {{text: Wrong {n}a, feedback: Not {n}a}}",
            f"      - Wrong {n}b",
            f"      - Wrong {n}c",
            "    feedback:",
            "      correct: Well done",
            "      incorrect: Not quite",
        ]
    for n in range(select_all):
        lines += [
            f"  - id: select-{n}",
            f"    question: Select all {n}?",
            f"    answer: [Right {n}a, Right {n}b]",
            "    distractors:",
            f"      - Wrong {n}a",
            f"      - Wrong {n}b",
        ]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def clock() -> FakeClock:
    """Monday 2025-01-06 12:00 UTC, in UTC, day starting at 04:00."""
    return FakeClock()


@pytest.fixture
def make_store(tmp_path: Path) -> Iterator[Callable[..., Store]]:
    """`make_store(*deck_texts, clock=None)`: a new collection file with those decks imported."""
    opened: list[Store] = []

    def make(*decks: bytes, clock: Clock | None = None) -> Store:
        store = Store.open(tmp_path / f"collection-{len(opened)}.db", clock or FakeClock())
        opened.append(store)
        if decks:
            import_decks(store, [parse_deck(text) for text in decks])
        return store

    yield make
    for store in opened:
        store.close()
