"""The safe Markdown subset of deck text: code spans and blocks, bold, italics, lists, line breaks.

Certification material is full of commands and emphasis (`` `chmod 755 x` ``, `**never**`).
This module reads that subset into styled spans, and nothing more: it never follows a link,
never runs or refers to anything, and emits no markup. Everything else (links, headings, HTML)
stays the characters written. The shells decide how a style looks (the TUI turns each span into
Textual `Content` with a style of its own, never parsing the text); the text itself stays inert.

The subset, as docs/deck-format.md describes it:

- `` `code` `` (a run of backticks closes only at a run of the same length), fenced code blocks
  (a line of ``` or ~~~ opens and closes one; nothing inside is read as Markdown);
- `**bold**` / `__bold__`, `*italics*` / `_italics_`, with CommonMark's flanking rules, so
  `snake_case`, `2 * 3 * 4` and `*.yaml` stay as written;
- list items: a line starting with `-`, `*` or `+` and a space shows a bullet; `1.` or `1)` and a
  space keeps its number; indentation is kept;
- every line break is a line break (as YAML's `|` keeps them), a blank line a blank line;
- a backslash before punctuation (`\\*`) shows that character as written.

Pure: no I/O, no UI library.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Flag, auto

__all__ = ["Span", "Style", "parse"]


class Style(Flag):
    """How a span is shown; flags combine (`***both***` is bold and italic)."""

    PLAIN = 0
    BOLD = auto()
    ITALIC = auto()
    CODE = auto()
    """A code span, or a line of a code block: shown as written, in a code style."""
    MARKER = auto()
    """A list item's bullet or number."""


@dataclass(frozen=True)
class Span:
    """A run of text in one style; line breaks are `\\n` inside a span's text."""

    text: str
    style: Style = Style.PLAIN


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BULLET = re.compile(r"^(\s*)[-*+][ \t]+(?=\S)")
_NUMBER = re.compile(r"^(\s*)(\d{1,9}[.)])[ \t]+(?=\S)")
_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def parse(text: str) -> tuple[Span, ...]:
    """Deck text as styled spans (adjacent spans of one style merged).

    Example: `parse("Run `ls` **now**")` is `(Span("Run "), Span("ls", Style.CODE),
    Span(" "), Span("now", Style.BOLD))`.
    """
    lines: list[list[Span]] = []
    fence: str | None = None
    for line in text.split("\n"):
        marker = _FENCE.match(line)
        if fence is None and marker is not None:
            fence = marker.group(1)
        elif fence is not None and marker is not None and _closes(fence, marker.group(1), line):
            fence = None
        elif fence is not None:
            lines.append([Span(line, Style.CODE)])
        else:
            lines.append(_line(line))
    spans: list[Span] = []
    for number, line_spans in enumerate(lines):
        if number:
            spans.append(Span("\n"))
        spans += line_spans
    return _merged(spans)


def _closes(fence: str, candidate: str, line: str) -> bool:
    """A closing fence (a fence line takes no line on screen): the same character, at least as
    long, nothing after it."""
    return (
        candidate[0] == fence[0]
        and len(candidate) >= len(fence)
        and not line.strip().strip(fence[0])
    )


def _line(line: str) -> list[Span]:
    """One line outside a code block: a list marker if it has one, then inline styles."""
    bullet = _BULLET.match(line)
    if bullet is not None:
        indent = bullet.group(1)
        mark = "◦" if indent else "•"
        return [Span(indent), Span(f"{mark} ", Style.MARKER), *_inline(line[bullet.end() :])]
    numbered = _NUMBER.match(line)
    if numbered is not None:
        indent, marker = numbered.group(1), numbered.group(2)
        return [Span(indent), Span(f"{marker} ", Style.MARKER), *_inline(line[numbered.end() :])]
    return _inline(line)


@dataclass
class _Token:
    """Inline text, or a run of `*`/`_` that may open or close emphasis."""

    text: str
    style: Style = Style.PLAIN
    delimiter: str = ""
    count: int = 0
    can_open: bool = False
    can_close: bool = False


def _inline(line: str) -> list[Span]:
    tokens = _tokens(line)
    _emphasis(tokens)
    spans = []
    for token in tokens:
        text = token.delimiter * token.count if token.delimiter else token.text
        if text:
            spans.append(Span(text, token.style))
    return spans


def _tokens(line: str) -> list[_Token]:
    """Text, code spans and delimiter runs, escapes resolved."""
    tokens: list[_Token] = []
    text: list[str] = []

    def flush() -> None:
        if text:
            tokens.append(_Token("".join(text)))
            text.clear()

    i = 0
    while i < len(line):
        char = line[i]
        if char == "\\" and i + 1 < len(line) and line[i + 1] in _ESCAPABLE:
            text.append(line[i + 1])
            i += 2
        elif char == "`":
            run = _run_length(line, i)
            end = _closing_backticks(line, i + run, run)
            if end is None:
                text.append("`" * run)
            else:
                flush()
                tokens.append(_Token(_code_content(line[i + run : end]), Style.CODE))
                run = end + run - i
            i += run
        elif char in "*_":
            run = _run_length(line, i)
            flush()
            before = line[i - 1] if i else " "
            after = line[i + run] if i + run < len(line) else " "
            tokens.append(_delimiter(char, run, before, after))
            i += run
        else:
            text.append(char)
            i += 1
    flush()
    return tokens


def _run_length(line: str, start: int) -> int:
    end = start
    while end < len(line) and line[end] == line[start]:
        end += 1
    return end - start


def _closing_backticks(line: str, start: int, run: int) -> int | None:
    """Where a run of exactly `run` backticks starts, from `start` (None: there is none)."""
    i = start
    while (i := line.find("`", i)) != -1:
        length = _run_length(line, i)
        if length == run:
            return i
        i += length
    return None


def _code_content(code: str) -> str:
    """CommonMark: one space is stripped from each end when both have one (`` ` `a` ` ``)."""
    if len(code) > 2 and code[0] == code[-1] == " " and code.strip():
        return code[1:-1]
    return code


def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith(("P", "S"))


def _delimiter(char: str, count: int, before: str, after: str) -> _Token:
    """A `*`/`_` run with CommonMark's flanking rules: `*` emphasises inside words, `_` does
    not (`snake_case_name` stays as written); a run with spaces on both sides is text."""
    left = not after.isspace() and (
        not _is_punctuation(after) or before.isspace() or _is_punctuation(before)
    )
    right = not before.isspace() and (
        not _is_punctuation(before) or after.isspace() or _is_punctuation(after)
    )
    if char == "_":
        can_open = left and (not right or _is_punctuation(before))
        can_close = right and (not left or _is_punctuation(after))
    else:
        can_open, can_close = left, right
    return _Token("", delimiter=char, count=count, can_open=can_open, can_close=can_close)


def _emphasis(tokens: list[_Token]) -> None:
    """Pair delimiter runs (a simplified CommonMark delimiter stack): two on each side make
    bold, one italics; what is left over shows as written."""
    openers: list[int] = []
    for index, closer in enumerate(tokens):
        if not closer.delimiter:
            continue
        if closer.can_close:
            while closer.count:
                found = next(
                    (
                        place
                        for place in range(len(openers) - 1, -1, -1)
                        if tokens[openers[place]].delimiter == closer.delimiter
                    ),
                    None,
                )
                if found is None:
                    break
                opener = tokens[openers[found]]
                used = 2 if opener.count >= 2 and closer.count >= 2 else 1
                style = Style.BOLD if used == 2 else Style.ITALIC
                for inside in tokens[openers[found] + 1 : index]:
                    inside.style |= style
                opener.count -= used
                closer.count -= used
                # Delimiters between the pair can no longer match across it.
                del openers[found + 1 :]
                if not opener.count:
                    openers.pop()
        if closer.count and closer.can_open:
            openers.append(index)


def _merged(spans: list[Span]) -> tuple[Span, ...]:
    merged: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        if merged and merged[-1].style == span.style:
            merged[-1] = Span(merged[-1].text + span.text, span.style)
        else:
            merged.append(span)
    return tuple(merged)
