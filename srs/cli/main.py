"""The root `srs` group: `srs` alone opens the study app; every other command is a subcommand."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from srs import __version__
from srs.cli.collection import backup, config, restore, status
from srs.cli.common import run_tui
from srs.cli.decks import check, export, import_, import_anki, schema
from srs.cli.exam import exam
from srs.cli.plan import plan
from srs.cli.stats import stats
from srs.cli.study import (
    cards,
    export_log,
    forget,
    import_log,
    optimize,
    review,
    suspend,
    unsuspend,
)
from srs.cli.sync import sync

__all__ = ["cli", "main"]


@click.group(invoke_without_command=True)
@click.version_option(__version__, prog_name="srs")
@click.option(
    "--db",
    type=click.Path(path_type=Path),
    help="Collection file (default: $SRS_DB, else collection.db in your data folder).",
)
@click.pass_context
def cli(ctx: click.Context, db: Path | None) -> None:
    """srs: spaced repetition for exam preparation.

    Run `srs` alone to open the study app.
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    if ctx.invoked_subcommand is None:
        run_tui(ctx)


for command in (
    check,
    import_,
    import_anki,
    export,
    schema,
    backup,
    restore,
    status,
    config,
    review,
    suspend,
    unsuspend,
    forget,
    cards,
    export_log,
    import_log,
    optimize,
    exam,
    plan,
    stats,
    sync,
):
    cli.add_command(command)

main: Callable[..., Any] = cli
