"""Custom study in the app: chosen on the dashboard (`c`), offered when nothing is due and at the
end of a session, opened from the command line; answers logged as custom, limits untouched."""

from __future__ import annotations

import random

from conftest import FakeClock, deck_yaml

from srs.collection.settings import set_setting
from srs.decks.importer import import_decks
from srs.decks.validate import parse_deck
from srs.exam.engine import start_exam, submit
from srs.study.custom import CustomStudy
from srs.study.session import StudySession
from srs.tui.app import SrsApp
from srs.tui.screens.custom_study import CustomStudyScreen
from srs.tui.screens.dashboard import DashboardScreen
from srs.tui.screens.summary import SummaryScreen

from .conftest import (
    SIZE,
    MakeStore,
    card_id,
    db_rows,
    notifications,
    on,
    press,
    review,
    screen_text,
    shown,
)

TOPICS_DECK = b"""\
deck: net
title: Networking
exam: {questions: 2, pass_mark: 50%}
cards:
  - {id: dns, topic: Names, question: DNS port?, answer: "53", distractors: ["25", "80"]}
  - {id: mdns, topic: Names, question: mDNS port?, answer: "5353", distractors: ["53", "80"]}
  - {id: ssh, topic: Remote, question: SSH port?, answer: "22", distractors: ["23", "21"]}
"""


def choices(app: SrsApp) -> list[str]:
    """The custom study page's lines, as read."""
    return [line.strip(" │") for line in screen_text(app).splitlines() if "card" in line]


async def test_c_on_the_dashboard_lists_each_selection_with_its_cards(
    make_store: MakeStore, clock: FakeClock
) -> None:
    app = SrsApp(make_store(TOPICS_DECK, clock=clock))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "c")

        on(app, CustomStudyScreen)
        assert app.screen.title == "Custom study · Networking"
        assert [" ".join(line.split()) for line in choices(app)] == [
            "Questions missed in the last mock exam 0 cards",
            "Extra new cards today: ‹ 10 › 3 cards",
            "Review ahead: cards due in the next ‹ 3 days › 0 cards",
            "Topic: Names 2 cards",
            "Topic: Remote 1 card",
            "Cram: the weakest cards now, due or not: ‹ 20 › 0 cards",
        ]


async def test_a_topic_is_drilled_and_its_answers_spend_no_daily_limit(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(TOPICS_DECK, clock=clock)
    set_setting(store, "net", "new_per_day", "2")
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "c", "down", "down", "down", "down", "enter")  # Topic: Remote

        screen = review(app)
        assert screen.title == "Networking · topic Remote"
        assert shown(app, "#question") == "SSH port?"
        await press(pilot, "a" if screen.options[0].is_correct else "b", "1")  # any: Again
        assert db_rows(store, "SELECT source FROM reviews") == [("custom",)]
        assert StudySession(store).counts().new == 2  # dns and mdns: the limit is untouched


async def test_arrows_change_the_number_of_extra_new_cards(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("demo", free=12), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "c", "down", "left")
        assert "Extra new cards today: ‹ 5 ›  5 cards" in screen_text(app)
        await press(pilot, "right", "right")
        assert "Extra new cards today: ‹ 15 ›  12 cards" in screen_text(app)
        await press(pilot, "left", "left", "enter")

        assert shown(review(app), "#status").startswith("New 5  Learning 0  Review 0")


async def test_a_selection_with_nothing_to_study_says_why_and_stays(
    make_store: MakeStore, clock: FakeClock
) -> None:
    app = SrsApp(make_store(TOPICS_DECK, clock=clock))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "c", "enter")  # the last exam's misses: no exam sat yet

        on(app, CustomStudyScreen)
        assert notifications(app)[-1] == "no mock exam of 'net' has been submitted yet"


async def test_the_last_exams_misses_are_studied(make_store: MakeStore, clock: FakeClock) -> None:
    store = make_store(TOPICS_DECK, clock=clock)
    submit(store, start_exam(store, "net", rng=random.Random(1)))  # nothing answered
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "c", "enter")

        assert review(app).title == "Networking · missed in the last mock exam"
        assert shown(app, "#status").startswith("New 2")


async def test_the_app_opened_with_a_custom_selection_goes_straight_into_it(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(TOPICS_DECK, clock=clock)
    app = SrsApp(store, review=["net"], custom=CustomStudy.of_topic("Names"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        assert review(app).title == "Networking · topic Names"
        assert shown(app, "#status").startswith("New 2  Learning 0  Review 0")


async def test_c_on_the_summary_offers_custom_study_in_its_place(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("demo", free=3), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "enter", "space", "4", "escape")
        on(app, SummaryScreen)

        await press(pilot, "c")
        on(app, CustomStudyScreen)
        await press(pilot, "escape")

        on(app, DashboardScreen)


async def test_a_card_retired_by_an_import_leaves_the_open_session(
    make_store: MakeStore, clock: FakeClock
) -> None:
    store = make_store(deck_yaml("demo", free=2), clock=clock)
    app = SrsApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "enter")
        assert shown(app, "#question") == "Free question 0?"
        # Another terminal imports the deck without free-1.
        import_decks(store, [parse_deck(deck_yaml("demo", free=1))])

        await press(pilot, "space", "4")

        on(app, SummaryScreen)
        assert db_rows(store, "SELECT card_id FROM reviews") == [(card_id(store, "free-0"),)]
