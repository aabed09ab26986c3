"""An Anki field's HTML as the plain text of a deck file.

Anki fields are HTML fragments written by its editor (or by whoever made a shared deck). srs
shows text, so each field is read with the standard library's `html.parser`: line breaks,
paragraphs, list items and table cells keep their shape, entities become characters, styles and
scripts are dropped, and media the text cannot hold becomes a visible note of what was there
(`[image: name]`, `[sound: name]`). Terminal escapes and other control characters become
visible stand-ins (`srs.textsafe`); markup such as `[@click=...]` is only text to srs.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import NamedTuple

from srs.textsafe import displayable

__all__ = ["FieldText", "field_text", "plain_text"]

_BLOCKS = frozenset(
    "address article aside blockquote center dd details div dl dt figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr main nav ol p pre section summary table tbody thead "
    "tfoot tr ul li".split()
)
_HIDDEN = frozenset("head noscript script style template title".split())
_MEDIA = {"img": "image", "audio": "sound", "video": "sound", "source": "sound"}
_HTML_SPACE = re.compile(r"[ \t\n\f\r\xa0]+")
"""HTML's white space, and the no-break space (`&nbsp;`), which an editor uses to space words."""
_SOUND = re.compile(r"\[sound:([^\]\n]*)\]")
_BLANK_LINES = re.compile(r"\n{3,}")
_NEEDS_PARSING = re.compile(r"[<&]|\[sound:")


class FieldText(NamedTuple):
    """A field as text, with what the conversion found in it.

    Attributes:
        text: the plain text (stripped; '' for an empty field).
        images: images shown as `[image: name]`.
        sounds: sounds (and videos) shown as `[sound: name]`.
        controls: whether control characters were made visible.
    """

    text: str
    images: int = 0
    sounds: int = 0
    controls: bool = False


class _TextParser(HTMLParser):
    """Collects a fragment's text as parts, with the line structure its tags give it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.preformatted = 0
        self.lists: list[int | None] = []
        """Open lists, innermost last: the next number of an ordered one, None otherwise."""
        self.cells = 0
        self.images = 0
        self.sounds = 0
        self.line_start = True
        """Nothing but a list marker yet on this line: the spaces of the HTML source that
        follow are not text."""

    def add(self, text: str, *, line_start: bool = False) -> None:
        self.parts.append(text)
        self.line_start = line_start

    def line_break(self) -> None:
        """End the current line, unless it is empty (blocks do not stack blank lines)."""
        if self.parts and not self.parts[-1].endswith("\n"):
            self.add("\n", line_start=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        if self.hidden:
            return
        if tag == "br":
            self.add("\n", line_start=True)
        elif tag in _MEDIA:
            self.media(_MEDIA[tag], dict(attrs).get("src"))
        elif tag in ("td", "th"):
            if self.cells:
                self.add(" | ")
            self.cells += 1
        elif tag in _BLOCKS:
            self.line_break()
            if tag == "tr":
                self.cells = 0
            elif tag in ("ul", "ol"):
                self.lists.append(1 if tag == "ol" else None)
            elif tag == "li":
                self.list_item()
            elif tag == "pre":
                self.preformatted += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HIDDEN:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
            return
        if self.hidden or tag not in _BLOCKS:
            return
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "pre":
            self.preformatted = max(self.preformatted - 1, 0)
        self.line_break()

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        if not self.preformatted:
            data = _HTML_SPACE.sub(" ", data)
            if self.line_start:
                data = data.lstrip(" ")
        data, sounds = _SOUND.subn(lambda m: f"[sound: {m.group(1).strip()}]", data)
        self.sounds += sounds
        if data:
            self.add(data)

    def list_item(self) -> None:
        depth = max(len(self.lists), 1)
        number = self.lists[-1] if self.lists else None
        if number is not None:
            self.lists[-1] = number + 1
        marker = "- " if number is None else f"{number}. "
        self.add("  " * (depth - 1) + marker, line_start=True)

    def media(self, kind: str, name: str | None) -> None:
        if kind == "image":
            self.images += 1
        else:
            self.sounds += 1
        self.add(f"[{kind}: {name}]" if name else f"[{kind}]")


def field_text(html: str) -> FieldText:
    """A field's HTML as plain text, with what was found in it.

    Example: `field_text("Port <b>443</b><br>&amp; HTTPS").text == "Port 443\\n& HTTPS"`.
    """
    html = html.replace("\r\n", "\n").replace("\r", "\n")
    images = sounds = 0
    if _NEEDS_PARSING.search(html):
        parser = _TextParser()
        parser.feed(html)
        parser.close()
        text = "".join(parser.parts)
        images, sounds = parser.images, parser.sounds
    else:
        text = _HTML_SPACE.sub(" ", html)
    text = _BLANK_LINES.sub("\n\n", "\n".join(line.rstrip() for line in text.split("\n")))
    text = text.strip()
    safe = displayable(text)
    return FieldText(safe, images, sounds, safe != text)


def plain_text(text: str) -> str:
    """A short text that is not HTML (a tag, a deck name) made displayable on one line."""
    return displayable(" ".join(text.split()))
