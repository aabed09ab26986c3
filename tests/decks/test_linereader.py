"""The line reader (plain block YAML without PyYAML) gives what PyYAML gives, or steps aside.

Large decks go through it: these tests hold it to `yamltree.parse_values` on generated files,
and check that a large deck still loads, and still reports a problem at its line and column.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

import srs.decks.validate
from srs.decks import yamltree
from srs.decks.linereader import Unsure, read_deck_lines
from srs.decks.validate import DeckError, parse_deck
from srs.model.deck import Deck

HEADER = "deck: big\ntitle: A large deck\nexam: {questions: 20, pass_mark: 70%}\ncards:\n"
HEADER_LINES = 4
CARD = (
    "  - id: c{n}\n"
    "    topic: Topic {t}\n"
    "    tags: [core, exam-2024]\n"
    "    question: Which of these is true of item {n}, in the usual setting?\n"
    "    answer: The first statement about item {n}\n"
    "    distractors:\n"
    "      - The second statement about item {n}\n"
    "      - The third statement about item {n}\n"
    "      - The fourth statement about item {n}\n"
    "    feedback:\n"
    "      correct: Right. The first statement holds for every item of this kind.\n"
    "      incorrect: Not quite. Only the first statement holds for item {n}.\n"
    "    explanation: Items like this one are described by the first statement alone.\n"
)
CARD_LINES = 13


def big_deck(cards: int, replace: dict[int, str] | None = None) -> bytes:
    """A deck of `cards` generated cards; `replace` swaps card n's text for another."""
    replace = replace or {}
    parts = [HEADER]
    parts += [replace.get(n) or CARD.format(n=n, t=n % 12) for n in range(cards)]
    return "".join(parts).encode()


def line_of(card: int, line_in_card: int) -> int:
    """The file line of a card's line (both counted from 0 and 1: card 0, line 1 is `- id`)."""
    return HEADER_LINES + card * CARD_LINES + line_in_card


def pyyaml_only(data: bytes, monkeypatch: pytest.MonkeyPatch) -> Deck:
    """The deck as PyYAML alone reads it (the line reader switched off)."""
    with monkeypatch.context() as patch:

        def unsure(*args: object) -> None:
            raise Unsure

        patch.setattr(srs.decks.validate, "read_deck_lines", unsure)
        return parse_deck(data, "d.yaml")


def read_by_lines(data: bytes) -> dict[str, object]:
    """The values as the line reader gives them; fails the test if it steps aside."""
    try:
        return read_deck_lines(data, "d.yaml", lambda card: card)
    except Unsure:
        pytest.fail("the line reader stepped aside")


# --- large decks --------------------------------------------------------------------------------


def test_a_deck_over_the_old_64_mib_limit_loads() -> None:
    data = big_deck(118_000)
    assert len(data) > 64 * 1024 * 1024

    deck = parse_deck(data, "d.yaml")

    assert len(deck.cards) == 118_000
    assert deck.cards[-1].id == "c117999"
    assert deck.cards[-1].tags == ("core", "exam-2024")


def test_a_problem_deep_in_a_large_deck_is_reported_at_its_line_and_column() -> None:
    broken = CARD.format(n=15_000, t=0).replace("    answer: The first", "    answer:  # first")
    data = big_deck(20_000, {15_000: broken})

    with pytest.raises(DeckError) as caught:
        parse_deck(data, "d.yaml")

    assert [str(p) for p in caught.value.problems] == [
        f"d.yaml:{line_of(15_000, 5)}:5: 'answer' is required"
    ]


def test_an_anchor_deep_in_a_large_deck_is_refused_at_its_position() -> None:
    broken = CARD.format(n=12_345, t=0).replace("topic: Topic 0", "topic: &t Topic 0")
    data = big_deck(20_000, {12_345: broken})

    with pytest.raises(DeckError) as caught:
        parse_deck(data, "d.yaml")

    assert [str(p) for p in caught.value.problems] == [
        f"d.yaml:{line_of(12_345, 2)}:12: anchors (&) and aliases (*) are not allowed in decks"
    ]


def test_every_problem_of_a_large_deck_is_reported_at_once() -> None:
    data = big_deck(
        5_000,
        {
            100: CARD.format(n=7, t=0),  # the id of card 7 again
            4_000: CARD.format(n=4_000, t=0).replace("explanation:", "explanaton:"),
        },
    )

    with pytest.raises(DeckError) as caught:
        parse_deck(data, "d.yaml")

    assert [str(p) for p in caught.value.problems] == [
        f"d.yaml:{line_of(100, 1)}:9: duplicate card id 'c7' (first at line {line_of(7, 1)})",
        f"d.yaml:{line_of(4_000, 13)}:5: unknown key 'explanaton' in a card; "
        "did you mean 'explanation'?",
    ]


# --- the same values as PyYAML ------------------------------------------------------------------

ODD_CARD = """\
  - id: odd-{n}
    topic: "Quoted: with a colon"
    question: |
      A block scalar,
      on two lines.
    answer: 'It''s quoted'
    distractors:
      - "An escape: caf\\u00e9"
      - text: A mapping  # with a comment
        feedback: No.
      - No
    tags: [yes, "on", 1.10]
    explanation: >
      Folded
      text.
"""


def test_cards_the_line_reader_cannot_read_alone_are_read_by_pyyaml(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = big_deck(300, {n: ODD_CARD.format(n=n) for n in (0, 150, 299)})

    read_by_lines(data)
    deck = parse_deck(data, "d.yaml")

    assert deck == pyyaml_only(data, monkeypatch)
    odd = deck.cards[150]
    assert odd.question == "A block scalar,\non two lines.\n"
    assert [c.text for c in odd.distractors] == ["An escape: caf\u00e9", "A mapping", "No"]
    assert odd.tags == ("yes", "on", "1.10")


def test_a_deck_with_a_block_in_every_card_is_read_by_pyyaml_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    block = "    explanation: |\n      Line one.\n      Line two.\n"
    plain = "    explanation: Items like this one are described by the first statement alone.\n"
    data = big_deck(500, {n: CARD.format(n=n, t=0).replace(plain, block) for n in range(500)})

    with pytest.raises(Unsure):
        read_deck_lines(data, "d.yaml", lambda card: card)
    deck = parse_deck(data, "d.yaml")

    assert deck == pyyaml_only(data, monkeypatch)
    assert deck.cards[499].explanation == "Line one.\nLine two.\n"


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: text.encode(), id="utf-8"),
        pytest.param(lambda text: b"\xef\xbb\xbf" + text.encode(), id="byte-order-mark"),
        pytest.param(lambda text: text.replace("\n", "\r\n").encode(), id="crlf"),
    ],
)
def test_a_plain_deck_reads_the_same_as_with_pyyaml(
    encode: Callable[[str], bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = big_deck(200).decode().replace("Topic 3", "Topic \u00e9\u2014\u4e2d\U0001f600")
    data = encode(text)

    read_by_lines(data)

    assert parse_deck(data, "d.yaml") == pyyaml_only(data, monkeypatch)


def test_values_that_look_like_numbers_or_booleans_keep_their_text() -> None:
    card = "  - id: c{n}\n    question: '{v}'\n    answer: {v}\n    topic: {v}\n"
    values = ["No", "yes", "1.10", "012", "12:30", "2024-02-30", "0x1F", ".inf", "~"]
    data = (HEADER + "".join(card.format(n=n, v=v) for n, v in enumerate(values))).encode()

    cards = read_by_lines(data)["cards"]

    assert isinstance(cards, list)
    assert [c["answer"] for c in cards[:-1]] == values[:-1]
    assert cards[-1]["answer"] is None and cards[-1]["question"] == "~"


# --- generated files: never a different value than PyYAML's -------------------------------------

VALUES = [
    "plain words", "a: b", "a:b", "a #b", "a#b", "#x", "'q'", '"q"', '"a\\"b"', '"a\\x1bb"',
    "'it''s'", "[a, b]", "[]", "[a, [b]]", "[a,]", "[~, b]", "{a: b}", "~", "null", "NULL", "",
    "- x", "-5", "yes", "1.10", "&a x", "*a", "!!str x", "|", ">", "x:", "x: y: z", "a\tb",
    "\u2028x", "x\x85y", "a\xa0b", "a\x1bb", "\u00e9\u2014", "\ufeffx", "%x", "@x", "? x", "x,",
    "trailing  ", "a  # c", '"a" # c', '"a"#c', '"open', "[open", "C++", "\\n", "x\r", "---",
]  # fmt: skip
KEYS = ["id", "question", "answer", "distractors", "tags", "feedback", "text", "a b", "~", "'q'",
        "-k", "k:", "a #b", "?k"]  # fmt: skip


def random_value(rng: random.Random, odd: float) -> str:
    return rng.choice(VALUES) if rng.random() < odd else f"word {rng.randint(0, 99)}"


def random_block(rng: random.Random, indent: int, depth: int, odd: float) -> list[str]:
    lines = []
    for key in rng.sample(KEYS[:6], rng.randint(1, 4)):
        key = rng.choice(KEYS) if rng.random() < odd else key
        pad, kind = " " * indent, rng.random()
        if kind < 0.6 or depth > 3:
            lines.append(f"{pad}{key}: {random_value(rng, odd)}")
        elif kind < 0.8:
            lines.append(f"{pad}{key}:")
            lines += random_list(rng, indent + rng.choice([0, 2, 4]), depth + 1, odd)
        else:
            lines.append(f"{pad}{key}:")
            lines += random_block(rng, indent + rng.choice([2, 3]), depth + 1, odd)
    return lines


def random_list(rng: random.Random, indent: int, depth: int, odd: float) -> list[str]:
    lines = []
    for _ in range(rng.randint(1, 3)):
        if rng.random() < 0.5 or depth > 3:
            lines.append(f"{' ' * indent}- {random_value(rng, odd)}")
        else:
            block = random_block(rng, indent + 2, depth + 1, odd)
            lines += [f"{' ' * indent}- {block[0].lstrip()}", *block[1:]]
    return lines


def random_deck(rng: random.Random, odd: float) -> str:
    """A deck whose cards share a layout (so shapes are learned and reused), with random values
    and keys, and now and then a line broken on purpose."""
    indent = rng.choice([0, 2, 4])
    layout = random_block(rng, indent + 2, 2, odd)
    layout[0] = " " * indent + "- " + layout[0].lstrip()
    lines = ["deck: d", "title: T", rng.choice(["cards:"] * 4 + ["cards:  # all", "cards:#x"])]
    for _ in range(rng.randint(1, 6)):
        for line in layout:
            key, colon, _ = line.partition(": ")
            lines.append(f"{key}: {random_value(rng, odd)}" if colon else line)
    if rng.random() < 0.4:
        spot = rng.randrange(len(lines))
        lines.insert(spot, rng.choice(["", "  # note", "\tx", " " * 9 + "more", "- y", "---"]))
    if rng.random() < 0.3:
        lines.append(rng.choice(["exam: {questions: 1}", "x", "...", "deck: again"]))
    text = "\n".join(lines) + "\n"
    return text.replace("\n", "\r\n") if rng.random() < 0.1 else text


def outcome(read: Callable[[str], object], text: str) -> tuple[str, object]:
    try:
        return "value", read(text)
    except Unsure:
        return "unsure", None
    except yamltree.NeedsPositions:
        return "problem", None
    except yamltree.YamlProblems:
        return "refused", None


def by_pyyaml(text: str) -> object:
    return yamltree.parse_values(text, "d.yaml", located=False)[0]


def by_lines(text: str) -> object:
    return read_deck_lines(text.encode(), "d.yaml", lambda card: card)


@pytest.mark.parametrize("odd", [0.05, 0.3])
def test_the_line_reader_never_gives_other_values_than_pyyaml(odd: float) -> None:
    rng = random.Random(20261130)
    read = 0
    for _ in range(1500):
        text = random_deck(rng, odd)
        theirs = outcome(by_pyyaml, text)
        ours = outcome(by_lines, text)

        if ours[0] == "value":
            read += 1
            assert theirs == ours, text
        if ours[0] == "problem":
            assert theirs[0] in ("problem", "refused"), text
    assert read > 200  # the comparison did exercise the line reader
