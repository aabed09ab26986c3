"""Properties of the deck loader over generated input (seeded: the same examples every run)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from srs.collection.store import Store
from srs.decks.checker import (
    CARD_ID,
    CARD_KEYS,
    CHOICE_KEYS,
    DECK_ID,
    DECK_KEYS,
    EXAM_KEYS,
    FEEDBACK_KEYS,
)
from srs.decks.export import deck_from_collection, dump_deck
from srs.decks.importer import import_decks, plan_import
from srs.decks.validate import DeckError, parse_deck
from srs.decks.yamltree import MoreProblems
from srs.model.deck import Card, Choice, Deck, ExamSpec, parse_pass_mark

SEEDED = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def assert_loads_or_reports(data: bytes) -> None:
    """parse_deck gives a Deck, or a DeckError whose problems all point into the file: at a line
    it has (or just after its last line break, where an editor shows an empty line)."""
    lines = len(data.decode("utf-8", "replace").splitlines())
    try:
        deck = parse_deck(data, "fuzz.yaml")
    except DeckError as exc:
        assert exc.problems
        *located, last = exc.problems
        if not isinstance(last, MoreProblems):  # past the first 100: one line, no position
            located.append(last)
        for problem in located:
            assert 1 <= problem.line <= lines + 1 and problem.col >= 1, problem
        assert all(problem.path == "fuzz.yaml" for problem in exc.problems)
    else:
        assert isinstance(deck, Deck) and deck.cards


# --- anything at all ----------------------------------------------------------------------------


@SEEDED
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_give_a_deck_or_a_deck_error(data: bytes) -> None:
    assert_loads_or_reports(data)


@SEEDED
@given(st.text(max_size=2000))
def test_arbitrary_text_gives_a_deck_or_a_deck_error(text: str) -> None:
    assert_loads_or_reports(text.encode("utf-8"))


@SEEDED
@given(
    st.lists(
        st.sampled_from(
            [
                "deck: d\n",
                "title: T\n",
                "cards:\n",
                "  - id: a\n",
                "    question: q\n",
                "    answer: x\n",
                "    distractors: [y, z]\n",
                "exam:\n",
                "  questions: 1\n",
                "  pass_mark: 70%\n",
                "- ",
                ": ",
                "  ",
                "\t",
                "[",
                "]",
                "{",
                "}",
                "&a ",
                "*a ",
                "!!str ",
                "'",
                '"',
                "\\x1b",
                "\\uD800",
                "---\n",
                "#",
                "? ",
                "|\n",
                ">\n",
                "\n",
                "\r\n",
                "\ufeff",
                "é",
                "\x00",
                "\x85",
            ]
        ),
        max_size=40,
    )
)
def test_deck_like_fragments_give_a_deck_or_a_deck_error(fragments: list[str]) -> None:
    assert_loads_or_reports("".join(fragments).encode("utf-8", "surrogatepass"))


# --- YAML documents of any shape ----------------------------------------------------------------

KNOWN_KEYS = sorted(set(DECK_KEYS + EXAM_KEYS + CARD_KEYS + FEEDBACK_KEYS + CHOICE_KEYS))
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.dates()
    | st.text(max_size=20)
    | st.sampled_from(["70%", "0.7", "150%", "30m", "1:30", "No", "~", "", "  ", "a", "a"])
)
keys = st.sampled_from(KNOWN_KEYS) | st.text(max_size=12)
documents = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(keys, children, max_size=6),
    max_leaves=40,
)
cards_like = st.lists(
    st.dictionaries(st.sampled_from(CARD_KEYS), documents, max_size=len(CARD_KEYS)), max_size=4
)
decks_like = st.fixed_dictionaries(
    {"deck": scalars, "title": scalars, "cards": cards_like | documents},
    optional={
        "exam": st.dictionaries(st.sampled_from(EXAM_KEYS), scalars | documents, max_size=5),
        "description": documents,
        "extra": documents,
    },
)


def dumped(document: object, unicode: bool, flow: bool) -> bytes:
    return yaml.safe_dump(document, allow_unicode=unicode, default_flow_style=flow).encode()


@SEEDED
@given(documents | decks_like, st.booleans(), st.booleans())
def test_any_yaml_document_gives_a_deck_or_problems_at_real_lines(
    document: object, unicode: bool, flow: bool
) -> None:
    assert_loads_or_reports(dumped(document, unicode, flow))


# --- export -> load round trip ------------------------------------------------------------------


def normal(text: str) -> str:
    """How the loader compares answers and distractors: case and spacing ignored."""
    return " ".join(text.split()).casefold()


texts = st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=30).filter(
    lambda t: not t.isspace()
)
multiline_texts = st.text(
    st.characters(exclude_categories=("Cc", "Cs"), include_characters="\n\t"),
    min_size=1,
    max_size=60,
).filter(lambda t: not t.isspace())
optional_texts = st.none() | multiline_texts
pass_mark_texts = (
    st.integers(1, 100).map(lambda n: f"{n}%")
    | st.integers(1, 99).map(lambda n: f"0.{n:02d}")
    | st.just("1")
)


@st.composite
def valid_decks(draw: st.DrawFn) -> Deck:
    ids = draw(
        st.lists(st.from_regex(CARD_ID, fullmatch=True), min_size=1, max_size=6, unique=True)
    )
    cards = []
    for card_id in ids:
        answers = draw(st.lists(texts, min_size=1, max_size=3, unique_by=normal))
        distractors: tuple[Choice, ...] = ()
        if len(answers) > 1 or draw(st.booleans()):
            taken = {normal(a) for a in answers}
            wrong = draw(
                st.lists(
                    texts.filter(lambda t, taken=taken: normal(t) not in taken),
                    min_size=1,
                    max_size=4,
                    unique_by=normal,
                )
            )
            distractors = tuple(Choice(t, draw(optional_texts)) for t in wrong)
        cards.append(
            Card(
                card_id,
                draw(multiline_texts),
                tuple(answers),
                distractors,
                draw(st.none() | st.sampled_from(["Maths", "Geo", "No", "1.10"]) | texts),
                tuple(draw(st.lists(texts, max_size=3, unique=True))),
                draw(optional_texts),
                draw(optional_texts),
                draw(optional_texts),
            )
        )
    exam = None
    choice_cards = [c for c in cards if c.is_multiple_choice]
    if choice_cards and draw(st.booleans()):
        per_topic: dict[str, int] = {}
        for card in choice_cards:
            if card.topic is not None:
                per_topic[card.topic] = per_topic.get(card.topic, 0) + 1
        blueprint: tuple[tuple[str, int], ...] = ()
        if per_topic and draw(st.booleans()):
            blueprint = tuple(
                (topic, n)
                for topic, available in per_topic.items()
                if (n := draw(st.integers(0, available)))
            )
        questions = (
            sum(n for _, n in blueprint) if blueprint else draw(st.integers(1, len(choice_cards)))
        )
        pass_mark = parse_pass_mark(draw(pass_mark_texts))
        assert pass_mark is not None
        exam = ExamSpec(
            questions,
            pass_mark,
            draw(texts),
            draw(st.none() | st.integers(1, 10**6)),
            blueprint,
        )
    return Deck(
        draw(st.from_regex(DECK_ID, fullmatch=True)),
        draw(texts),
        tuple(cards),
        draw(optional_texts),
        exam,
    )


@SEEDED
@given(valid_decks())
def test_dumped_deck_loads_back_equal(deck: Deck) -> None:
    assert parse_deck(dump_deck(deck).encode("utf-8"), "exported.yaml") == deck


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "c.db") as opened:
        yield opened


@settings(SEEDED, max_examples=75)
@given(deck=valid_decks())
def test_imported_deck_comes_back_from_the_collection_equal(store: Store, deck: Deck) -> None:
    import_decks(store, [deck])

    assert deck_from_collection(store, deck.id) == deck
    assert not plan_import(store, [deck])[0].changes_anything
