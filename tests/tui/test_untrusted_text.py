"""Deck text is untrusted: markup stays characters, clicks on it run nothing, escapes never
reach the terminal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import FakeClock, deck_yaml
from textual.pilot import Pilot
from textual.widgets import Static

from srs.tui.app import SrsApp
from srs.tui.screens.review import ReviewScreen
from srs.tui.widgets.choices import ChoiceRow

from .conftest import (
    SIZE,
    MakeStore,
    db_rows,
    letter,
    option_text,
    press,
    review,
    screen_text,
    shown,
    table_rows,
)


def markup(shots: Path) -> str:
    """Every kind of markup that broke or hijacked Textual in the field notes."""
    return " ".join(
        [
            "[bold]x[/bold]",
            "[/]",
            "[/bold]",
            "[@click=app.quit]quit[/]",
            f"[@click=app.screenshot('x','{shots}')]shot[/]",
            "[$accent]",
            "list[int]",
        ]
    )


VISIBLE = ("[bold]x[/bold]", "[/] [/bold]", "[@click=app.quit]quit[/]", "[$accent]", "list[int]")
"""Short pieces of `markup()` that fit on one line, to find on the screen."""


def evil_deck(shots: Path) -> tuple[bytes, str]:
    """A deck with the markup in every text field; returns (YAML, the markup)."""
    text = markup(shots)

    def q(prefix: str) -> str:
        return json.dumps(f"{prefix} {text}")

    deck = f"""\
deck: evil
title: {q("T")}
cards:
  - id: card
    topic: {q("topic")}
    question: {q("Q")}
    answer: {q("A")}
    distractors:
      - {{text: {q("D1")}, feedback: {q("DF")}}}
      - {q("D2")}
    feedback:
      correct: {q("FC")}
      incorrect: {q("FI")}
    explanation: {q("EX")}
"""
    return deck.encode(), text


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where an injected `app.screenshot` action would write."""
    folder = tmp_path / "shots"
    folder.mkdir()
    return folder


def option_texts(app: SrsApp) -> list[str]:
    """The options as shown, without their letters."""
    return [option_text(row) for row in app.screen.query(ChoiceRow)]


async def test_markup_in_a_deck_title_shows_literally_on_the_dashboard(
    make_store: MakeStore, clock: FakeClock, shots: Path
) -> None:
    deck, text = evil_deck(shots)
    app = SrsApp(make_store(deck, clock=clock))
    async with app.run_test(size=SIZE):
        # The title is wider than the screen: it is cut (with an ellipsis) so the counts show.
        assert f"T {text}".startswith(table_rows(app)[0][0].removesuffix("…"))
        assert "T [bold]x[/bold] [/] [/bold] [@click=app." in screen_text(app)


@pytest.mark.parametrize(
    "option, verdict, feedback",
    [
        ("D1", "✗ Incorrect  The answer: A", "DF"),
        ("D2", "✗ Incorrect  The answer: A", "FI"),
        ("A", "✓ Correct", "FC"),
    ],
)
async def test_markup_in_every_card_field_shows_literally(
    make_store: MakeStore,
    clock: FakeClock,
    shots: Path,
    option: str,
    verdict: str,
    feedback: str,
) -> None:
    deck, text = evil_deck(shots)
    app = SrsApp(make_store(deck, clock=clock))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "enter")
        screen = review(app)
        assert screen.title == f"T {text}"
        header = screen_text(app).splitlines()[0]
        assert "T [bold]x[/bold] [/] [/bold] [@click=app.quit]quit[/]" in header
        assert shown(app, "#meta") == f"T {text} · topic {text}"
        assert shown(app, "#question") == f"Q {text}"
        assert sorted(option_texts(app)) == [f"A {text}", f"D1 {text}", f"D2 {text}"]

        chosen = next(i for i, o in enumerate(screen.options) if o.text == f"{option} {text}")
        await press(pilot, "abc"[chosen])

        expected = f"{verdict} {text}" if verdict.startswith("✗") else verdict
        assert shown(app, "#verdict") == expected
        assert shown(app, "#feedback") == f"{feedback} {text}"
        assert shown(app, "#explanation") == f"EX {text}"
        rendered = screen_text(app)
        for piece in VISIBLE:
            assert rendered.count(piece) >= 7  # meta, question, 3 options, feedback, explanation


async def click_every(pilot: Pilot[Any], words: tuple[str, ...], done: set[tuple[str, ...]]) -> int:
    """Click where each of `words` first shows on each screen line (never the footer, whose
    keys are real bindings), again as clicks change the screen; returns the clicks made.

    `done` holds (screen, word, line text) already clicked: a layout shift moves lines.
    """
    app = pilot.app
    clicks = 0
    while clicks < 60:
        lines = screen_text(app).splitlines()[:-1]
        targets = [
            ((type(app.screen).__name__, word, line.strip()), (line.index(word) + 1, y))
            for y, line in enumerate(lines)
            for word in words
            if word in line
        ]
        todo = [(key, offset) for key, offset in targets if key not in done]
        if not todo:
            return clicks
        key, offset = todo[0]
        done.add(key)
        await pilot.click(offset=offset)
        clicks += 1
        assert app.is_running and app.return_code is None, f"a click at {key} quit the app"
    raise AssertionError("more than 60 places to click")


async def test_clicking_injected_actions_runs_nothing(
    make_store: MakeStore, clock: FakeClock, shots: Path
) -> None:
    deck, _ = evil_deck(shots)
    app = SrsApp(make_store(deck, clock=clock))
    async with app.run_test(size=SIZE) as pilot:
        done: set[tuple[str, ...]] = set()
        # The title cell on the dashboard; a click on the selected row opens the deck.
        clicks = await click_every(pilot, ("quit", "shot"), done)
        if not isinstance(app.screen, ReviewScreen):
            await press(pilot, "enter")
        assert await pilot.click("#question")
        assert await pilot.click("#meta")
        # The header, meta, question and options; then the verdict, feedback and explanation.
        clicks += await click_every(pilot, ("quit", "shot"), done)
        await pilot.pause()

        assert clicks >= 15
        assert app.is_running and app.return_code is None
        assert list(shots.iterdir()) == []
        screen = review(app)
        assert screen.graded  # clicking an option row chose it, as a click should
        await press(pilot, "enter")  # the app still answers keys
        assert len(db_rows(app.store, "SELECT id FROM reviews")) == 1


ESCAPES = "a\x1b]52;c;SGk=\x07b\x1b[2J"
"""OSC 52 (write the clipboard) and CSI 2J (clear the screen)."""


async def test_terminal_escapes_in_card_text_show_as_visible_stand_ins(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("demo", choice=1), clock=clock)
    # The deck loader refuses control characters: put them straight into the collection.
    store.conn.execute("UPDATE decks SET title = ?", ("T\x1b]0;pwned\x07",))
    store.conn.execute(
        "UPDATE cards SET question = ?, topic = ?, answers = ?, feedback_correct = ?, "
        "explanation = ?",
        (ESCAPES, "t\x1b[31m", json.dumps([f"R{ESCAPES}"]), "f\x9b2J", "x\u202eevil"),
    )
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        assert table_rows(app)[0][0] == "T␛]0;pwned␇"
        assert "T␛]0;pwned␇" in screen_text(app)

        await press(pilot, "enter")
        screen = review(app)
        assert shown(app, "#question") == "a␛]52;c;SGk=␇b␛[2J"
        assert shown(app, "#meta") == "T␛]0;pwned␇ · t␛[31m"
        assert "R" + shown(app, "#question") in option_texts(app)
        await press(pilot, letter(screen, correct=True))
        assert shown(app, "#feedback") == "f\ufffd2J"
        assert shown(app, "#explanation") == "x\ufffdevil"

        rendered = screen_text(app)
        assert "a␛]52;c;SGk=␇b␛[2J" in rendered
        for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
            assert raw not in rendered
            assert raw not in app.export_screenshot()
            for widget in app.screen.query(Static):
                assert raw not in str(widget.visual)


async def test_markup_in_a_deck_id_from_the_command_line_shows_literally(
    make_store: MakeStore, clock: FakeClock
) -> None:
    """`srs review DECK` with an unknown id: the notification shows the id as typed."""
    store = make_store(deck_yaml("demo", free=1), clock=clock)
    deck_id = "[/bold][@click=app.quit]nope[/]"
    app = SrsApp(store, review=[deck_id])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        message = f"no deck '{deck_id}' in the collection"
        toasts = [str(toast.render()) for toast in app.screen.query("Toast")]
        assert any(message in toast for toast in toasts)
        assert "[/bold][@click=app.quit]nope[/]" in screen_text(app)
        await click_every(pilot, ("nope",), set())
        assert app.is_running and app.return_code is None
