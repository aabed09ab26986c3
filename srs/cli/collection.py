"""The collection: backup, restore, status, and study settings."""

from __future__ import annotations

from pathlib import Path

import click

from srs.cli.common import errors_as_messages, fail, open_store, print_json

__all__ = ["backup", "config", "restore", "status"]


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Backup file (default: a new file in the backups folder).",
)
@click.option("--list", "list_only", is_flag=True, help="List the automatic backups.")
@click.pass_context
def backup(ctx: click.Context, output: Path | None, list_only: bool) -> None:
    """Write a verified copy of the collection (SQLite's backup API, never a file copy).

    srs backup -o ~/srs-before-exam.db
    """
    from srs.collection.backup import list_backups, new_backup_path, write_backup

    with open_store(ctx) as store:
        if list_only:
            for item in list_backups(store):
                click.echo(f"{item.taken_at:%Y-%m-%d %H:%M} UTC  {item.reason:<12} {item.path}")
            return
        if output is None:
            output = new_backup_path(store, "manual")
        with errors_as_messages():
            write_backup(store, output)
    click.echo(f"backed up to {output}")


@click.command()
@click.argument("backup_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def restore(ctx: click.Context, backup_file: Path) -> None:
    """Bring back a backup; the current state is saved first.

    srs backup --list
    srs restore ~/.local/share/srs/backups/srs-20261124-201500-import.db
    """
    from srs.collection.backup import restore as restore_backup

    with open_store(ctx) as store, errors_as_messages():
        saved = restore_backup(store, backup_file)
    click.echo(f"restored {backup_file}; the previous state is saved in {saved}")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Per deck: cards, new, learning, review, due today, retired.

    srs status --json
    """
    from srs.study.overview import deck_overview

    with open_store(ctx) as store:
        rows = deck_overview(store)
    if as_json:
        print_json([row.to_dict() for row in rows])
        return
    if not rows:
        click.echo("no decks yet: srs import DECK.yaml")
        return
    header = ("deck", "cards", "new", "learning", "review", "due", "retired")
    table = [header] + [
        (r.deck_id, r.cards, r.new, r.learning, r.review, r.due_today, r.retired) for r in rows
    ]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    for row in table:
        cells = [
            str(v).ljust(w) if i == 0 else str(v).rjust(w)
            for i, (v, w) in enumerate(zip(row, widths, strict=True))
        ]
        click.echo("  ".join(cells).rstrip())


@click.command()
@click.argument("deck")
@click.argument("key", required=False)
@click.argument("value", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the settings as JSON.")
@click.pass_context
def config(
    ctx: click.Context, deck: str, key: str | None, value: str | None, as_json: bool
) -> None:
    """Show or change a deck's study settings ('default' resets one).

        srs config synthetic-data
        srs config synthetic-data new_per_day 30
        srs config synthetic-data learning_steps "1m 10m 1h"

    The collection-wide hour at which a study day starts, and the zone it is counted in
    (the system's by default): srs config - day_start_hour 4; srs config - time_zone Europe/Berlin
    """
    from srs.collection.settings import (
        DAY_START_KEY,
        TIME_ZONE_KEY,
        day_start_hour,
        get_settings,
        set_day_start_hour,
        set_setting,
        set_time_zone,
        time_zone_name,
    )
    from srs.model.settings import SETTING_KEYS, SettingError, setting_texts

    with open_store(ctx) as store, errors_as_messages():
        try:
            if key in (DAY_START_KEY, TIME_ZONE_KEY) or deck == "-":
                if key not in (None, DAY_START_KEY, TIME_ZONE_KEY):
                    fail(f"'-' takes only {DAY_START_KEY} or {TIME_ZONE_KEY}")
                if key in (None, DAY_START_KEY):
                    hour = set_day_start_hour(store, value) if value else day_start_hour(store)
                    click.echo(f"{DAY_START_KEY} = {hour}")
                if key in (None, TIME_ZONE_KEY):
                    zone = set_time_zone(store, value) if value else time_zone_name(store)
                    click.echo(f"{TIME_ZONE_KEY} = {zone or 'system'}")
                return
            settings = (
                set_setting(store, deck, key, value) if key and value else get_settings(store, deck)
            )
        except SettingError as exc:
            fail(str(exc))
    texts = setting_texts(settings)
    if key is not None:
        name = key.strip().lower().replace("-", "_")
        if name not in texts:
            fail(f"unknown setting '{key}' (known: {', '.join(texts)})")
        texts = {name: texts[name]}
    if as_json:
        print_json(texts)
        return
    width = max(map(len, texts))
    for name, text in texts.items():
        hint = SETTING_KEYS.get(name, "")
        click.echo(
            f"{name.ljust(width)}  {text:<14}  {hint}" if key is None else f"{name} = {text}"
        )
