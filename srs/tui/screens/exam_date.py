"""The date of the real exam, and the learner's minutes a day, asked over the screen that wants
them (the exam start page, the plan): checked and saved as `srs plan DECK --exam-date` does."""

from __future__ import annotations

from datetime import date, timedelta

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from srs.collection.settings import clock_for, get_settings
from srs.collection.store import CollectionError
from srs.model.settings import SettingError
from srs.plan import set_exam_date
from srs.textsafe import displayable
from srs.tui.base import SrsAppBase

__all__ = ["ExamDateScreen"]

SUGGESTED_DAYS = 30
"""A first date offered: a month ahead, for the learner to change."""


class ExamDateScreen(ModalScreen[bool]):
    """Date and minutes; enter saves (the cards already scheduled past the date are brought
    forward in the same step), escape leaves it as it was. Dismissed with True once saved."""

    CSS_PATH = "exam_date.tcss"

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="exam_date.cancel")]

    app = getters.app(SrsAppBase)

    def __init__(self, deck_id: str) -> None:
        super().__init__()
        self.deck_id = deck_id

    def compose(self) -> ComposeResult:
        with Vertical(id="exam-date-box"):
            yield Static(Content.styled("When is your exam?", "bold"))
            yield Static("Date (YYYY-MM-DD)", classes="exam-date-label")
            yield Input(id="exam-date", placeholder="YYYY-MM-DD")
            yield Static("Minutes a day you can study", classes="exam-date-label")
            yield Input(id="exam-minutes", type="integer", placeholder="30")
            yield Static(id="exam-date-error")
            yield Static(
                Content.styled("enter: save · tab: next field · esc: cancel", "dim"),
                id="exam-date-hint",
            )

    def on_mount(self) -> None:
        store = self.app.store
        self.query_one("#exam-date-error", Static).display = False
        with self.app.errors_as_notifications():
            settings = get_settings(store, self.deck_id)
            today = clock_for(store).study_day()
            shown = settings.exam_date
            if shown is None or shown < today:
                shown = today + timedelta(days=SUGGESTED_DAYS)
            self.query_one("#exam-date", Input).value = shown.isoformat()
            self.query_one("#exam-minutes", Input).value = str(settings.minutes_per_day)
        self.query_one("#exam-date", Input).focus()

    def on_input_submitted(self) -> None:
        error = self.query_one("#exam-date-error", Static)
        text = self.query_one("#exam-date", Input).value.strip()
        minutes = self.query_one("#exam-minutes", Input).value.strip()
        try:
            day = date.fromisoformat(text)
        except ValueError:
            self._refuse(f"the date must be YYYY-MM-DD, not '{text}'")
            return
        if minutes and not minutes.isdigit():  # the integer input still lets a lone "-" in
            self._refuse(f"minutes a day must be a whole number, not '{minutes}'")
            return
        try:
            set_exam_date(self.app.store, self.deck_id, day, int(minutes) if minutes else None)
        except (CollectionError, SettingError) as exc:
            self._refuse(str(exc))
            return
        error.display = False
        self.dismiss(True)

    def _refuse(self, why: str) -> None:
        error = self.query_one("#exam-date-error", Static)
        error.update(Content.styled(displayable(why), "bold $error"))
        error.display = True

    def action_cancel(self) -> None:
        self.dismiss(False)
