"""The stats screen's figures as text: the numbers behind every chart, in tables that read the
same without colour. Deck text (topics, deck ids) is shown literally."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from rich import box
from rich.table import Table
from rich.text import Text
from textual.content import Content

from srs.clock import format_duration
from srs.model.percent import chance_text, percent_text
from srs.stats import ExamFigures, MemoryFigures, Today, TopicFigures, TrueRetention
from srs.stats.activity import DayCount
from srs.stats.memory import Bucket, Retained
from srs.stats.topics import EARLIER_DAYS, RECENT_DAYS
from srs.tui.safe import literal_text

__all__ = [
    "attempts_table",
    "calibration_table",
    "histogram",
    "memory_text",
    "retention_table",
    "today_text",
    "topics_table",
    "week_table",
]

BAR = 6
"""Cells of a histogram's longest bar: three histograms side by side fit in 80 columns."""


def _table(*headers: str, left: int = 1) -> Table:
    """A plain table: the first `left` columns left-aligned (labels), the rest numbers."""
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, show_edge=False)
    for n, header in enumerate(headers):
        table.add_column(header, justify="left" if n < left else "right", no_wrap=n >= left)
    return table


def _chance(value: float | None) -> str:
    return "-" if value is None else chance_text(value)


def today_text(today: Today) -> Content:
    """The cards, answers, share right and time of the current study day."""
    right = percent_text(today.right, today.answers) if today.answers else "-"
    return Content.assemble(
        (f"{today.day:%a %d %b %Y}", "dim"),
        "\n",
        (str(today.cards), "bold"),
        f" card{_plural(today.cards)} studied · ",
        (str(today.answers), "bold"),
        f" answer{_plural(today.answers)} · ",
        (right, "bold"),
        " right · ",
        (format_duration(today.seconds), "bold"),
        " spent",
    )


def _plural(count: int) -> str:
    return "" if count == 1 else "s"


def week_table(days: Sequence[DayCount], label: str) -> Table:
    """Counts per day as a calendar of weeks (Monday first), with each week's total: every
    number of a bar chart of `days` (`label`: what is counted)."""
    table = _table("Week of", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", label)
    if not days:
        return table
    monday = days[0].day - timedelta(days=days[0].day.weekday())
    counts = {day.day: day.count for day in days}
    while monday <= days[-1].day:
        week = [monday + timedelta(days=n) for n in range(7)]
        shown = [counts.get(day) for day in week]
        table.add_row(
            f"{monday:%d %b}",
            *("" if count is None else str(count) for count in shown),
            str(sum(count or 0 for count in shown)),
        )
        monday += timedelta(days=7)
    return table


def _retained(counts: Retained) -> str:
    if not counts.answers:
        return "-"
    return f"{percent_text(counts.right, counts.answers)} of {counts.answers}"


def retention_table(retention: TrueRetention) -> Table:
    """Anki's true retention: young, mature and all review-card answers, per period."""
    table = _table("", "Young", "Mature", "All")
    for period in retention.periods:
        table.add_row(
            period.name.capitalize(),
            _retained(period.young),
            _retained(period.mature),
            _retained(period.total),
        )
    return table


def histogram(title: str, buckets: Sequence[Bucket], scale: float = 1, unit: str = "") -> Table:
    """Cards per bucket, as a bar and as a number; edges multiplied by `scale` and followed by
    `unit` (retrievability in percent)."""

    def edge(value: float) -> str:
        return "" if value == float("inf") else format(value * scale, "g")

    most = max((bucket.cards for bucket in buckets), default=0)
    table = _table("", "", "Cards", left=2)
    table.title = title
    table.title_justify = "left"
    table.columns[1].min_width = BAR
    for bucket in buckets:
        length = round(BAR * bucket.cards / most) if most else 0
        bar = "█" * max(length, 1 if bucket.cards else 0)
        table.add_row(f"{edge(bucket.low)}-{edge(bucket.high)}{unit}", bar, str(bucket.cards))
    return table


def memory_text(memory: MemoryFigures) -> Content:
    """The studied cards and how many of them are expected to be recalled now."""
    return Content.assemble(
        (str(memory.cards), "bold"),
        " studied cards · ",
        (f"{memory.expected_recalled:.0f}", "bold"),
        " expected recalled now (mean chance ",
        (_chance(memory.mean_retrievability), "bold"),
        ")",
    )


def _trend(topic: TopicFigures) -> str:
    """An arrow a glance reads, and the points it stands for."""
    if topic.trend is None:
        return "-"
    points = round(topic.trend)
    arrow = "↑" if points > 0 else "↓" if points < 0 else "→"
    return f"{arrow} {points:+d} pts"


def topics_table(topics: Sequence[TopicFigures], *, with_deck: bool) -> Table:
    """Weakest first: cards, the mean chance now, the recent and earlier share right, trend."""
    headers = ["Topic", *(["Deck"] if with_deck else []), "Cards", "Chance now"]
    table = _table(
        *headers,
        f"Last {RECENT_DAYS}d",
        f"{EARLIER_DAYS}d before",
        "Trend",
        left=2 if with_deck else 1,
    )
    for topic in topics:
        names = [literal_text(topic.topic or "(no topic)")]
        if with_deck:
            names.append(literal_text(topic.deck_id))
        table.add_row(
            *names,
            str(topic.cards),
            _chance(topic.chance),
            _chance(topic.recent_share),
            _chance(topic.earlier_share),
            _trend(topic),
        )
    return table


def attempts_table(exams: ExamFigures, *, with_deck: bool) -> Table:
    """Every submitted attempt, oldest first: score, pass line, result, predicted chance."""
    headers = ["Day", *(["Deck"] if with_deck else []), "Kind"]
    table = _table(*headers, "Score", "Pass line", "Result", "Predicted", left=len(headers))
    for attempt in exams.attempts:
        deck = [literal_text(attempt.deck_id)] if with_deck else []
        table.add_row(
            attempt.day.isoformat(),
            *deck,
            attempt.kind,
            f"{attempt.score}/{attempt.total} ({percent_text(attempt.score, attempt.total)})",
            _chance(attempt.pass_mark),
            Text("passed" if attempt.passed else "failed", style="bold" if attempt.passed else ""),
            _chance(attempt.predicted_pass),
        )
    return table


def calibration_table(exams: ExamFigures) -> Table:
    """Predicted chance to pass against the share passed, per fifth of predicted chance."""
    table = _table("Predicted", "Attempts", "Mean predicted", "Passed")
    brier = "-" if exams.brier is None else f"{exams.brier:.3f}"
    table.title = f"Predicted chance against result (Brier score {brier})"
    table.title_justify = "left"
    for b in exams.bins:
        table.add_row(
            f"{b.low:.0%}-{b.high:.0%}",
            str(b.attempts),
            _chance(b.mean_predicted),
            _chance(b.pass_rate),
        )
    return table
