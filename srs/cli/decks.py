"""Deck files: check, import, export, and the format's JSON Schema."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import click

from srs.cli.common import (
    db_path,
    errors_as_messages,
    fail,
    open_store,
    output_options,
    print_json,
    write_output,
)
from srs.cli.progress import progress_line

__all__ = ["check", "export", "import_", "import_anki", "schema"]


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def check(paths: tuple[Path, ...]) -> None:
    """Validate deck files (or folders of them) without importing.

    Prints each problem as `file:line:col: message` (a file's first 100, then one line
    counting the rest) and exits 1 if there are any.

        srs check decks/
    """
    from srs.decks.validate import DeckError, deck_files, load_deck

    files = deck_files(paths)
    if not files:
        fail("no deck files (*.yaml, *.yml) found in " + ", ".join(map(str, paths)))
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


@click.command(name="import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
@click.pass_context
def import_(ctx: click.Context, paths: tuple[Path, ...], dry_run: bool, as_json: bool) -> None:
    """Import deck files (or folders): all or nothing, keeping every card's history.

    srs import decks/synthetic-data.yaml
    """
    from srs.collection.backup import automatic_backup
    from srs.decks.importer import import_files, read_deck_files
    from srs.decks.validate import deck_files

    files = deck_files(paths)
    if not files:
        fail("no deck files (*.yaml, *.yml) found in " + ", ".join(map(str, paths)))
    existed = db_path(ctx).exists()
    # A collection that does not exist yet is created only once every file is valid, and a
    # dry run against it plans against an empty collection in memory.
    if not existed:
        with errors_as_messages(), progress_line() as progress:
            read = read_deck_files(files, None, progress=progress)
        if dry_run:
            ctx.obj["db"] = Path(":memory:")
    with open_store(ctx) as store, errors_as_messages(), progress_line() as progress:
        if existed:
            read = read_deck_files(files, store, progress=progress)
        # The decks live until the command ends and hold no cycles: keep the collector off
        # them (it would rescan 100,000 cards' objects again and again during the import).
        gc.freeze()
        progress("Comparing the cards" if dry_run else "Importing the cards", 0, 0)
        changes = import_files(
            store, read, dry_run=dry_run, before_write=lambda: automatic_backup(store, "import")
        )
    if as_json:
        print_json({"dry_run": dry_run, "decks": [c.to_dict() for c in changes]})
        return
    for change in changes:
        click.echo(change.summary() + ("" if change.changes_anything else " (no changes)"))
    if dry_run:
        click.echo("dry run: nothing was written")


@click.command()
@click.argument("deck")
@output_options
@click.pass_context
def export(ctx: click.Context, deck: str, output: Path | None, force: bool) -> None:
    """Write a deck back to YAML (importing it again changes nothing).

    srs export synthetic-data -o synthetic-data.yaml
    """
    from srs.decks.export import deck_from_collection, dump_deck

    with open_store(ctx) as store:
        text = dump_deck(deck_from_collection(store, deck))
    if output is None:
        click.echo(text, nl=False)
        return
    write_output(output, text, force=force)
    click.echo(f"wrote {output}")


@click.command()
def schema() -> None:
    """Print the deck format's JSON Schema (for editor validation and completion).

    srs schema > deck.schema.json
    """
    from importlib.resources import files

    click.echo(
        (files("srs.decks") / "schema" / "deck.schema.json").read_text(encoding="utf-8"), nl=False
    )


@click.command(name="import-anki")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="The deck file to write (a folder for several decks; default: DECK-ID.yaml here).",
)
@click.option("--deck-id", help="The deck's id (a package with one top-level deck).")
@click.option("--force", is_flag=True, help="Replace a deck file edited since its import.")
@click.pass_context
def import_anki(
    ctx: click.Context, file: Path, output: Path | None, deck_id: str | None, force: bool
) -> None:
    """Import an Anki package (.apkg, .colpkg) with its review history.

    Each top-level Anki deck becomes a deck file (its subdecks become topics), imported as
    `srs import` would; every answer in Anki's log comes too, and each card's memory is
    rebuilt from it. Importing an updated package again updates the same cards.

        srs import-anki Security+.apkg -o decks/security-plus.yaml
    """
    from srs.collection.backup import automatic_backup
    from srs.decks.anki import AnkiError
    from srs.decks.anki.importer import (
        check_targets,
        deck_files,
        import_anki,
        read_anki,
        staged_files,
        summary,
    )

    try:
        with progress_line() as progress:
            progress("Reading the package", 0, 0)
            conversion = read_anki(file, deck_id)
        with errors_as_messages(), progress_line() as progress:
            progress("Making the deck files", 0, 0)
            files = deck_files(conversion, output, file)
        with open_store(ctx) as store, errors_as_messages():
            check_targets(store, files, force=force)
            with staged_files(files), progress_line() as progress:
                result = import_anki(
                    store,
                    files,
                    source=str(file),
                    before_write=lambda: automatic_backup(store, "import"),
                    progress=progress,
                )
    except AnkiError as exc:
        fail(str(exc))
    for line in summary(conversion, result, file):
        click.echo(line)
