"""The one place untrusted deck text becomes displayable.

Deck text may hold terminal escapes (OSC 52 writes the clipboard, CSI moves the cursor) and bidi
overrides that reorder what the learner reads. Each is replaced by a visible stand-in, so the
text shows what it holds and the terminal receives none of it. Markup is a separate matter: the
TUI always wraps the result in `Content(...)`, never parses it.
"""

from __future__ import annotations

import json
import re

__all__ = ["displayable", "json_for_terminal"]

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


def json_for_terminal(data: object) -> str:
    """`data` as indented JSON that a terminal prints inertly: readable non-ASCII text, with every
    control, bidi-override and lone-surrogate character written as a `\\uXXXX` escape (JSON
    escapes C0 controls itself, but not C1 ones such as CSI, U+009B)."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
