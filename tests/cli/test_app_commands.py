"""The commands that open the study app (`srs review`, `srs exam DECK`): a wrong argument is one
line and status 1 before any app opens; custom study from the command line; and a collection
created where the learner may not have meant one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import BUNDLED_DECK, SMALL_DECK, invoke, write_deck

import srs.tui.app
from srs.study.custom import CustomStudy


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What the study app was opened with, once per opening (the app itself never runs)."""
    calls: list[dict[str, Any]] = []

    def run_app(store: object, *, ahead: object, **kwargs: Any) -> int:
        """`ahead`: the start's reads, begun before the app is imported (not an option)."""
        calls.append(kwargs)
        return 0

    monkeypatch.setattr(srs.tui.app, "run_app", run_app)
    return calls


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A collection with the seed deck (an exam) and `capitals` (no exam, no topics)."""
    path = tmp_path / "collection.db"
    assert invoke(path, "import", str(BUNDLED_DECK)).exit_code == 0
    assert invoke(path, "import", str(write_deck(tmp_path, SMALL_DECK))).exit_code == 0
    return path


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["review", "nosuchdeck"], "no deck 'nosuchdeck' in the collection"),
        (["review", "capitals", "nosuchdeck"], "no deck 'nosuchdeck' in the collection"),
        (["exam", "nosuchdeck"], "no deck 'nosuchdeck' in the collection"),
        (
            ["exam", "capitals"],
            "deck 'capitals' has no mock exam: add an 'exam:' block to its file and import it",
        ),
        (
            ["review", "capitals", "--topic", "Geography"],
            "no card of topic 'Geography' to study in 'capitals' (its cards have no topics)",
        ),
        (["review", "capitals", "--missed"], "no mock exam of 'capitals' has been submitted yet"),
        (
            ["review", "capitals", "--ahead", "7"],
            "no review card of 'capitals' is due in the next 7 days",
        ),
    ],
)
def test_a_wrong_argument_is_one_line_and_status_1_and_no_app(
    db: Path, opened: list[dict[str, Any]], args: list[str], message: str
) -> None:
    result = invoke(db, *args)

    assert result.exit_code == 1
    assert result.stderr == f"srs: error: {message}\n"
    assert opened == []


def test_review_of_known_decks_opens_the_app_on_them(
    db: Path, opened: list[dict[str, Any]]
) -> None:
    assert invoke(db, "review", "capitals").exit_code == 0
    assert invoke(db, "review").exit_code == 0
    assert invoke(db, "exam", "synthetic-data").exit_code == 0

    assert opened == [
        {"review": ["capitals"], "custom": None},
        {"review": None, "custom": None},
        {"exam": "synthetic-data"},
    ]


@pytest.mark.parametrize(
    ("option", "custom"),
    [
        (["--topic", "Model collapse"], CustomStudy.of_topic("Model collapse")),
        (["--new", "5"], CustomStudy.new_cards(5)),
    ],
)
def test_custom_study_options_open_the_app_on_that_selection(
    db: Path, opened: list[dict[str, Any]], option: list[str], custom: CustomStudy
) -> None:
    result = invoke(db, "review", "synthetic-data", *option)

    assert result.exit_code == 0, result.stderr
    assert opened == [{"review": ["synthetic-data"], "custom": custom}]


def test_two_custom_study_options_are_a_usage_error(db: Path, opened: list[dict[str, Any]]) -> None:
    result = invoke(db, "review", "synthetic-data", "--missed", "--new", "5")

    assert result.exit_code == 2
    assert "choose one of --topic, --missed, --new, --ahead and --weakest" in result.stderr
    assert opened == []


# --- a new collection ---------------------------------------------------------------------------


def test_a_db_path_that_does_not_exist_says_a_new_collection_is_created_there(
    tmp_path: Path,
) -> None:
    typo = tmp_path / "colection.db"

    created = invoke(typo, "status")
    again = invoke(typo, "status")

    assert created.stderr == f"srs: creating a new collection at {typo}\n"
    assert created.stdout == "no decks yet: srs import DECK.yaml\n"
    assert again.stderr == ""


def test_the_default_collection_is_created_without_a_word(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SRS_DB", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))

    result = invoke(None, "status")

    assert result.exit_code == 0
    assert result.stderr == ""
    assert (tmp_path / "data" / "srs" / "collection.db").is_file()


def test_a_dry_run_import_into_no_collection_creates_none_and_says_nothing(
    tmp_path: Path,
) -> None:
    db = tmp_path / "new.db"

    result = invoke(db, "import", "--dry-run", str(BUNDLED_DECK))

    assert result.exit_code == 0
    assert result.stderr == ""
    assert not db.exists()
