"""Deck text into widgets: always literal, never markup, never terminal escapes."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from srs.textsafe import displayable

__all__ = ["literal", "literal_text"]


def literal(text: str, style: str = "") -> Content:
    """Untrusted text as Content: `[@click=...]` stays characters, escapes become visible."""
    return Content.styled(displayable(text), style) if style else Content(displayable(text))


def literal_text(text: str, style: str = "") -> Text:
    """The same for the widgets that take Rich text (DataTable cells)."""
    return Text(displayable(text), style=style)
