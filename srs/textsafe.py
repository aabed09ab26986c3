"""The one place untrusted deck text becomes displayable.

Deck text may hold terminal escapes (OSC 52 writes the clipboard, CSI moves the cursor) and bidi
overrides that reorder what the learner reads. Each is replaced by a visible stand-in, so the
text shows what it holds and the terminal receives none of it. Markup is a separate matter: the
TUI always wraps the result in `Content(...)`, never parses it.
"""

from __future__ import annotations

import re

__all__ = ["displayable"]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _stand_in(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode "control pictures": ESC shows as ␛
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def displayable(text: str) -> str:
    """`text` with every control, bidi-override and lone-surrogate character made visible."""
    return _CONTROL.sub(_stand_in, text)
