"""Command palette entries (ctrl+p): study a deck, study all, sit a deck's mock exam."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from srs.exam.form import exam_spec
from srs.study.overview import deck_titles
from srs.tui.base import SrsAppBase
from srs.tui.safe import literal

__all__ = ["DeckCommands"]


class DeckCommands(Provider):
    """One "Study …" and, where the deck has one, one "Mock exam …" entry per deck.

    Deck titles are untrusted: Textual's own `Matcher.highlight` parses its text as markup, so
    the entries are built as literal Content and highlighted here.
    """

    def _commands(self) -> list[tuple[str, Content, Callable[[], object], str]]:
        app = self.app
        # A provider is no widget, so `getters.app` (as `SrsScreen` uses) cannot type it.
        assert isinstance(app, SrsAppBase)
        store = app.store
        commands: list[tuple[str, Content, Callable[[], object], str]] = []

        def study(deck_ids: list[str] | None, title: str) -> None:
            app.action_dashboard()
            app.open_review(deck_ids, title)

        def exam(deck_id: str) -> None:
            app.action_dashboard()
            app.open_exam_start(deck_id)

        commands.append(
            (
                "Study all decks",
                Content("Study all decks"),
                partial(study, None, "All decks"),
                "today's reviews of every deck",
            )
        )
        for deck_id, title in sorted(deck_titles(store).items(), key=lambda item: item[1]):
            commands.append(
                (
                    f"Study {title}",
                    literal(f"Study {title}"),
                    partial(study, [deck_id], title),
                    "today's reviews of this deck",
                )
            )
            if exam_spec(store, deck_id) is not None:
                commands.append(
                    (
                        f"Mock exam {title}",
                        literal(f"Mock exam {title}"),
                        partial(exam, deck_id),
                        "sit this deck's mock exam",
                    )
                )
        return commands

    async def discover(self) -> Hits:
        for _text, display, command, help_text in self._commands():
            yield DiscoveryHit(display, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, display, command, help_text in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, display, command, text=text, help=help_text)
