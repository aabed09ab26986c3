"""Strict YAML reading for untrusted decks: parser events to plain values, text kept as written.

PyYAML's object loaders convert scalars (`No` becomes False, `3.10` becomes 3.1), let duplicate
keys overwrite silently, expand alias bombs and build objects at ~8,000 cards/s. Building the
values ourselves from the C parser's events avoids all four: every scalar stays the text the
author wrote (only a plain `~`/`null`/empty becomes None), anchors, aliases and tags are refused
before anything is expanded, and it runs near the event parser's speed.

Reading happens in one of two modes. The fast mode builds plain `dict`/`list`/`str` and stops at
the first problem; the located mode builds `Map`/`Seq`/`Text` (subclasses that carry their line
and column) and collects every problem. Valid decks, the common case, only pay for the fast mode.

Decks in plain block YAML (nearly all of them) are read faster still by `linereader`, which
steps aside for anything it does not vouch for: this module is then the one that reads the
file, and the one that reports every problem.

Both modes can hand each item of the root's `cards` list to a function as soon as the item is
read (the validator checks it there), so the tree of a large deck never exists at once: a
broken 27 MB deck of a million cards is read in flat memory, its problems counted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

from srs.textsafe import displayable

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_PROBLEMS",
    "Map",
    "MoreProblems",
    "NeedsPositions",
    "Problem",
    "ProblemList",
    "Seq",
    "Text",
    "YamlProblems",
    "decode",
    "parse_values",
    "position",
]

MAX_FILE_BYTES = 256 * 1024 * 1024
"""Decks larger than this are refused before parsing. A 100,000-card deck of full certification
cards (four options, feedback, an explanation) is ~75 MB; the cap leaves room for three times
that, and still stops a runaway file before it is read into memory."""

MAX_DEPTH = 16
"""A deck nests four levels deep; anything far deeper is hostile or broken."""

MAX_PROBLEMS = 100
"""Problems reported per file; the rest are only counted. A file broken throughout (a million
generated cards without an answer) would otherwise print a million lines and hold a million
problems in memory (3.3 GB). The first hundred show the pattern, and fixing it usually fixes
the rest (see docs/deck-format.md)."""

# The C parser where libyaml is present: ~5x faster than the pure-Python one.
_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
# C0 and C1 controls except tab and newline, and lone surrogates (unstorable in SQLite's UTF-8).
_BAD_CHAR = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a file, at a 1-based line and column."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        # Messages quote deck text: printed raw, an escape in it would reach the terminal.
        text = f"{self.path}:{self.line}:{self.col}: {self.message}"
        return displayable(text).replace("\n", "\u23ce")


class MoreProblems(Problem):
    """Stands for a file's problems past the first `MAX_PROBLEMS`: one line, no position.

    It travels in the problem lists (a `DeckError`'s, an import's of several files) after the
    problems it follows, and prints as `path: 4,900 more problems not shown (...)`.
    """

    def __str__(self) -> str:
        return displayable(f"{self.path}: {self.message}").replace("\n", "\u23ce")


class ProblemList:
    """The problems found in one file: the first `MAX_PROBLEMS` in file order, and how many.

    Problems arrive roughly in file order, but not quite (a missing deck title is found after
    the cards): every problem is counted, and the earliest ones are kept, so what is reported
    is what sorting them all would give, in memory bounded by the limit.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.count = 0
        self._kept: list[Problem] = []

    def __len__(self) -> int:
        return self.count

    def add(self, problem: Problem) -> None:
        self.count += 1
        kept = self._kept
        kept.append(problem)
        if len(kept) >= 2 * MAX_PROBLEMS:  # one sort per MAX_PROBLEMS problems
            kept.sort()
            del kept[MAX_PROBLEMS:]

    def extend(self, other: ProblemList) -> None:
        """Add another list's problems, and count those it no longer holds."""
        for problem in other._kept:
            self.add(problem)
        self.count += other.count - len(other._kept)

    def report(self) -> list[Problem]:
        """The first `MAX_PROBLEMS` problems by position, then the line counting the rest."""
        shown: list[Problem] = sorted(self._kept)[:MAX_PROBLEMS]
        if (hidden := self.count - len(shown)) > 0:
            many = "s" * (hidden != 1)
            shown.append(
                MoreProblems(
                    self.path,
                    0,
                    0,
                    f"{hidden:,} more problem{many} not shown (the first {len(shown)} are "
                    "above: fix them and check again)",
                )
            )
        return shown


class YamlProblems(Exception):
    """The file could not be read as a deck's YAML at all."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


class NeedsPositions(Exception):
    """Raised in fast mode at the first problem: read again in located mode to report them all."""


class Text(str):
    """A scalar's text with its position (located mode only)."""

    line: int
    col: int


class Map(dict[str, Any]):
    """A mapping with its position and its keys' positions (located mode only)."""

    line: int
    col: int
    key_texts: dict[str, Text]


class Seq(list[Any]):
    """A sequence with its position (located mode only)."""

    line: int
    col: int


def position(value: object) -> tuple[int, int]:
    """A located value's (line, column); (0, 0) for a value read in fast mode."""
    return getattr(value, "line", 0), getattr(value, "col", 0)


def decode(data: bytes, path: str) -> str:
    """Bytes to text, refusing oversized and non-UTF-8 files.

    Raises:
        YamlProblems: with the problem's position.
    """
    if len(data) > MAX_FILE_BYTES:
        raise YamlProblems(
            [
                Problem(
                    path,
                    1,
                    1,
                    f"file is {len(data):,} bytes; decks are limited to "
                    f"{MAX_FILE_BYTES:,} bytes (split it into several decks)",
                )
            ]
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise YamlProblems(
            [
                Problem(
                    path,
                    line,
                    col,
                    f"not UTF-8 (byte 0x{data[exc.start]:02x}); save the deck as UTF-8",
                )
            ]
        ) from None
    return text


def _offset_position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def parse_values(
    text: str, path: str, *, located: bool, card: Callable[[Any], Any] | None = None
) -> tuple[Any, ProblemList]:
    """Parse one YAML document into dicts, lists, str and None.

    Args:
        text: the decoded file.
        path: the file's name, for problems.
        located: build located values and collect problems, instead of stopping at the first.
        card: if given, each item of the root mapping's `cards` list is replaced by what this
            returns for it, as soon as the item is read (it may raise `NeedsPositions`).

    Returns:
        The root value (None for an empty document) and the problems found in well-formed YAML
        that a deck may not use (duplicate keys, control characters).

    Raises:
        YamlProblems: the text is not parseable YAML or uses what decks refuse (aliases, tags,
            several documents, deep nesting).
        NeedsPositions: in fast mode, at the first problem of the second kind.
    """
    problems = ProblemList(path)
    try:
        root = _build(_Parser(text), path, problems, located, card)
    except yaml.MarkedYAMLError as exc:
        problems.add(_syntax_problem(exc, text, path))
        raise YamlProblems(problems.report()) from None
    except yaml.reader.ReaderError as exc:
        line, col = _offset_position(text, exc.position)
        message = f"character U+{exc.character:04X} is not allowed in a deck"
        problems.add(Problem(path, line, col, message))
        raise YamlProblems(problems.report()) from None
    except yaml.YAMLError as exc:
        problems.add(Problem(path, 1, 1, f"YAML: {exc}"))
        raise YamlProblems(problems.report()) from None
    return root, problems


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, path: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    indent = text.split("\n")[line - 1][: max(col, 1)] if line <= text.count("\n") + 1 else ""
    if "\t" in indent and not indent.strip(" \t"):
        return Problem(path, line, indent.index("\t") + 1, "tab in indentation; indent with spaces")
    message = exc.problem or exc.context or "invalid YAML"
    start = exc.context_mark
    if exc.context and start is not None and start is not mark and start.line + 1 != line:
        message += f" ({exc.context} at line {start.line + 1})"
    return Problem(path, line, col, f"YAML syntax: {message}")


def _build(
    parser: yaml.SafeLoader,
    path: str,
    problems: ProblemList,
    located: bool,
    card: Callable[[Any], Any] | None,
) -> Any:
    """Turn the parser's events into values with an explicit stack (no recursion to overflow).

    This loop is the loader's hot path (it runs once per event), hence the local aliases.
    """
    get_event = parser.get_event
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    new_map, new_seq = (Map, Seq) if located else (dict, list)
    stack: list[Any] = []
    pending: list[Any] = []  # per open mapping: its key awaiting a value, or _NO_KEY
    root: Any = None
    cards: Any = None  # the root mapping's `cards` list, once read with `card` given
    documents = 0

    def fail(event: yaml.Event, message: str) -> YamlProblems:
        problems.add(Problem(path, *_where(event), message))
        return YamlProblems(problems.report())

    def note(event: yaml.Event, message: str) -> None:
        if not located:
            raise NeedsPositions
        problems.add(Problem(path, *_where(event), message))

    value: Any
    while (event := get_event()) is not None:  # type: ignore[no-untyped-call]
        kind = type(event)
        if kind is scalar_event:
            if event.anchor is not None:
                raise fail(event, "anchors (&) and aliases (*) are not allowed in decks")
            if event.tag is not None:
                raise fail(event, f"tags ({event.tag}) are not allowed in decks")
            value = event.value
            # implicit[0]: untagged plain style, the only style in which `~` or `` means null.
            if event.implicit[0] and value in _NULLS:
                # In a list, a located null keeps its position (an empty item is an error);
                # in a mapping the key carries the position.
                in_list = located and stack and stack[-1].__class__ is Seq
                value = _located_empty(event) if in_list else None
            elif event.style == '"' and (bad := _BAD_CHAR.search(value)):
                # Raw control characters are refused by the reader; only escapes in double
                # quotes ("\x1b") can produce them.
                note(event, f"control character U+{ord(bad.group()):04X} is not allowed in text")
            if located and value is not None and value.__class__ is str:
                value = Text(value)
                value.line, value.col = _where(event)
        elif kind is mapping_start or kind is sequence_start:
            if event.anchor is not None:
                raise fail(event, "anchors (&) and aliases (*) are not allowed in decks")
            if not event.implicit:
                raise fail(event, f"tags ({event.tag}) are not allowed in decks")
            if len(stack) >= MAX_DEPTH:
                raise fail(event, f"nested deeper than {MAX_DEPTH} levels")
            value = new_map() if kind is mapping_start else new_seq()
            if located:
                value.line, value.col = _where(event)
                if kind is mapping_start:
                    value.key_texts = {}
        elif kind in ends:
            stack.pop()
            pending.pop()
            if len(stack) == 2 and stack[1] is cards:  # a card read whole
                cards[-1] = card(cards[-1])  # type: ignore[misc]
            continue
        elif kind is alias_event:
            raise fail(event, "anchors (&) and aliases (*) are not allowed in decks")
        else:
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise fail(event, "a deck file holds one YAML document (found a second '---')")
            continue

        if not stack:
            root = value
        elif (parent := stack[-1]).__class__ is list or parent.__class__ is Seq:
            if parent is cards and kind is scalar_event:
                value = card(value)  # type: ignore[misc]
            parent.append(value)
        elif (key := pending[-1]) is not _NO_KEY:
            if key is not _DROPPED:
                parent[key] = value
                if len(stack) == 1 and key == "cards" and card and kind is sequence_start:
                    cards = value
            pending[-1] = _NO_KEY
        elif not isinstance(value, str) and value is not None:
            raise fail(event, "a key must be plain text, not a list or mapping")
        else:
            key = "" if value is None else value
            if key in parent:
                first = parent.key_texts[key].line if located else 0
                note(event, f"duplicate key '{key}' (first at line {first})")
                key = _DROPPED
            elif located:
                parent.key_texts[key] = value if value is not None else _located_empty(event)
            pending[-1] = key
        if kind is not scalar_event:
            stack.append(value)
            pending.append(_NO_KEY)
    return root


def _where(event: yaml.Event) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


def _located_empty(event: yaml.Event) -> Text:
    text = Text("")
    text.line, text.col = _where(event)
    return text


_NO_KEY = object()
_DROPPED = object()  # stands in for a duplicate key: its value is read but never kept
