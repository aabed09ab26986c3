"""Hostile and odd YAML: refused with a clear problem at a line, never executed or expanded."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import SMALL_DECK, invoke, write_deck

import srs.decks.yamltree
from srs.decks.validate import DeckError, load_deck, parse_deck


def deck_problems(data: bytes) -> list[str]:
    with pytest.raises(DeckError) as caught:
        parse_deck(data, "d.yaml")
    return [str(p) for p in caught.value.problems]


CARD = "deck: d\ntitle: T\ncards:\n  - id: a\n    question: q\n    answer: {}\n"
"""A one-card deck whose answer (line 6, column 13) is filled in by each test."""


# --- code execution and expansion ---------------------------------------------------------------


def test_python_tag_is_refused_and_never_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = write_deck(tmp_path, '!!python/object/apply:os.system ["touch PWNED"]\n')

    result = invoke(tmp_path / "c.db", "check", str(path))

    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}:1:1: tags (")
    assert "not allowed" in result.stderr
    assert not (tmp_path / "PWNED").exists()


def test_python_tag_inside_a_card_is_refused_at_its_position(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    data = CARD.format('!!python/object/apply:os.system ["touch PWNED"]').encode()

    assert deck_problems(data) == [
        "d.yaml:6:13: tags (tag:yaml.org,2002:python/object/apply:os.system) are not allowed "
        "in decks"
    ]
    assert not (tmp_path / "PWNED").exists()


def test_any_explicit_tag_is_refused() -> None:
    assert deck_problems(CARD.format("!!str 3.10").encode()) == [
        "d.yaml:6:13: tags (tag:yaml.org,2002:str) are not allowed in decks"
    ]


BILLION_LAUGHS = b"""\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_alias_bomb_is_refused_at_the_first_anchor() -> None:
    assert deck_problems(BILLION_LAUGHS) == [
        "d.yaml:1:4: anchors (&) and aliases (*) are not allowed in decks"
    ]


def test_self_containing_alias_is_refused() -> None:
    assert deck_problems(b"a: &a [*a]\n") == [
        "d.yaml:1:4: anchors (&) and aliases (*) are not allowed in decks"
    ]


def test_anchor_on_a_plain_value_is_refused() -> None:
    assert deck_problems(CARD.format("&x Paris").encode()) == [
        "d.yaml:6:13: anchors (&) and aliases (*) are not allowed in decks"
    ]


def test_alias_used_as_a_value_is_refused_at_the_alias() -> None:
    text = "deck: d\ntitle: T\ncards:\n  - id: a\n    question: q\n    answer: *nothing\n"
    assert deck_problems(text.encode()) == [
        "d.yaml:6:13: anchors (&) and aliases (*) are not allowed in decks"
    ]


# --- nesting ------------------------------------------------------------------------------------


def test_ten_thousand_nested_lists_give_a_clear_error_not_recursion_error() -> None:
    data = b"deck: d\ntitle: T\ncards: " + b"[" * 10_000 + b"]" * 10_000 + b"\n"

    problems = deck_problems(data)

    assert len(problems) == 1
    assert problems[0].startswith("d.yaml:3:")
    assert "nest" in problems[0]


def test_unclosed_deep_nesting_gives_a_clear_error() -> None:
    problems = deck_problems(b"[" * 10_000)
    assert len(problems) == 1 and "nest" in problems[0]


def test_nesting_deeper_than_the_limit_is_refused_in_block_style() -> None:
    depth = srs.decks.yamltree.MAX_DEPTH + 1
    lines = [" " * (2 * level) + "- " for level in range(depth)]
    data = ("\n".join(lines) + "x\n").encode()

    problems = deck_problems(data)

    assert problems == [
        f"d.yaml:{depth}:{2 * depth - 1}: nested deeper than {srs.decks.yamltree.MAX_DEPTH} levels"
    ]


# --- documents and top level --------------------------------------------------------------------


def test_second_document_is_refused_at_its_separator() -> None:
    data = (SMALL_DECK + "---\n" + SMALL_DECK).encode()
    assert deck_problems(data) == [
        "d.yaml:15:1: a deck file holds one YAML document (found a second '---')"
    ]


def test_explicit_single_document_is_accepted() -> None:
    deck = parse_deck(("---\n" + SMALL_DECK + "...\n").encode())
    assert deck.id == "capitals"


@pytest.mark.parametrize("data", [b"", b"\n\n", b"# only a comment\n", b"   \n"])
def test_empty_file_is_reported(data: bytes) -> None:
    assert deck_problems(data) == [
        "d.yaml:1:1: empty file: a deck needs 'deck', 'title' and 'cards'"
    ]


@pytest.mark.parametrize(
    "data", [b"- deck: d\n- title: T\n", b"just some text\n", b"42\n", b"[1, 2]\n", b'"quoted"\n']
)
def test_top_level_list_or_scalar_is_reported(data: bytes) -> None:
    assert deck_problems(data) == ["d.yaml:1:1: the deck must be a mapping of keys to values"]


def test_a_list_used_as_a_key_is_refused() -> None:
    assert deck_problems(b"? [a]\n: b\n") == [
        "d.yaml:1:3: a key must be plain text, not a list or mapping"
    ]


# --- characters ---------------------------------------------------------------------------------


def test_lone_surrogate_escape_is_refused_with_its_line() -> None:
    problems = deck_problems(CARD.format('"\\uD800"').encode())

    assert len(problems) == 1
    assert problems[0].startswith("d.yaml:6:")


def test_terminal_escape_sequence_is_refused_with_its_position() -> None:
    problems = deck_problems(CARD.format('"\\x1b]0;x\\x07"').encode())

    assert problems == ["d.yaml:6:13: control character U+001B is not allowed in text"]


@pytest.mark.parametrize(
    ("escape", "code"),
    [
        ("\\0", "0000"),
        ("\\x7f", "007F"),
        ("\\x85", "0085"),
        ("\\e", "001B"),
        ("\\r", "000D"),
        ("\\x9b", "009B"),
    ],
)
def test_control_character_escapes_are_refused(escape: str, code: str) -> None:
    problems = deck_problems(CARD.format(f'"a{escape}b"').encode())

    assert problems == [f"d.yaml:6:13: control character U+{code} is not allowed in text"]


def test_control_characters_are_refused_in_every_field() -> None:
    text = (
        'deck: d\ntitle: "T\\e"\ncards:\n  - id: a\n    question: "\\a"\n    answer: x\n'
        '    distractors: ["\\b"]\n    tags: ["x\\f"]\n'
    )
    problems = deck_problems(text.encode())

    assert [p.split(": ", 1)[0] for p in problems] == [
        "d.yaml:2:8",
        "d.yaml:5:15",
        "d.yaml:7:19",
        "d.yaml:8:12",
    ]


def test_newline_and_tab_escapes_are_allowed_in_text() -> None:
    deck = parse_deck(CARD.format('"line 1\\n\\tline 2"').encode())
    assert deck.cards[0].answers == ("line 1\n\tline 2",)


@pytest.mark.parametrize(("char", "code"), [("\x1b", "001B"), ("\x00", "0000"), ("\x7f", "007F")])
def test_raw_control_character_is_reported_at_its_line_in_one_line(char: str, code: str) -> None:
    problems = deck_problems(CARD.format(f"a{char}b").encode())

    assert len(problems) == 1
    assert problems[0].startswith("d.yaml:6:14: ")
    assert f"U+{code}" in problems[0]
    assert "\n" not in problems[0]


def test_file_that_is_not_utf8_is_reported_at_the_bad_byte() -> None:
    assert deck_problems(b"deck: d\ntitle: T\ncards:\n  - id: \xff\n") == [
        "d.yaml:4:9: not UTF-8 (byte 0xff); save the deck as UTF-8"
    ]


def test_utf16_file_is_reported_as_not_utf8() -> None:
    problems = deck_problems(SMALL_DECK.encode("utf-16"))
    assert problems == ["d.yaml:1:1: not UTF-8 (byte 0xff); save the deck as UTF-8"]


# --- size ---------------------------------------------------------------------------------------


def test_file_over_the_size_limit_is_refused_before_parsing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(srs.decks.yamltree, "MAX_FILE_BYTES", 100)
    data = SMALL_DECK.encode()
    assert len(data) > 100

    problems = deck_problems(data)

    assert len(problems) == 1
    assert problems[0].startswith("d.yaml:1:1: file is ")
    assert "limited to 100 bytes" in problems[0]


def test_file_at_the_size_limit_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    data = SMALL_DECK.encode()
    monkeypatch.setattr(srs.decks.yamltree, "MAX_FILE_BYTES", len(data))

    assert parse_deck(data).id == "capitals"


def test_oversized_file_is_refused_by_srs_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(srs.decks.yamltree, "MAX_FILE_BYTES", 64)
    path = write_deck(tmp_path, SMALL_DECK)

    result = invoke(tmp_path / "c.db", "check", str(path))

    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}:1:1: file is {os.path.getsize(path):,} bytes")


# --- scalars, nulls and duplicate keys ----------------------------------------------------------


def test_scalars_keep_their_text_whatever_their_style() -> None:
    deck = parse_deck(
        b"deck: d\ntitle: No\ncards:\n  - id: a\n    question: '3.10'\n    answer: 0755\n"
        b'    distractors: ["1969-07-20", off]\n'
    )

    card = deck.cards[0]
    assert (deck.title, card.question, card.answers) == ("No", "3.10", ("0755",))
    assert [c.text for c in card.distractors] == ["1969-07-20", "off"]


@pytest.mark.parametrize("null", ["~", "null", "Null", "NULL", ""])
def test_only_a_plain_null_counts_as_missing(null: str) -> None:
    plain = CARD.format(null).encode()
    assert deck_problems(plain) == ["d.yaml:6:5: 'answer' is required"]
    if null:
        quoted = CARD.format(f"'{null}'").encode()
        assert parse_deck(quoted).cards[0].answers == (null,)


def test_duplicate_key_is_reported_and_the_value_not_silently_replaced() -> None:
    data = CARD.format("Paris").encode() + b"    answer: [1, 2]\n"
    assert deck_problems(data) == ["d.yaml:7:5: duplicate key 'answer' (first at line 6)"]


def test_syntax_error_is_reported_with_its_position() -> None:
    problems = deck_problems(b"deck: d\ntitle: [1, 2\ncards: []\n")
    assert len(problems) == 1
    assert problems[0].startswith("d.yaml:3:6: YAML syntax: ")


def test_load_deck_reports_an_unreadable_path_as_one_problem(tmp_path: Path) -> None:
    with pytest.raises(DeckError) as caught:
        load_deck(tmp_path / "missing.yaml")
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"{tmp_path / 'missing.yaml'}:0:0: cannot read")
