"""The `srs` command line: where the collection lives, exit statuses, one-line errors."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import UseZone
from helpers import BUNDLED_DECK, SMALL_DECK, invoke, write_deck

from srs import __version__


def test_version_is_printed(tmp_path: Path) -> None:
    result = invoke(None, "--version")

    assert result.exit_code == 0
    assert result.stdout == f"srs, version {__version__}\n"


def test_the_console_script_prints_clicks_version_line_without_loading_click() -> None:
    probe = (
        "import sys; from srs.cli import main; main(['--version']); print('click' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)

    assert done.returncode == 0, done.stderr
    assert done.stdout == invoke(None, "--version").stdout + "False\n"


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


def test_config_shows_every_setting_with_anki_defaults(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    invoke(db, "import", str(write_deck(tmp_path, SMALL_DECK)))

    result = invoke(db, "config", "capitals", "--json")

    assert result.exit_code == 0
    settings = json.loads(result.stdout)
    assert settings["desired_retention"] == "0.9"
    assert settings["learning_steps"] == "1m 10m"
    assert settings["new_per_day"] == "20"


def test_config_sets_a_setting_and_reads_it_back(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    invoke(db, "import", str(write_deck(tmp_path, SMALL_DECK)))

    changed = invoke(db, "config", "capitals", "learning-steps", "1m 10m 1h")
    read = invoke(db, "config", "capitals", "learning_steps")

    assert changed.stdout == "learning_steps = 1m 10m 1h\n"
    assert read.stdout == "learning_steps = 1m 10m 1h\n"


@pytest.mark.parametrize(
    "args, message",
    [
        (("capitals", "desired_retention", "2"), "desired_retention must be"),
        (("capitals", "new_per_dy", "5"), "did you mean 'new_per_day'?"),
        (("atlantis",), "no deck 'atlantis' in the collection"),
        (("-", "day_start_hour", "25"), "the day start must be an hour from 0 to 23"),
    ],
)
def test_config_refuses_bad_input_in_one_line_and_writes_nothing(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    db = tmp_path / "c.db"
    invoke(db, "import", str(write_deck(tmp_path, SMALL_DECK)))
    before = invoke(db, "config", "capitals", "--json").stdout

    result = invoke(db, "config", *args)

    assert result.exit_code == 1
    assert result.stderr.startswith("srs: error: ") and message in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert invoke(db, "config", "capitals", "--json").stdout == before


def test_config_sets_the_hour_the_study_day_starts(tmp_path: Path) -> None:
    db = tmp_path / "c.db"

    assert invoke(db, "config", "-", "day_start_hour").stdout == "day_start_hour = 4\n"
    assert invoke(db, "config", "-", "day_start_hour", "6").stdout == "day_start_hour = 6\n"
    assert invoke(db, "config", "-", "day_start_hour").stdout == "day_start_hour = 6\n"


def _sit_exam(db: Path, right: int) -> None:
    """Answer the seed exam with `right` right answers (the rest wrong) and submit it."""
    from srs.collection.store import Store
    from srs.exam.engine import answer, start_exam, submit

    with Store.open(db) as store:
        attempt = start_exam(store, "synthetic-data")
        for question in attempt.questions:
            is_right = question.position < right
            text = next(t for t in question.choices if (t in question.card.answers) == is_right)
            attempt = answer(store, attempt, question.position, text)
        submit(store, attempt)


def test_exam_history_lists_each_attempt_with_its_score_and_verdict(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    invoke(db, "import", str(BUNDLED_DECK))
    assert invoke(db, "exam", "history", "synthetic-data").stdout == (
        "no submitted attempts at synthetic-data's exam yet: srs exam synthetic-data\n"
    )
    _sit_exam(db, right=14)
    _sit_exam(db, right=13)

    text = invoke(db, "exam", "history", "synthetic-data")
    data = json.loads(invoke(db, "exam", "history", "synthetic-data", "--json").stdout)

    lines = text.stdout.splitlines()
    assert " 14 / 20    70%  PASS" in lines[0]
    assert " 13 / 20    65%  FAIL" in lines[1]
    assert lines[2] == "trend: -5.0 points per attempt over the last 2 full attempts"
    assert [(a["score"], a["passed"]) for a in data["attempts"]] == [(14, True), (13, False)]
    assert data["trend"]["change"] == -5.0


def test_exam_history_shows_times_in_the_collections_zone_not_the_machines(
    tmp_path: Path, use_zone: UseZone
) -> None:
    db = tmp_path / "c.db"
    invoke(db, "import", str(BUNDLED_DECK))
    invoke(db, "config", "-", "time_zone", "Asia/Tokyo")
    use_zone("America/New_York")
    _sit_exam(db, right=14)

    data = json.loads(invoke(db, "exam", "history", "synthetic-data", "--json").stdout)
    line = invoke(db, "exam", "history", "synthetic-data").stdout.splitlines()[0]

    started = datetime.fromisoformat(data["attempts"][0]["started_at"])
    assert started.utcoffset() == timedelta(hours=9)
    assert line.startswith(f"{started.astimezone(ZoneInfo('Asia/Tokyo')):%Y-%m-%d %H:%M}  ")


def test_exam_calibration_compares_predictions_with_results(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    invoke(db, "import", str(BUNDLED_DECK))
    _sit_exam(db, right=14)

    data = json.loads(invoke(db, "exam", "calibration", "synthetic-data", "--json").stdout)
    text = invoke(db, "exam", "calibration", "synthetic-data").stdout.splitlines()

    assert data["attempts"] == 1
    assert data["pass_rate"] == 1.0
    # Never studied: the predicted chance was near 0, so the one pass costs almost a full 1.
    assert data["brier"] == pytest.approx((1 - data["mean_predicted"]) ** 2)
    # The model's score on that attempt as it predicts now, having learned from its first
    # answers that the learner knew some cards; too few attempts to try a recalibration.
    assert data["full_attempts"] == 1 and 0 < data["brier_before"] < data["brier"]
    assert (data["brier_after"], data["recalibrated"]) == (None, False)
    assert text[1] == (
        f"full attempts 1: Brier {data['brier_before']:.3f} as predicted now; "
        f"recalibration is tried from {data['minimum_attempts']} full attempts"
    )


def test_exam_commands_refuse_a_deck_without_an_exam(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    invoke(db, "import", str(write_deck(tmp_path, SMALL_DECK)))

    for command in ("history", "calibration"):
        result = invoke(db, "exam", command, "capitals")
        assert result.exit_code == 1
        assert "deck 'capitals' has no mock exam" in result.stderr
