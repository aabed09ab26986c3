"""The `srs` command line: each command opens the collection, calls the core, and prints.

Heavy modules (sqlite-utils, Textual, py-fsrs) are imported inside the commands, so that
`srs --version` and `srs check` start fast.
"""

from __future__ import annotations

import gc
import json
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from srs import __version__

if TYPE_CHECKING:
    from srs.store import Store

__all__ = ["main"]


def _fail(message: str) -> NoReturn:
    click.echo(f"srs: error: {message}", err=True)
    sys.exit(1)


def _print_json(data: object) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


@contextmanager
def _errors_as_messages() -> Iterator[None]:
    """Turn errors a user can cause into one line and exit status 1 (a traceback is a bug)."""
    from srs.deck import DeckError
    from srs.store import CollectionError

    try:
        yield
    except DeckError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    except CollectionError as exc:
        _fail(str(exc))
    except sqlite3.Error as exc:  # a damaged or foreign collection; never a traceback
        _fail(f"the collection could not be read or written: {exc}")


def _db_path(ctx: click.Context) -> Path:
    from srs.paths import default_db_path

    given: Path | None = ctx.obj["db"]
    return given if given is not None else default_db_path()


@contextmanager
def open_store(ctx: click.Context, *, first_run_decks: bool = False) -> Iterator[Store]:
    """Open the collection for one command.

    With `first_run_decks`, a collection created now gets the bundled decks (the study app's
    first run); scripted commands never add decks they were not given.
    """
    from srs.backup import automatic_backup
    from srs.store import Store

    with _errors_as_messages():
        path = _db_path(ctx)
        is_new = not path.exists()
        store = Store.open(path, before_migration=lambda s: automatic_backup(s, "migration"))
        try:
            if is_new and first_run_decks:
                _import_bundled(store)
            yield store
        finally:
            store.close()


def _import_bundled(store: Store) -> None:
    from srs.deck import deck_files, load_deck
    from srs.importer import import_decks
    from srs.paths import bundled_decks_dir

    decks = [load_deck(p) for p in deck_files([bundled_decks_dir()])]
    import_decks(store, decks, source="bundled")


class _DefaultTui(click.Group):
    """`srs` alone opens the TUI."""


@click.group(cls=_DefaultTui, invoke_without_command=True)
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
        _run_tui(ctx)


def _run_tui(ctx: click.Context, **kwargs: Any) -> None:
    from srs.tui.app import run_app

    with open_store(ctx, first_run_decks=True) as store:
        run_app(store, **kwargs)


@cli.command()
@click.argument("decks", nargs=-1)
@click.pass_context
def review(ctx: click.Context, decks: tuple[str, ...]) -> None:
    """Open the study app straight into today's review (of DECKS, or all decks).

    srs review synthetic-data
    """
    _run_tui(ctx, review=list(decks) if decks else None)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def check(paths: tuple[Path, ...]) -> None:
    """Validate deck files (or folders of them) without importing.

    Prints every problem as `file:line:col: message` and exits 1 if there are any.

        srs check decks/
    """
    from srs.deck import DeckError, deck_files, load_deck

    files = deck_files(paths)
    if not files:
        _fail("no deck files (*.yaml, *.yml) found in " + ", ".join(map(str, paths)))
    failed = 0
    cards = 0
    for path in files:
        try:
            cards += len(load_deck(path).cards)
        except DeckError as exc:
            failed += 1
            for problem in exc.problems:
                click.echo(str(problem), err=True)
    if failed:
        sys.exit(1)
    click.echo(f"{len(files)} deck{'s' * (len(files) != 1)} OK, {cards} cards")


@cli.command(name="import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
@click.pass_context
def import_(ctx: click.Context, paths: tuple[Path, ...], dry_run: bool, as_json: bool) -> None:
    """Import deck files (or folders): all or nothing, keeping every card's history.

    srs import decks/synthetic-data.yaml
    """
    from srs.backup import automatic_backup
    from srs.deck import deck_files
    from srs.importer import import_files, read_deck_files

    files = deck_files(paths)
    if not files:
        _fail("no deck files (*.yaml, *.yml) found in " + ", ".join(map(str, paths)))
    existed = _db_path(ctx).exists()
    # A collection that does not exist yet is created only once every file is valid, and a
    # dry run against it plans against an empty collection in memory.
    if not existed:
        with _errors_as_messages():
            read = read_deck_files(files, None)
        if dry_run:
            ctx.obj["db"] = Path(":memory:")
    with open_store(ctx) as store, _errors_as_messages():
        if existed:
            read = read_deck_files(files, store)
        # The decks live until the command ends and hold no cycles: keep the collector off
        # them (it would rescan 100,000 cards' objects again and again during the import).
        gc.freeze()
        changes = import_files(
            store, read, dry_run=dry_run, before_write=lambda: automatic_backup(store, "import")
        )
    if as_json:
        _print_json({"dry_run": dry_run, "decks": [c.to_dict() for c in changes]})
        return
    for change in changes:
        click.echo(change.summary() + ("" if change.changes_anything else " (no changes)"))
    if dry_run:
        click.echo("dry run: nothing was written")


@cli.command()
@click.argument("deck")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
@click.pass_context
def export(ctx: click.Context, deck: str, output: Path | None) -> None:
    """Write a deck back to YAML (importing it again changes nothing).

    srs export synthetic-data -o synthetic-data.yaml
    """
    from srs.export import deck_from_collection, dump_deck

    with open_store(ctx) as store:
        text = dump_deck(deck_from_collection(store, deck))
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror}")
    click.echo(f"wrote {output}")


@cli.command()
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
    from srs.backup import list_backups, new_backup_path, write_backup

    with open_store(ctx) as store:
        if list_only:
            for item in list_backups(store):
                click.echo(f"{item.taken_at:%Y-%m-%d %H:%M} UTC  {item.reason:<12} {item.path}")
            return
        if output is None:
            output = new_backup_path(store, "manual")
        with _errors_as_messages():
            write_backup(store, output)
    click.echo(f"backed up to {output}")


@cli.command()
@click.argument("backup_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def restore(ctx: click.Context, backup_file: Path) -> None:
    """Bring back a backup; the current state is saved first.

    srs backup --list
    srs restore ~/.local/share/srs/backups/srs-20261124-201500-import.db
    """
    from srs.backup import restore as restore_backup

    with open_store(ctx) as store, _errors_as_messages():
        saved = restore_backup(store, backup_file)
    click.echo(f"restored {backup_file}; the previous state is saved in {saved}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Per deck: cards, new, learning, review, due today, retired.

    srs status --json
    """
    from srs.overview import deck_overview

    with open_store(ctx) as store:
        rows = deck_overview(store)
    if as_json:
        _print_json([row.to_dict() for row in rows])
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


@cli.command()
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

    The collection-wide hour at which a study day starts: srs config - day_start_hour 4
    """
    from srs.settings import (
        DAY_START_KEY,
        SETTING_KEYS,
        SettingError,
        day_start_hour,
        get_settings,
        set_day_start_hour,
        set_setting,
        setting_texts,
    )

    with open_store(ctx) as store, _errors_as_messages():
        try:
            if key == DAY_START_KEY or deck == "-":
                if key not in (None, DAY_START_KEY):
                    _fail(f"'-' takes only {DAY_START_KEY}")
                hour = set_day_start_hour(store, value) if value else day_start_hour(store)
                click.echo(f"{DAY_START_KEY} = {hour}")
                return
            settings = (
                set_setting(store, deck, key, value) if key and value else get_settings(store, deck)
            )
        except SettingError as exc:
            _fail(str(exc))
    texts = setting_texts(settings)
    if key is not None:
        name = key.strip().lower().replace("-", "_")
        if name not in texts:
            _fail(f"unknown setting '{key}' (known: {', '.join(texts)})")
        texts = {name: texts[name]}
    if as_json:
        _print_json(texts)
        return
    width = max(map(len, texts))
    for name, text in texts.items():
        hint = SETTING_KEYS.get(name, "")
        click.echo(
            f"{name.ljust(width)}  {text:<14}  {hint}" if key is None else f"{name} = {text}"
        )


class _ExamGroup(click.Group):
    """`srs exam DECK` starts an exam; `srs exam history DECK` and the like report on them."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "start", self.commands["start"], args
        return super().resolve_command(ctx, args)


@cli.group(cls=_ExamGroup)
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
    _run_tui(ctx, exam=deck)


@exam.command(name="history")
@click.argument("deck")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def exam_history_command(ctx: click.Context, deck: str, as_json: bool) -> None:
    """Every submitted attempt at DECK's exam: date, score, pass or fail, duration, trend."""
    from srs.exam_form import required_exam_spec
    from srs.exam_results import exam_history, exam_trend

    with open_store(ctx) as store, _errors_as_messages():
        required_exam_spec(store, deck)
        history = exam_history(store, deck)
    trend = exam_trend(history)
    if as_json:
        _print_json({"attempts": [h.to_dict() for h in history], "trend": trend.to_dict()})
        return
    if not history:
        click.echo(f"no submitted attempts at {deck}'s exam yet: srs exam {deck}")
        return
    for h in history:
        minutes, seconds = divmod(int(h.duration.total_seconds()), 60)
        predicted = "" if h.predicted_pass is None else f"  predicted {h.predicted_pass:.0%}"
        click.echo(
            f"{h.started_at.astimezone():%Y-%m-%d %H:%M}  {h.kind!s:<6}  "
            f"{h.score:>3} / {h.total:<3} {h.percent:>4.0f}%  {'PASS' if h.passed else 'FAIL'}  "
            f"{minutes:>3}m {seconds:02d}s{' (timed out)' if h.timed_out else ''}{predicted}"
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
    """How the predicted chances to pass compare with DECK's exam results (Brier score)."""
    from srs.exam_form import required_exam_spec
    from srs.readiness import calibration

    with open_store(ctx) as store, _errors_as_messages():
        required_exam_spec(store, deck)
        result = calibration(store, deck)
    if as_json:
        _print_json(result.to_dict())
        return
    if not result.attempts:
        click.echo("no submitted attempts with a prediction yet")
        return
    click.echo(
        f"attempts {result.attempts}  mean predicted {result.mean_predicted:.0%}  "
        f"actual pass rate {result.pass_rate:.0%}  Brier {result.brier:.3f} "
        "(0 is perfect, 0.25 is always guessing 50%)"
    )


@cli.command()
@click.argument("deck")
@click.argument("cards", nargs=-1, required=True)
@click.pass_context
def suspend(ctx: click.Context, deck: str, cards: tuple[str, ...]) -> None:
    """Keep cards out of every queue (their memory is kept) until `srs unsuspend`.

    srs suspend synthetic-data dactyl-domain-randomization
    """
    from srs.study import find_cards, suspend_card

    with open_store(ctx) as store, _errors_as_messages():
        for key, card_id in find_cards(store, deck, cards).items():
            suspend_card(store, card_id)
            click.echo(f"suspended {deck}/{key}")


@cli.command()
@click.argument("deck")
@click.argument("cards", nargs=-1)
@click.option("--all", "every", is_flag=True, help="Unsuspend every suspended card of DECK.")
@click.pass_context
def unsuspend(ctx: click.Context, deck: str, cards: tuple[str, ...], every: bool) -> None:
    """Put suspended cards back in the queues; with no CARDS, list the suspended ones.

    srs unsuspend synthetic-data            # list them
    srs unsuspend synthetic-data --all
    """
    from srs.study import find_cards, suspended_cards, unsuspend_card

    with open_store(ctx) as store, _errors_as_messages():
        keys = suspended_cards(store, deck) if every or not cards else list(cards)
        if not keys:
            click.echo(f"no suspended cards in {deck}")
        elif not cards and not every:
            click.echo("\n".join(keys))
        else:
            for key, card_id in find_cards(store, deck, keys).items():
                unsuspend_card(store, card_id)
                click.echo(f"unsuspended {deck}/{key}")


@cli.command()
def schema() -> None:
    """Print the deck format's JSON Schema (for editor validation and completion).

    srs schema > deck.schema.json
    """
    from importlib.resources import files

    click.echo((files("srs") / "schema" / "deck.schema.json").read_text(encoding="utf-8"), nl=False)


main: Callable[..., Any] = cli
