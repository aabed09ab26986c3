"""The fast reader: decks written in plain block YAML, read line by line without PyYAML.

Nearly every deck is written the same way: block mappings and lists, one value per line, plain
or quoted. For a large deck, PyYAML's event objects cost more than everything else put
together (3 s for a 75 MB deck before any value is built). This reader handles that plain
style and nothing else: it gives exactly what `yamltree.parse_values(located=False)` gives, or
raises `Unsure`, and the caller then reads the file with PyYAML.

How it goes:
- The keys before and after `cards:` are read with PyYAML (they are a few lines).
- The `cards:` list is cut into its items at lines that start a new item, 1 MB of the file
  decoded at a time. A card that looks like one already read (the same keys, in the same order,
  on the same lines: a *shape*) is matched with that shape's regular expression. Others go to
  `plainyaml`'s line scanner, which learns their shape; a card it cannot read (a `|` block, an
  escape, a comment inside) is read alone with PyYAML.
- Each card is handed to the caller as soon as it is read, so the file's values are never all
  held at once (nor the whole file as text).

Why reading a card alone gives what the whole file would: an item ends where a line starts at
or left of the item's `-`. A value that runs past such a line is a quoted string or a flow
collection left open (a block scalar or a multi-line plain scalar ends there); reading that
item alone then fails, and the whole file goes to PyYAML.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from srs.decks import yamltree
from srs.decks.plainyaml import UNSURE_CHAR, NotPlain, Shape, learn_shape, scan_items

__all__ = ["Unsure", "read_deck_lines"]


class Unsure(Exception):
    """The file uses something this reader does not vouch for: read it with PyYAML."""


# Line breaks for PyYAML that are not "\n": lines would not be where this reader sees them.
_OTHER_BREAK = re.compile("[\r\x85\u2028\u2029]")
_MAX_SHAPES = 32
_MAX_NOT_PLAIN = 64  # cards read by PyYAML before the share of them is judged
_CHUNK_BYTES = 1 << 20


def read_deck_lines(data: bytes, path: str, card: Callable[[Any], Any]) -> dict[str, Any]:
    """Read a deck's YAML, handing each item of its `cards` list to `card` as it is read.

    Args:
        data: the file's bytes.
        path: the file's name, for problems.
        card: turns one item (dicts, lists, str, None) into what the `cards` list holds; it
            may raise `NeedsPositions`.

    Returns:
        The root mapping; its `cards` holds what `card` returned, in file order.

    Raises:
        Unsure: the file is not plain block YAML (or not UTF-8, or too large): read it with
            PyYAML, which also reports its problems.
        NeedsPositions: a problem was found (a duplicate key, or one raised by `card`).
    """
    if len(data) > yamltree.MAX_FILE_BYTES:
        raise Unsure
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    if data.startswith(b"cards:", start):
        cards_at = start
    else:
        cards_at = data.find(b"\ncards:", start) + 1
        if cards_at == 0:
            raise Unsure
    line_end = data.find(b"\n", cards_at)
    if line_end < 0:
        raise Unsure
    after = _text(data[cards_at + 6 : line_end]).rstrip("\r")  # nothing, or a comment
    if (after.strip(" ") and (after[0] != " " or after.lstrip(" ")[0] != "#")) or (
        not after.isprintable() and UNSURE_CHAR.search(after)
    ):
        raise Unsure
    indent = _item_indent(data, line_end + 1)
    # The list ends at the next line at column 0 that is not a comment (nor, at indent 0, an item).
    ender = rb"\n(?:[^ \r\n#-]|-[^ \r\n])" if indent == 0 else rb"\n[^ \r\n#]"
    found = re.compile(ender).search(data, line_end)
    end = found.start() + 1 if found else len(data)
    root = _outside_cards(_text(data[start:cards_at]), _text(data[end:]), path)
    reader = _CardReader(indent, path, card)
    pos = line_end + 1  # the comments before the first item are read too (for their characters)
    marker = b"\n" + b" " * indent + b"-"
    while pos < end:
        stop = data.find(marker, min(pos + _CHUNK_BYTES, end), end)
        stop = end if stop < 0 else stop + 1
        reader.read(_text(data[pos:stop]))
        pos = stop
    root["cards"] = reader.cards
    return root


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise Unsure from None


def _item_indent(data: bytes, pos: int) -> int:
    """The indent of the first line from `pos` that is not blank or a comment, which must
    start a list item."""
    while True:
        end = data.find(b"\n", pos)
        line = data[pos : end if end >= 0 else len(data)]
        content = line.lstrip(b" ")
        if content.strip(b" \r") and content[:1] != b"#":
            if content[:2] not in (b"- ", b"-", b"-\r"):
                raise Unsure
            return len(line) - len(content)
        if end < 0:
            raise Unsure
        pos = end + 1


def _outside_cards(header: str, footer: str, path: str) -> dict[str, Any]:
    """The root keys written before and after the cards, each part read alone with PyYAML."""
    if (
        footer.startswith(("---", "...", "%"))
        or header.startswith("...")
        or ("\n---" in header or "\n..." in header)
    ):
        raise Unsure  # a document marker: only PyYAML can say which document what is in
    root: dict[str, Any] = {}
    for part in (header, footer):
        if not part.strip():
            continue
        try:
            value, _ = yamltree.parse_values(part, path, located=False)
        except yamltree.YamlProblems:
            raise Unsure from None
        if value is None:
            continue
        if not isinstance(value, dict):
            raise Unsure
        for key in value:
            if key in root or key == "cards":
                raise yamltree.NeedsPositions
        root.update(value)
    return root


class _CardReader:
    """Reads the items of the cards list, learning their shapes as it goes.

    Items the scanner cannot read wait in `unread` and are read by PyYAML together, in one
    parse per run of them (a parser per card would cost more than the card). When they are
    more than a fifth of the cards (a deck with a `|` block in every card), trying each card
    first is wasted: the whole file goes to PyYAML.
    """

    def __init__(self, indent: int, path: str, card: Callable[[Any], Any]) -> None:
        self.indent = indent
        self.path = path
        self.card = card
        self.cards: list[Any] = []
        self.shapes: list[Shape] = []
        self.unread: list[str] = []
        self.plain = 0  # cards read without PyYAML
        self.not_plain = 0
        self.item_start = " " * indent + "-"
        self.marker = "\n" + self.item_start
        # After a card, the next line may not be more indented than its `-`.
        self.card_end = rf"(?:\r?\n|\Z)(?! {{{indent + 1}}})"

    def read(self, text: str) -> None:
        """Read the cards in `text`, which starts at an item and ends before one."""
        cards, card = self.cards, self.card
        pos, size = 0, len(text)
        while pos < size:
            matched = self.match(text, pos)
            if matched is None:
                pos = self.read_unknown(text, pos)
            else:
                self.read_unread()
                cards.append(card(matched[0]))
                self.plain += 1
                pos = matched[1]
        self.read_unread()

    def match(self, text: str, pos: int) -> tuple[Any, int] | None:
        """The card at `pos` and where it ends, if it has a shape already seen."""
        if text.startswith(self.item_start, pos):
            for shape in self.shapes:
                if (found := shape.match(text, pos)) is not None:
                    try:
                        return shape.build(found.groups()), found.end()
                    except NotPlain:  # a flow list holds an item that is not plain
                        return None
        return None

    def read_unknown(self, text: str, pos: int) -> int:
        """Read from `pos` to the next item, which no shape matched; returns where it ends."""
        stop = text.find(self.marker, pos + 1)
        stop = len(text) if stop < 0 else stop + 1
        part = text[pos:stop]
        if "\r\n" in part:
            part = part.replace("\r\n", "\n")
        try:
            items = scan_items(part, self.indent)
        except NotPlain:
            if not part.startswith(self.item_start) or _OTHER_BREAK.search(part):
                raise Unsure from None
            self.unread.append(part)  # one item (the next one starts a new part)
            self.not_plain += 1
            if self.not_plain >= _MAX_NOT_PLAIN and self.not_plain * 4 > self.plain:
                raise Unsure from None
            return stop
        self.read_unread()
        if len(items) == 1 and len(self.shapes) < _MAX_SHAPES:
            shape = learn_shape(part, self.indent, self.card_end)
            if shape is not None:
                self.shapes.append(shape)
        self.cards.extend(map(self.card, items))
        self.plain += len(items)
        return stop

    def read_unread(self) -> None:
        """Read the waiting items with PyYAML, in one parse: one item per part, or Unsure."""
        if not self.unread:
            return
        try:
            items, _ = yamltree.parse_values("".join(self.unread), self.path, located=False)
        except yamltree.YamlProblems:
            raise Unsure from None
        if not isinstance(items, list) or len(items) != len(self.unread):
            raise Unsure
        self.unread.clear()
        self.cards.extend(map(self.card, items))
