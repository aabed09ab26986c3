"""Daily study: open today's review, suspend and unsuspend cards, browse a deck's cards, its
review log in and out, and personal FSRS parameters."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from srs.cli.common import (
    errors_as_messages,
    fail,
    open_store,
    output_options,
    print_json,
    print_table,
    run_tui,
    write_output,
)
from srs.cli.progress import progress_line

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from srs.collection.store import Store

__all__ = [
    "cards",
    "export_log",
    "forget",
    "import_log",
    "optimize",
    "review",
    "suspend",
    "unsuspend",
]

# `srs cards --sort`: what `srs.study.browse.SORT_COLUMNS` holds, written out so that `srs
# --help` need not import the engine (a test checks that the two agree).
_SORT_COLUMNS = (
    "id",
    "topic",
    "state",
    "due",
    "last_review",
    "stability",
    "difficulty",
    "retrievability",
    "reviews",
    "lapses",
)


@click.command()
@click.argument("decks", nargs=-1)
@click.option("--topic", help="Custom study: every card of this topic, due or not.")
@click.option(
    "--missed", is_flag=True, help="Custom study: the questions the last mock exam missed."
)
@click.option(
    "--new",
    "new_cards",
    type=click.IntRange(1, 9999),
    metavar="N",
    help="Custom study: N new cards beyond today's limit.",
)
@click.option(
    "--ahead",
    type=click.IntRange(1, 9999),
    metavar="DAYS",
    help="Custom study: the review cards due in the next DAYS days.",
)
@click.option(
    "--weakest",
    type=click.IntRange(1, 9999),
    metavar="N",
    help="Cram: the N studied cards least likely to be recalled now, weakest topic first.",
)
@click.pass_context
def review(
    ctx: click.Context,
    decks: tuple[str, ...],
    topic: str | None,
    missed: bool,
    new_cards: int | None,
    ahead: int | None,
    weakest: int | None,
) -> None:
    """Open the study app straight into today's review (of DECKS, or all decks), or into custom
    study with one of the options: its answers are reviews like any other, and spend none of
    the day's limits.

    \b
        srs review synthetic-data
        srs review synthetic-data --topic "Model collapse"
        srs review synthetic-data --missed       # the last mock exam's mistakes
        srs review synthetic-data --weakest 30   # cram before the exam
    """
    from srs.collection.decks import require_deck
    from srs.study.custom import CustomStudy, required_custom_cards

    selections = []
    if topic is not None:
        selections.append(CustomStudy.of_topic(topic))
    if missed:
        selections.append(CustomStudy.missed())
    if new_cards is not None:
        selections.append(CustomStudy.new_cards(new_cards))
    if ahead is not None:
        selections.append(CustomStudy.ahead(ahead))
    if weakest is not None:
        selections.append(CustomStudy.weakest(weakest))
    if len(selections) > 1:
        raise click.UsageError("choose one of --topic, --missed, --new, --ahead and --weakest")
    custom = selections[0] if selections else None
    deck_ids = list(decks) if decks else None

    def check(store: Store) -> None:
        for deck_id in decks:
            require_deck(store, deck_id)
        if custom is not None:
            required_custom_cards(store, deck_ids, custom)

    run_tui(ctx, check, review=deck_ids, custom=custom)


@click.command()
@click.argument("deck")
@click.argument("cards", nargs=-1, required=True)
@click.pass_context
def suspend(ctx: click.Context, deck: str, cards: tuple[str, ...]) -> None:
    """Keep cards out of every queue (their memory is kept) until `srs unsuspend`.

    srs suspend synthetic-data dactyl-domain-randomization
    """
    from srs.study.answers import suspend_card

    with open_store(ctx) as store, errors_as_messages():
        _each_card(store, deck, cards, suspend_card, "suspended {card}")


def _each_card(
    store: Store,
    deck: str,
    keys: Sequence[str],
    change: Callable[[Store, int], object],
    done: str,
) -> None:
    """Apply one card change to each named card of the deck (every name checked first: an
    unknown one changes nothing) and say so per card (`done` with `{card}` as deck/key)."""
    from srs.study.answers import find_cards

    for key, card_id in find_cards(store, deck, keys).items():
        change(store, card_id)
        click.echo(done.format(card=f"{deck}/{key}"))


@click.command()
@click.argument("deck")
@click.argument("cards", nargs=-1)
@click.option("--all", "every", is_flag=True, help="Unsuspend every suspended card of DECK.")
@click.pass_context
def unsuspend(ctx: click.Context, deck: str, cards: tuple[str, ...], every: bool) -> None:
    """Put suspended cards back in the queues; with no CARDS, list the suspended ones.

    srs unsuspend synthetic-data            # list them
    srs unsuspend synthetic-data --all
    """
    from srs.study.answers import suspended_cards, unsuspend_card

    with open_store(ctx) as store, errors_as_messages():
        keys = suspended_cards(store, deck) if every or not cards else list(cards)
        if not keys:
            click.echo(f"no suspended cards in {deck}")
        elif not cards and not every:
            click.echo("\n".join(keys))
        else:
            _each_card(store, deck, keys, unsuspend_card, "unsuspended {card}")


@click.command()
@click.argument("deck")
@click.argument("cards", nargs=-1, required=True)
@click.pass_context
def forget(ctx: click.Context, deck: str, cards: tuple[str, ...]) -> None:
    """Make cards new again, as Anki's Forget: studied from scratch, their review history kept.

    srs forget synthetic-data dactyl-domain-randomization
    """
    from srs.study.answers import forget_card

    with open_store(ctx) as store, errors_as_messages():
        _each_card(store, deck, cards, forget_card, "forgot {card}: new again, its history kept")


@click.command()
@click.argument("deck")
@click.option("--json", "as_json", is_flag=True, help="Print the cards as JSON.")
@click.option("--sort", type=click.Choice(_SORT_COLUMNS), help="Sort by this column.")
@click.option("--reverse", is_flag=True, help="Largest, latest or last first.")
@click.pass_context
def cards(ctx: click.Context, deck: str, as_json: bool, sort: str | None, reverse: bool) -> None:
    """Each card of DECK with its memory: state, due, last review, stability, difficulty,
    chance of recall now, reviews, lapses (deck file order unless sorted).

        srs cards synthetic-data --sort retrievability     # weakest first
    """
    from srs.collection.settings import clock_for
    from srs.study.browse import HEADINGS, browse_cards

    with open_store(ctx) as store, errors_as_messages():
        rows = browse_cards(store, deck, sort=sort, reverse=reverse)
        zone = clock_for(store).zone
    if as_json:
        print_json([row.to_dict() for row in rows])
        return
    if not rows:
        click.echo(f"no cards in {deck}")
        return
    print_table(HEADINGS, [row.cells(zone) for row in rows], right_from=5)


@click.command(name="export-log")
@click.argument("deck")
@output_options
@click.pass_context
def export_log(ctx: click.Context, deck: str, output: Path | None, force: bool) -> None:
    """Write DECK's review log as CSV: card_id,review_rating,review_time,review_duration,source
    (py-fsrs's optimizer reads the first four).

        srs export-log synthetic-data -o reviews.csv
    """
    from srs.study.history import export_log as log_csv

    with open_store(ctx) as store, errors_as_messages():
        text = log_csv(store, deck)
    if output is None:
        click.echo(text, nl=False)
        return
    write_output(output, text, force=force)
    reviews = text.count("\n") - 1  # one line each, after the header
    click.echo(f"wrote {reviews:,} review{'s' * (reviews != 1)} to {output}")


@click.command(name="import-log")
@click.argument("deck")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def import_log(ctx: click.Context, deck: str, file: Path) -> None:
    """Add the reviews in FILE (the CSV of `srs export-log`; source optional) that DECK's log
    does not hold yet, and rebuild the memory of the cards they touch.

    Every problem is printed as `file:line: message` and nothing is written.

        srs import-log synthetic-data anki-reviews.csv
    """
    from srs.collection.backup import automatic_backup
    from srs.study.history import LogError
    from srs.study.history import import_log as add_log

    with open_store(ctx) as store, errors_as_messages():
        try:
            with progress_line() as progress:
                result = add_log(
                    store,
                    deck,
                    file,
                    before_write=lambda: automatic_backup(store, "import-log"),
                    progress=progress,
                )
        except LogError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            sys.exit(1)
    click.echo(
        f"{deck}: {result.added:,} reviews added, {result.already:,} already in the log; "
        f"memory rebuilt for {result.cards:,} cards"
    )


@click.command()
@click.argument("deck")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
def optimize(ctx: click.Context, deck: str, as_json: bool) -> None:
    """Fit FSRS parameters to DECK's review log; adopt them if they predict reviews they were
    not fitted to better than the defaults (log loss), and show both.

        srs optimize synthetic-data
    """
    from srs.study.optimize import NotEnoughReviews, optimize_deck

    with open_store(ctx) as store, errors_as_messages():
        try:
            result = optimize_deck(store, deck)
        except NotEnoughReviews as exc:
            fail(str(exc))
    if as_json:
        print_json(result.to_dict())
        return
    click.echo(
        f"{deck}: {result.reviews:,} reviews; {result.held_out:,} predicted by parameters "
        "not fitted to them"
    )
    print_table(
        ("parameters", "log loss", "RMSE(bins)"),
        [
            (name, f"{score.log_loss:.4f}", f"{score.rmse:.4f}")
            for name, score in (("default", result.default), ("fitted", result.fitted))
        ],
        right_from=1,
    )
    if result.adopted:
        click.echo(f"adopted the fitted parameters (srs config {deck} parameters):")
        click.echo(", ".join(f"{weight:.4f}" for weight in result.parameters))
    else:
        click.echo(f"not adopted: the fitted parameters predict no better; {deck}'s are unchanged")
