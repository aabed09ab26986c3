"""srs: a terminal-first spaced-repetition trainer for certification exams."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
