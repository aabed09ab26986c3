"""`srs cards`, `srs export-log`, `srs import-log` and `srs optimize` as a learner runs them."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from helpers import SMALL_DECK, invoke, row_counts, write_deck
from reviewlog import REAL_DECK, real_log_collection
from rich.cells import cell_len

from srs.cli.study import _SORT_COLUMNS
from srs.clock import Clock
from srs.study.browse import SORT_COLUMNS

HEADER = "card_id,review_rating,review_time,review_duration"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A collection holding the three-card `capitals` deck."""
    path = tmp_path / "collection.db"
    assert invoke(path, "import", str(write_deck(tmp_path, SMALL_DECK))).exit_code == 0
    return path


@pytest.fixture(scope="module")
def real_collection(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return real_log_collection(tmp_path_factory.mktemp("real") / "real.db", Clock())


def write_log(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "log.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


# --- srs cards ------------------------------------------------------------------------------


def test_cards_prints_an_aligned_table_with_deck_text_shown_literally(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE cards SET topic = ? WHERE key = 'france'", ("首都\x1b[2J",))

    result = invoke(db, "cards", "capitals")

    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "id", "topic", "state", "due", "last", "review", "stability", "difficulty", "R",
        "reviews", "lapses",
    ]  # fmt: skip
    assert [line.split()[0] for line in lines[1:]] == ["france", "italy", "spain"]
    assert "首都␛[2J" in lines[1] and "\x1b" not in result.stdout
    assert len({cell_len(line) for line in lines}) == 1  # the last column ends in one place


def test_cards_as_json_sorted(db: Path) -> None:
    result = invoke(db, "cards", "capitals", "--json", "--sort", "id", "--reverse")

    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [row["id"] for row in rows] == ["spain", "italy", "france"]
    assert rows[0] == {
        "id": "spain",
        "topic": None,
        "state": "new",
        "suspended": False,
        "buried": False,
        "leech": False,
        "due": None,
        "last_review": None,
        "stability": None,
        "difficulty": None,
        "retrievability": None,
        "reviews": 0,
        "lapses": 0,
    }


def test_cards_offers_exactly_the_columns_the_browser_sorts_by(db: Path) -> None:
    result = invoke(db, "cards", "capitals", "--sort", "colour")

    assert _SORT_COLUMNS == SORT_COLUMNS
    assert result.exit_code == 2
    assert "'colour' is not one of" in result.stderr


def test_cards_of_an_unknown_deck_is_one_line(db: Path) -> None:
    result = invoke(db, "cards", "nope")

    assert result.exit_code == 1
    assert result.stderr == "srs: error: no deck 'nope' in the collection\n"


# --- srs export-log / import-log ------------------------------------------------------------


def test_import_log_adds_reviews_once_and_export_log_writes_them_back(
    db: Path, tmp_path: Path
) -> None:
    log = write_log(
        tmp_path,
        "france,3,2025-01-01T10:00:00.250000+00:00,4000",
        "france,1,2025-01-03T09:00:00+01:00,70000",
        "spain,4,2025-01-02T10:00:00+00:00,1000",
    )

    first = invoke(db, "import-log", "capitals", str(log))
    again = invoke(db, "import-log", "capitals", str(log))
    exported = invoke(db, "export-log", "capitals")

    assert first.exit_code == 0
    assert first.stdout == (
        "capitals: 3 reviews added, 0 already in the log; memory rebuilt for 2 cards\n"
    )
    assert again.stdout == (
        "capitals: 0 reviews added, 3 already in the log; memory rebuilt for 0 cards\n"
    )
    assert exported.stdout.splitlines() == [
        HEADER + ",source",
        "france,3,2025-01-01T10:00:00.250000+00:00,4000,review",
        "spain,4,2025-01-02T10:00:00+00:00,1000,review",
        "france,1,2025-01-03T08:00:00+00:00,60000,review",
    ]


def test_import_log_prints_every_problem_and_writes_nothing(db: Path, tmp_path: Path) -> None:
    log = write_log(
        tmp_path,
        "france,3,2025-01-01T10:00:00+00:00,4000",
        "paris,3,2025-01-01T10:00:00+00:00,4000",
        "italy,0,2999-01-01T10:00:00+00:00,4000",
    )
    before = row_counts(db)

    result = invoke(db, "import-log", "capitals", str(log))

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{log}:3: no card 'paris' in deck 'capitals'",
        f"{log}:4: review_rating must be 1, 2, 3 or 4 (Again to Easy), not '0'",
    ]
    assert row_counts(db) == before


def test_import_log_refuses_a_time_in_the_future(db: Path, tmp_path: Path) -> None:
    log = write_log(tmp_path, "italy,3,2999-01-01T10:00:00+00:00,4000")

    result = invoke(db, "import-log", "capitals", str(log))

    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"{log}:2: review_time 2999-01-01T10:00:00+00:00 is in the future (now is "
    )
    assert row_counts(db)["reviews"] == 0


def test_import_log_of_a_missing_file_or_unknown_deck_is_one_line(db: Path, tmp_path: Path) -> None:
    missing = invoke(db, "import-log", "capitals", str(tmp_path / "absent.csv"))
    unknown = invoke(db, "import-log", "nope", str(write_log(tmp_path)))

    assert missing.exit_code == 1
    assert missing.stderr == f"{tmp_path / 'absent.csv'}: cannot read: No such file or directory\n"
    assert unknown.exit_code == 1
    assert unknown.stderr == "srs: error: no deck 'nope' in the collection\n"


def test_export_log_writes_a_new_file_and_keeps_an_existing_one(db: Path, tmp_path: Path) -> None:
    invoke(
        db, "import-log", "capitals", str(write_log(tmp_path, "italy,3,2025-01-01T10:00+00:00,1"))
    )
    out = tmp_path / "out.csv"

    written = invoke(db, "export-log", "capitals", "-o", str(out))
    refused = invoke(db, "export-log", "capitals", "-o", str(out))

    assert written.stdout == f"wrote 1 review to {out}\n"
    assert out.read_text(encoding="utf-8").splitlines()[1] == (
        "italy,3,2025-01-01T10:00:00+00:00,1,review"
    )
    assert refused.exit_code == 1
    assert refused.stderr == f"srs: error: {out} already exists; add --force to replace it\n"
    assert invoke(db, "export-log", "capitals", "-o", str(out), "--force").exit_code == 0


def test_export_log_of_an_unknown_deck_writes_no_file(db: Path, tmp_path: Path) -> None:
    result = invoke(db, "export-log", "nope", "-o", str(tmp_path / "out.csv"))

    assert result.exit_code == 1
    assert result.stderr == "srs: error: no deck 'nope' in the collection\n"
    assert not (tmp_path / "out.csv").exists()


# --- srs optimize ---------------------------------------------------------------------------


def test_optimize_with_too_few_reviews_says_so_and_changes_nothing(
    db: Path, tmp_path: Path
) -> None:
    invoke(
        db, "import-log", "capitals", str(write_log(tmp_path, "italy,3,2025-01-01T10:00+00:00,1"))
    )
    settings = invoke(db, "config", "capitals", "parameters").stdout

    result = invoke(db, "optimize", "capitals")

    assert result.exit_code == 1
    assert result.stderr == (
        "srs: error: 'capitals' has 0 reviews on a later day than the card's previous one; "
        "fitting parameters needs at least 400. Nothing was changed.\n"
    )
    assert (
        invoke(db, "config", "capitals", "parameters").stdout
        == settings
        == ("parameters = default\n")
    )


def test_optimize_on_the_real_log_shows_both_scores_and_adopts_the_fit(
    real_collection: Path, tmp_path: Path
) -> None:
    db = tmp_path / "real.db"
    shutil.copy(real_collection, db)

    text = invoke(db, "optimize", REAL_DECK)
    result = invoke(db, "optimize", REAL_DECK, "--json")

    assert text.exit_code == 0
    lines = text.stdout.splitlines()
    assert lines[0].startswith(f"{REAL_DECK}: 12,580 reviews; ")
    assert lines[1].split() == ["parameters", "log", "loss", "RMSE(bins)"]
    assert [line.split()[0] for line in lines[2:4]] == ["default", "fitted"]
    assert lines[4] == f"adopted the fitted parameters (srs config {REAL_DECK} parameters):"
    data = json.loads(result.stdout)
    assert data["reviews"] == 12_580
    assert data["fitted"]["log_loss"] < data["default"]["log_loss"]
    assert set(data["default"]) == set(data["fitted"]) == {"log_loss", "rmse"}
    assert data["adopted"] is True
    assert len(data["parameters"]) == 21
    adopted = invoke(db, "config", REAL_DECK, "parameters").stdout
    assert adopted == f"parameters = {', '.join(map(str, data['parameters']))}\n"
