"""Mock exams: sit one, its history and the calibration of its predictions."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from srs.cli.common import errors_as_messages, open_store, print_json, run_tui

if TYPE_CHECKING:
    from srs.collection.outcomes import ExamOutcome

__all__ = ["exam"]


class _ExamGroup(click.Group):
    """`srs exam DECK` starts an exam; `srs exam history DECK` and the like report on them."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "start", self.commands["start"], args
        return super().resolve_command(ctx, args)


@click.group(cls=_ExamGroup)
def exam() -> None:
    """Mock exams: sit one, or read the history and calibration of past ones.

    \b
        srs exam synthetic-data              open the exam's start page in the study app
        srs exam history synthetic-data      every attempt, with the trend
        srs exam calibration synthetic-data  predictions against results
    """


@exam.command(name="start", hidden=True)
@click.argument("deck")
@click.pass_context
def exam_start(ctx: click.Context, deck: str) -> None:
    """Open the study app on DECK's mock exam."""
    from srs.exam.form import required_exam_spec

    run_tui(ctx, lambda store: required_exam_spec(store, deck), exam=deck)


@exam.command(name="history")
@click.argument("deck")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def exam_history_command(ctx: click.Context, deck: str, as_json: bool) -> None:
    """Every submitted attempt at DECK's exam: date, score, pass or fail, duration, trend."""
    from srs.clock import format_duration
    from srs.exam.form import required_exam_spec
    from srs.exam.results import exam_history, exam_trend
    from srs.model.percent import percent_text

    with open_store(ctx) as store, errors_as_messages():
        required_exam_spec(store, deck)
        history = exam_history(store, deck)
    trend = exam_trend(history)
    if as_json:
        print_json({"attempts": [h.to_dict() for h in history], "trend": trend.to_dict()})
        return
    if not history:
        click.echo(f"no submitted attempts at {deck}'s exam yet: srs exam {deck}")
        return
    for h in history:
        predicted = "" if h.predicted_pass is None else f"  predicted {h.predicted_pass:.0%}"
        click.echo(
            f"{h.started_at:%Y-%m-%d %H:%M}  {h.kind!s:<6}  "
            f"{h.score:>3} / {h.total:<3} {percent_text(h.score, h.total):>5}  "
            f"{'PASS' if h.passed else 'FAIL'}  "
            f"{format_duration(h.duration):>8}{' (timed out)' if h.timed_out else ''}{predicted}"
        )
    if trend.slope is not None:
        click.echo(
            f"trend: {trend.slope:+.1f} points per attempt over the last "
            f"{min(trend.window, trend.attempts)} full attempts"
        )


@exam.command(name="calibration")
@click.argument("deck")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def exam_calibration_command(ctx: click.Context, deck: str, as_json: bool) -> None:
    """How the predicted chances to pass compare with DECK's exam results (Brier score), and
    whether recalibrating against them predicts better."""
    from srs.exam.form import required_exam_spec
    from srs.exam.readiness import calibration, real_exams

    with open_store(ctx) as store, errors_as_messages():
        required_exam_spec(store, deck)
        result = calibration(store, deck)
        outcomes, real = real_exams(store, deck)
    if as_json:
        print_json(
            result.to_dict()
            | {"real_exams": [_outcome_dict(o) for o in outcomes], "real_brier": real.brier}
        )
        return
    for o in outcomes:
        predicted = "" if o.predicted_pass is None else f"  predicted {o.predicted_pass:.0%}"
        score = "" if o.score is None else f"  score {o.score:.0%}"
        click.echo(f"real exam {o.exam_date}: {'PASS' if o.passed else 'FAIL'}{score}{predicted}")
    if real.brier is not None:
        click.echo(f"real exams with a prediction {real.attempts}  Brier {real.brier:.3f}")
    if not result.attempts:
        click.echo("no submitted attempts with a prediction yet")
        return
    click.echo(
        f"attempts {result.attempts}  mean predicted {result.mean_predicted:.0%}  "
        f"actual pass rate {result.pass_rate:.0%}  Brier {result.brier:.3f} "
        "(0 is perfect, 0.25 is always guessing 50%)"
    )
    if result.brier_before is None:
        return
    line = f"full attempts {result.full_attempts}: Brier {result.brier_before:.3f} as predicted now"
    if result.brier_after is None:
        click.echo(f"{line}; recalibration is tried from {result.minimum_attempts} full attempts")
        return
    verdict = "applied" if result.recalibrated else "not applied: it does not predict better"
    click.echo(
        f"{line}, {result.brier_after:.3f} recalibrated (leave-one-out); per question "
        f"{result.question_brier_before:.3f} and {result.question_brier_after:.3f}: {verdict}"
    )


def _outcome_dict(outcome: ExamOutcome) -> dict[str, object]:
    return {
        "exam_date": outcome.exam_date.isoformat(),
        "passed": outcome.passed,
        "score": outcome.score,
        "predicted_pass": outcome.predicted_pass,
        "predicted_score": outcome.predicted_score,
    }
