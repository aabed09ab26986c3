"""`srs check` and the deck format's validation rules: every problem at its line and column."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from helpers import BUNDLED_DECK, SMALL_DECK, invoke, write_deck

from srs.decks.validate import DeckError, parse_deck
from srs.model.deck import parse_duration, parse_pass_mark

_LINE = re.compile(r"^(?P<path>.*):(?P<line>\d+):(?P<col>\d+): (?P<message>.*)$")


def check(tmp_path: Path, text: str | bytes) -> tuple[Path, object]:
    """Run `srs check` on one deck file holding `text`."""
    if isinstance(text, bytes):
        path = tmp_path / "deck.yaml"
        path.write_bytes(text)
    else:
        path = write_deck(tmp_path, text)
    return path, invoke(tmp_path / "collection.db", "check", str(path))


def problems(tmp_path: Path, text: str | bytes) -> list[tuple[int, int, str]]:
    """The (line, column, message) of every problem `srs check` prints; asserts exit status 1."""
    path, result = check(tmp_path, text)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    found = []
    for line in result.stderr.splitlines():
        match = _LINE.match(line)
        assert match, f"not a path:line:col: message line: {line!r}"
        assert match["path"] == str(path)
        found.append((int(match["line"]), int(match["col"]), match["message"]))
    return found


def assert_problems(
    tmp_path: Path, text: str | bytes, expected: list[tuple[int, int, str]]
) -> None:
    """Exactly the expected problems, each at its line and column, each message containing
    the expected fragment."""
    found = problems(tmp_path, text)
    assert len(found) == len(expected), found
    for (line, col, fragment), (got_line, got_col, message) in zip(
        sorted(expected), sorted(found), strict=True
    ):
        assert (got_line, got_col) == (line, col), (fragment, found)
        assert fragment in message, (fragment, found)


def parse(text: str) -> object:
    return parse_deck(textwrap.dedent(text).encode(), "deck.yaml")


# --- valid decks -------------------------------------------------------------------------------


def test_check_valid_deck_prints_one_summary_line_and_exits_0(tmp_path: Path) -> None:
    path = write_deck(tmp_path, SMALL_DECK)

    result = invoke(tmp_path / "c.db", "check", str(path))

    assert result.exit_code == 0
    assert result.stdout == "1 deck OK, 3 cards\n"
    assert result.stderr == ""


def test_check_bundled_deck_is_valid(tmp_path: Path) -> None:
    result = invoke(tmp_path / "c.db", "check", str(BUNDLED_DECK))

    assert result.exit_code == 0
    assert result.stdout == "1 deck OK, 20 cards\n"


def test_check_folder_counts_every_deck_in_it(tmp_path: Path) -> None:
    write_deck(tmp_path / "decks", SMALL_DECK, "capitals.yaml")
    write_deck(tmp_path / "decks", SMALL_DECK.replace("capitals", "other"), "sub/other.yml")
    (tmp_path / "decks" / "notes.txt").write_text("not a deck")

    result = invoke(tmp_path / "c.db", "check", str(tmp_path / "decks"))

    assert result.exit_code == 0
    assert result.stdout == "2 decks OK, 6 cards\n"


def test_check_reports_only_the_broken_deck_of_a_folder(tmp_path: Path) -> None:
    write_deck(tmp_path / "decks", SMALL_DECK, "good.yaml")
    bad = write_deck(tmp_path / "decks", SMALL_DECK.replace("    answer: Rome\n", ""), "bad.yaml")

    result = invoke(tmp_path / "c.db", "check", str(tmp_path / "decks"))

    assert result.exit_code == 1
    assert result.stderr == f"{bad}:8:5: 'answer' is required\n"


def test_check_never_creates_a_collection(tmp_path: Path) -> None:
    path = write_deck(tmp_path, SMALL_DECK)

    invoke(tmp_path / "c.db", "check", str(path))

    assert not (tmp_path / "c.db").exists()


def test_valid_deck_loads_every_field() -> None:
    deck = parse(
        """\
        deck: full
        title: Full deck
        description: Everything the format has
        exam:
          title: Practice exam
          questions: 2
          pass_mark: 75%
          time_limit: 1h30m
          blueprint:
            Maths: 1
            Geography: 1
        cards:
          - id: m1
            topic: Maths
            tags: [easy, easy, arithmetic]
            question: 2 + 2?
            answer: "4"
            distractors:
              - "3"
              - text: "5"
                feedback: One too many
            feedback:
              correct: Well done
              incorrect: Count again
            explanation: Two pairs make four.
          - id: g1
            topic: Geography
            question: Which are in Europe?
            answer: [France, Spain]
            distractors: [Peru]
        """
    )

    assert deck.id == "full" and deck.title == "Full deck"
    assert deck.description == "Everything the format has"
    assert deck.exam.title == "Practice exam"
    assert (deck.exam.questions, deck.exam.pass_mark, deck.exam.time_limit) == (2, 0.75, 5400)
    assert deck.exam.blueprint == (("Maths", 1), ("Geography", 1))
    maths, geography = deck.cards
    assert maths.tags == ("easy", "arithmetic")
    assert maths.answers == ("4",)
    assert [(c.text, c.feedback) for c in maths.distractors] == [
        ("3", None),
        ("5", "One too many"),
    ]
    assert (maths.feedback_correct, maths.feedback_incorrect) == ("Well done", "Count again")
    assert maths.explanation == "Two pairs make four."
    assert geography.answers == ("France", "Spain")
    assert (maths.topic, geography.topic) == ("Maths", "Geography")
    assert geography.is_multiple_choice


# --- YAML syntax --------------------------------------------------------------------------------


def test_yaml_syntax_error_points_at_the_offending_colon(tmp_path: Path) -> None:
    assert_problems(
        tmp_path,
        """\
        deck: d
        title: T
        cards:
          - id: a
            question: a: b
            answer: x
        """,
        [(5, 16, "YAML syntax: mapping values are not allowed")],
    )


def test_yaml_syntax_error_on_bad_indentation(tmp_path: Path) -> None:
    assert_problems(
        tmp_path,
        """\
        deck: d
        title: T
        cards:
          - id: a
           question: q
        """,
        [(5, 4, "YAML syntax:")],
    )


def test_yaml_syntax_error_in_unclosed_flow_list(tmp_path: Path) -> None:
    assert_problems(tmp_path, "deck: d\ntitle: [a, b\ncards: []\n", [(3, 6, "YAML syntax:")])


# --- required fields ----------------------------------------------------------------------------


def test_missing_required_fields_are_each_reported_where_they_belong(tmp_path: Path) -> None:
    assert_problems(
        tmp_path,
        """\
        title: T
        cards:
          - question: q
            answer: a
          - id: b
            answer: a
          - id: c
            question: q
        """,
        [
            (1, 1, "'deck' is required"),
            (3, 5, "'id' is required"),
            (5, 5, "'question' is required"),
            (7, 5, "'answer' is required"),
        ],
    )


def test_missing_title_is_reported(tmp_path: Path) -> None:
    assert_problems(
        tmp_path,
        "deck: d\ncards:\n  - id: a\n    question: q\n    answer: x\n",
        [(1, 1, "'title' is required")],
    )


def test_missing_cards_is_reported(tmp_path: Path) -> None:
    assert_problems(tmp_path, "deck: d\ntitle: T\n", [(1, 1, "'cards' is required")])


def test_empty_card_list_is_reported(tmp_path: Path) -> None:
    assert_problems(
        tmp_path, "deck: d\ntitle: T\ncards: []\n", [(3, 8, "'cards' must hold at least one card")]
    )


def test_empty_and_blank_required_values_are_reported(tmp_path: Path) -> None:
    assert_problems(
        tmp_path,
        """\
        deck:
        title: ""
        cards:
          - id:
            question: "   "
            answer: ~
        """,
        [
            (1, 1, "'deck' is required"),
            (2, 8, "'title' must not be empty"),
            (4, 5, "'id' is required"),
            (5, 15, "'question' must not be empty"),
            (6, 5, "'answer' is required"),
        ],
    )


def test_plain_null_answer_is_missing_but_quoted_null_is_text(tmp_path: Path) -> None:
    assert_problems(
        tmp_path,
        "deck: d\ntitle: T\ncards:\n  - id: a\n    question: q\n    answer: null\n",
        [(6, 5, "'answer' is required")],
    )
    deck = parse('deck: d\ntitle: T\ncards:\n  - id: a\n    question: q\n    answer: "null"\n')
    assert deck.cards[0].answers == ("null",)


# --- wrong types --------------------------------------------------------------------------------


def test_wrong_types_are_each_reported_at_the_value(tmp_path: Path) -> None:
    assert_problems(
        tmp_path,
        """\
        deck: [d]
        title: {a: b}
        cards:
          - id: a
            question: [q]
            answer: x
            tags: oops
            distractors: y
            feedback: nice
          - just a string
        """,
        [
            (1, 7, "'deck' must be text, not a list"),
            (2, 8, "'title' must be text, not a mapping"),
            (5, 15, "'question' must be text, not a list"),
            (7, 11, "'tags' must be a list"),
            (8, 18, "'distractors' must be a list"),
            (9, 15, "'feedback' must be a mapping"),
            (10, 5, "a card must be a mapping"),
        ],
    )


def test_cards_given_as_a_mapping_is_reported(tmp_path: Path) -> None:
    assert_problems(
        tmp_path, "deck: d\ntitle: T\ncards:\n  a: 1\n", [(4, 3, "'cards' must be a list")]
    )


def test_cards_given_as_text_is_one_problem(tmp_path: Path) -> None:
    assert_problems(tmp_path, "deck: d\ntitle: T\ncards: foo\n", [(3, 8, "'cards' must be a list")])


def test_exam_of_wrong_type_is_reported(tmp_path: Path) -> None:
    text = SMALL_DECK.replace("cards:\n", "exam: [1]\ncards:\n")
    assert_problems(tmp_path, text, [(3, 7, "'exam' must be a mapping")])


def test_deck_top_level_list_or_text_is_reported(tmp_path: Path) -> None:
    assert_problems(tmp_path, "- a\n- b\n", [(1, 1, "the deck must be a mapping")])
    assert_problems(tmp_path, "just text\n", [(1, 1, "the deck must be a mapping")])


def test_deck_id_must_be_a_slug(tmp_path: Path) -> None:
    text = SMALL_DECK.replace("deck: capitals", "deck: European Capitals")
    assert_problems(tmp_path, text, [(1, 7, "deck id 'European Capitals' must be a slug")])


def test_card_id_may_not_hold_spaces(tmp_path: Path) -> None:
    text = SMALL_DECK.replace("id: italy", "id: it aly")
    assert_problems(tmp_path, text, [(8, 9, "card id 'it aly' may hold only letters")])


# --- unknown keys -------------------------------------------------------------------------------


def test_unknown_keys_suggest_the_close_known_key(tmp_path: Path) -> None:
    assert_problems(
        tmp_path,
        """\
        deck: d
        title: T
        descripton: about
        exam:
          questions: 1
          pass_mark: 70%
          time_limt: 30m
        cards:
          - id: a
            question: q
            answer: x
            distractors: [y]
            explantion: because
            colour: red
        """,
        [
            (3, 1, "unknown key 'descripton' in the deck; did you mean 'description'?"),
            (7, 3, "unknown key 'time_limt' in 'exam'; did you mean 'time_limit'?"),
            (13, 5, "unknown key 'explantion' in a card; did you mean 'explanation'?"),
            (14, 5, "unknown key 'colour' in a card (known: id, question, answer,"),
        ],
    )


def test_unknown_key_in_feedback_and_distractor_is_reported(tmp_path: Path) -> None:
    assert_problems(
        tmp_path,
        """\
        deck: d
        title: T
        cards:
          - id: a
            question: q
            answer: x
            distractors:
              - text: y
                feedbak: no
            feedback:
              corect: yes
        """,
        [
            (9, 9, "unknown key 'feedbak' in a distractor; did you mean 'feedback'?"),
            (11, 7, "unknown key 'corect' in 'feedback'; did you mean 'correct'?"),
        ],
    )


# --- duplicates ---------------------------------------------------------------------------------


def test_duplicate_card_id_points_at_the_second_and_names_the_first(tmp_path: Path) -> None:
    assert_problems(
        tmp_path,
        """\
        deck: d
        title: T
        cards:
          - id: a
            question: q1
            answer: x
          - id: a
            question: q2
            answer: y
        """,
        [(7, 9, "duplicate card id 'a' (first at line 4)")],
    )


def test_duplicate_yaml_key_is_an_error_not_a_silent_overwrite(tmp_path: Path) -> None:
    assert_problems(
        tmp_path,
        """\
        deck: d
        title: T
        cards:
          - id: a
            question: q1
            question: q2
            answer: x
        """,
        [(6, 5, "duplicate key 'question' (first at line 5)")],
    )


def test_duplicate_top_level_key_holding_a_list_is_reported(tmp_path: Path) -> None:
    text = SMALL_DECK + "cards:\n  - id: z\n    question: q\n    answer: a\n"
    assert_problems(tmp_path, text, [(15, 1, "duplicate key 'cards' (first at line 3)")])


@pytest.mark.parametrize(
    ("item", "line", "col"),
    [
        ("cards:\n  -\n", 4, 4),
        ("cards:\n  - ~\n", 4, 5),
        ("cards:\n  - id: a\n    question: q\n    answer: x\n    distractors: [y, null]\n", 7, 22),
        ("cards:\n  - id: a\n    question: q\n    answer: x\n    tags: [~]\n", 7, 12),
    ],
    ids=["empty-card", "null-card", "null-distractor", "null-tag"],
)
def test_null_list_item_is_reported_where_it_is(
    tmp_path: Path, item: str, line: int, col: int
) -> None:
    found = problems(tmp_path, "deck: d\ntitle: T\n" + item)
    assert len(found) == 1
    assert found[0][:2] == (line, col)
    assert "mapping" not in found[0][2] or "card" in found[0][2]


# --- answers and distractors --------------------------------------------------------------------


def test_answer_among_distractors_is_found_ignoring_case_and_spaces(tmp_path: Path) -> None:
    assert_problems(
        tmp_path,
        """\
        deck: d
        title: T
        cards:
          - id: a
            question: Largest city?
            answer: New York
            distractors:
              - Boston
              - "new  YORK "
        """,
        [(9, 9, "distractor 'new  YORK ' is also the answer")],
    )


def test_select_all_answer_among_distractors_is_reported(tmp_path: Path) -> None:
    assert_problems(
        tmp_path,
        """\
        deck: d
        title: T
        cards:
          - id: a
            question: Which are even?
            answer: ["2", "4"]
            distractors: ["1", "3", " 4"]
        """,
        [(7, 29, "distractor ' 4' is also the answer")],
    )


def test_repeated_distractors_are_reported_with_the_first_line(tmp_path: Path) -> None:
    assert_problems(
        tmp_path,
        """\
        deck: d
        title: T
        cards:
          - id: a
            question: Capital of France?
            answer: Paris
            distractors:
              - Lyon
              - Nice
              - "LYON "
        """,
        [(10, 9, "repeated distractor 'LYON ' (first at line 8)")],
    )


def test_repeated_answers_of_a_select_all_card_are_reported(tmp_path: Path) -> None:
    assert_problems(
        tmp_path,
        """\
        deck: d
        title: T
        cards:
          - id: a
            question: Which are even?
            answer:
              - "2"
              - "2"
            distractors: ["1"]
        """,
        [(8, 9, "repeated answer '2' (first at line 7)")],
    )


def test_select_all_card_needs_distractors(tmp_path: Path) -> None:
    text = "deck: d\ntitle: T\ncards:\n  - id: a\n    question: q\n    answer: [x, y]\n"
    assert_problems(tmp_path, text, [(6, 13, "a list of answers (select-all) needs distractors")])


def test_empty_answer_list_is_reported(tmp_path: Path) -> None:
    text = "deck: d\ntitle: T\ncards:\n  - id: a\n    question: q\n    answer: []\n"
    assert_problems(tmp_path, text, [(6, 13, "'answer' must not be an empty list")])


def test_distractor_without_text_is_reported(tmp_path: Path) -> None:
    text = (
        "deck: d\ntitle: T\ncards:\n  - id: a\n    question: q\n    answer: x\n"
        "    distractors:\n      - feedback: why\n"
    )
    assert_problems(tmp_path, text, [(8, 9, "'text' is required")])


# --- exam ---------------------------------------------------------------------------------------

EXAM_DECK = """\
deck: d
title: T
exam:
  questions: {questions}
  pass_mark: {pass_mark}
  time_limit: {time_limit}
cards:
  - id: a
    topic: A
    question: q1
    answer: x
    distractors: [y]
  - id: b
    topic: B
    question: q2
    answer: x
    distractors: [y]
  - id: c
    question: q3
    answer: x
"""


def exam_deck(questions: str = "2", pass_mark: str = "70%", time_limit: str = "30m") -> str:
    return EXAM_DECK.format(questions=questions, pass_mark=pass_mark, time_limit=time_limit)


def test_exam_asking_for_more_questions_than_multiple_choice_cards_is_reported(
    tmp_path: Path,
) -> None:
    assert_problems(
        tmp_path,
        exam_deck(questions="3"),
        [(4, 14, "the exam asks for 3 questions but the deck has 2 multiple-choice cards")],
    )


@pytest.mark.parametrize("questions", ["0", "abc", "2.5", "-1"])
def test_exam_questions_must_be_a_whole_number(tmp_path: Path, questions: str) -> None:
    assert_problems(
        tmp_path,
        exam_deck(questions=questions),
        [(4, 14, "'questions' must be a whole number")],
    )


@pytest.mark.parametrize("pass_mark", ["0%", "150%", '"70"', "70", "1.5", "0", "-5%", "seventy"])
def test_pass_mark_outside_zero_to_hundred_percent_is_reported(
    tmp_path: Path, pass_mark: str
) -> None:
    written = pass_mark.strip('"')
    assert_problems(
        tmp_path,
        exam_deck(pass_mark=pass_mark),
        [(5, 14, f"pass mark '{written}' must be a percentage in (0%, 100%]")],
    )


@pytest.mark.parametrize(
    ("pass_mark", "value"),
    [("70%", 0.7), ("0.7", 0.7), ("100%", 1.0), ("1", 1.0), (".5", 0.5), ("12.5 %", 0.125)],
)
def test_pass_mark_accepts_percentages_and_fractions(pass_mark: str, value: float) -> None:
    assert parse(exam_deck(pass_mark=pass_mark)).exam.pass_mark == value
    assert parse_pass_mark(pass_mark) == value


@pytest.mark.parametrize("time_limit", ["1:30", "abc", "0m", "90", "1h 30m", "30 minutes"])
def test_malformed_time_limit_is_reported(tmp_path: Path, time_limit: str) -> None:
    assert_problems(
        tmp_path,
        exam_deck(time_limit=time_limit),
        [(6, 15, f"time limit '{time_limit}' must look like 90s, 30m or 1h30m")],
    )


@pytest.mark.parametrize(
    ("time_limit", "seconds"), [("90s", 90), ("30m", 1800), ("1h30m", 5400), ("2h", 7200)]
)
def test_time_limit_is_read_as_seconds(time_limit: str, seconds: int) -> None:
    assert parse(exam_deck(time_limit=time_limit)).exam.time_limit == seconds
    assert parse_duration(time_limit) == seconds


def test_exam_without_time_limit_is_untimed() -> None:
    deck = parse(exam_deck().replace("  time_limit: 30m\n", ""))
    assert deck.exam.time_limit is None
    assert deck.exam.title == "Mock exam"


def test_exam_missing_questions_and_pass_mark_are_reported(tmp_path: Path) -> None:
    text = exam_deck().replace("  questions: 2\n  pass_mark: 70%\n", "  title: Final\n")
    assert_problems(
        tmp_path,
        text,
        [(4, 3, "'questions' is required"), (4, 3, "'pass_mark' is required")],
    )


def test_blueprint_asking_more_than_a_topic_has_is_reported(tmp_path: Path) -> None:
    text = exam_deck(questions="2").replace("  time_limit: 30m\n", "  blueprint:\n    A: 2\n")
    assert_problems(
        tmp_path,
        text,
        [(7, 5, "blueprint asks for 2 'A' questions but the deck has 1 multiple-choice cards")],
    )


def test_blueprint_not_adding_up_to_the_exam_is_reported(tmp_path: Path) -> None:
    text = exam_deck(questions="2").replace("  time_limit: 30m\n", "  blueprint:\n    A: 1\n")
    assert_problems(tmp_path, text, [(7, 5, "blueprint adds up to 1 questions, not 2")])


def test_blueprint_must_be_a_mapping(tmp_path: Path) -> None:
    text = exam_deck().replace("  time_limit: 30m\n", "  blueprint: [A, B]\n")
    assert_problems(tmp_path, text, [(6, 14, "'blueprint' must map topics to numbers")])


def test_blueprint_topic_without_a_number_is_reported(tmp_path: Path) -> None:
    text = exam_deck(questions="1").replace("  time_limit: 30m\n", "  blueprint:\n    A:\n")
    assert_problems(tmp_path, text, [(7, 5, "'A'")])


@pytest.mark.parametrize(
    ("questions", "time_limit"),
    [("1" * 5000, "30m"), ("1", "1" * 5000 + "m")],
    ids=["questions", "time_limit"],
)
def test_huge_numbers_are_a_deck_error_not_a_crash(questions: str, time_limit: str) -> None:
    with pytest.raises(DeckError):
        parse(exam_deck(questions=questions, time_limit=time_limit))


# --- encoding and layout ------------------------------------------------------------------------


def test_file_that_is_not_utf8_reports_the_bad_byte(tmp_path: Path) -> None:
    assert_problems(
        tmp_path,
        b"deck: d\ntitle: caf\xe9\ncards: []\n",
        [(2, 11, "not UTF-8 (byte 0xe9)")],
    )


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    _, result = check(tmp_path, b"\xef\xbb\xbf" + SMALL_DECK.encode())
    assert result.exit_code == 0, result.output


def test_windows_line_endings_are_accepted_and_not_kept_in_text() -> None:
    deck = parse_deck(SMALL_DECK.replace("\n", "\r\n").encode())
    assert deck.cards[0].question == "What is the capital of France?"


def test_tab_in_indentation_is_reported_at_the_tab(tmp_path: Path) -> None:
    # YAML stops at the first tab that breaks the structure: that one is reported.
    text = "deck: d\ntitle: T\ncards:\n\t- id: a\n  \t  question: q\n"
    assert_problems(tmp_path, text, [(4, 1, "tab in indentation; indent with spaces")])


def test_tab_inside_text_is_kept() -> None:
    deck = parse(
        'deck: d\ntitle: "a\\tb"\ncards:\n  - id: a\n    question: "x\tY"\n    answer: z\n'
    )
    assert deck.title == "a\tb"
    assert deck.cards[0].question == "x\tY"


def test_tab_inside_a_literal_block_is_text_not_indentation() -> None:
    deck = parse(
        "deck: d\ntitle: T\ncards:\n  - id: a\n    question: |\n      all:\n      \tmake\n"
        "    answer: x\n"
    )
    assert deck.cards[0].question == "all:\n\tmake\n"


# --- everything at once -------------------------------------------------------------------------


def test_every_problem_is_reported_at_once_in_line_order(tmp_path: Path) -> None:
    path, result = check(
        tmp_path,
        """\
        deck: Not A Slug
        title: T
        cards:
          - id: a
            question: q
            answer: x
            distractors: [x, y]
          - id: a
            question: q2
            answer: y
            colour: red
          - id: c
            answer: z
        """,
    )

    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 5, lines
    assert [line.split(": ", 1)[0] for line in lines] == [
        f"{path}:1:7",
        f"{path}:7:19",
        f"{path}:8:9",
        f"{path}:11:5",
        f"{path}:12:5",
    ]


def test_problems_in_several_files_are_all_reported(tmp_path: Path) -> None:
    first = write_deck(tmp_path, "deck: a\ntitle: T\n", "a.yaml")
    second = write_deck(tmp_path, "deck: b\ncards: []\n", "b.yaml")

    result = invoke(tmp_path / "c.db", "check", str(first), str(second))

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{first}:1:1: 'cards' is required: a list of questions",
        f"{second}:1:1: 'title' is required",
        f"{second}:2:8: 'cards' must hold at least one card",
    ]


# --- values kept as written ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "No",
        "yes",
        "On",
        "off",
        "3.10",
        "0755",
        "012",
        "1969-07-20",
        "2024-02-30",
        "12:30",
        "1e3",
        "0x1F",
        ".inf",
        "true",
        "~ish",
    ],
)
def test_plain_values_are_kept_as_written(written: str) -> None:
    deck = parse(
        f"deck: d\ntitle: {written}\ncards:\n  - id: a\n    question: {written}\n"
        f"    answer: {written}\n    distractors: [x{written}]\n    topic: {written}\n"
    )
    card = deck.cards[0]
    assert deck.title == card.question == card.topic == written
    assert card.answers == (written,)


@pytest.mark.parametrize("written", ["yes", "on", "off", "null", "Null", "~", "NO", ""])
def test_quoted_keywords_are_text(written: str) -> None:
    text = f'deck: d\ntitle: T\ncards:\n  - id: a\n    question: q\n    answer: "{written}x"\n'
    assert parse(text).cards[0].answers == (f"{written}x",)
    single = f"deck: d\ntitle: T\ncards:\n  - id: a\n    question: q\n    answer: '{written}'\n"
    if written:
        assert parse(single).cards[0].answers == (written,)


def test_numeric_card_and_deck_ids_are_kept_as_written() -> None:
    deck = parse("deck: 007\ntitle: T\ncards:\n  - id: 1.10\n    question: q\n    answer: x\n")
    assert deck.id == "007"
    assert deck.cards[0].id == "1.10"


# --- what the messages print --------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@pytest.mark.parametrize(
    "data",
    [
        b'deck: "a\\x1b]52;c;cHduZWQ=\\x07"\ntitle: T\ncards: []\n',
        b'"k\\x1b[2J": 1\ndeck: d\ntitle: T\ncards: []\n',
        b'"two\\nlines": 1\ndeck: d\ntitle: T\ncards: []\n',
    ],
)
def test_problem_messages_never_carry_control_characters(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(DeckError) as caught:
        parse_deck(data, "deck.yaml")

    printed = [str(problem) for problem in caught.value.problems]
    assert not any(_CONTROL.search(line) for line in printed), printed
    _, result = check(tmp_path, data)
    assert "\x1b" not in result.stderr
