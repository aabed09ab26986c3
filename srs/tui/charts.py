"""What the terminal charts (textual-plotext) share: axes a person can read at 80x24."""

from __future__ import annotations

import math

__all__ = ["whole_ticks"]


def whole_ticks(top: float) -> tuple[list[float], list[str]]:
    """Three whole-number ticks up to `top` (minutes, answers): a chart's height at 80x24
    holds no more, and a fractional tick reads as noise."""
    step = max(1, math.ceil(top / 3))
    ticks = [0, step, 2 * step, 3 * step]
    return [float(tick) for tick in ticks], [str(tick) for tick in ticks]
