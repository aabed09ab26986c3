"""Untrusted text reaches a terminal inert: as visible stand-ins on screen, as escapes in JSON."""

from __future__ import annotations

import json

from srs.textsafe import displayable, json_for_terminal

HOSTILE = "csi \x9b31m osc \x1b]52;c;aGk=\x07 rlo \u202eevil tab\there"


def test_displayable_replaces_escapes_with_visible_stand_ins() -> None:
    shown = displayable(HOSTILE)

    assert "\x1b" not in shown and "\x9b" not in shown and "\u202e" not in shown
    assert "␛]52;c;aGk=␇" in shown
    assert "\t" in shown


def test_json_for_terminal_escapes_c1_and_bidi_but_reads_back_the_same() -> None:
    data = {"title": HOSTILE, "note": "Café, naïve"}

    text = json_for_terminal(data)

    assert not any(0x80 <= ord(c) <= 0x9F or 0x202A <= ord(c) <= 0x202E for c in text)
    assert "\x1b" not in text
    assert "\\u009b" in text and "\\u202e" in text
    assert "Café, naïve" in text  # readable text stays readable
    assert json.loads(text) == data
