"""The one place deck text becomes displayable: always literal, never markup, never terminal
escapes; the safe Markdown subset (`srs.model.markdown`) shown with styles of our own.

A style string here is always ours: deck text only ever becomes the characters of a `Content`
span, so `[@click=app.quit]` stays characters and `**[b]x[/b]**` is bold brackets.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from srs.model.markdown import Style, parse
from srs.textsafe import displayable

__all__ = ["literal", "literal_text", "markdown"]

_LOOKS = (
    (Style.BOLD, "bold"),
    (Style.ITALIC, "italic"),
    (Style.CODE, "$text-accent on $boost"),
    (Style.MARKER, "bold $text-accent"),
)
"""How each Markdown style looks, added to the caller's style."""


def literal(text: str, style: str = "") -> Content:
    """Untrusted text as Content: `[@click=...]` stays characters, escapes become visible."""
    return Content.styled(displayable(text), style) if style else Content(displayable(text))


def literal_text(text: str, style: str = "") -> Text:
    """The same for the widgets that take Rich text (DataTable cells)."""
    return Text(displayable(text), style=style)


def markdown(text: str, style: str = "") -> Content:
    """Deck text with its Markdown subset (code, bold, italics, lists) shown as styles, over
    `style` (the part's own: a question is bold); the text is otherwise as `literal` shows it."""
    parts = []
    for span in parse(displayable(text)):
        looks = [style] if style else []
        looks += [look for flag, look in _LOOKS if flag in span.style and look not in looks]
        parts.append(Content.styled(span.text, " ".join(looks)) if looks else span.text)
    return Content.assemble(*parts)
