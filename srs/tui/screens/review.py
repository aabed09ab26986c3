"""The daily review: one card at a time, graded by choice or recall, rated with FSRS."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime, timedelta

from fsrs import Rating
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import var
from textual.timer import Timer
from textual.widgets import Header, Static

from srs.clock import format_duration
from srs.study.answers import CardKind, ChoiceOption, Grade, StudyCard, grade
from srs.study.overview import deck_titles
from srs.study.scheduling import format_interval
from srs.study.session import StudySession
from srs.tui.base import SrsScreen
from srs.tui.format import session_title
from srs.tui.safe import literal, markdown
from srs.tui.widgets.choices import LETTERS, ChoiceList
from srs.tui.widgets.keys import KeyFooter
from srs.tui.widgets.rating_bar import RatingBar

__all__ = ["ReviewScreen"]


class ReviewScreen(SrsScreen[None]):
    """Today's queue for some decks (or all), until it is empty or the learner leaves."""

    CSS_PATH = "review.tcss"

    BINDINGS = [
        Binding(
            "enter,space",
            "accept",
            "Continue",
            id="review.accept",
            tooltip="Show the answer, or give the suggested rating",
        ),
        Binding("1", "rate(1)", "Again", show=False, id="review.again"),
        Binding("2", "rate(2)", "Hard", show=False, id="review.hard"),
        Binding("3", "rate(3)", "Good", show=False, id="review.good"),
        Binding("4", "rate(4)", "Easy", show=False, id="review.easy"),
        Binding("u", "undo", "Undo", id="review.undo", tooltip="Take back the last answer"),
        Binding("minus", "bury", "Bury", id="review.bury", tooltip="Hide this card until tomorrow"),
        Binding(
            "at",
            "suspend",
            "Suspend",
            id="review.suspend",
            tooltip="Take this card out of every queue",
        ),
        Binding(
            "c",
            "custom_study",
            "Custom study",
            id="review.custom",
            tooltip="While waiting for a learning card: a topic, extra new cards, ...",
        ),
        Binding("question_mark", "app.toggle_keys", "Keys", id="review.keys"),
        Binding(
            "escape",
            "leave",
            "Back",
            id="review.leave",
            tooltip="End the session here: what was done, then the dashboard",
        ),
        *(
            Binding(letter, f"choose({index})", "Choose", show=False, id=f"review.choose-{letter}")
            for index, letter in enumerate(LETTERS)
        ),
    ]

    # `var`, not `reactive`: a reactive repaints the whole screen when it changes, a second
    # full repaint in the key's frame (the parts that change repaint themselves).
    card: var[StudyCard | None] = var(None, init=False)
    """The card on screen (None while waiting for a learning card, or at the end)."""
    graded: var[bool] = var(False, init=False)
    """The answer is shown and a rating may be given."""

    def __init__(self, session: StudySession, title: str) -> None:
        super().__init__()
        self.session = session
        self.title = session_title(session, title)
        self.deck_title = title
        self.options: Sequence[ChoiceOption] = ()
        self.picked: set[int] = set()
        self.verdict: Grade | None = None
        self.allowed: tuple[Rating, ...] = ()
        self.deck_titles: dict[str, str] = {}
        self.shown_at = time.monotonic()
        self.duration_ms = 0
        self.started = time.monotonic()
        self.wait_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="status")
        with VerticalScroll(id="card"):
            yield Static(id="meta")
            yield Static(id="question")
            yield ChoiceList(id="options")
            # The parts that come and go, in a box of their own: a part shown or hidden
            # changes the paint order of the parts before it among its siblings, and Textual
            # then repaints them; here the question and the options are not among them.
            with Vertical(id="after"):
                yield Static(id="hint")
                yield Static(id="answer")
                yield Static(id="verdict")
                yield Static(id="feedback")
                yield Static(id="explanation")
        yield RatingBar(id="ratings")
        yield KeyFooter()

    async def on_mount(self) -> None:
        self.deck_titles = deck_titles(self.app.store)
        self.set_interval(1, self.tick)
        await self.show_next()

    def tick(self) -> None:
        """Each second: the counts and the time spent, and the wait for a learning card."""
        if self.card is None and self.wait_timer is not None:
            self._show_wait()
        counts = self.session.counts()
        # One line of fixed height: no layout pass for it, once a second.
        self.query_one("#status", Static).update(
            Content.assemble(
                ("New ", "dim"),
                (str(counts.new), "bold $primary"),
                ("  Learning ", "dim"),
                (str(counts.learning), "bold $error"),
                ("  Review ", "dim"),
                (str(counts.review), "bold $success"),
                ("  ·  ", "dim"),
                (format_duration(time.monotonic() - self.started, "clock"), "bold"),
            ),
            layout=False,
        )

    async def show_next(self, card: StudyCard | None = None) -> None:
        """Show `card`, else the session's next one; wait for learning cards; end when done."""
        if self.wait_timer is not None:
            self.wait_timer.stop()
            self.wait_timer = None
        card = card or self.session.next_card()
        if card is None:
            due = self.session.next_due()
            if due is None:
                self.app.show_summary(self.session, self.deck_title)
                return
            self._wait_for(due)
        await self._show(card)

    def _wait_for(self, due: datetime) -> None:
        seconds = max((due - self.session.clock.now()).total_seconds(), 0.0)
        self.wait_timer = self.set_timer(seconds + 0.05, self.show_next)

    async def _show(self, card: StudyCard | None) -> None:
        self.card = card
        self.graded = False
        self.verdict = None
        self.picked = set()
        self.options = self.session.choices(card) if card else ()
        await self.query_one(ChoiceList).show([o.text for o in self.options])
        for name in ("#verdict", "#answer", "#feedback", "#explanation"):
            self._put(name, "")
        self.query_one("#ratings", RatingBar).visible = False
        self.tick()
        if card is None:
            self._put("#meta", "")
            self._show_wait()
            self._put(
                "#hint",
                Content.styled("c: custom study while you wait · esc: end the session here", "dim"),
            )
            return
        content = card.content
        meta = [self.deck_titles.get(card.deck_id, card.deck_id)]
        meta += [content.topic] if content.topic else []
        self._put("#meta", literal(" · ".join(meta), "dim"))
        self._put("#question", markdown(content.question, "bold"))
        hints = {
            CardKind.FREE_RECALL: "space: show the answer",
            CardKind.MULTIPLE_CHOICE: f"a-{LETTERS[len(self.options) - 1]}: choose",
            CardKind.SELECT_ALL: "select all that apply (letters toggle), then enter",
        }
        self._put("#hint", Content.styled(hints[card.kind], "dim"))
        card_box = self.query_one("#card", VerticalScroll)
        if card_box.scroll_y:
            card_box.scroll_home(animate=False)
        self.shown_at = time.monotonic()
        self._lay_out()

    def _lay_out(self) -> None:
        """Lay the card out in this key's frame, not a frame later (parts shown or hidden
        change the layout), and repaint only what the layout changed: a plain
        `refresh(layout=True)` also repainted the whole screen a second time in the same
        frame, holding the GIL while the terminal writer waited to send the first."""
        self.refresh(layout=True, repaint=False)

    def _show_wait(self) -> None:
        """How long until the next learning card, counting down (the timer shows it then)."""
        due = self.session.next_due()
        if due is None:
            return
        wait = format_interval(max(due - self.session.clock.now(), timedelta(0)))
        self._put(
            "#question",
            Content.assemble(
                ("Nothing due right now. ", "bold"),
                f"The next learning card is due in {wait}; it will appear here.",
            ),
        )

    def _put(self, selector: str, content: Content | str) -> None:
        """Fill one part of the card; an empty part takes no room. A part left as it was
        (the hint, the deck's line, an empty answer, from card to card) is not touched: each
        update wakes the widget and lays the card out again."""
        widget = self.query_one(selector, Static)
        if _same(widget.content, content) and widget.display == bool(content):
            return
        widget.update(content)
        widget.display = bool(content)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that do nothing now are refused; those on the footer stay on it, dimmed.

        A footer key that vanished and came back (Textual's False) rebuilt the footer and
        moved its other keys on every card; dimming (None) only restyles it.
        """
        card = self.card
        if action == "choose":
            index = parameters[0]
            assert isinstance(index, int)
            return card is not None and not self.graded and index < len(self.options)
        if action == "rate":
            return self.graded and parameters[0] in self.allowed
        if action == "accept":
            return _or_dim(
                card is not None and (self.graded or card.kind is not CardKind.MULTIPLE_CHOICE)
            )
        if action in ("bury", "suspend"):
            return _or_dim(card is not None)
        if action == "custom_study":
            return card is None  # only while waiting: rare enough to rebuild the footer
        if action == "undo":
            return _or_dim(self.session.can_undo)
        return True

    def action_choose(self, index: int) -> None:
        self.query_one(ChoiceList).post_message(ChoiceList.Chosen(index))

    @on(ChoiceList.Chosen)
    def _chosen(self, event: ChoiceList.Chosen) -> None:
        if self.card is None or self.graded:
            return
        if self.card.kind is CardKind.SELECT_ALL:
            self.picked ^= {event.index}
            self.query_one(ChoiceList).mark_picked(self.picked)
            return
        self.picked = {event.index}
        self._reveal()

    async def action_accept(self) -> None:
        if self.card is None:
            return
        if not self.graded:
            if self.card.kind is CardKind.SELECT_ALL and not self.picked:
                self.notify("Choose at least one option first.", markup=False)
                return
            if self.card.kind is not CardKind.MULTIPLE_CHOICE:
                self._reveal()
            return
        assert self.verdict is not None or self.card.kind is CardKind.FREE_RECALL
        await self.action_rate(int(self.verdict.suggested if self.verdict else Rating.Good))

    def _reveal(self) -> None:
        """Grade the choice (or reveal the answer), then offer the ratings with their intervals."""
        card = self.card
        assert card is not None
        self.duration_ms = int((time.monotonic() - self.shown_at) * 1000)
        content = card.content
        allowed: tuple[Rating, ...] = tuple(Rating)
        suggested = Rating.Good
        if self.options:
            chosen = [self.options[i].text for i in sorted(self.picked)]
            self.verdict = grade(content, chosen)
            allowed, suggested = self.verdict.allowed, self.verdict.suggested
            self.query_one(ChoiceList).reveal(
                {i for i, o in enumerate(self.options) if o.is_correct}, self.picked
            )
            self._show_verdict(self.verdict)
        else:
            answers = [markdown(answer, "bold $success") for answer in content.answers]
            self._put("#answer", Content("\n").join(answers))
            self._put(
                "#verdict",
                Content.styled("How well did you recall it? 1-4, or enter for Good.", "dim"),
            )
        if content.explanation:
            self._put("#explanation", markdown(content.explanation, "italic"))
        self._put("#hint", self._rating_hint())
        intervals = {r: p.text for r, p in self.session.preview(card).items()}
        self.query_one("#ratings", RatingBar).show(intervals, allowed, suggested)
        self.allowed = allowed
        self.graded = True  # its watcher refreshes the footer's bindings
        self._lay_out()

    def _rating_hint(self) -> Content | str:
        """After a right pick: Good is suggested, and Again stays open for a lucky guess."""
        if self.verdict is None or not self.verdict.correct:
            return ""
        return Content.styled("enter: Good · guessed? 1 rates it Again", "dim")

    def _show_verdict(self, verdict: Grade) -> None:
        content = self.card.content if self.card else None
        assert content is not None
        if verdict.correct:
            line = Content.styled("✓ Correct", "bold $success")
            feedback = content.feedback_correct
        else:
            line = Content.styled("✗ Incorrect", "bold $error")
            picked = [o for i, o in enumerate(self.options) if i in self.picked]
            own = [o.feedback for o in picked if not o.is_correct and o.feedback]
            feedback = own[0] if own else content.feedback_incorrect
            right = Content(" · ").join(markdown(answer, "bold") for answer in content.answers)
            line = Content.assemble(line, ("  The answer: ", "dim"), right)
        self._put("#verdict", line)
        if feedback:
            self._put("#feedback", markdown(feedback))

    async def action_rate(self, rating: int) -> None:
        card = self.card
        if card is None or not self.graded:
            return
        chosen = [self.options[i].text for i in sorted(self.picked)] if self.options else None
        with self.app.errors_as_notifications():
            result = self.session.answer(
                card.id, Rating(rating), duration_ms=self.duration_ms, choice=chosen
            )
            # Saved: whatever happens next, nothing on screen may answer this card again.
            self.card = None
            if result.leech:
                self.notify(
                    f"This card has lapsed {result.after.lapses} times: it is a leech. Consider "
                    "rewriting it, or suspend it with @.",
                    title="Leech",
                    severity="warning",
                    markup=False,
                )
            await self.show_next()

    @on(RatingBar.Rated)
    async def _rated(self, event: RatingBar.Rated) -> None:
        if event.rating in self.allowed:
            await self.action_rate(int(event.rating))

    async def action_undo(self) -> None:
        with self.app.errors_as_notifications():
            card = self.session.undo()
            if card is not None:
                self.notify("Last answer taken back.", markup=False)
                await self.show_next(card)

    async def action_bury(self) -> None:
        card = self.card
        if card is not None:
            with self.app.errors_as_notifications():
                self.session.bury(card.id)
                self.notify("Buried until tomorrow.", markup=False)
                await self.show_next()

    async def action_suspend(self) -> None:
        card = self.card
        if card is not None:
            with self.app.errors_as_notifications():
                self.session.suspend(card.id)
                self.notify(
                    "Suspended: it stays out of every queue until unsuspended.", markup=False
                )
                await self.show_next()

    def action_custom_study(self) -> None:
        """Study something else while the next learning card is not due; this session waits
        underneath and goes on when the custom one ends."""
        decks = self.session.deck_ids
        self.app.open_custom_study(None if decks is None else list(decks), self.deck_title)

    def action_leave(self) -> None:
        """End the session here: its summary when something was answered, else the dashboard."""
        if self.session.can_undo:
            self.app.show_summary(self.session, self.deck_title)
        else:
            self.dismiss()

    def watch_graded(self) -> None:
        self.refresh_bindings()


def _same(shown: object, content: Content | str) -> bool:
    """Whether a part would show `content` as it is: the same words with the same styles
    (Textual's `Content` compares its words only)."""
    if isinstance(shown, Content) and isinstance(content, Content):
        return shown.plain == content.plain and list(shown.spans) == list(content.spans)
    return type(shown) is type(content) and shown == content


def _or_dim(enabled: bool) -> bool | None:
    """`check_action`'s answer for a footer key: True, or None (shown dimmed, not run)."""
    return True if enabled else None
