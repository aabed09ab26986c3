"""Taking a mock exam: exam conditions, every answer and flag stored the moment it is made."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Static

from srs.clock import format_duration
from srs.exam.attempt import Attempt, ExamQuestion
from srs.exam.engine import answer, expire_if_due, flag, submit
from srs.tui.base import COLLECTION_ERRORS, SrsScreen
from srs.tui.safe import markdown
from srs.tui.widgets.choices import LETTERS, ChoiceList
from srs.tui.widgets.navigator import Navigator

__all__ = ["ExamScreen"]

WARNINGS = (timedelta(minutes=5), timedelta(minutes=1))
"""Time left at which the learner is warned, as in a real exam room."""

TYPING_PAUSE = 1.5
"""Seconds within which a second digit continues a question number (1 then 7: question 17)."""


class ExamScreen(SrsScreen[Attempt]):
    """One question at a time; no feedback until the end. Dismisses with the submitted attempt."""

    CSS_PATH = "exam.tcss"

    BINDINGS = [
        Binding("right,n", "move(1)", "Next", id="exam.next"),
        Binding("left,p", "move(-1)", "Previous", id="exam.previous"),
        Binding("f", "flag", "Flag", id="exam.flag", tooltip="Mark for another look"),
        Binding(
            "x,backspace,delete",
            "clear",
            "Clear",
            id="exam.clear",
            tooltip="Take this question's answer back (unanswered)",
        ),
        Binding("ctrl+s", "submit", "Submit", id="exam.submit", priority=True),
        Binding(
            "escape",
            "leave",
            "Leave",
            id="exam.leave",
            tooltip="Leave the exam for now: answers are kept (a timed exam's clock runs on)",
        ),
        Binding("question_mark", "app.toggle_keys", "Keys", id="exam.keys"),
        *(
            Binding(letter, f"choose({index})", "Choose", show=False, id=f"exam.choose-{letter}")
            for index, letter in enumerate(LETTERS)
        ),
        *(
            Binding(
                str(digit),
                f"digit({digit})",
                "Go to question",
                show=False,
                id=f"exam.go-{digit}",
                tooltip="type its number",
            )
            for digit in range(10)
        ),
    ]

    def __init__(self, attempt: Attempt, *, resumed: bool = False) -> None:
        super().__init__()
        self.attempt = attempt
        self.position = (
            next((q.position for q in attempt.questions if not q.answered), 0) if resumed else 0
        )
        self.resumed = resumed
        self.warned: set[timedelta] = set()
        self.expiry_reported = False
        self.typed = ""
        self.typed_at = 0.0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="exam-status")
        with VerticalScroll(id="exam-card"):
            yield Static(id="exam-note")
            yield Static(id="exam-question")
            yield ChoiceList(id="exam-options")
            yield Static(id="exam-hint")
        yield Navigator(self.attempt.question_count, id="navigator")
        yield Footer()

    async def on_mount(self) -> None:
        self.title = f"Mock exam · {self.attempt.deck_id}"
        if self.resumed:
            clock = (
                " The clock kept running while you were away, as in a real exam."
                if self.attempt.deadline is not None
                else ""
            )
            self.query_one("#exam-note", Static).update(
                Content.styled(f"Resumed: your answers were kept.{clock}", "italic $warning")
            )
        else:
            self.query_one("#exam-note", Static).display = False
        # Arrow keys move between questions, not the scroll view.
        self.query_one("#exam-card", VerticalScroll).can_focus = False
        self.set_interval(1, self.tick)
        await self.show_question()

    @property
    def question(self) -> ExamQuestion:
        return self.attempt.questions[self.position]

    def tick(self) -> None:
        """Refresh the header; warn at 5 and 1 minutes; at zero, submit as it stands.

        A submission the collection refuses (a full disk, another srs process writing) is
        tried again each second until it is saved; the learner is told why once.
        """
        if self.attempt.is_submitted:
            return
        now = self.app.store.clock.now()
        left = self.attempt.time_left(now)
        if left is not None:
            self._warn(left)
            try:
                if self._expired():
                    return
            except COLLECTION_ERRORS as exc:
                if not self.expiry_reported:
                    self.app.report_error(exc)
                self.expiry_reported = True
        self._status(left)

    def _expired(self) -> bool:
        """Submit the attempt as it stands if its time is up. Returns whether it was (the
        screen then gives way to the results)."""
        expired = expire_if_due(self.app.store, self.attempt)
        if expired is None:
            return False
        self._time_up(expired)
        return True

    def _warn(self, left: timedelta) -> None:
        """One warning per mark (5 and 1 minutes), only the most urgent one due, and none for a
        mark the exam never had (a 2-minute exam is not told "5 minutes left")."""
        assert self.attempt.deadline is not None
        limit = self.attempt.deadline - self.attempt.started_at
        due = [m for m in WARNINGS if left <= m < limit and m not in self.warned]
        if not due:
            return
        self.warned.update(m for m in WARNINGS if m >= due[-1])
        minutes = int(due[-1].total_seconds() // 60)
        self.notify(
            f"{minutes} minute{'s' * (minutes != 1)} left.",
            title="Time",
            severity="warning",
            markup=False,
        )

    def _time_up(self, submitted: Attempt) -> None:
        self.attempt = submitted
        self.notify(
            "Time is up: the exam was submitted as it stood.",
            title="Time",
            severity="warning",
            markup=False,
        )
        self.dismiss(submitted)

    def _status(self, left: timedelta | None) -> None:
        a = self.attempt
        parts: list[Content | str | tuple[str, str]] = [
            (f"Question {self.position + 1} of {a.question_count}", "bold"),
            ("  ·  ", "dim"),
            f"{a.answered_count} of {a.question_count} answered",
            ("  ·  ", "dim"),
            f"{a.flagged_count} flagged",
        ]
        if left is not None:
            style = "bold $error" if left <= WARNINGS[0] else "bold"
            parts += [("  ·  ", "dim"), (f"{format_duration(left, 'clock')} left", style)]
        self.query_one("#exam-status", Static).update(Content.assemble(*parts))

    async def show_question(self) -> None:
        question = self.question
        flag_mark = Content.styled("  ⚑ flagged", "bold $warning") if question.flagged else ""
        self.query_one("#exam-question", Static).update(
            Content.assemble(
                (f"{question.number}. ", "bold"),
                markdown(question.card.question, "bold"),
                flag_mark,
            )
        )
        choices = self.query_one(ChoiceList)
        await choices.show(list(question.choices))
        choices.mark_picked({question.choices.index(t) for t in question.chosen})
        hint = (
            f"choose {question.picks} (letters toggle)"
            if question.is_select_all
            else f"a-{LETTERS[len(question.choices) - 1]} choose"
        )
        self.query_one("#exam-hint", Static).update(
            Content.styled(
                f"{hint} · x clear · n/p move · 1-{self.attempt.question_count} go to · f flag · "
                "ctrl+s submit",
                "dim",
            )
        )
        self.query_one(Navigator).show(self.attempt, self.position)
        self.query_one("#exam-card", VerticalScroll).scroll_home(animate=False)
        self._status(self.attempt.time_left(self.app.store.clock.now()))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            index = parameters[0]
            return isinstance(index, int) and index < len(self.question.choices)
        return True

    def action_choose(self, index: int) -> None:
        self.query_one(ChoiceList).post_message(ChoiceList.Chosen(index))

    @on(ChoiceList.Chosen)
    async def _chosen(self, event: ChoiceList.Chosen) -> None:
        question = self.question
        text = question.choices[event.index]
        if question.is_select_all:
            chosen: set[str] | str = set(question.chosen) ^ {text}
        else:
            chosen = text
        await self._store(lambda: answer(self.app.store, self.attempt, self.position, chosen))

    async def action_clear(self) -> None:
        if self.question.answered:
            await self._store(lambda: answer(self.app.store, self.attempt, self.position, ()))

    async def action_digit(self, digit: int) -> None:
        """Go to the question numbered by the digits typed (a digit within `TYPING_PAUSE` of
        the one before continues the number, while one that long exists)."""
        now = time.monotonic()
        typed = self.typed + str(digit) if now - self.typed_at <= TYPING_PAUSE else str(digit)
        if not 1 <= int(typed) <= self.attempt.question_count:
            typed = str(digit)
        self.typed, self.typed_at = typed, now
        if 1 <= int(typed) <= self.attempt.question_count:
            await self._go_to(int(typed) - 1)

    async def action_flag(self) -> None:
        flagged = not self.question.flagged
        await self._store(lambda: flag(self.app.store, self.attempt, self.position, flagged))

    async def _store(self, change: Callable[[], Attempt]) -> None:
        """Apply one stored change (answer or flag); when time is up, submit instead. A change
        the collection refuses leaves the question as it was shown."""
        with self.app.errors_as_notifications():
            if self._expired():
                return
            self.attempt = change()
            await self.show_question()

    def action_leave(self) -> None:
        clock = ", the clock keeps running" if self.attempt.deadline is not None else ""
        self.notify(f"Left the exam: your answers are kept{clock}.", markup=False)
        self.dismiss(None)

    async def action_move(self, step: int) -> None:
        await self._go_to(min(max(self.position + step, 0), self.attempt.question_count - 1))

    async def _go_to(self, position: int) -> None:
        if position != self.position:
            self.position = position
            await self.show_question()

    @on(Navigator.Jump)
    async def _jump(self, event: Navigator.Jump) -> None:
        await self._go_to(event.position)

    @on(Navigator.SubmitPressed)
    def _submit_pressed(self) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        def confirmed(yes: bool) -> None:
            if yes:
                with self.app.errors_as_notifications():
                    self.attempt = submit(self.app.store, self.attempt)
                    self.dismiss(self.attempt)

        self.app.confirm_submit(self.attempt, confirmed)
