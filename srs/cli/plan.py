"""`srs plan`: the exam date, the plan to it, and how the real exam went."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import click

from srs.cli.common import errors_as_messages, fail, open_store, print_json
from srs.model.percent import chance_text

if TYPE_CHECKING:
    pass

__all__ = ["plan"]


def _day(text: str) -> date:
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        fail(f"'{text}' is not a date: write it as YYYY-MM-DD")


@click.command()
@click.argument("deck")
@click.option("--exam-date", metavar="YYYY-MM-DD", help="Set the day of the real exam.")
@click.option(
    "--minutes-per-day",
    type=click.IntRange(1, 1440),
    metavar="N",
    help="Your daily study time, which each day of the plan is checked against.",
)
@click.option("--clear", is_flag=True, help="Remove the exam date.")
@click.option(
    "--result", type=click.Choice(["pass", "fail"]), help="Record how the real exam went."
)
@click.option("--score", type=click.FloatRange(0, 100), metavar="P", help="Your score, in %.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def plan(
    ctx: click.Context,
    deck: str,
    exam_date: str | None,
    minutes_per_day: int | None,
    clear: bool,
    result: str | None,
    score: float | None,
    as_json: bool,
) -> None:
    """Plan to the exam date: new cards a day, minutes a day, and the chance to pass on the day.

    \b
        srs plan synthetic-data --exam-date 2026-03-14 --minutes-per-day 40
        srs plan synthetic-data            # the plan, day by day
        srs plan synthetic-data --result pass --score 82
        srs plan synthetic-data --clear
    """
    if sum((exam_date is not None, clear, result is not None)) > 1:
        raise click.UsageError("choose one of --exam-date, --clear and --result")
    if score is not None and result is None:
        raise click.UsageError("--score goes with --result")
    day = None if exam_date is None else _day(exam_date)
    from srs.collection.settings import set_setting
    from srs.plan import (
        clear_exam_date,
        exam_plan,
        pending_outcome,
        record_outcome,
        set_exam_date,
    )

    with open_store(ctx) as store, errors_as_messages():
        if clear:
            clear_exam_date(store, deck)
            click.echo(f"{deck}: exam date cleared")
            return
        if result is not None:
            outcome = record_outcome(
                store, deck, result == "pass", None if score is None else score / 100
            )
            predicted = (
                ""
                if outcome.predicted_pass is None
                else f" (srs predicted {chance_text(outcome.predicted_pass)} to pass)"
            )
            click.echo(f"{deck}: recorded a {result} on {outcome.exam_date}{predicted}")
            return
        if day is not None:
            set_exam_date(store, deck, day, minutes_per_day)
        elif minutes_per_day is not None:
            set_setting(store, deck, "minutes_per_day", str(minutes_per_day))
        made = exam_plan(store, deck)
        if made is None:
            passed = pending_outcome(store, deck)
            if passed is not None:
                fail(
                    f"the exam of '{deck}' on {passed} has passed: record how it went with "
                    f"srs plan {deck} --result pass|fail"
                )
            fail(f"deck '{deck}' has no exam date: srs plan {deck} --exam-date YYYY-MM-DD")
    if as_json:
        print_json(made.to_dict())
        return
    click.echo(f"{deck}: {made.summary_line()}")
    click.echo(
        f"{made.new_cards} cards not yet introduced; if you stopped today: "
        f"{chance_text(made.pass_chance_if_stopped)} on exam day; expected score "
        f"{chance_text(made.expected_score_exam_day)} following the plan"
    )
    for row in made.forecast:
        flag = "  over your minutes" if row.over_budget else ""
        click.echo(
            f"{row.date}  {row.reviews:>5} reviews  {row.new:>4} new  "
            f"{row.minutes:>6.1f} min  {chance_text(row.pass_chance):>4}{flag}"
        )
    if made.advice is not None:
        click.echo(made.advice)
