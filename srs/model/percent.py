"""Scores as percentages: the one way srs turns a share into the percent a learner reads.

Scores are rounded down everywhere (results, history, the command line, the session
summary), so 69.5% never shows as a passing-looking "70%", and the same 2 of 3 reads 66% on
every screen. Whole numbers in, integer arithmetic: no float can land just below a percent.
"""

from __future__ import annotations

__all__ = ["chance_text", "floor_percent", "percent_text"]


def floor_percent(part: int, whole: int) -> int:
    """`part` of `whole` in whole percent, rounded down (0 of nothing is 0%)."""
    return 100 * part // whole if whole else 0


def percent_text(part: int, whole: int) -> str:
    """`part` of `whole` as the screens show it: `66%` for 2 of 3."""
    return f"{floor_percent(part, whole)}%"


def chance_text(chance: float) -> str:
    """A probability as a percentage that never rounds a real chance to 0% or 100% (a 0.00003
    chance to pass reads "<1%", not "0%"), the same on every screen and command."""
    if 0 < chance < 0.005:
        return "<1%"
    if 0.995 < chance < 1:
        return ">99%"
    return f"{chance:.0%}"
