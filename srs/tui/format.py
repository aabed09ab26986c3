"""Numbers as the screens show them."""

from __future__ import annotations

__all__ = ["chance_text"]


def chance_text(chance: float) -> str:
    """A probability as a percentage that never rounds a real chance to 0% or 100%."""
    if 0 < chance < 0.005:
        return "<1%"
    if 0.995 < chance < 1:
        return ">99%"
    return f"{chance:.0%}"
