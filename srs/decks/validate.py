"""The YAML deck format (v1): strict loading and validation with line:col errors.

Every problem in a file is reported at once, as `path:line:col: message`, up to `MAX_PROBLEMS`
of them and then one line counting the rest. A deck that loads is fully valid: nothing
downstream needs to check it again.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from srs.decks.checker import DeckChecker
from srs.decks.linereader import Unsure, read_deck_lines
from srs.decks.yamltree import (
    MAX_PROBLEMS,
    MoreProblems,
    NeedsPositions,
    Problem,
    YamlProblems,
    decode,
    parse_values,
)
from srs.model.collector import collector_paused
from srs.model.deck import Deck

__all__ = [
    "MAX_PROBLEMS",
    "DeckError",
    "MoreProblems",
    "Problem",
    "deck_files",
    "load_deck",
    "parse_deck",
]


class DeckError(Exception):
    """A deck file has problems; `problems` lists them (a file's first `MAX_PROBLEMS`, then a
    `MoreProblems` counting the rest)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


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
        DeckError: with the problems found; a missing or unreadable file is one problem.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise DeckError([Problem(str(path), 0, 0, f"cannot read: {reason}")]) from None
    return parse_deck(data, str(path))


def parse_deck(data: bytes, path: str = "<deck>") -> Deck:
    """Validate deck text; see `load_deck`."""
    with collector_paused():
        try:
            try:
                return _check_lines(data, path)
            except Unsure:
                pass
            except NeedsPositions:
                return _check(decode(data, path), path, located=True)
            text = decode(data, path)
            try:
                return _check(text, path, located=False)
            except NeedsPositions:
                return _check(text, path, located=True)
        except YamlProblems as exc:
            raise DeckError(exc.problems) from None


def _check_lines(data: bytes, path: str) -> Deck:
    """Fast mode over the line reader: each card is checked as soon as it is read.

    Raises:
        Unsure: the file is not plain block YAML (read it with PyYAML).
        NeedsPositions: it has a problem (read it again, located).
    """
    checker = DeckChecker(path, located=False)
    deck = checker.deck(read_deck_lines(data, path, checker.item))
    if deck is None:
        raise NeedsPositions
    return deck


def _check(text: str, path: str, *, located: bool) -> Deck:
    """Read with PyYAML, each card checked as soon as it is read (so the located read of a
    broken deck holds one card's located values at a time, not the whole file's)."""
    checker = DeckChecker(path, located)
    root, problems = parse_values(text, path, located=located, card=checker.item)
    checker.problems.extend(problems)
    deck = checker.deck(root)
    if checker.problems or deck is None:
        raise DeckError(checker.problems.report())
    return deck
