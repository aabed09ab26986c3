"""Scores as percentages: the one way srs turns a share into the percent a learner reads.

Percentages are rounded down everywhere (results, history, the command line, the session
summary), so 69.5% never shows as a passing-looking "70%", and the same 2 of 3 reads 66% on
every screen. Whole numbers in, integer arithmetic: no float can land just below a percent.
"""

from __future__ import annotations

__all__ = ["floor_percent", "percent_text"]


def floor_percent(part: int, whole: int) -> int:
    """`part` of `whole` in whole percent, rounded down (0 of nothing is 0%)."""
    return 100 * part // whole if whole else 0


def percent_text(part: int, whole: int) -> str:
    """`part` of `whole` as the screens show it: `66%` for 2 of 3."""
    return f"{floor_percent(part, whole)}%"
