"""`srs stats`: every statistic of a deck (or of all decks) as plain text tables, or as JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from srs.cli.common import errors_as_messages, open_store, print_json, print_table

if TYPE_CHECKING:
    from srs.stats import Stats
    from srs.stats.memory import Bucket, Retained

__all__ = ["stats"]


@click.command()
@click.argument("deck", required=False)
@click.option("--json", "as_json", is_flag=True, help="Every figure as JSON.")
@click.pass_context
def stats(ctx: click.Context, deck: str | None, as_json: bool) -> None:
    """What you did, what is coming and how well you remember, for DECK (or all decks): today,
    answers per day, the streak, reviews due, true retention, memory, topics (weakest first)
    and mock exams.

    \b
        srs stats synthetic-data
        srs stats --json | jq .true_retention
    """
    from srs.stats import collect

    with open_store(ctx) as store, errors_as_messages():
        figures = collect(store, deck)
    if as_json:
        print_json(figures.to_json())
        return
    for section in (_today, _history, _forecast, _retention, _memory, _topics, _exams):
        click.echo("")
        section(figures)


def _share(value: float | None) -> str:
    return "-" if value is None else format(value, ".0%")


def _today(figures: Stats) -> None:
    from srs.clock import format_duration
    from srs.model.percent import percent_text
    from srs.textsafe import displayable

    today = figures.today
    scope = "all decks" if figures.deck_id is None else displayable(figures.deck_id)
    click.echo(f"Statistics of {scope}")
    right = percent_text(today.right, today.answers) if today.answers else "-"
    click.echo(
        f"Today ({today.day}): {today.cards} cards, {today.answers} answers, {right} right, "
        f"{format_duration(today.seconds)}"
    )


def _history(figures: Stats) -> None:
    from srs.stats.activity import WINDOWS

    history = figures.history
    unit = "day" if history.streak == 1 else "days"
    click.echo(f"Answers per day (streak: {history.streak} {unit})")
    rows = []
    for days in WINDOWS:
        window = history.window(days)
        rows.append(
            (
                f"last {days} days",
                str(window["answers"]),
                str(window["days_studied"]),
                f"{window['per_day']:.1f}",
            )
        )
    print_table(("period", "answers", "days studied", "per day"), rows)
    months: dict[str, list[int]] = {}
    for entry in history.days:
        months.setdefault(f"{entry.day:%Y-%m}", []).append(entry.count)
    click.echo("Calendar by month")
    print_table(
        ("month", "answers", "days studied"),
        [(month, str(sum(c)), str(sum(1 for n in c if n))) for month, c in months.items()],
    )


def _forecast(figures: Stats) -> None:
    click.echo("Reviews due (today's count holds the overdue cards)")
    print_table(("day", "due"), [(str(e.day), str(e.count)) for e in figures.forecast.days])


def _retained(counts: Retained) -> str:
    from srs.model.percent import percent_text

    if not counts.answers:
        return "-"
    return f"{percent_text(counts.right, counts.answers)} of {counts.answers}"


def _retention(figures: Stats) -> None:
    from srs.stats.memory import MATURE_INTERVAL

    retention = figures.true_retention
    desired = ", ".join(f"{_share(value)}" for value in sorted(set(retention.desired.values())))
    click.echo(
        f"True retention (review cards; mature from {MATURE_INTERVAL} days; desired "
        f"{desired or '-'})"
    )
    print_table(
        ("period", "young", "mature", "total"),
        [
            (p.name, _retained(p.young), _retained(p.mature), _retained(p.total))
            for p in retention.periods
        ],
    )


def _buckets(title: str, buckets: Sequence[Bucket], form: str) -> None:
    def edge(value: float) -> str:
        return "" if value == float("inf") else format(value, form)

    print_table(
        (title, "cards"), [(f"{edge(b.low)}-{edge(b.high)}", str(b.cards)) for b in buckets]
    )


def _memory(figures: Stats) -> None:
    memory = figures.memory
    click.echo(
        f"Memory: {memory.cards} studied cards, {memory.expected_recalled:.0f} expected "
        f"recalled now ({_share(memory.mean_retrievability)})"
    )
    _buckets("stability (days)", memory.stability, "g")
    _buckets("difficulty", memory.difficulty, "g")
    _buckets("recall chance", memory.retrievability, ".0%")


def _topics(figures: Stats) -> None:
    from srs.stats.topics import EARLIER_DAYS, RECENT_DAYS
    from srs.textsafe import displayable

    click.echo("Topics, weakest first (right answers: recent days against the days before)")
    if not figures.topics:
        click.echo("no cards")
        return
    print_table(
        (
            "topic",
            "deck",
            "cards",
            "chance",
            f"last {RECENT_DAYS}d",
            f"{EARLIER_DAYS}d before",
            "trend",
        ),
        [
            (
                displayable(t.topic or "-"),
                displayable(t.deck_id),
                str(t.cards),
                _share(t.chance),
                _share(t.recent_share),
                _share(t.earlier_share),
                "-" if t.trend is None else f"{t.trend:+.0f} pts",
            )
            for t in figures.topics
        ],
        right_from=2,
    )


def _exams(figures: Stats) -> None:
    from srs.model.percent import percent_text
    from srs.textsafe import displayable

    exams = figures.exams
    click.echo("Mock exams")
    if not exams.attempts:
        click.echo("no submitted attempts")
        return
    print_table(
        ("day", "deck", "kind", "score", "pass line", "result", "predicted"),
        [
            (
                str(a.day),
                displayable(a.deck_id),
                a.kind,
                f"{a.score}/{a.total} ({percent_text(a.score, a.total)})",
                _share(a.pass_mark),
                "passed" if a.passed else "failed",
                _share(a.predicted_pass),
            )
            for a in exams.attempts
        ],
    )
    brier = "-" if exams.brier is None else f"{exams.brier:.3f}"
    click.echo(f"Predicted chance against result (Brier score {brier})")
    print_table(
        ("predicted", "attempts", "mean predicted", "passed"),
        [
            (
                f"{_share(b.low)}-{_share(b.high)}",
                str(b.attempts),
                _share(b.mean_predicted),
                _share(b.pass_rate),
            )
            for b in exams.bins
        ],
    )
