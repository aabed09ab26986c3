"""How a long job tells its caller how far it has got: the command line draws it as one line
on the terminal, tests record it, everyone else passes nothing."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Progress", "unreported"]

Progress = Callable[[str, int, int], None]
"""Called with the step under way and how much of it is done, of how much (0 of 0: a step
that is not counted). A job calls it often (once a card), so a receiver keeps its own pace."""


def unreported(step: str, done: int, total: int) -> None:
    """The progress of a job nobody watches."""
