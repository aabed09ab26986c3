"""The `srs` command line: where the collection lives, exit statuses, one-line errors."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from helpers import BUNDLED_DECK, SMALL_DECK, invoke, write_deck

from srs import __version__


def test_version_is_printed(tmp_path: Path) -> None:
    result = invoke(None, "--version")

    assert result.exit_code == 0
    assert result.stdout == f"srs, version {__version__}\n"


def test_help_lists_the_commands() -> None:
    result = invoke(None, "--help")

    assert result.exit_code == 0
    for command in ("check", "import", "export", "backup", "restore", "status", "schema"):
        assert command in result.stdout


# --- where the collection lives -----------------------------------------------------------------


def test_db_option_chooses_the_collection(tmp_path: Path) -> None:
    db = tmp_path / "chosen.db"

    result = invoke(db, "import", str(BUNDLED_DECK))

    assert result.exit_code == 0
    assert db.is_file()
    assert sqlite3.connect(db).execute("SELECT count(*) FROM cards").fetchone()[0] == 20


def test_srs_db_environment_variable_chooses_the_collection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "from-env.db"
    monkeypatch.setenv("SRS_DB", str(db))

    result = invoke(None, "import", str(BUNDLED_DECK))

    assert result.exit_code == 0
    assert db.is_file()
    exported = invoke(None, "export", "synthetic-data")
    assert exported.exit_code == 0 and exported.stdout.startswith("deck: synthetic-data\n")


def test_db_option_wins_over_srs_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SRS_DB", str(tmp_path / "env.db"))

    invoke(tmp_path / "option.db", "import", str(BUNDLED_DECK))

    assert (tmp_path / "option.db").is_file()
    assert not (tmp_path / "env.db").exists()


def test_srs_db_expands_the_home_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("SRS_DB", "~/study/mine.db")

    result = invoke(None, "import", str(BUNDLED_DECK))

    assert result.exit_code == 0
    assert (tmp_path / "study" / "mine.db").is_file()


def test_default_collection_is_in_the_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SRS_DB", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))

    result = invoke(None, "import", str(BUNDLED_DECK))

    assert result.exit_code == 0
    assert (tmp_path / "data" / "srs" / "collection.db").is_file()


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["check", "import"])
def test_missing_deck_file_is_a_one_line_error(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "missing.yaml"

    result = invoke(tmp_path / "c.db", command, str(missing))

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"{missing}:0:0: cannot read: No such file or directory\n"


def test_check_of_a_folder_without_decks_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "readme.txt").write_text("hello")

    result = invoke(tmp_path / "c.db", "check", str(tmp_path / "notes"))

    assert result.exit_code == 1
    assert (
        result.stderr
        == f"srs: error: no deck files (*.yaml, *.yml) found in {tmp_path / 'notes'}\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["import"],
        ["export"],
        ["no-such-command"],
        ["import", "--no-such-option", "x.yaml"],
        ["backup", "--list", "extra"],
        ["status", "--json=yes"],
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str]) -> None:
    result = invoke(tmp_path / "c.db", *args)

    assert result.exit_code == 2
    assert "Error: " in result.stderr
    assert not (tmp_path / "c.db").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["import", "DECK"],
        ["export", "capitals"],
        ["backup"],
        ["backup", "--list"],
        ["restore", "DECK"],
        ["status"],
    ],
)
def test_file_that_is_not_a_collection_is_a_one_line_error_for_every_command(
    tmp_path: Path, args: list[str]
) -> None:
    db = tmp_path / "c.db"
    db.write_text("my shopping list\n")
    deck = write_deck(tmp_path, SMALL_DECK)
    args = [str(deck) if a == "DECK" else a for a in args]

    result = invoke(db, *args)

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"srs: error: {db} is not an SQLite database (not an srs collection)\n"
    assert db.read_text() == "my shopping list\n"


def test_folder_given_as_srs_db_is_a_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SRS_DB", str(tmp_path))

    result = invoke(None, "import", str(BUNDLED_DECK))

    assert result.exit_code == 1
    assert result.stderr == f"srs: error: {tmp_path} is a folder, not a collection file\n"


def test_folder_given_as_db_option_is_a_one_line_error(tmp_path: Path) -> None:
    result = invoke(tmp_path, "import", str(BUNDLED_DECK))

    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1


def test_collection_in_a_folder_that_cannot_be_created_is_a_one_line_error(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where a folder should be")

    result = invoke(blocker / "sub" / "c.db", "import", str(BUNDLED_DECK))

    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("srs: error: ")


# --- status -------------------------------------------------------------------------------------


def test_status_of_an_empty_collection_says_how_to_start(tmp_path: Path) -> None:

    result = invoke(tmp_path / "c.db", "status")

    assert result.exit_code == 0
    assert result.stdout == "no decks yet: srs import DECK.yaml\n"


def test_status_lists_each_deck_with_its_card_count(tmp_path: Path) -> None:
    invoke(tmp_path / "c.db", "import", str(BUNDLED_DECK))
    invoke(tmp_path / "c.db", "import", str(write_deck(tmp_path, SMALL_DECK)))

    result = invoke(tmp_path / "c.db", "status")

    assert result.exit_code == 0
    rows = [line.split() for line in result.stdout.splitlines()]
    assert rows[0] == ["deck", "cards", "new", "learning", "review", "due", "retired"]
    assert [(r[0], r[1], r[2]) for r in rows[1:]] == [
        ("capitals", "3", "3"),
        ("synthetic-data", "20", "20"),
    ]


def test_status_json_parses(tmp_path: Path) -> None:
    invoke(tmp_path / "c.db", "import", str(write_deck(tmp_path, SMALL_DECK)))

    result = invoke(tmp_path / "c.db", "status", "--json")

    assert result.exit_code == 0
    (deck,) = json.loads(result.stdout)
    assert "capitals" in deck.values()


# --- schema -------------------------------------------------------------------------------------


def test_schema_prints_json(tmp_path: Path) -> None:
    result = invoke(tmp_path / "c.db", "schema")

    assert result.exit_code == 0
    assert json.loads(result.stdout)["type"] == "object"
    assert not (tmp_path / "c.db").exists()


def test_suspend_takes_cards_out_of_the_queue_and_unsuspend_brings_them_back(
    tmp_path: Path,
) -> None:
    db = tmp_path / "c.db"
    invoke(db, "import", str(write_deck(tmp_path, SMALL_DECK)))

    suspended = invoke(db, "suspend", "capitals", "france", "spain")
    listed = invoke(db, "unsuspend", "capitals")
    status = json.loads(invoke(db, "status", "--json").stdout)[0]

    assert suspended.exit_code == 0
    assert suspended.stdout == "suspended capitals/france\nsuspended capitals/spain\n"
    assert listed.stdout == "france\nspain\n"
    assert (status["suspended"], status["new"]) == (2, 1)

    back = invoke(db, "unsuspend", "capitals", "--all")

    assert back.stdout == "unsuspended capitals/france\nunsuspended capitals/spain\n"
    assert json.loads(invoke(db, "status", "--json").stdout)[0]["new"] == 3
    assert invoke(db, "unsuspend", "capitals").stdout == "no suspended cards in capitals\n"


def test_suspend_of_an_unknown_card_changes_nothing_and_says_so(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    invoke(db, "import", str(write_deck(tmp_path, SMALL_DECK)))

    result = invoke(db, "suspend", "capitals", "france", "atlantis")

    assert result.exit_code == 1
    assert result.stderr == "srs: error: no card 'atlantis' in deck 'capitals'\n"
    assert json.loads(invoke(db, "status", "--json").stdout)[0]["suspended"] == 0
    assert invoke(db, "unsuspend", "nowhere").stderr == (
        "srs: error: no deck 'nowhere' in the collection\n"
    )
