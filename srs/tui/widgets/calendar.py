"""A year of study days as Anki and GitHub draw it: weeks as columns, weekdays as rows, each day
shaded by its answers with characters (`·░▒▓█`), so it reads without colour."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import timedelta

from textual.content import Content
from textual.widgets import Static

from srs.stats.activity import DayCount

__all__ = ["SHADES", "CalendarHeatmap", "shade_of"]

SHADES = "·░▒▓█"
"""No answers, then four levels up to the busiest day."""

WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "")
"""Row labels, every other one as GitHub prints them (rows run Monday to Sunday)."""

LABEL = 4
"""Cells of the weekday labels before the first week."""


def shade_of(count: int, busiest: int) -> int:
    """The level (an index into SHADES) of a day: 0 without answers, then quarters of the
    busiest day, any answer at least level 1."""
    if count <= 0 or busiest <= 0:
        return 0
    return min(len(SHADES) - 1, max(1, math.ceil((len(SHADES) - 1) * count / busiest)))


class CalendarHeatmap(Static):
    """The calendar of `show(days)` (oldest first), with a legend saying what each shade
    counts."""

    def show(self, days: Sequence[DayCount]) -> None:
        self.update(calendar(days))


def calendar(days: Sequence[DayCount]) -> Content:
    """The month line, seven weekday rows and the legend."""
    if not days:
        return Content("")
    busiest = max(day.count for day in days)
    first_monday = days[0].day - timedelta(days=days[0].day.weekday())
    weeks = (days[-1].day - first_monday).days // 7 + 1
    grid: list[list[DayCount | None]] = [[None] * weeks for _ in range(7)]
    for day in days:
        grid[day.day.weekday()][(day.day - first_monday).days // 7] = day
    months = [" "] * weeks
    # Each month's first day, then the first day's month if there is room before the next.
    for day in [*(day for day in days if day.day.day == 1), days[0]]:
        column = (day.day - first_monday).days // 7
        name = f"{day.day:%b}"
        # A label that would run into another, or past the last week, is left out.
        if column + len(name) <= weeks and all(
            cell == " " for cell in months[max(0, column - 1) : column + len(name) + 1]
        ):
            months[column : column + len(name)] = list(name)
    lines: list[Content | str] = [" " * LABEL + "".join(months), "\n"]
    for weekday, row in enumerate(grid):
        lines.append(Content.styled(WEEKDAYS[weekday].ljust(LABEL), "dim"))
        for cell in row:
            if cell is None:
                lines.append(" ")
            else:
                level = shade_of(cell.count, busiest)
                lines.append(Content.styled(SHADES[level], "dim" if not level else "$success"))
        lines.append("\n")
    lines.append(_legend(busiest))
    return Content.assemble(*lines)


def _legend(busiest: int) -> Content:
    """Each shade with the answers it stands for: `· 0  ░ 1-3  ▒ 4-6 …`."""
    parts: list[Content | str] = [Content.styled("answers a day: ", "dim")]
    low = 1
    for level in range(len(SHADES)):
        if level == 0:
            parts.append(f"{SHADES[0]} 0")
            continue
        high = busiest * level // (len(SHADES) - 1)
        if high >= low:
            parts.append(f"  {SHADES[level]} {low}" + (f"-{high}" if high > low else ""))
            low = high + 1
    return Content.assemble(*parts)
