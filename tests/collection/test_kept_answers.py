"""What is kept between reads of a deck: the answers the pass chance's model is fitted to (the
first answers, `first_choice_answers`, and the latest later ones, `later_choice_answers`) and
the exam plan's cards (`plan_reads`) stay what the collection says after every way the log,
the deck or the file can change, read through any connection to the file. The truth is read
here from the rows in Python."""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from collections.abc import Callable
from contextlib import suppress
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FakeClock, deck_yaml
from fsrs import Rating

from srs.clock import from_db
from srs.collection.backup import restore, write_backup
from srs.collection.cards import card_ids_by_key
from srs.collection.exam_memory import (
    FirstAnswers,
    LaterAnswer,
    first_choice_answers,
    later_choice_answers,
)
from srs.collection.planning import PlanCard, plan_reads
from srs.collection.settings import get_settings, set_setting
from srs.collection.store import CollectionError, Store
from srs.decks.importer import import_decks
from srs.decks.validate import parse_deck
from srs.exam import engine
from srs.exam.form import ExamError
from srs.model.deck import Choice
from srs.plan import set_exam_date
from srs.study.answers import (
    AnswerResult,
    bury_card,
    forget_card,
    load_card,
    record_answer,
    suspend_card,
    undo_answer,
    unsuspend_card,
)
from srs.study.history import import_log
from srs.sync import sync

MakeStore = Callable[..., Store]
DECK = "demo"
DECK_FILE = deck_yaml(DECK, free=2, choice=4, select_all=2, exam_questions=3)
"""Free-recall cards (never counted), multiple-choice (4 options, 1 right), select-all (4, 2)
and a three-question mock exam."""
ORIGINAL = parse_deck(DECK_FILE)
KEYS = [card.id for card in ORIGINAL.cards]


def truth(store: Store) -> list[FirstAnswers]:
    """Per multiple-choice card of the deck (retired ones too), its earliest answer whose
    memory before was new, counted by shape when a choice was logged with it, as
    `first_choice_answers` has always counted: a card whose first answer came without one (a
    free-recall card since given options, an imported log) stays out. Two of a card's answers
    never share a moment here: on such a tie the query takes the lower rating, not the
    earlier row."""
    shapes = {
        card_id: (options, answers)
        for card_id, options, answers in store.conn.execute(
            "SELECT id, option_count, answer_count FROM cards WHERE deck_id = ?", (DECK,)
        )
        if options > answers
    }
    first: dict[int, tuple[tuple[str, int], int, str | None]] = {}
    rows = store.conn.execute(
        "SELECT id, card_id, reviewed_at, before, rating, choice FROM reviews"
    )
    for review_id, card_id, at, before, rating, choice in rows:
        new = card_id in shapes and json.loads(before)["state"] == 0
        if new and (card_id not in first or (at, review_id) < first[card_id][0]):
            first[card_id] = ((at, review_id), rating, choice)
    answered: Counter[tuple[int, int]] = Counter()
    right: Counter[tuple[int, int]] = Counter()
    for card_id, (_when, rating, choice) in first.items():
        if choice is not None:
            answered[shapes[card_id]] += 1
            right[shapes[card_id]] += rating > Rating.Again
    return sorted(FirstAnswers(*shape, answered[shape], right[shape]) for shape in answered)


LATER = 7
"""How many of the latest later answers the random sequences compare: few, so that the
oldest ones leave the window as new ones come."""


def later_truth(store: Store, limit: int = LATER) -> list[LaterAnswer]:
    """The deck's latest `limit` answers to multiple-choice cards that were not given to a new
    memory and came with a choice, newest first, read row by row here."""
    shapes = {
        card_id: (options, answers)
        for card_id, options, answers in store.conn.execute(
            "SELECT id, option_count, answer_count FROM cards WHERE deck_id = ?", (DECK,)
        )
        if options > answers
    }
    later = []
    rows = store.conn.execute(
        "SELECT card_id, before, reviewed_at, rating, choice FROM reviews ORDER BY id DESC"
    )
    for card_id, before, at, rating, choice in rows:
        memory = json.loads(before)
        if card_id in shapes and choice is not None and memory["state"] != 0:
            last = memory["last_review"]
            later.append(
                LaterAnswer(
                    *shapes[card_id],
                    memory["stability"],
                    None if last is None else from_db(last),
                    from_db(at),
                    rating > Rating.Again,
                )
            )
    return later[:limit]


def plan_truth(store: Store) -> list[PlanCard]:
    """The deck's cards the plan forecasts (in the deck, not suspended), in deck order, as
    `plan_reads` gives them for one pool and the deck's steps, worked out here row by row."""
    settings = get_settings(store, DECK)
    learning, relearning = len(settings.learning_steps), len(settings.relearning_steps)
    rows = store.conn.execute(
        "SELECT c.position, c.id, c.option_count, c.answer_count, m.state, m.step, "
        "m.stability, m.difficulty, m.due, julianday(m.last_review) FROM cards c "
        "JOIN memory m ON m.card_id = c.id "
        "WHERE c.deck_id = ? AND c.retired = 0 AND c.suspended = 0",
        (DECK,),
    )
    cards: list[PlanCard] = []
    for position, card_id, options, answers, state, step, stability, *memory in rows:
        steps = None
        if state != 0 and stability is not None:
            left = {1: learning, 2: 0, 3: relearning}[state]
            steps = max(1, left - (step or 0)) if left else 0
        shape = math.comb(options, answers) if options > answers else 0
        pool = 0 if options > answers else -1
        cards.append((position, card_id, pool, shape, steps, stability, *memory))
    return sorted(cards)


def planned(store: Store) -> list[PlanCard]:
    settings = get_settings(store, DECK)
    steps = len(settings.learning_steps), len(settings.relearning_steps)
    return plan_reads(store, DECK, None, steps=steps)


def card(store: Store, key: str) -> int:
    return card_ids_by_key(store, DECK, [key])[key]


def answer(
    store: Store, key: str, right: bool = True, rating: Rating | None = None
) -> AnswerResult:
    """Answer as the study screen does, a minute later: the right option(s) or a wrong one
    (a free-recall card: no choice), rated Good or Again unless `rating` says."""
    store.clock.advance(minutes=1)
    content = load_card(store, card(store, key)).content
    choice = None
    if content.distractors:
        choice = list(content.answers) if right else [content.distractors[0].text]
    rating = rating or (Rating.Good if right else Rating.Again)
    return record_answer(store, card(store, key), rating, duration_ms=3000, choice=choice)


def reimport(store: Store, changed: dict[str, tuple[Choice, ...]], retired: set[str]) -> None:
    """Import the deck again with these cards' distractors changed and those cards left out."""
    cards = [
        replace(c, distractors=changed.get(c.id, c.distractors))
        for c in ORIGINAL.cards
        if c.id not in retired
    ]
    import_decks(store, [replace(ORIGINAL, cards=tuple(cards))])


def write_log(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(["card_id,review_rating,review_time,review_duration", *rows]))
    return path


@pytest.fixture
def store(make_store: MakeStore, clock: FakeClock) -> Store:
    return make_store(DECK_FILE, clock=clock)


@pytest.fixture
def other(make_store: MakeStore, clock: FakeClock) -> Store:
    """Another device studying the same deck, its clock three days behind (with an odd
    millisecond, so its answers never share a moment with this device's)."""
    return make_store(DECK_FILE, clock=FakeClock(clock.now() - timedelta(days=3, milliseconds=-1)))


# --- one case each --------------------------------------------------------------------------


def test_an_undone_first_answer_no_longer_counts(store: Store) -> None:
    answer(store, "choice-0")
    last = answer(store, "choice-1", right=False)
    assert first_choice_answers(store, DECK) == [FirstAnswers(4, 1, 2, 1)]

    undo_answer(store, last)

    assert first_choice_answers(store, DECK) == [FirstAnswers(4, 1, 1, 1)]


def test_two_undos_then_a_new_answer_on_another_card_counts_that_card_alone(store: Store) -> None:
    answer(store, "choice-0", right=False)
    second = answer(store, "choice-1")
    assert first_choice_answers(store, DECK) == [FirstAnswers(4, 1, 2, 1)]

    undo_answer(store, second)
    undo_answer(store, answer(store, "select-0"))
    redone = answer(store, "select-1")  # takes the id the undone answers had

    assert redone.review_id == second.review_id
    assert first_choice_answers(store, DECK) == [FirstAnswers(4, 1, 1, 0), FirstAnswers(4, 2, 1, 1)]


def test_a_merged_older_answer_becomes_the_cards_first(
    store: Store, other: Store, tmp_path: Path
) -> None:
    answer(store, "choice-0")
    answer(other, "choice-0", right=False)  # three days earlier, on the other device
    assert first_choice_answers(store, DECK) == [FirstAnswers(4, 1, 1, 1)]

    sync(other, tmp_path / "shared")
    sync(store, tmp_path / "shared")

    assert first_choice_answers(store, DECK) == [FirstAnswers(4, 1, 1, 0)] == truth(store)


def test_a_merged_answer_older_than_a_forgotten_cards_answers_becomes_its_first(
    store: Store, other: Store, tmp_path: Path
) -> None:
    answer(store, "choice-0", right=False)
    forget_card(store, card(store, "choice-0"))
    answer(store, "choice-0")  # new again: a later answer whose memory was new
    answer(other, "choice-0")
    assert first_choice_answers(store, DECK) == [FirstAnswers(4, 1, 1, 0)]

    sync(other, tmp_path / "shared")
    sync(store, tmp_path / "shared")

    assert first_choice_answers(store, DECK) == [FirstAnswers(4, 1, 1, 1)] == truth(store)


def test_a_forget_merged_between_two_answers_makes_the_later_one_a_new_cards(
    store: Store, other: Store, tmp_path: Path
) -> None:
    answer(store, "choice-0")
    store.clock.advance(days=4)
    answer(store, "choice-0")
    assert len(later_choice_answers(store, DECK, LATER)) == 1
    other.clock.advance(days=5)  # two days after this device's first answer
    forget_card(other, card(other, "choice-0"))

    sync(other, tmp_path / "shared")
    sync(store, tmp_path / "shared")

    assert later_choice_answers(store, DECK, LATER) == [] == later_truth(store)


def test_an_answer_undone_on_the_other_device_leaves_this_one_too(
    store: Store, other: Store, tmp_path: Path
) -> None:
    mine = answer(other, "choice-0")
    sync(other, tmp_path / "shared")
    sync(store, tmp_path / "shared")
    assert first_choice_answers(store, DECK) == [FirstAnswers(4, 1, 1, 1)]

    undo_answer(other, mine)
    sync(other)
    sync(store)

    assert first_choice_answers(store, DECK) == []


def test_a_reimported_decks_changed_shape_moves_its_cards_first_answers(store: Store) -> None:
    answer(store, "choice-0")
    answer(store, "choice-1", right=False)
    assert first_choice_answers(store, DECK) == [FirstAnswers(4, 1, 2, 1)]

    reimport(store, {"choice-0": (), "choice-1": (Choice("Wrong 1a"),)}, retired=set())

    assert first_choice_answers(store, DECK) == [FirstAnswers(2, 1, 1, 0)]  # choice-0: free recall


def test_a_deck_reimported_twice_in_one_moment_counts_the_second_imports_shapes(
    store: Store,
) -> None:
    answer(store, "choice-0")
    reimport(store, {"choice-0": (Choice("Wrong 0a"),)}, retired=set())
    assert first_choice_answers(store, DECK) == [FirstAnswers(2, 1, 1, 1)]

    reimport(store, {}, retired=set())  # the clock has not moved: the same import time

    assert first_choice_answers(store, DECK) == [FirstAnswers(4, 1, 1, 1)]


def test_a_retired_cards_first_answer_still_counts(store: Store) -> None:
    answer(store, "select-0", right=False)
    assert first_choice_answers(store, DECK) == [FirstAnswers(4, 2, 1, 0)]

    reimport(store, {}, retired={"select-0"})

    assert first_choice_answers(store, DECK) == [FirstAnswers(4, 2, 1, 0)]


def test_an_older_answer_imported_from_a_log_replaces_the_first_and_has_no_choice(
    store: Store, tmp_path: Path
) -> None:
    answer(store, "choice-0")
    assert first_choice_answers(store, DECK) == [FirstAnswers(4, 1, 1, 1)]
    earlier = store.clock.now() - timedelta(days=10)

    import_log(store, DECK, write_log(tmp_path / "log.csv", [f"choice-0,3,{earlier},4000"]))

    assert first_choice_answers(store, DECK) == []


def test_a_restored_backup_shows_its_own_first_answers(store: Store, tmp_path: Path) -> None:
    first = answer(store, "choice-0")
    backup = write_backup(store, tmp_path / "backup.db")
    undo_answer(store, first)
    answer(store, "choice-1", right=False)  # the same review id, another card
    assert first_choice_answers(store, DECK) == [FirstAnswers(4, 1, 1, 0)]

    restore(store, backup)

    assert first_choice_answers(store, DECK) == [FirstAnswers(4, 1, 1, 1)]


def test_each_deck_counts_its_own_first_answers(make_store: MakeStore, clock: FakeClock) -> None:
    store = make_store(DECK_FILE, deck_yaml("second", select_all=1), clock=clock)
    answer(store, "choice-0")
    assert first_choice_answers(store, "second") == []

    clock.advance(minutes=1)
    select = card_ids_by_key(store, "second", ["select-0"])["select-0"]
    record_answer(store, select, Rating.Again, duration_ms=1000, choice=["Wrong 0a"])

    assert first_choice_answers(store, DECK) == [FirstAnswers(4, 1, 1, 1)]
    assert first_choice_answers(store, "second") == [FirstAnswers(4, 2, 1, 0)]


@pytest.mark.parametrize("writer", [0, 1], ids=["answered here", "answered by the other"])
def test_two_connections_to_one_file_read_each_others_answers(
    store: Store, clock: FakeClock, writer: int
) -> None:
    cli = Store.open(store.path, clock)
    try:
        pair = [store, cli]
        assert first_choice_answers(store, DECK) == first_choice_answers(cli, DECK) == []
        answer(pair[writer], "choice-0")
        assert first_choice_answers(pair[1 - writer], DECK) == [FirstAnswers(4, 1, 1, 1)]
        undo_answer(pair[1 - writer], answer(pair[writer], "select-0"))
        answer(pair[writer], "choice-1", right=False)
        assert first_choice_answers(pair[1 - writer], DECK) == [FirstAnswers(4, 1, 2, 1)]
        assert first_choice_answers(pair[writer], DECK) == [FirstAnswers(4, 1, 2, 1)]
    finally:
        cli.close()


# --- random sequences -----------------------------------------------------------------------


class World:
    """This device's collection, opened twice (the app and the CLI), another device, and a
    shared folder, changed at random by the engines."""

    def __init__(self, seed: int, store: Store, other: Store, root: Path) -> None:
        self.rng = random.Random(seed)
        self.store, self.other, self.root = store, other, root
        self.cli = Store.open(store.path, store.clock)
        self.mine: list[AnswerResult] = []
        self.theirs: list[AnswerResult] = []
        self.backups: list[Path] = []
        self.imported = 0
        self.conn = store  # this step's connection to this device's file: the app's or the CLI's

    def answer(self, store: Store | None = None) -> None:
        store = store or self.conn
        key = self.rng.choice(KEYS)
        right = self.rng.random() < 0.6
        rating = self.rng.choice(list(Rating)) if right else Rating.Again
        results = self.theirs if store is self.other else self.mine
        results.append(answer(store, key, right, rating))

    def undo(self, results: list[AnswerResult], store: Store) -> None:
        # Refused when answered again since (or replayed by a merge): only the latest goes.
        with suppress(CollectionError):
            if results:
                undo_answer(store, results.pop())

    def undo_twice_then_answer(self) -> None:
        self.undo(self.mine, self.conn)
        self.undo(self.mine, self.conn)
        self.answer()

    def forget(self) -> None:
        forget_card(self.conn, card(self.store, self.rng.choice(KEYS)))

    def hide_or_show(self) -> None:
        with suppress(CollectionError):  # a card retired by a re-import
            change = self.rng.choice([suspend_card, unsuspend_card, bury_card])
            change(self.conn, card(self.store, self.rng.choice(KEYS)))

    def plan_settings(self) -> None:
        if self.rng.random() < 0.5:
            exam = self.store.clock.now().date() + timedelta(days=self.rng.randint(2, 30))
            set_exam_date(self.conn, DECK, exam)
        else:
            steps = self.rng.choice(["1m", "1m 10m", "1m 10m 1h", "default"])
            set_setting(
                self.conn, DECK, self.rng.choice(["learning_steps", "relearning_steps"]), steps
            )

    def exam(self) -> None:
        store = self.conn
        try:
            attempt = engine.start_exam(store, DECK, rng=random.Random(self.rng.random()))
        except ExamError:
            return  # too few cards left to ask
        for question in attempt.questions:
            wrong = [text for text in question.choices if text not in question.card.answers]
            picked = self.rng.choice([question.card.answers, wrong[:1], ()])
            if picked:
                attempt = engine.answer(store, attempt, question.position, set(picked))
        self.store.clock.advance(minutes=10)
        engine.submit(store, attempt)

    def answer_elsewhere(self) -> None:
        if self.rng.random() < 0.2:
            self.other.clock.advance(days=self.rng.randint(1, 3))
        self.answer(self.other)

    def sync(self) -> None:
        for store in self.rng.choice([[self.other, self.conn], [self.conn, self.other]]):
            sync(store, self.root / "shared")

    def reimport(self) -> None:
        changed = {
            key: self.rng.choice([(), (Choice("Other"),), (Choice("New a"), Choice("New b"))])
            for key in KEYS
            if self.rng.random() < 0.2
        }
        reimport(self.conn, changed, {key for key in KEYS if self.rng.random() < 0.15})

    def import_log(self) -> None:
        rows = []
        for _ in range(self.rng.randint(1, 3)):
            self.imported += 1
            ago = timedelta(hours=self.rng.randint(1, 200), milliseconds=2 + self.imported)
            at = self.store.clock.now() - ago
            rows.append(f"{self.rng.choice(KEYS)},{self.rng.randint(1, 4)},{at.isoformat()},5000")
        path = write_log(self.root / f"log-{self.imported}.csv", rows)
        import_log(self.conn, DECK, path)

    def back_up_or_restore(self) -> None:
        if self.backups and self.rng.random() < 0.5:
            restore(self.conn, self.rng.choice(self.backups))
        else:
            self.backups.append(write_backup(self.store, self.root / f"b-{len(self.backups)}.db"))

    def step(self) -> str:
        # Now and then the clock stands still (a re-import in the moment of the one before);
        # answers move it themselves, so no two of a card's answers share a moment.
        self.store.clock.advance(seconds=self.rng.choice([0, self.rng.randint(1, 900)]))
        if self.rng.random() < 0.1:
            self.store.clock.advance(days=self.rng.randint(1, 4))
        operations: dict[str, tuple[int, Callable[[], None]]] = {
            "answer": (30, self.answer),
            "undo": (10, lambda: self.undo(self.mine, self.conn)),
            "undo twice, answer": (6, self.undo_twice_then_answer),
            "forget": (5, self.forget),
            "suspend, unsuspend or bury": (5, self.hide_or_show),
            "exam date or steps": (4, self.plan_settings),
            "exam": (6, self.exam),
            "answer elsewhere": (12, self.answer_elsewhere),
            "undo elsewhere": (4, lambda: self.undo(self.theirs, self.other)),
            "sync": (10, self.sync),
            "reimport": (6, self.reimport),
            "import log": (6, self.import_log),
            "backup or restore": (3, self.back_up_or_restore),
        }
        self.conn = self.rng.choice([self.store, self.cli])
        name = self.rng.choices(list(operations), [w for w, _op in operations.values()])[0]
        operations[name][1]()
        return name

    def check(self, done: list[str]) -> None:
        expected, later, plan = truth(self.store), later_truth(self.store), plan_truth(self.store)
        for store in (self.store, self.cli):
            assert first_choice_answers(store, DECK) == expected, done[-6:]
            assert later_choice_answers(store, DECK, LATER) == later, done[-6:]
            assert planned(store) == plan, done[-6:]
        assert planned(self.other) == plan_truth(self.other), done[-6:]
        assert first_choice_answers(self.other, DECK) == truth(self.other), done[-6:]
        assert later_choice_answers(self.other, DECK, LATER) == later_truth(self.other), done[-6:]


@pytest.mark.parametrize("seed", range(20))
def test_the_kept_answers_after_any_sequence_of_changes_are_the_logs(
    store: Store, other: Store, tmp_path: Path, seed: int
) -> None:
    world, done = World(seed, store, other, tmp_path), ["start"]
    try:
        world.check(done)
        for _ in range(world.rng.randint(40, 60)):
            done.append(world.step())
            world.check(done)
    finally:
        world.cli.close()
