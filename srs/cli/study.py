"""Daily study: open today's review, suspend and unsuspend cards."""

from __future__ import annotations

import click

from srs.cli.common import errors_as_messages, open_store, run_tui

__all__ = ["review", "suspend", "unsuspend"]


@click.command()
@click.argument("decks", nargs=-1)
@click.pass_context
def review(ctx: click.Context, decks: tuple[str, ...]) -> None:
    """Open the study app straight into today's review (of DECKS, or all decks).

    srs review synthetic-data
    """
    run_tui(ctx, review=list(decks) if decks else None)


@click.command()
@click.argument("deck")
@click.argument("cards", nargs=-1, required=True)
@click.pass_context
def suspend(ctx: click.Context, deck: str, cards: tuple[str, ...]) -> None:
    """Keep cards out of every queue (their memory is kept) until `srs unsuspend`.

    srs suspend synthetic-data dactyl-domain-randomization
    """
    from srs.study.answers import find_cards, suspend_card

    with open_store(ctx) as store, errors_as_messages():
        for key, card_id in find_cards(store, deck, cards).items():
            suspend_card(store, card_id)
            click.echo(f"suspended {deck}/{key}")


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
    from srs.study.answers import find_cards, suspended_cards, unsuspend_card

    with open_store(ctx) as store, errors_as_messages():
        keys = suspended_cards(store, deck) if every or not cards else list(cards)
        if not keys:
            click.echo(f"no suspended cards in {deck}")
        elif not cards and not every:
            click.echo("\n".join(keys))
        else:
            for key, card_id in find_cards(store, deck, keys).items():
                unsuspend_card(store, card_id)
                click.echo(f"unsuspended {deck}/{key}")
