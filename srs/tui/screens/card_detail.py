"""One card opened from the browser: its text, where it stands in memory, and every answer
given to it (when, the rating, the interval it got, where it was answered)."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static

from srs.model.percent import chance_text
from srs.study.answers import forget_card, suspend_card, unsuspend_card
from srs.study.browse import CardDetails, card_details
from srs.study.scheduling import format_interval
from srs.textsafe import displayable
from srs.tui.base import SrsScreen
from srs.tui.safe import literal, markdown

__all__ = ["CardDetailScreen"]

SOURCES = {"review": "study", "exam": "exam", "custom": "custom", "anki": "anki"}
"""Where an answer was given, as the history names it."""


class CardDetailScreen(SrsScreen[None]):
    """The card's text and memory above its history, oldest answer first."""

    CSS_PATH = "card_detail.tcss"

    BINDINGS = [
        Binding(
            "at",
            "suspend",
            "Suspend",
            id="card.suspend",
            tooltip="Suspend this card, or unsuspend it",
        ),
        Binding(
            "f",
            "forget",
            "Forget",
            id="card.forget",
            tooltip="Make this card new again (asks first; its history is kept)",
        ),
        Binding("question_mark", "app.toggle_keys", "Keys", id="card.keys"),
        Binding("escape", "dismiss", "Back", id="card.back", tooltip="Back to the cards"),
    ]

    def __init__(self, card_id: int) -> None:
        super().__init__()
        self.card_id = card_id
        self.details: CardDetails | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="card-page"):
            yield Static(id="card-text")
            yield Static(id="card-memory")
            yield Static(id="card-history-title")
            yield DataTable(id="card-history", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Date", key="date")
        for heading in ("Rating", "Interval", "State", "Time", "Source"):
            table.add_column(heading, key=heading.lower())
        self._show()
        self.query_one("#card-page").focus()

    def _show(self) -> None:
        with self.app.errors_as_notifications():
            self.details = details = card_details(self.app.store, self.card_id)
            self.title = f"Card · {displayable(details.row.key)}"
            self.query_one("#card-text", Static).update(self._text(details))
            self.query_one("#card-memory", Static).update(self._memory(details))
            self._history(details)

    @staticmethod
    def _text(details: CardDetails) -> Content:
        card = details.content
        parts: list[Content | str | tuple[str, str]] = [markdown(card.question, "bold")]
        parts += ["\n\n", ("Answer" if len(card.answers) == 1 else "Answers", "dim")]
        parts += _listed([markdown(answer, "$success") for answer in card.answers])
        if card.distractors:
            parts += ["\n", ("Wrong options", "dim")]
            parts += _listed([markdown(choice.text) for choice in card.distractors])
        if card.explanation:
            parts += ["\n", ("Explanation: ", "dim"), markdown(card.explanation)]
        parts += ["\n\n", ("Topic ", "dim"), literal(card.topic or "-", "bold")]
        parts += [("   Tags ", "dim"), literal(", ".join(card.tags) or "-", "bold")]
        parts += [("   Deck ", "dim"), literal(details.deck_id)]
        return Content.assemble(*parts)

    def _memory(self, details: CardDetails) -> Content:
        row = details.row
        flags = [name for name in ("suspended", "buried", "leech") if getattr(row, name)]
        stability = "-" if row.stability is None else f"{row.stability:.1f} days"
        chance = "-" if row.retrievability is None else chance_text(row.retrievability)
        lines = (
            (("State", ", ".join([row.state.name.lower(), *flags])), ("Due", self._when(row.due))),
            (
                ("Stability", stability),
                ("Difficulty", "-" if row.difficulty is None else f"{row.difficulty:.1f}"),
                ("Chance now", chance),
            ),
            (("Reviews", str(row.reviews)), ("Lapses", str(row.lapses))),
        )
        parts: list[Content | str | tuple[str, str]] = [("Memory", "bold underline")]
        for line in lines:
            parts.append("\n")
            for n, (name, value) in enumerate(line):
                parts += ["   " if n else "", (f"{name} ", "dim"), (value, "bold")]
        return Content.assemble(*parts)

    def _history(self, details: CardDetails) -> None:
        count = len(details.history)
        self.query_one("#card-history-title", Static).update(
            Content.assemble(
                ("Review history", "bold underline"),
                (f"  {count} answer{'s' * (count != 1)}" if count else "  not answered yet", "dim"),
            )
        )
        table = self.query_one(DataTable)
        table.clear()
        table.display = bool(count)
        for entry in details.history:
            interval = entry.interval
            table.add_row(
                self._when(entry.reviewed_at),
                entry.rating.name,
                Text("-" if interval is None else format_interval(interval), justify="right"),
                entry.state.name.lower(),
                Text(f"{entry.duration_ms / 1000:.0f}s", justify="right"),
                SOURCES.get(entry.source, entry.source),
            )

    def _when(self, moment: datetime | None) -> str:
        zone = self.app.store.clock.zone
        return "-" if moment is None else f"{moment.astimezone(zone):%Y-%m-%d %H:%M}"

    def action_suspend(self) -> None:
        if self.details is None:
            return
        row = self.details.row
        with self.app.errors_as_notifications():
            (unsuspend_card if row.suspended else suspend_card)(self.app.store, row.card_id)
            self._show()

    def action_forget(self) -> None:
        if self.details is None:
            return
        card_id = self.details.row.card_id

        def answered(yes: bool) -> None:
            if yes:
                with self.app.errors_as_notifications():
                    forget_card(self.app.store, card_id)
                    self._show()

        self.app.confirm_forget(self.details.row.key, answered)


def _listed(items: list[Content]) -> list[Content | str]:
    """Items one per line, each after a bullet."""
    listed: list[Content | str] = []
    for item in items:
        listed += ["\n • ", item]
    return listed
