"""A file broken throughout: its first 100 problems, one line counting the rest, flat memory.

A generated deck with thousands of broken cards must not print thousands of lines, nor hold a
problem (or the located values of the whole file) for each of them.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from helpers import SMALL_DECK, dump_db, invoke, write_deck

from srs.decks.validate import DeckError, parse_deck

MAX_PROBLEMS = 100
"""The problems shown per file, as docs/deck-format.md promises."""


def broken_deck(cards: int, *, header: str = "deck: broken\ntitle: Broken\n") -> str:
    """`cards` cards without an answer: one problem each, card n's at line 4 + 2n, column 3."""
    return header + "cards:\n" + "".join(f"- id: c{n}\n  question: q\n" for n in range(cards))


def card_problem(path: Path | str, n: int) -> str:
    return f"{path}:{4 + 2 * n}:3: 'answer' is required"


def more_problems(path: Path | str, hidden: str, many: str = "problems") -> str:
    return (
        f"{path}: {hidden} more {many} not shown "
        f"(the first {MAX_PROBLEMS} are above: fix them and check again)"
    )


def test_check_of_5000_broken_cards_prints_the_first_100_and_counts_the_rest(
    tmp_path: Path,
) -> None:
    path = write_deck(tmp_path, broken_deck(5_000))

    result = invoke(tmp_path / "c.db", "check", str(path))

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        *(card_problem(path, n) for n in range(100)),
        more_problems(path, "4,900"),
    ]


def test_import_of_5000_broken_cards_prints_the_same_lines_and_writes_nothing(
    tmp_path: Path,
) -> None:
    db = tmp_path / "c.db"
    invoke(db, "import", str(write_deck(tmp_path, SMALL_DECK, "small.yaml")))
    before = dump_db(db)
    path = write_deck(tmp_path, broken_deck(5_000))

    result = invoke(db, "import", str(path))

    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == MAX_PROBLEMS + 1
    assert result.stderr.splitlines()[-1] == more_problems(path, "4,900")
    assert dump_db(db) == before


@pytest.mark.parametrize("options", [["--json"], ["--dry-run", "--json"]])
def test_import_json_of_broken_cards_prints_only_the_bounded_problems(
    tmp_path: Path, options: list[str]
) -> None:
    path = write_deck(tmp_path, broken_deck(5_000))

    result = invoke(tmp_path / "c.db", "import", *options, str(path))

    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == MAX_PROBLEMS + 1
    assert result.stderr.splitlines()[-1] == more_problems(path, "4,900")
    assert not (tmp_path / "c.db").exists()


def test_each_file_of_a_check_has_its_own_limit(tmp_path: Path) -> None:
    first = write_deck(tmp_path, broken_deck(150), "a.yaml")
    second = write_deck(tmp_path, broken_deck(101), "b.yaml")

    result = invoke(tmp_path / "c.db", "check", str(first), str(second))

    lines = result.stderr.splitlines()
    assert result.exit_code == 1
    assert len(lines) == 2 * (MAX_PROBLEMS + 1)
    assert lines[MAX_PROBLEMS] == more_problems(first, "50")
    assert lines[MAX_PROBLEMS + 1] == card_problem(second, 0)
    assert lines[-1] == more_problems(second, "1", "problem")


def test_exactly_the_limit_of_problems_prints_no_count_line(tmp_path: Path) -> None:
    path = write_deck(tmp_path, broken_deck(MAX_PROBLEMS))

    result = invoke(tmp_path / "c.db", "check", str(path))

    assert result.stderr.splitlines() == [card_problem(path, n) for n in range(MAX_PROBLEMS)]


def test_a_problem_found_after_the_cards_but_written_before_them_is_shown_first() -> None:
    # The missing title is found once the whole file is read, after 150 card problems.
    data = broken_deck(150, header="deck: broken\n# no title\n").encode()

    with pytest.raises(DeckError) as caught:
        parse_deck(data, "d.yaml")

    assert [str(p) for p in caught.value.problems] == [
        "d.yaml:1:1: 'title' is required",
        *(card_problem("d.yaml", n) for n in range(MAX_PROBLEMS - 1)),
        more_problems("d.yaml", "51"),
    ]


def test_problems_the_yaml_reader_finds_share_the_limit_with_the_cards() -> None:
    # Each card: a control character (found by the YAML reader) and no answer (the checker).
    cards = "".join(f'- id: c{n}\n  question: "q\\x01"\n' for n in range(60))
    data = f"deck: d\ntitle: T\ncards:\n{cards}".encode()

    with pytest.raises(DeckError) as caught:
        parse_deck(data, "d.yaml")

    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[:2] == [
        card_problem("d.yaml", 0),
        "d.yaml:5:13: control character U+0001 is not allowed in text",
    ]
    assert problems[-1] == more_problems("d.yaml", "20")


def test_unreadable_yaml_after_many_problems_reports_the_first_100_and_counts_the_rest() -> None:
    cards = "".join(f"- id: c{n}\n  id: again\n" for n in range(150))
    data = f"deck: d\ntitle: T\ncards:\n{cards}- [unclosed\n".encode()

    with pytest.raises(DeckError) as caught:
        parse_deck(data, "d.yaml")

    problems = [str(p) for p in caught.value.problems]
    assert problems[0] == "d.yaml:5:3: duplicate key 'id' (first at line 4)"
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1] == more_problems("d.yaml", "51")


def test_memory_of_a_deck_broken_throughout_does_not_grow_with_its_problems() -> None:
    """Before, each broken card cost ~3.2 kB (its located values and its problem, all kept):
    3.3 GB for a million. What is left per card is ~200 bytes, mostly its id (kept to find
    duplicates) and its share of the text. Traced allocations, not time: the same on any
    machine (tracemalloc makes the read ~15x slower, hence the small deck)."""
    cards = 5_000
    data = broken_deck(cards).encode()
    tracemalloc.start()
    try:
        with pytest.raises(DeckError):
            parse_deck(data, "d.yaml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert peak / cards < 400, f"{peak / cards:.0f} bytes per broken card"
