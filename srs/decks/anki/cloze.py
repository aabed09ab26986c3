"""Cloze deletions: `{{c1::answer}}`, `{{c2::answer::hint}}`, nested ones too.

A cloze note makes one card per cloze number. Its question is the text with that number's
deletions shown as `[...]` (with the hint, when there is one: `[... hint]`) and every other
deletion shown as its text; its answer is what that number's deletions hide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["IMAGE_OCCLUSION", "Cloze", "cloze_numbers", "deleted", "parse_cloze", "shown"]

_TOKEN = re.compile(r"\{\{c(\d{1,4})::|\}\}|::")
_MAX_NESTING = 32
"""Deeper deletions are kept as text (the renderers recurse once per level)."""
IMAGE_OCCLUSION = "image-occlusion:"
"""How an image-occlusion note's deletions begin: shapes on an image, not text."""


@dataclass
class Cloze:
    """One deletion: its number, what it hides, and its hint (None: no hint)."""

    number: int
    hidden: list[str | Cloze] = field(default_factory=list)
    hint: list[str | Cloze] | None = None


def parse_cloze(text: str) -> list[str | Cloze]:
    """The text as plain parts and deletions (an unclosed deletion runs to the end)."""
    root: list[str | Cloze] = []
    open_clozes: list[Cloze] = []
    target = root
    position = 0
    for match in _TOKEN.finditer(text):
        if match.start() > position:
            target.append(text[position : match.start()])
        token = match.group()
        if match.group(1) is not None and len(open_clozes) < _MAX_NESTING:
            cloze = Cloze(int(match.group(1)))
            target.append(cloze)
            open_clozes.append(cloze)
            target = cloze.hidden
        elif token == "}}" and open_clozes:
            open_clozes.pop()
            target = _target(root, open_clozes)
        elif token == "::" and open_clozes and open_clozes[-1].hint is None:
            open_clozes[-1].hint = []
            target = open_clozes[-1].hint
        else:
            target.append(token)
        position = match.end()
    if position < len(text):
        target.append(text[position:])
    return root


def _target(root: list[str | Cloze], open_clozes: list[Cloze]) -> list[str | Cloze]:
    """Where text goes next: inside the innermost open deletion (its hint, once begun)."""
    if not open_clozes:
        return root
    inner = open_clozes[-1]
    return inner.hint if inner.hint is not None else inner.hidden


def cloze_numbers(parts: list[str | Cloze]) -> set[int]:
    """Every cloze number used, nested ones included."""
    numbers = set()
    for part in parts:
        if isinstance(part, Cloze):
            numbers.add(part.number)
            numbers |= cloze_numbers(part.hidden)
    return numbers


def shown(parts: list[str | Cloze], hide: int | None = None) -> str:
    """The text with deletion `hide` as `[...]` (`[... hint]`) and all others revealed."""
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif part.number == hide:
            hint = shown(part.hint).strip() if part.hint else ""
            out.append(f"[... {hint}]" if hint else "[...]")
        else:
            out.append(shown(part.hidden, hide))
    return "".join(out)


def deleted(parts: list[str | Cloze], number: int) -> list[str]:
    """What the deletions numbered `number` hide, in order (nested ones revealed)."""
    found = []
    for part in parts:
        if isinstance(part, Cloze):
            if part.number == number:
                found.append(shown(part.hidden).strip())
            else:
                found.extend(deleted(part.hidden, number))
    return found
