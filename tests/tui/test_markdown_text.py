"""The safe Markdown subset as the learner sees it: code, bold, italics and lists styled, the
marks themselves gone, and markup inside any of it still inert characters."""

from __future__ import annotations

import json
import random

from conftest import FakeClock
from textual.content import Content
from textual.widgets import Static

from srs.exam.engine import start_exam
from srs.tui.app import SrsApp
from srs.tui.screens.exam import ExamScreen
from srs.tui.screens.results import ResultsScreen

from .conftest import SIZE, MakeStore, letter, on, option_text, press, review, shown
from .test_exam_screens import results_questions

QUESTION = "Which mode does `chmod 755 x` give? **Pick one**"
EXPLANATION = "Each digit adds:\n- 4 for *read*\n- 2 for write\n```\nchmod [@click=app.quit] x\n```"


def deck() -> bytes:
    text = {
        "question": QUESTION,
        "answer": "`rwxr-xr-x`",
        "distractors": [{"text": "`rwxrwxrwx`", "feedback": "That is **777**."}, "`rw-r--r--`"],
        "feedback": {"correct": "*Right.*", "incorrect": "Read it again."},
        "explanation": EXPLANATION,
    }
    card = json.dumps({"id": "chmod", **text})
    return (
        "deck: perms\ntitle: Permissions\nexam: {questions: 1, pass_mark: 100%}\n"
        f"cards:\n  - {card}\n"
    ).encode()


def styles(app: SrsApp, selector: str) -> dict[str, str]:
    """The text of each styled span of one Static, by its text."""
    visual = app.screen.query_one(selector, Static).visual
    assert isinstance(visual, Content)
    return {visual.plain[span.start : span.end]: str(span.style) for span in visual.spans}


async def test_a_review_card_shows_code_bold_italics_and_lists_without_their_marks(
    make_store: MakeStore, clock: FakeClock
) -> None:
    app = SrsApp(make_store(deck(), clock=clock))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "enter")
        screen = review(app)

        assert shown(app, "#question") == "Which mode does chmod 755 x give? Pick one"
        assert "$text-accent on $boost" in styles(app, "#question")["chmod 755 x"]
        assert sorted(option_text(row) for row in app.screen.query("ChoiceRow")) == [
            "rw-r--r--",
            "rwxr-xr-x",
            "rwxrwxrwx",
        ]
        await press(pilot, letter(screen, correct=False, text="`rwxrwxrwx`"))

        assert shown(app, "#verdict") == "✗ Incorrect  The answer: rwxr-xr-x"
        assert shown(app, "#feedback") == "That is 777."
        assert "bold" in styles(app, "#feedback")["777"]
        assert shown(app, "#explanation") == (
            "Each digit adds:\n• 4 for read\n• 2 for write\nchmod [@click=app.quit] x"
        )
        assert "$text-accent on $boost" in styles(app, "#explanation")["chmod [@click=app.quit] x"]


async def test_the_exam_and_its_results_show_the_same_markdown(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck(), clock=clock)
    start_exam(store, "perms", rng=random.Random(1))
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "enter")
        on(app, ExamScreen)
        assert shown(app, "#exam-question") == "1. Which mode does chmod 755 x give? Pick one"

        await press(pilot, "ctrl+s", "y")

        on(app, ResultsScreen)
        review_text = results_questions(app)
        assert "Which mode does chmod 755 x give? Pick one" in review_text
        assert "Correct      rwxr-xr-x" in review_text
        assert "`" not in review_text and "**" not in review_text
