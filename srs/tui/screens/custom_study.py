"""Custom study: what to study beyond today's queue (a topic, the last mock exam's misses, extra
new cards, reviews ahead, the weakest cards), each with the number of cards it would take."""

from __future__ import annotations

from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from srs.study.custom import MAX_AMOUNT, CustomKind, CustomStudy, custom_cards, study_topics
from srs.textsafe import displayable
from srs.tui.base import SrsScreen
from srs.tui.safe import literal

__all__ = ["CustomStudyScreen"]

STEPS = {CustomKind.NEW: 5, CustomKind.AHEAD: 1, CustomKind.WEAKEST: 5}
"""What ← and → change: new and weakest cards by five, days ahead by one."""

WEAKEST = 20
"""The weakest cards a cram starts with (a short session the night before an exam)."""


class CustomStudyScreen(SrsScreen[None]):
    """One line per selection with its card count; enter studies the highlighted one."""

    CSS_PATH = "custom_study.tcss"

    BINDINGS = [
        Binding("enter", "study", "Study", id="custom.study", priority=True),
        Binding("right,plus", "change(1)", "More", id="custom.more", tooltip="More cards or days"),
        Binding("left,minus", "change(-1)", "Fewer", id="custom.fewer", tooltip="Fewer"),
        Binding("escape", "app.pop_screen", "Back", id="custom.back"),
        Binding("question_mark", "app.toggle_keys", "Keys", id="custom.keys"),
    ]

    def __init__(self, deck_ids: list[str] | None, title: str, note: str | None = None) -> None:
        """Args:
        deck_ids: the decks to study (None: all).
        title: their title, as the review's header will show it.
        note: why custom study is offered (nothing due), shown above the choices.
        """
        super().__init__()
        self.deck_ids = deck_ids
        self.deck_title = title
        self.note = note
        self.choices: dict[str, CustomStudy] = {
            "missed": CustomStudy.missed(),
            "new": CustomStudy.new_cards(10),
            "ahead": CustomStudy.ahead(3),
        }

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="custom-note")
        yield OptionList(id="custom-choices")
        yield Static(
            Content.styled("enter: study · ←/→: fewer/more · esc: back", "dim"), id="custom-hint"
        )
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"Custom study · {displayable(self.deck_title)}"
        note = self.query_one("#custom-note", Static)
        note.display = self.note is not None
        note.update(Content(self.note or ""))
        choices = self.query_one(OptionList)
        with self.app.errors_as_notifications():
            for number, topic in enumerate(study_topics(self.app.store, self.deck_ids)):
                self.choices[f"topic-{number}"] = CustomStudy.of_topic(topic)
            self.choices["weakest"] = CustomStudy.weakest(WEAKEST)
            choices.add_options(Option(self._prompt(key), id=key) for key in self.choices)
            choices.highlighted = 0
        choices.focus()

    def _prompt(self, key: str) -> Content:
        """The choice's line: what it studies and how many cards that is now."""
        study = self.choices[key]
        count = len(custom_cards(self.app.store, self.deck_ids, study))
        cards = Content.styled(f"  {count} card{'s' * (count != 1)}", "dim" if not count else "")
        if study.kind is CustomKind.TOPIC:
            what = Content.assemble("Topic: ", literal(study.topic or ""))
        elif study.kind is CustomKind.MISSED:
            what = Content("Questions missed in the last mock exam")
        elif study.kind is CustomKind.NEW:
            what = Content.assemble("Extra new cards today: ", (f"‹ {study.amount} ›", "bold"))
        elif study.kind is CustomKind.WEAKEST:
            what = Content.assemble(
                "Cram: the weakest cards now, due or not: ", (f"‹ {study.amount} ›", "bold")
            )
        else:
            days = f"‹ {study.amount} day{'s' * (study.amount != 1)} ›"
            what = Content.assemble("Review ahead: cards due in the next ", (days, "bold"))
        return Content.assemble(what, cards)

    def _highlighted(self) -> str | None:
        option = self.query_one(OptionList).highlighted_option
        return None if option is None else option.id

    def action_change(self, step: int) -> None:
        key = self._highlighted()
        if key is None or (study := self.choices[key]).kind not in STEPS:
            return
        amount = min(max(study.amount + step * STEPS[study.kind], 1), MAX_AMOUNT)
        self.choices[key] = replace(study, amount=amount)
        with self.app.errors_as_notifications():
            self.query_one(OptionList).replace_option_prompt(key, self._prompt(key))

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_study()

    def action_study(self) -> None:
        key = self._highlighted()
        if key is not None:
            self.app.open_review(self.deck_ids, self.deck_title, self.choices[key])
