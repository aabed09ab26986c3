"""The root `srs` group: `srs` alone opens the study app; every other command is a subcommand."""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from srs import __version__

__all__ = ["cli"]

COMMANDS = {
    "check": "srs.cli.decks:check",
    "import": "srs.cli.decks:import_",
    "import-anki": "srs.cli.decks:import_anki",
    "export": "srs.cli.decks:export",
    "schema": "srs.cli.decks:schema",
    "backup": "srs.cli.collection:backup",
    "restore": "srs.cli.collection:restore",
    "status": "srs.cli.collection:status",
    "config": "srs.cli.collection:config",
    "review": "srs.cli.study:review",
    "suspend": "srs.cli.study:suspend",
    "unsuspend": "srs.cli.study:unsuspend",
    "forget": "srs.cli.study:forget",
    "cards": "srs.cli.study:cards",
    "export-log": "srs.cli.study:export_log",
    "import-log": "srs.cli.study:import_log",
    "optimize": "srs.cli.study:optimize",
    "exam": "srs.cli.exam:exam",
    "plan": "srs.cli.plan:plan",
    "stats": "srs.cli.stats:stats",
    "sync": "srs.cli.sync:sync",
}
"""Each subcommand and where it is defined: its module is imported only when it runs (or for
`--help`), so `srs --version` and each command load only what they use."""


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use (click's documented pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *super().list_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        module, name = COMMANDS[cmd_name].split(":")
        command = getattr(importlib.import_module(module), name)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, invoke_without_command=True)
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
        from srs.cli.common import run_tui

        run_tui(ctx)
