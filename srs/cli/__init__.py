"""The `srs` command line: click commands, each a few lines over one core call.

Heavy modules (sqlite-utils, Textual, py-fsrs) are imported inside the commands, so that
`srs --version` and `srs check` start fast; `srs --version` does not even load click.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from srs import __version__

if TYPE_CHECKING:
    import click

__all__ = ["cli", "main"]


def main(args: Sequence[str] | None = None, **options: Any) -> Any:
    """The `srs` console script: click's `srs.cli.main.cli`, except that a bare `srs
    --version` is answered before click is imported (half that command's 50 ms), in click's
    words."""
    if (sys.argv[1:] if args is None else list(args)) == ["--version"]:
        print(f"srs, version {__version__}")
        return 0
    from srs.cli.main import cli

    return cli.main(args, **options)


def __getattr__(name: str) -> click.Group:
    """`cli`, the click group, loaded when first asked for (tests drive it directly)."""
    if name != "cli":
        raise AttributeError(name)
    from srs.cli.main import cli

    return cli
