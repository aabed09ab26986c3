"""What every command shares: opening the collection, errors as one line, JSON output, the app."""

from __future__ import annotations

import gc
import os
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeGuard

import click

from srs.textsafe import json_for_terminal

if TYPE_CHECKING:
    from srs.collection.store import Store
    from srs.decks.validate import DeckError

__all__ = [
    "db_path",
    "errors_as_messages",
    "fail",
    "open_store",
    "output_options",
    "print_json",
    "print_table",
    "run_tui",
    "write_output",
]


def fail(message: str) -> NoReturn:
    click.echo(f"srs: error: {message}", err=True)
    sys.exit(1)


def print_json(data: object) -> None:
    click.echo(json_for_terminal(data))


def print_table(
    header: Sequence[str], rows: Iterable[Sequence[str]], *, right_from: int = 1
) -> None:
    """Columns padded to the terminal cells their text takes (wide characters count two);
    columns from `right_from` on are right-aligned (numbers)."""
    from rich.cells import cell_len

    table = [header, *rows]
    widths = [max(cell_len(row[n]) for row in table) for n in range(len(header))]
    for row in table:
        cells = [
            " " * (width - cell_len(text)) + text
            if n >= right_from
            else text + " " * (width - cell_len(text))
            for n, (text, width) in enumerate(zip(row, widths, strict=True))
        ]
        click.echo("  ".join(cells).rstrip())


def output_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """`-o/--output FILE` and `--force`, for a command whose output `write_output` writes."""
    command = click.option("--force", is_flag=True, help="Replace the output file if it exists.")(
        command
    )
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write to this new file instead of standard output.",
    )(command)


def write_output(output: Path, text: str, *, force: bool) -> None:
    """Write a command's output file (`-o`): a new file unless `force`, never through a link.

    The whole text goes to a new file beside `output`, then is renamed over it: a rename
    replaces a link itself, never what it points to, and no reader sees half a file.
    """
    if output.is_symlink():
        fail(f"{output} is a symbolic link; srs writes only to the real path")
    if output.exists() and not force:
        fail(f"{output} already exists; add --force to replace it")
    partial = output.with_name(f".{output.name}.{os.getpid()}.partial")
    try:
        with partial.open("x", encoding="utf-8", newline="") as handle:
            handle.write(text)
        partial.replace(output)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror}")
    finally:
        partial.unlink(missing_ok=True)


@contextmanager
def errors_as_messages() -> Iterator[None]:
    """Turn errors a user can cause into one line and exit status 1 (a traceback is a bug)."""
    from srs.collection.sqlite_file import explain
    from srs.collection.store import CollectionError

    try:
        yield
    except CollectionError as exc:
        fail(str(exc))
    except sqlite3.Error as exc:  # a damaged or foreign collection; never a traceback
        fail(f"the collection could not be read or written: {explain(exc)}")
    except Exception as exc:
        if not _is_deck_error(exc):
            raise
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)


def _is_deck_error(exc: Exception) -> TypeGuard[DeckError]:
    """Whether `exc` is a `DeckError`. Only the deck reader raises one, so its module is loaded
    then; not imported for the check, which would load it and PyYAML (~20 ms) into every
    command, the study app's start among them."""
    validate = sys.modules.get("srs.decks.validate")
    return validate is not None and isinstance(exc, validate.DeckError)


def db_path(ctx: click.Context) -> Path:
    from srs.collection.paths import default_db_path

    given: Path | None = ctx.obj["db"]
    return given if given is not None else default_db_path()


@contextmanager
def open_store(ctx: click.Context, *, first_run_decks: bool = False) -> Iterator[Store]:
    """Open the collection for one command.

    With `first_run_decks`, a collection created now gets the bundled decks (the study app's
    first run); scripted commands never add decks they were not given. A collection this
    process cannot write (a read-only file, folder or mount) is opened read-only: commands
    that only read it work, and a change is refused in one line.
    """
    from srs.collection.paths import standard_db_path
    from srs.collection.sqlite_file import can_write
    from srs.collection.store import Store

    with errors_as_messages():
        path = db_path(ctx)
        is_new = not path.exists()
        store = Store.open(
            path,
            before_migration=_before_upgrade,
            read_only=not is_new and not can_write(path),
        )
        # A mistyped --db or SRS_DB would otherwise start an empty collection without a word.
        if is_new and str(path) != ":memory:" and path != standard_db_path():
            click.echo(f"srs: creating a new collection at {path}", err=True)
        try:
            if is_new and first_run_decks:
                import_bundled(store)
            yield store
        finally:
            store.close()


def _before_upgrade(store: Store) -> None:
    """Back the collection up, and say why this start takes longer: an upgrade reads the whole
    review log once (about 20 s for a million answers), and silence would look like a hang."""
    from srs.collection.backup import automatic_backup

    click.echo(
        f"srs: upgrading {store.path} to this version's format (once; a backup is taken first)",
        err=True,
    )
    automatic_backup(store, "migration")


def import_bundled(store: Store) -> None:
    from srs.collection.paths import bundled_decks_dir
    from srs.decks.importer import import_decks
    from srs.decks.validate import deck_files, load_deck

    decks = [load_deck(p) for p in deck_files([bundled_decks_dir()])]
    import_decks(store, decks, source="bundled")


def run_tui(
    ctx: click.Context, check: Callable[[Store], object] | None = None, **kwargs: Any
) -> None:
    """Run the study app; a collection error that stopped it is printed in one line (exit 1),
    and a crash (Textual has shown the traceback) exits non-zero too.

    `check` runs first on the open collection: what it raises (an unknown deck, a deck without
    an exam) is printed in one line with status 1, and the app never opens.
    """
    from srs.tui.read_ahead import read_ahead

    # Start-up makes little garbage, but its collections walk all it builds (~40 ms): none
    # until the app has drawn its first screen, when it freezes what it built.
    gc.disable()
    try:
        with open_store(ctx, first_run_decks=True) as store:
            if check is not None:
                with errors_as_messages():
                    check(store)
            # Begun before the app is imported: the collection is read while Textual loads.
            ahead = read_ahead(store)
            from srs.tui.app import run_app

            status = run_app(store, ahead=ahead, **kwargs)
    finally:
        gc.enable()
    ctx.exit(status)
