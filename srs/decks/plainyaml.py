"""One card's plain block YAML, read without PyYAML: the line scanner and card shapes.

`scan_items` reads block mappings and lists whose values each sit on one line: plain text,
a quoted text without escapes, or a flow list of plain words. Anything else raises `NotPlain`
(PyYAML reads that card instead). It gives what `yamltree.parse_values(located=False)` gives
for the same text.

A *shape* is a card's layout: its lines, keys and indentation, with the values left out. Cards
of a deck mostly share one, and one regular expression per shape then reads a whole card in C;
`learn_shape` makes it from a card `scan_items` has read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from srs.decks import yamltree

__all__ = ["UNSURE_CHAR", "NotPlain", "Shape", "learn_shape", "scan_items"]


class NotPlain(Exception):
    """This text is not plain block YAML: read it with PyYAML."""


_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
# What may not start a plain value: indicators (anchors, tags, flows, quotes, block scalars...).
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@` ")
_FLOW_BAD = frozenset("[]{}:#'\"")
# Beyond what str.isprintable() refuses, what PyYAML may read otherwise: tabs, the controls
# its reader refuses, line breaks other than \n, the byte order mark and noncharacters.
UNSURE_CHAR = re.compile(
    "[\t\r\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]"
)
_CTRL = "\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ud800-\\udfff\\ufeff\\ufffe\\uffff"
# A value in a shape: plain (not null, no `: `, no ` #`, no trailing space), a flow list of
# plain words, or a double-quoted text without escapes.
_PLAIN = (
    rf"(?!(?:~|null|Null|NULL)(?:\r?\n|\Z))[^-?:,\[\]{{}}#&*!|>'\"%@` \t\r\n{_CTRL}]"
    rf"[^\n:#\t\r{_CTRL}]*(?<! )"
)
_FLOW = rf"\[[^\n\[\]{{}}:#'\"\t\r{_CTRL}]*\]"
_QUOTED = rf'"[^"\\\n\t\r{_CTRL}]*"'
_VALUE_KINDS = (
    ("plain", _PLAIN, re.compile(_PLAIN)),
    ("flow", _FLOW, re.compile(_FLOW)),
    ("quoted", _QUOTED, re.compile(_QUOTED)),
)
_MAX_NESTING = 8  # deeper than this is left to PyYAML (which enforces MAX_DEPTH)


def scan_items(text: str, indent: int) -> list[Any]:
    """The items of a block list whose `-` are at `indent`, from plain block YAML.

    Raises:
        NotPlain: anything else (a continued or block scalar, an escape, a tab, an anchor...).
        NeedsPositions: a duplicate key.
    """
    items: list[Any] = []
    stack: list[tuple[int, Any, bool]] = [(indent, items, True)]  # (indent, container, is list)
    top: Any = items
    top_indent, top_is_list = indent, True
    waiting: Any = None  # a container whose next value is the block below (or None)
    waiting_key: str | None = None
    waiting_indent = -1
    for line in text.split("\n"):
        if not line.isprintable() and UNSURE_CHAR.search(line):
            raise NotPlain
        content = line.lstrip(" ")
        if not content or content[0] == "#":
            continue
        column = len(line) - len(content)
        is_item = content[0] == "-" and (len(content) == 1 or content[1] == " ")
        if waiting is not None:
            opens = column > waiting_indent or (
                column == waiting_indent and is_item and waiting_key is not None
            )
            value: Any = ([] if is_item else {}) if opens else None
            if waiting_key is None:
                waiting.append(value)
            else:
                waiting[waiting_key] = value
            waiting = None
            if opens:
                if len(stack) >= _MAX_NESTING:
                    raise NotPlain
                top_indent, top, top_is_list = column, value, is_item
                stack.append((column, value, is_item))
        elif column > top_indent:
            raise NotPlain  # a continued scalar, or a block under a value
        while column < top_indent:
            stack.pop()
            if not stack:
                raise NotPlain
            top_indent, top, top_is_list = stack[-1]
        if column != top_indent:
            raise NotPlain
        if top_is_list and not is_item:
            # A key after a list written at its mapping's own indent ends that list.
            stack.pop()
            if not stack:
                raise NotPlain
            top_indent, top, top_is_list = stack[-1]
            if top_indent != column or top_is_list:
                raise NotPlain
        if is_item:
            if not top_is_list:
                raise NotPlain
            rest = content[1:].lstrip(" ")
            if not rest or rest[0] == "#":
                waiting, waiting_key, waiting_indent = top, None, column
                continue
            if rest[0] in "\"'[" or (": " not in rest and rest[-1] != ":"):
                top.append(_value(rest))
                continue
            if rest[0] == "-" or len(stack) >= _MAX_NESTING:
                raise NotPlain
            mapping: dict[str, Any] = {}
            top.append(mapping)
            column += len(content) - len(rest)
            top_indent, top, top_is_list = column, mapping, False
            stack.append((column, mapping, False))
            content = rest
        elif top_is_list:
            raise NotPlain
        key, colon, text_value = content.partition(": ")
        if not colon:
            if content[-1] != ":":
                raise NotPlain
            key, text_value = content[:-1], ""
        if not _plain_key(key):
            raise NotPlain
        if key in top:
            raise yamltree.NeedsPositions
        text_value = text_value.lstrip(" ")
        if text_value and text_value[0] != "#":
            top[key] = _value(text_value)
        else:
            top[key] = None
            waiting, waiting_key, waiting_indent = top, key, column
    if waiting is not None:
        if waiting_key is None:
            waiting.append(None)
        else:
            waiting[waiting_key] = None
    return items


def _plain_key(key: str) -> bool:
    return not (
        not key
        or key[0] in _INDICATORS
        or key[-1] == " "
        or ":" in key
        or " #" in key
        or len(key) > 1000
        or key in _NULLS
    )


def _value(text: str) -> Any:
    """A value written after `key: ` or `- ` (no leading space, not empty, not a comment)."""
    first = text[0]
    if first not in _INDICATORS:
        if " #" in text:
            text = text[: text.index(" #")]
        text = text.rstrip(" ")
        if ": " in text or text[-1] == ":":
            raise NotPlain
        return None if text in _NULLS else text
    if first == "[":
        end = text.find("]")
        if end < 0:
            raise NotPlain
        _end_of_line(text[end + 1 :])
        return _flow_items(text[1:end])
    if first == '"':
        end = text.find('"', 1)
        if end < 0 or "\\" in text[1:end]:
            raise NotPlain
        _end_of_line(text[end + 1 :])
        return text[1:end]
    if first == "'":
        end = 1
        while (end := text.find("'", end)) >= 0 and text[end + 1 : end + 2] == "'":
            end += 2
        if end < 0:
            raise NotPlain
        _end_of_line(text[end + 1 :])
        return text[1:end].replace("''", "'")
    raise NotPlain


def _end_of_line(rest: str) -> None:
    """After a closing quote or bracket: spaces, then nothing or a comment."""
    if rest and (rest[0] != " " or rest.lstrip(" ")[:1] not in ("", "#")):
        raise NotPlain


def _flow_items(inner: str) -> list[Any]:
    if not inner.strip(" "):
        return []
    items: list[Any] = []
    for item in inner.split(","):
        item = item.strip(" ")
        if not item or item[0] in _INDICATORS or not _FLOW_BAD.isdisjoint(item):
            raise NotPlain
        items.append(None if item in _NULLS else item)
    return items


# -- shapes ------------------------------------------------------------------------------------


class Shape:
    """Cards written on the same lines with the same keys: one regular expression reads them."""

    __slots__ = ("build", "match")

    def __init__(self, pattern: str, build: Callable[[Sequence[str]], Any]) -> None:
        self.match = re.compile(pattern).match
        self.build = build


def learn_shape(text: str, indent: int, card_end: str) -> Shape | None:
    """The shape of a card that `scan_items` read, if a regular expression can match all of it.

    Each line must be a key or `-` followed by a plain value, a quoted value without escapes, a
    flow list, or nothing; a comment or blank line inside the card means no shape.
    """
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    pattern: list[str] = []
    kinds: list[str] = []
    skeleton: list[str] = []
    for line in lines:
        content = line.lstrip(" ")
        if not content or content[0] == "#":
            return None
        rest = content
        if content[0] == "-":
            rest = content[1:].lstrip(" ")
        if rest[:1] not in ("", '"', "'", "[") and (": " in rest or rest[-1:] == ":"):
            value = rest.partition(": ")[2].lstrip(" ")
        else:
            value = rest
        prefix = line[: len(line) - len(value)]
        if not value:
            if prefix.rstrip(" ") != prefix:
                return None
            pattern.append(re.escape(prefix))
            skeleton.append(line)
            continue
        for kind, expression, matcher in _VALUE_KINDS:
            if matcher.fullmatch(value):
                pattern.append(f"{re.escape(prefix)}({expression})")
                skeleton.append(f"{prefix}v{len(kinds)}")  # a placeholder scan_items keeps
                kinds.append(kind)
                break
        else:
            return None
    try:
        template = scan_items("\n".join(skeleton) + "\n", indent)
    except (NotPlain, yamltree.NeedsPositions):
        return None
    if len(template) != 1:
        return None
    build = _builder(template[0], kinds)
    if build is None:
        return None
    return Shape(r"\r?\n".join(pattern) + card_end, build)


def _builder(template: Any, kinds: list[str]) -> Callable[[Sequence[str]], Any] | None:
    """A function from a shape's matched groups to the card's value.

    It is generated as one expression (as `dataclasses` generates `__init__`): keys enter it
    through `repr`, which always gives a string literal; nothing else from the file does.
    """
    used: list[int] = []
    reads = {"plain": "g[{}]", "quoted": "g[{}][1:-1]", "flow": "flow(g[{}][1:-1])"}

    def source(value: Any) -> str:
        if isinstance(value, str):
            index = int(value[1:])
            used.append(index)
            return reads[kinds[index]].format(index)
        if value is None:
            return "None"
        if isinstance(value, list):
            return "[" + ", ".join(map(source, value)) + "]"
        return "{" + ", ".join(f"{key!r}: {source(item)}" for key, item in value.items()) + "}"

    code = "lambda g: " + source(template)
    if sorted(used) != list(range(len(kinds))):
        return None
    build: Callable[[Sequence[str]], Any] = eval(code, {"__builtins__": {}, "flow": _flow_items})
    return build
