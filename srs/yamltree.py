"""Strict YAML reading for untrusted decks: events to a small tree that keeps positions and text.

PyYAML's object loaders convert scalars (`No` becomes False, `3.10` becomes 3.1), let duplicate
keys overwrite silently, expand alias bombs and build Python objects at ~8,000 cards/s. Building
our own tree from the C parser's events avoids all four: every scalar stays the text the author
wrote, every node knows its line and column, anchors, aliases and tags are refused before anything
is expanded, and it runs at the event parser's speed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "Mapping",
    "Node",
    "Problem",
    "Scalar",
    "Sequence",
    "YamlProblems",
    "parse_tree",
]

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Decks larger than this are refused before parsing (a 100,000-card deck is ~30 MB)."""

MAX_DEPTH = 16
"""A deck nests four levels deep; anything far deeper is hostile or broken."""

# The C parser where libyaml is present: ~5x faster than the pure-Python one.
_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)
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
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


class YamlProblems(Exception):
    """The file could not be read as a deck's YAML at all."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


@dataclass(eq=False)
class Node:
    line: int
    col: int


@dataclass(eq=False)
class Scalar(Node):
    text: str
    plain: bool

    @property
    def is_null(self) -> bool:
        return self.plain and self.text in _NULLS


@dataclass(eq=False)
class Sequence(Node):
    items: list[Node] = field(default_factory=list)


@dataclass(eq=False)
class Mapping(Node):
    entries: dict[str, tuple[Scalar, Node]] = field(default_factory=dict)


# Stands in for a duplicate key, so that its value is checked for syntax but never used.
_DROPPED = Scalar(0, 0, text="", plain=True)


def _decode(data: bytes, path: str) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise YamlProblems(
            [Problem(path, 1, 1, f"file is {len(data):,} bytes; decks are limited to "
                     f"{MAX_FILE_BYTES:,} bytes (split it into several decks)")]
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise YamlProblems(
            [Problem(path, line, col, f"not UTF-8 (byte 0x{data[exc.start]:02x}); save the deck "
                     "as UTF-8")]
        ) from None


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def parse_tree(data: bytes, path: str) -> tuple[Node | None, list[Problem]]:
    """Parse one YAML document into a tree of `Scalar`, `Sequence` and `Mapping` nodes.

    Returns the root (None for an empty document) and the problems found in well-formed YAML
    that a deck may not use (duplicate keys, control characters, ...).

    Raises:
        YamlProblems: when the file is not UTF-8, too large, or not parseable YAML.
    """
    text = _decode(data, path)
    tabs = [
        Problem(path, *_position(text, m.end() - 1), "tab in indentation; indent with spaces")
        for m in _TAB_INDENT.finditer(text)
    ]
    if tabs:
        raise YamlProblems(tabs)
    problems: list[Problem] = []
    try:
        root = _build(_Parser(text), path, problems)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = exc.problem or exc.context or "invalid YAML"
        raise YamlProblems([*problems, Problem(path, line, col, f"YAML syntax: {message}")]) from None
    except yaml.YAMLError as exc:  # reader errors (e.g. unacceptable characters) carry no mark
        raise YamlProblems([*problems, Problem(path, 1, 1, f"YAML: {exc}")]) from None
    return root, problems


def _build(parser: yaml.SafeLoader, path: str, problems: list[Problem]) -> Node | None:
    """Turn the parser's events into nodes with an explicit stack (no recursion limit to hit)."""
    stack: list[Node] = []
    pending_key: list[Scalar | None] = []
    root: Node | None = None
    documents = 0

    def fail(event: yaml.Event, message: str) -> YamlProblems:
        mark = event.start_mark
        return YamlProblems([*problems, Problem(path, mark.line + 1, mark.column + 1, message)])

    def attach(node: Node, event: yaml.Event) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if isinstance(parent, Sequence):
            parent.items.append(node)
            return
        assert isinstance(parent, Mapping)
        key = pending_key[-1]
        if key is None:
            if not isinstance(node, Scalar):
                raise fail(event, "a key must be plain text, not a list or mapping")
            if node.text in parent.entries:
                first = parent.entries[node.text][0]
                problems.append(
                    Problem(path, node.line, node.col,
                            f"duplicate key '{node.text}' (first at line {first.line})")
                )
                node = _DROPPED
            pending_key[-1] = node
        else:
            if key is not _DROPPED:
                parent.entries[key.text] = (key, node)
            pending_key[-1] = None

    while (event := parser.get_event()) is not None:
        kind = type(event)
        if kind is yaml.ScalarEvent:
            if event.anchor is not None:
                raise fail(event, "anchors (&) and aliases (*) are not allowed in decks")
            if event.tag is not None:
                raise fail(event, f"tags ({event.tag}) are not allowed in decks")
            mark = event.start_mark
            # implicit[0]: untagged plain style (the C parser reports that style as '').
            node = Scalar(mark.line + 1, mark.column + 1, text=event.value,
                          plain=event.implicit[0])
            bad = _BAD_CHAR.search(event.value)
            if bad:
                problems.append(
                    Problem(path, node.line, node.col,
                            f"control character U+{ord(bad.group()):04X} is not allowed in text")
                )
            attach(node, event)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if event.anchor is not None:
                raise fail(event, "anchors (&) and aliases (*) are not allowed in decks")
            if not event.implicit:
                raise fail(event, f"tags ({event.tag}) are not allowed in decks")
            if len(stack) >= MAX_DEPTH:
                raise fail(event, f"nested deeper than {MAX_DEPTH} levels")
            mark = event.start_mark
            container: Node = (Mapping if kind is yaml.MappingStartEvent else Sequence)(
                mark.line + 1, mark.column + 1
            )
            attach(container, event)
            stack.append(container)
            pending_key.append(None)
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            stack.pop()
            pending_key.pop()
        elif kind is yaml.AliasEvent:
            raise fail(event, "anchors (&) and aliases (*) are not allowed in decks")
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise fail(event, "a deck file holds one YAML document (found a second '---')")
    return root
