"""The `srs` command line: click commands, each a few lines over one core call.

Heavy modules (sqlite-utils, Textual, py-fsrs) are imported inside the commands, so that
`srs --version` and `srs check` start fast.
"""

from __future__ import annotations

from srs.cli.main import cli, main

__all__ = ["cli", "main"]
