"""The review screen, driven as a learner would: keys in, screen text and collection rows out."""

from __future__ import annotations

import json
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import FakeClock, UseZone, deck_yaml
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets._footer import FooterKey

from srs.collection.settings import set_setting
from srs.model.memory import MemoryState
from srs.tui.app import SrsApp
from srs.tui.screens.custom_study import CustomStudyScreen
from srs.tui.screens.dashboard import DashboardScreen
from srs.tui.screens.review import ReviewScreen
from srs.tui.screens.summary import SummaryScreen
from srs.tui.widgets.choices import ChoiceRow
from srs.tui.widgets.keys import KeyFooter
from srs.tui.widgets.rating_bar import Offer, RatingBar

from .conftest import (
    SIZE,
    MakeStore,
    card_id,
    collapse,
    db_rows,
    letter,
    option_text,
    press,
    review,
    screen_text,
    shown,
    table_rows,
)

MEMORY = "SELECT state, step, stability, difficulty, due, last_review, reps, lapses FROM memory"
REVIEWS = "SELECT card_id, rating, source, choice FROM reviews ORDER BY id"


def offers(app: SrsApp) -> list[Offer]:
    """The rating bar's buttons as drawn: their labels ("1 Again 1m", ...) and looks."""
    return list(app.screen.query_one(RatingBar).offers)


def enabled_ratings(app: SrsApp) -> list[str]:
    return [offer.label.split()[1] for offer in offers(app) if offer.look != "refused"]


def suggested_rating(app: SrsApp) -> str:
    (label,) = [offer.label for offer in offers(app) if offer.look == "suggested"]
    return label.split()[1]


async def start(pilot: Pilot[Any]) -> None:
    """From the dashboard into the first deck's review."""
    await press(pilot, "enter")
    review(pilot.app)


# --- multiple choice ------------------------------------------------------------------------


async def test_a_letter_picks_that_option(make_store: MakeStore, clock: FakeClock) -> None:
    store = make_store(deck_yaml("demo", choice=1), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        screen = review(app)
        picked = screen.options[1]
        await press(pilot, "b")
        rows = list(app.screen.query(ChoiceRow).results(ChoiceRow))
        assert rows[1].state == ("correct" if picked.is_correct else "wrong")
        verdict = "✓ Correct" if picked.is_correct else "✗ Incorrect"
        assert shown(app, "#verdict").startswith(verdict)
        await press(pilot, "enter")
        assert db_rows(store, "SELECT choice FROM reviews") == [(json.dumps([picked.text]),)]


async def test_footer_keys_dim_while_unavailable_and_stay_in_place(
    make_store: MakeStore, clock: FakeClock
) -> None:
    """Continue is dimmed until an option is chosen, Undo until something was answered; the
    footer keeps its keys where they are (restyled, not rebuilt, on every card)."""
    store = make_store(deck_yaml("demo", choice=2), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        footer = app.screen.query_one(KeyFooter)

        def dimmed() -> dict[str, bool]:
            """Each key's drawn look (dim text), held to its `-disabled` class."""
            keys = list(footer.query(FooterKey).results(FooterKey))
            looks = {key.description: bool(key.rich_style.dim) for key in keys}
            assert looks == {key.description: key.has_class("-disabled") for key in keys}
            return looks

        keys = list(footer.query(FooterKey))
        assert dimmed() == {
            "Continue": True,
            "Undo": True,
            "Bury": False,
            "Suspend": False,
            "Keys": False,
            "Back": False,
            "palette": False,
        }
        await press(pilot, "a")
        assert dimmed()["Continue"] is False
        await press(pilot, "enter")
        assert (dimmed()["Continue"], dimmed()["Undo"]) == (True, False)
        await press(pilot, "a")
        assert dimmed()["Continue"] is False
        assert list(footer.query(FooterKey)) == keys


async def test_the_next_cards_options_show_none_of_the_last_verdicts_colours(
    make_store: MakeStore, clock: FakeClock
) -> None:
    """The rows are reused from card to card: the right (green, bold) and wrongly chosen (red)
    looks of a verdict go with it, down to the options' text."""
    store = make_store(deck_yaml("demo", choice=2), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)

        def looks() -> list[set[tuple[object, object]]]:
            """Each row's colours and boldness, as drawn on its first line."""
            rows = app.screen.query(ChoiceRow)
            return [{(s.style.bgcolor, s.style.bold) for s in row.render_line(0)} for row in rows]

        fresh = looks()
        await press(pilot, letter(review(app), correct=False))
        assert looks() != fresh
        await press(pilot, "enter")
        assert looks() == fresh


async def test_a_verdicts_colours_follow_a_change_of_theme(
    make_store: MakeStore, clock: FakeClock
) -> None:
    """The options' and the ratings' looks are drawn by the rows and the bar themselves: a
    theme chosen with a verdict on screen repaints them in its colours, as the next card's."""
    store = make_store(deck_yaml("demo", choice=2), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)

        def looks() -> tuple[object, object]:
            (wrong,) = [row for row in app.screen.query(ChoiceRow) if row.state == "wrong"]
            return wrong.render_line(0)._segments[0].style.bgcolor, bar_background(app, "1 Again")

        await press(pilot, letter(review(app), correct=False))
        dark = looks()
        app.theme = "textual-light"
        await pilot.pause()
        light = looks()
        assert light[0] != dark[0] and light[1] != dark[1]
        await press(pilot, "enter")
        await press(pilot, letter(review(app), correct=False))
        assert looks() == light


async def test_the_next_card_reading_the_same_shows_its_own_emphasis(
    make_store: MakeStore, clock: FakeClock
) -> None:
    """Two cards whose question and explanation read the same, one with emphasis: each is
    drawn as its own deck text says (a part is never left as it was because its words match)."""
    cards = [
        "{id: a, question: '*Paris* is the capital?', answer: France, explanation: '**Yes**'}",
        "{id: b, question: 'Paris is the capital?', answer: France, explanation: 'Yes'}",
    ]
    deck = "deck: demo\ntitle: Demo\ncards:\n" + "".join(f"  - {c}\n" for c in cards)
    store = make_store(deck.encode(), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)

        def emphasis() -> tuple[bool, bool]:
            """Whether the question has italics, and the explanation bold."""
            question = app.screen.query_one("#question").render_line(0)
            explanation = app.screen.query_one("#explanation").render_line(0)
            return any(s.style and s.style.italic for s in question), any(
                s.style and s.style.bold for s in explanation
            )

        await press(pilot, "space")
        first = emphasis()
        await press(pilot, "enter", "space")
        second = emphasis()
        assert shown(app, "#question") == "Paris is the capital?"
        assert {first, second} == {(True, True), (False, False)}


async def test_wrong_choice_shows_the_answer_and_the_incorrect_feedback(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("demo", choice=1), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        screen = review(app)
        await press(pilot, letter(screen, correct=False, text="Wrong 0b"))
        assert shown(app, "#verdict") == "✗ Incorrect  The answer: Right 0"
        assert shown(app, "#feedback") == "Not quite"
        rows = {option_text(row): row for row in app.screen.query(ChoiceRow)}
        assert rows["Right 0"].state == "correct"
        assert rows["Wrong 0b"].state == "wrong"
        assert "✗ Incorrect  The answer: Right 0" in screen_text(app)


async def test_a_distractors_own_feedback_replaces_the_cards(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("demo", choice=1), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await press(pilot, letter(review(app), correct=False, text="Wrong 0a"))
        assert shown(app, "#feedback") == "Not 0a"


async def test_right_choice_shows_correct_and_the_correct_feedback(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("demo", choice=1), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await press(pilot, letter(review(app), correct=True))
        assert shown(app, "#verdict") == "✓ Correct"
        assert shown(app, "#feedback") == "Well done"
        assert "✓ Correct" in screen_text(app)


async def test_rating_bar_shows_each_ratings_interval(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("demo", choice=1), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        assert not app.screen.query_one("#ratings").visible
        await press(pilot, letter(review(app), correct=True))
        labels = [offer.label for offer in offers(app)]
        assert labels[:3] == ["1 Again 1m", "2 Hard 6m", "3 Good 10m"]
        assert re.fullmatch(r"4 Easy \d+d", labels[3])
        assert re.search(r"1 Again 1m +2 Hard 6m +3 Good 10m +4 Easy \d+d", screen_text(app))
        assert enabled_ratings(app) == ["Again", "Hard", "Good", "Easy"]
        assert suggested_rating(app) == "Good"


async def test_the_card_keeps_its_size_when_the_ratings_appear(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("demo", choice=1), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        before = app.screen.query_one("#card").region
        assert "1 Again" not in screen_text(app)
        await press(pilot, letter(review(app), correct=True))
        assert "1 Again 1m" in screen_text(app)
        assert app.screen.query_one("#card").region == before


async def test_a_right_pick_can_be_rated_again_as_a_lucky_guess(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("demo", choice=2), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        screen = review(app)
        key = letter(screen, correct=True)
        await press(pilot, key)
        assert shown(app, "#verdict") == "✓ Correct"
        assert shown(app, "#hint") == "enter: Good · guessed? 1 rates it Again"

        await press(pilot, "1")

        assert db_rows(store, REVIEWS) == [
            (card_id(store, "choice-0"), 1, "review", json.dumps(["Right 0"]))
        ]
        assert shown(app, "#question") == "Choice question 1?"


async def test_after_a_wrong_choice_only_again_is_enabled(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("demo", choice=1), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await press(pilot, letter(review(app), correct=False))
        assert enabled_ratings(app) == ["Again"]
        assert suggested_rating(app) == "Again"
        await press(pilot, "3")  # Good contradicts the wrong choice: nothing is written
        assert db_rows(store, REVIEWS) == []
        assert shown(app, "#verdict").startswith("✗ Incorrect")


async def test_keys_choose_nothing_once_answered_and_rate_nothing_before(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("demo", choice=1), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        screen = review(app)
        await press(pilot, "3", "space", "e")  # no rating before an answer; no option e
        assert not screen.graded and db_rows(store, REVIEWS) == []
        right, wrong = letter(screen, correct=True), letter(screen, correct=False)
        await press(pilot, wrong, right)
        assert shown(app, "#verdict").startswith("✗ Incorrect")


@pytest.mark.parametrize("correct, rating", [(True, 3), (False, 1)])
async def test_enter_gives_the_suggested_rating_and_stores_the_review(
    make_store: MakeStore, clock: FakeClock, correct: bool, rating: int
) -> None:
    store = make_store(deck_yaml("demo", choice=2), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        screen = review(app)
        key = letter(screen, correct=correct)
        chosen = screen.options["abcd".index(key)].text
        await press(pilot, key, "enter")
        assert db_rows(store, REVIEWS) == [
            (card_id(store, "choice-0"), rating, "review", json.dumps([chosen]))
        ]
        state = db_rows(store, f"{MEMORY} WHERE card_id = ?", card_id(store, "choice-0"))[0][0]
        assert state == MemoryState.Learning
        assert shown(app, "#question") == "Choice question 1?"


@pytest.mark.parametrize(
    "key, state",
    [
        pytest.param("2", MemoryState.Learning, id="2-Hard"),
        pytest.param("3", MemoryState.Learning, id="3-Good"),
        pytest.param("4", MemoryState.Review, id="4-Easy"),
    ],
)
async def test_number_keys_give_that_rating(
    make_store: MakeStore, clock: FakeClock, key: str, state: MemoryState
) -> None:
    store = make_store(deck_yaml("demo", choice=1), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await press(pilot, letter(review(app), correct=True), key)
        assert db_rows(store, "SELECT rating FROM reviews") == [(int(key),)]
        assert db_rows(store, "SELECT state FROM memory") == [(state,)]


# --- undo, bury, suspend ----------------------------------------------------------------------


async def test_undo_deletes_the_review_and_restores_the_memory_exactly(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("demo", choice=2), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        first = card_id(store, "choice-0")
        before = db_rows(store, f"{MEMORY} WHERE card_id = ?", first)
        await press(pilot, letter(review(app), correct=True), "4")
        assert db_rows(store, f"{MEMORY} WHERE card_id = ?", first) != before
        assert len(db_rows(store, REVIEWS)) == 1
        assert shown(app, "#question") == "Choice question 1?"

        await press(pilot, "u")

        assert db_rows(store, REVIEWS) == []
        assert db_rows(store, f"{MEMORY} WHERE card_id = ?", first) == before
        screen = review(app)
        assert screen.card is not None and screen.card.id == first
        assert shown(app, "#question") == "Choice question 0?"
        assert not screen.graded and shown(app, "#verdict") == ""


async def test_undo_takes_back_only_the_last_answer_of_a_card(
    make_store: MakeStore, clock: FakeClock
) -> None:
    """The card's first answer (memory and log row) stays when its second is undone."""
    store = make_store(deck_yaml("demo", choice=1), clock=clock)
    set_setting(store, "demo", "learn_ahead", "0")  # wait for the step, not learn ahead
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        screen = review(app)
        cid = card_id(store, "choice-0")
        await press(pilot, letter(screen, correct=True), "3")  # learning, due in 10m
        after_first = db_rows(store, f"{MEMORY} WHERE card_id = ?", cid)
        clock.advance(minutes=10)
        await screen.show_next()
        await press(pilot, letter(screen, correct=False), "1")  # again: due in 1m
        assert [r[1] for r in db_rows(store, REVIEWS)] == [3, 1]
        assert screen.card is None  # waiting for it

        await press(pilot, "u")

        assert db_rows(store, f"{MEMORY} WHERE card_id = ?", cid) == after_first
        assert [r[1] for r in db_rows(store, REVIEWS)] == [3]
        assert shown(app, "#question") == "Choice question 0?"


async def test_minus_buries_the_card_until_tomorrow(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("demo", choice=2), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await press(pilot, "minus")
        assert db_rows(store, "SELECT key, buried_until FROM cards ORDER BY key") == [
            ("choice-0", "2025-01-07"),
            ("choice-1", None),
        ]
        assert shown(app, "#question") == "Choice question 1?"
        assert db_rows(store, REVIEWS) == []


async def test_at_suspends_the_card(make_store: MakeStore, clock: FakeClock) -> None:
    store = make_store(deck_yaml("demo", choice=2), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await press(pilot, "@")
        assert db_rows(store, "SELECT key, suspended FROM cards ORDER BY key") == [
            ("choice-0", 1),
            ("choice-1", 0),
        ]
        assert shown(app, "#question") == "Choice question 1?"


# --- free recall and select-all -------------------------------------------------------------


@pytest.mark.parametrize(
    "key, state",
    [
        pytest.param("1", MemoryState.Learning, id="1-Again"),
        pytest.param("4", MemoryState.Review, id="4-Easy"),
    ],
)
async def test_free_recall_space_reveals_the_answer_then_a_number_rates(
    make_store: MakeStore, clock: FakeClock, key: str, state: MemoryState
) -> None:
    store = make_store(deck_yaml("demo", free=1), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        assert shown(app, "#question") == "Free question 0?"
        assert "Free answer 0" not in screen_text(app)
        assert shown(app, "#hint") == "space: show the answer"
        await press(pilot, "space")
        assert shown(app, "#answer") == "Free answer 0"
        assert "Free answer 0" in screen_text(app)
        assert enabled_ratings(app) == ["Again", "Hard", "Good", "Easy"]
        assert suggested_rating(app) == "Good"
        await press(pilot, key)
        assert db_rows(store, "SELECT rating, source, choice FROM reviews") == [
            (int(key), "review", None)
        ]
        assert db_rows(store, "SELECT state FROM memory") == [(state,)]


async def test_free_recall_enter_reveals_then_rates_good(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("demo", free=1), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await press(pilot, "enter")
        assert shown(app, "#answer") == "Free answer 0"
        assert db_rows(store, REVIEWS) == []
        await press(pilot, "enter")
        assert db_rows(store, "SELECT rating FROM reviews") == [(3,)]


def select_keys(screen: ReviewScreen, texts: list[str]) -> list[str]:
    return ["abcd"[i] for i, option in enumerate(screen.options) if option.text in texts]


@pytest.mark.parametrize(
    "chosen, correct",
    [
        (["Right 0a", "Right 0b"], True),
        (["Right 0a"], False),
        (["Right 0a", "Right 0b", "Wrong 0a"], False),
        (["Wrong 0b"], False),
    ],
)
async def test_select_all_needs_exactly_the_right_set(
    make_store: MakeStore, clock: FakeClock, chosen: list[str], correct: bool
) -> None:
    store = make_store(deck_yaml("demo", select_all=1), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        screen = review(app)
        assert shown(app, "#hint") == "select all that apply (letters toggle), then enter"
        await press(pilot, *select_keys(screen, chosen))
        assert not screen.graded  # letters only toggle
        await press(pilot, "enter")
        expected = "✓ Correct" if correct else "✗ Incorrect  The answer: Right 0a · Right 0b"
        assert shown(app, "#verdict") == expected
        await press(pilot, "enter")
        ((rating, choice),) = db_rows(store, "SELECT rating, choice FROM reviews")
        assert rating == (3 if correct else 1)
        assert sorted(json.loads(choice)) == sorted(chosen)


async def test_select_all_letters_toggle(make_store: MakeStore, clock: FakeClock) -> None:
    store = make_store(deck_yaml("demo", select_all=1), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        screen = review(app)
        (wrong,) = select_keys(screen, ["Wrong 0a"])
        right = select_keys(screen, ["Right 0a", "Right 0b"])
        await press(pilot, wrong)
        picked = [row.state == "picked" for row in app.screen.query(ChoiceRow)]
        assert picked == [key == wrong for key in "abcd"]
        await press(pilot, wrong, *right, "enter")
        assert shown(app, "#verdict") == "✓ Correct"


async def test_select_all_enter_with_nothing_picked_asks_for_a_choice(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("demo", select_all=1), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await start(pilot)
        await press(pilot, "enter")
        assert "Choose at least one option first." in screen_text(app)
        assert not review(app).graded


async def test_a_long_option_wraps_beside_its_letter_not_under_it(
    make_store: MakeStore, clock: FakeClock
) -> None:
    long = " ".join(f"word{n}" for n in range(40))
    card = json.dumps(
        {"id": "q", "question": "Which?", "answer": long, "distractors": ["Short b", "Short c"]}
    )
    store = make_store(f"deck: demo\ntitle: Demo\ncards:\n  - {card}\n".encode(), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        lines = screen_text(app).splitlines()
        first = next(n for n, line in enumerate(lines) if "word0 " in line)
        letter_at = re.search(r"[ABC]  word0 ", lines[first])
        assert letter_at is not None  # the letter, then the text
        text_at = letter_at.start() + 3
        follow = lines[first + 1]
        assert follow[:text_at].strip() == ""  # the letter's column stays blank below it
        assert follow[text_at:].startswith("word")  # the text goes on in its own column


async def test_clicking_an_option_picks_it(make_store: MakeStore, clock: FakeClock) -> None:
    store = make_store(deck_yaml("demo", choice=1), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        screen = review(app)
        rows = list(app.screen.query(ChoiceRow).results(ChoiceRow))
        assert await pilot.click(rows[2], offset=(6, 0))  # on its text
        await pilot.pause()
        right = screen.options[2].is_correct
        assert rows[2].state == ("correct" if right else "wrong")
        verdict = "✓ Correct" if right else "✗ Incorrect"
        assert shown(app, "#verdict").startswith(verdict)


# --- waiting for learning cards, the end of the session --------------------------------------


async def test_waits_for_a_learning_card_then_shows_it(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("demo", choice=1), clock=clock)
    set_setting(store, "demo", "learn_ahead", "0")  # wait for the step, not learn ahead
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        screen = review(app)
        await press(pilot, letter(screen, correct=False), "enter")  # Again: due in 1 minute
        assert collapse(shown(app, "#question")) == (
            "Nothing due right now. The next learning card is due in 1m; it will appear here."
        )
        assert screen.card is None
        assert shown(app, "#status").startswith("New 0  Learning 1  Review 0")

        clock.advance(seconds=30)
        screen.tick()  # what the screen's one-second timer runs
        assert "due in 30s" in shown(app, "#question")  # counting down, not frozen
        assert shown(app, "#hint").startswith("c: custom study while you wait")

        clock.advance(seconds=30)
        await screen.show_next()
        await pilot.pause()
        assert shown(app, "#question") == "Choice question 0?"
        assert len(app.screen.query(ChoiceRow)) == 4


async def test_summary_shows_cards_reviewed_and_percent_correct(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("demo", choice=2), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        screen = review(app)
        await press(pilot, letter(screen, correct=False), "enter")  # choice-0: Again
        await press(pilot, letter(screen, correct=True), "4")  # choice-1: Easy
        clock.advance(minutes=1)
        await screen.show_next()
        await press(pilot, letter(screen, correct=True), "4")  # choice-0 again: Easy
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "Session complete" in text
        assert "Cards reviewed  2 (3 answers)" in text
        assert "Correct         66%" in text  # 2 of 3, rounded down as everywhere
        assert "Next card due" in text


async def test_summary_next_due_uses_the_collection_clock(
    make_store: MakeStore, use_zone: UseZone
) -> None:
    use_zone("America/New_York")  # the machine's zone is not the collection clock's
    clock = FakeClock(zone=ZoneInfo("Europe/Berlin"))
    store = make_store(deck_yaml("demo", free=3), clock=clock)
    set_setting(store, "demo", "new_per_day", "2")
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await press(pilot, "space", "4", "space", "4")  # both Easy; one new card left
        assert isinstance(app.screen, SummaryScreen)
        # The third card is new and comes tomorrow, when the study day starts (04:00).
        (line,) = [line for line in screen_text(app).splitlines() if "Next card due" in line]
        assert collapse(line.strip(" │")) == "Next card due tomorrow at 04:00"


async def test_escape_from_the_summary_shows_the_updated_dashboard(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("demo", free=2), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await press(pilot, "space", "4", "space", "4")
        assert isinstance(app.screen, SummaryScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, DashboardScreen)
        assert table_rows(app) == [("Demo", "0", "0", "0", "2")]


async def test_escape_midway_shows_the_summary_of_what_was_done_then_the_dashboard(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("demo", free=2), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await press(pilot, "space", "1", "escape")
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "Session ended · 2 cards left in this session" in text
        assert "Cards reviewed  1" in text

        await press(pilot, "escape")
        assert isinstance(app.screen, DashboardScreen)
        assert table_rows(app) == [("Demo", "1", "1", "1", "1")]


async def test_escape_before_any_answer_goes_straight_back(
    make_store: MakeStore, clock: FakeClock
) -> None:
    app = SrsApp(make_store(deck_yaml("demo", free=2), clock=clock))
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await press(pilot, "escape")
        assert isinstance(app.screen, DashboardScreen)


def bar_line(app: SrsApp) -> Strip:
    return app.screen.query_one(RatingBar).render_line(0)


def bar_offset(app: SrsApp, label: str) -> tuple[int, int]:
    """Where `label` is drawn on the rating bar (its first cell)."""
    return "".join(segment.text for segment in bar_line(app)).index(label), 0


def bar_background(app: SrsApp, label: str) -> object:
    """The background `label`'s first cell is drawn on."""
    x, _ = bar_offset(app, label)
    return bar_line(app).crop(x, x + 1)._segments[0].style.bgcolor


async def test_clicking_a_rating_button_rates(make_store: MakeStore, clock: FakeClock) -> None:
    store = make_store(deck_yaml("demo", free=1), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await press(pilot, "space")
        assert await pilot.click(RatingBar, offset=bar_offset(app, "4 Easy"))
        await pilot.pause()
        assert db_rows(store, "SELECT rating FROM reviews") == [(4,)]


async def test_a_click_on_a_rating_the_verdict_refuses_rates_nothing(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("demo", choice=1), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await press(pilot, letter(review(app), correct=False))
        assert enabled_ratings(app) == ["Again"]
        await pilot.click(RatingBar, offset=bar_offset(app, "3 Good"))
        await pilot.pause()
        assert db_rows(store, "SELECT rating FROM reviews") == []
        await pilot.click(RatingBar, offset=bar_offset(app, "1 Again"))
        await pilot.pause()
        assert db_rows(store, "SELECT rating FROM reviews") == [(1,)]


async def test_the_rating_under_the_mouse_is_highlighted(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("demo", free=1), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await press(pilot, "space")
        plain = bar_background(app, "4 Easy")
        assert bar_background(app, "2 Hard") == plain
        await pilot.hover(RatingBar, offset=bar_offset(app, "2 Hard"))
        assert bar_background(app, "2 Hard") != plain
        assert bar_background(app, "4 Easy") == plain
        await pilot.hover("#question")
        assert bar_background(app, "2 Hard") == plain


async def test_c_while_waiting_offers_custom_study_and_the_session_waits_underneath(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("demo", free=1), clock=clock)
    set_setting(store, "demo", "learn_ahead", "0")
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await press(pilot, "space", "1")  # Again: due in a minute
        waiting = review(app)

        await press(pilot, "c")
        assert isinstance(app.screen, CustomStudyScreen)
        await press(pilot, "escape")

        assert app.screen is waiting
