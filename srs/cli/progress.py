"""A progress line on the terminal while a long command works: an Anki import of 300,000
answers takes ~20 s, and that long a silence looks like a hang."""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from srs.model.progress import Progress, unreported

__all__ = ["progress_line"]

_REDRAW_SECONDS = 0.1
"""A step's count is drawn again at most this often (the job reports once a card)."""
_COLUMNS = 80
"""The width assumed when the terminal does not tell its own."""


@contextmanager
def progress_line(stream: TextIO | None = None) -> Iterator[Progress]:
    """A `Progress` drawn as one line on `stream` (standard error), erased when the block
    ends, by an error too, so that what the command prints next starts on a clean line.
    Nothing is drawn when the stream is not a terminal: a script or a log file gets only the
    command's own output."""
    stream = stream or sys.stderr
    if not stream.isatty():
        yield unreported
        return
    line = _Line(stream)
    try:
        yield line
    finally:
        line.erase()


class _Line:
    """The line as drawn: rewritten in place with a carriage return, padded with spaces over
    a longer text before it (no escape sequences, which a dumb terminal would print), and cut
    to the terminal's width (a wrapped line could not be rewritten)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._step = ""
        self._drawn_at = -math.inf
        self._width = 0

    def __call__(self, step: str, done: int, total: int) -> None:
        now = time.monotonic()
        finished = 0 < total == done  # drawn whatever the pace: the step ends on its total
        if step == self._step and not finished and now - self._drawn_at < _REDRAW_SECONDS:
            return
        self._step, self._drawn_at = step, now
        if total:
            self._draw(f"{step}: {done:,} of {total:,} ({done * 100 // total}%)")
        else:
            self._draw(f"{step}...")

    def erase(self) -> None:
        if self._width:
            self._draw("")
            self._stream.write("\r")
            self._stream.flush()

    def _draw(self, text: str) -> None:
        text = text[: self._columns() - 1]
        self._stream.write("\r" + text.ljust(self._width))
        self._stream.flush()
        self._width = len(text)

    def _columns(self) -> int:
        """The terminal's width now (it may be resized during a long import)."""
        try:
            return os.get_terminal_size(self._stream.fileno()).columns or _COLUMNS
        except (OSError, ValueError):  # not a real terminal's stream
            return _COLUMNS
