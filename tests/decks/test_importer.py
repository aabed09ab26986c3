"""`srs import` and `srs export`: all or nothing, idempotent, and every card keeps its history."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import (
    BUNDLED_DECK,
    SMALL_DECK,
    backups_in,
    dump_db,
    invoke,
    many_cards_deck,
    row_counts,
    write_deck,
)

import srs.decks.importer
from srs.collection.store import CollectionError, Store
from srs.decks.export import deck_from_collection, dump_deck
from srs.decks.importer import import_decks
from srs.decks.validate import load_deck, parse_deck
from srs.model.deck import Deck

RICH_DECK = """\
deck: rich
title: Every feature
description: "A deck that uses the whole format: it must survive export."
exam:
  title: Timed final
  questions: 3
  pass_mark: 70%
  time_limit: 1h30m
  blueprint:
    Maths: 2
    Geography: 1
cards:
  - id: m1
    topic: Maths
    tags: [arithmetic, easy]
    question: 2 + 2?
    answer: "4"
    distractors:
      - "3"
      - text: "22"
        feedback: That is concatenation, not addition.
    feedback:
      correct: Yes.
      incorrect: Count on your fingers.
    explanation: |
      Two pairs make four.
      Second line.
  - id: m2
    topic: Maths
    question: Which are even?
    answer: ["2", "4"]
    distractors: ["1", "3"]
  - id: g1
    topic: Geography
    question: "Capital of Norway: ?"
    answer: Oslo
    distractors: [Bergen, "No"]
  - id: free.recall_1
    question: Name a prime.
    answer: "2"
"""


def db_of(tmp_path: Path) -> Path:
    return tmp_path / "collection.db"


def import_ok(tmp_path: Path, *paths: Path, extra: tuple[str, ...] = ()) -> str:
    result = invoke(db_of(tmp_path), "import", *extra, *map(str, paths))
    assert result.exit_code == 0, result.output
    # A collection made outside the default place is announced; nothing else goes to stderr.
    assert result.stderr in ("", f"srs: creating a new collection at {db_of(tmp_path)}\n")
    return result.stdout


def card_row(db: Path, key: str) -> sqlite3.Row:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute("SELECT * FROM cards WHERE key = ?", (key,)).fetchone()
    finally:
        conn.close()


def study(db: Path, key: str) -> int:
    """Give card `key` a memory state and a review, as the study engine writes them."""
    with Store.open(db) as store, store.write():
        card_id = store.conn.execute("SELECT id FROM cards WHERE key = ?", (key,)).fetchone()[0]
        before = store.conn.execute("SELECT * FROM memory WHERE card_id = ?", (card_id,))
        before_json = json.dumps(list(before.fetchone()))
        store.conn.execute(
            "UPDATE memory SET state = 2, step = NULL, stability = 3.25, difficulty = 5.5, "
            "due = '2026-01-05T09:00:00.000000Z', last_review = '2026-01-02T09:00:00.000000Z', "
            "reps = 1, lapses = 0 WHERE card_id = ?",
            (card_id,),
        )
        store.conn.execute(
            "INSERT INTO reviews (card_id, reviewed_at, day, rating, duration_ms, source, choice, "
            "before, after) VALUES (?, '2026-01-02T09:00:00.000000Z', '2026-01-02', 3, 4200, "
            "'study', 'Paris', ?, '{}')",
            (card_id, before_json),
        )
    return int(card_id)


def history(db: Path, card_id: int) -> tuple[object, ...]:
    conn = sqlite3.connect(db)
    try:
        memory = conn.execute("SELECT * FROM memory WHERE card_id = ?", (card_id,)).fetchall()
        reviews = conn.execute("SELECT * FROM reviews WHERE card_id = ?", (card_id,)).fetchall()
        return memory, reviews
    finally:
        conn.close()


# --- first import -------------------------------------------------------------------------------


def test_importing_the_bundled_deck_prints_its_summary_line(tmp_path: Path) -> None:
    out = import_ok(tmp_path, BUNDLED_DECK)

    assert out == "synthetic-data: 20 added, 0 updated, 0 retired, 0 unchanged\n"
    counts = row_counts(db_of(tmp_path))
    assert (counts["decks"], counts["cards"], counts["memory"]) == (1, 20, 20)


def test_import_stores_cards_in_file_order_with_a_new_memory_state(tmp_path: Path) -> None:
    import_ok(tmp_path, write_deck(tmp_path, SMALL_DECK))

    conn = sqlite3.connect(db_of(tmp_path))
    rows = conn.execute(
        "SELECT c.key, c.position, c.retired, m.state, m.reps FROM cards c "
        "JOIN memory m ON m.card_id = c.id ORDER BY c.position"
    ).fetchall()
    conn.close()
    assert rows == [("france", 0, 0, 0, 0), ("italy", 1, 0, 0, 0), ("spain", 2, 0, 0, 0)]


def test_import_of_a_folder_imports_every_deck_in_it(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    write_deck(folder, SMALL_DECK, "a.yaml")
    write_deck(folder, SMALL_DECK.replace("capitals", "more-capitals"), "nested/b.yml")

    out = import_ok(tmp_path, folder)

    assert out.splitlines() == [
        "capitals: 3 added, 0 updated, 0 retired, 0 unchanged",
        "more-capitals: 3 added, 0 updated, 0 retired, 0 unchanged",
    ]


def test_import_of_a_folder_without_decks_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()

    result = invoke(db_of(tmp_path), "import", str(tmp_path / "empty"))

    assert result.exit_code == 1
    assert result.stderr.startswith("srs: error: no deck files")
    assert not db_of(tmp_path).exists()


def test_import_json_output_parses(tmp_path: Path) -> None:
    result = invoke(db_of(tmp_path), "import", "--json", str(BUNDLED_DECK))

    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "dry_run": False,
        "decks": [
            {
                "deck": "synthetic-data",
                "added": 20,
                "updated": 0,
                "retired": 0,
                "restored": 0,
                "unchanged": 0,
            }
        ],
    }


# --- values kept as written ---------------------------------------------------------------------

LITERAL_DECK = """\
deck: literals
title: Values as written
cards:
  - id: norway
    question: Is Norway in the EU?
    answer: No
    distractors: [Yes, "on", "off", "null", "~"]
  - id: python
    question: Which Python version?
    answer: 3.10
    distractors: [3.1, 0755, 1969-07-20, 12:30, 1e3]
"""


def test_values_are_stored_and_exported_exactly_as_written(tmp_path: Path) -> None:
    deck_file = write_deck(tmp_path, LITERAL_DECK)
    import_ok(tmp_path, deck_file)

    norway = card_row(db_of(tmp_path), "norway")
    python = card_row(db_of(tmp_path), "python")
    assert json.loads(norway["answers"]) == ["No"]
    assert [t for t, _ in json.loads(norway["distractors"])] == ["Yes", "on", "off", "null", "~"]
    assert json.loads(python["answers"]) == ["3.10"]
    assert [t for t, _ in json.loads(python["distractors"])] == [
        "3.1",
        "0755",
        "1969-07-20",
        "12:30",
        "1e3",
    ]

    exported = invoke(db_of(tmp_path), "export", "literals")
    assert exported.exit_code == 0
    # Any YAML reader, not only ours, reads the exported values back as the same text.
    data = yaml.safe_load(exported.stdout)
    assert data["cards"][0]["answer"] == "No"
    assert data["cards"][0]["distractors"] == ["Yes", "on", "off", "null", "~"]
    assert data["cards"][1]["answer"] == "3.10"
    assert data["cards"][1]["distractors"] == ["3.1", "0755", "1969-07-20", "12:30", "1e3"]
    assert parse_deck(exported.stdout.encode()) == load_deck(deck_file)


# --- idempotence --------------------------------------------------------------------------------


def test_importing_the_same_file_twice_changes_nothing(tmp_path: Path) -> None:
    deck_file = write_deck(tmp_path, SMALL_DECK)
    import_ok(tmp_path, deck_file)
    import_ok(tmp_path, write_deck(tmp_path, SMALL_DECK.replace("Madrid", "Madrid!")))
    assert len(backups_in(tmp_path / "backups")) == 1
    before = dump_db(db_of(tmp_path))

    out = import_ok(tmp_path, tmp_path / "deck.yaml")

    assert out == "capitals: 0 added, 0 updated, 0 retired, 3 unchanged (no changes)\n"
    assert dump_db(db_of(tmp_path)) == before
    assert len(backups_in(tmp_path / "backups")) == 1


def test_reimport_of_the_bundled_deck_reports_every_card_unchanged(tmp_path: Path) -> None:
    import_ok(tmp_path, BUNDLED_DECK)

    out = import_ok(tmp_path, BUNDLED_DECK)

    assert out == "synthetic-data: 0 added, 0 updated, 0 retired, 20 unchanged (no changes)\n"


# --- history survives edits ---------------------------------------------------------------------


def test_reimport_keeps_history_of_edited_card(tmp_path: Path) -> None:
    import_ok(tmp_path, write_deck(tmp_path, SMALL_DECK))
    card_id = study(db_of(tmp_path), "france")
    kept = history(db_of(tmp_path), card_id)
    created = card_row(db_of(tmp_path), "france")["created_at"]
    edited = SMALL_DECK.replace("What is the capital of France?", "Which city is France's capital?")

    out = import_ok(tmp_path, write_deck(tmp_path, edited))

    assert out == "capitals: 0 added, 1 updated, 0 retired, 2 unchanged\n"
    row = card_row(db_of(tmp_path), "france")
    assert row["id"] == card_id
    assert row["question"] == "Which city is France's capital?"
    assert row["created_at"] == created
    assert history(db_of(tmp_path), card_id) == kept
    assert kept[0][0][1] == 2 and len(kept[1]) == 1  # the review state really was there


def test_reimport_keeps_history_when_answers_and_distractors_change(tmp_path: Path) -> None:
    import_ok(tmp_path, write_deck(tmp_path, SMALL_DECK))
    card_id = study(db_of(tmp_path), "italy")
    kept = history(db_of(tmp_path), card_id)
    edited = SMALL_DECK.replace("answer: Rome", "answer: Roma").replace("Naples", "Napoli")

    out = import_ok(tmp_path, write_deck(tmp_path, edited))

    assert out == "capitals: 0 added, 1 updated, 0 retired, 2 unchanged\n"
    assert card_row(db_of(tmp_path), "italy")["id"] == card_id
    assert json.loads(card_row(db_of(tmp_path), "italy")["answers"]) == ["Roma"]
    assert history(db_of(tmp_path), card_id) == kept


def test_reordering_cards_keeps_their_ids(tmp_path: Path) -> None:
    import_ok(tmp_path, write_deck(tmp_path, SMALL_DECK))
    ids = {key: card_row(db_of(tmp_path), key)["id"] for key in ("france", "italy", "spain")}
    header, rest = SMALL_DECK.split("cards:\n")
    france, italy, spain = ("  - id:" + c for c in rest.split("  - id:")[1:])

    out = import_ok(tmp_path, write_deck(tmp_path, header + "cards:\n" + spain + italy + france))

    # Moving a card in the file is not an edit: its text is unchanged.
    assert out.startswith("capitals: 0 added, 0 updated, 0 retired, 3 unchanged")
    assert {k: card_row(db_of(tmp_path), k)["id"] for k in ids} == ids
    assert card_row(db_of(tmp_path), "spain")["position"] == 0


def test_card_removed_from_the_file_is_retired_with_its_history(tmp_path: Path) -> None:
    import_ok(tmp_path, write_deck(tmp_path, SMALL_DECK))
    card_id = study(db_of(tmp_path), "spain")
    kept = history(db_of(tmp_path), card_id)
    without_spain = SMALL_DECK.split("  - id: spain")[0]

    out = import_ok(tmp_path, write_deck(tmp_path, without_spain))

    assert out == "capitals: 0 added, 0 updated, 1 retired, 2 unchanged\n"
    row = card_row(db_of(tmp_path), "spain")
    assert (row["id"], row["retired"]) == (card_id, 1)
    assert history(db_of(tmp_path), card_id) == kept
    with Store.open(db_of(tmp_path)) as store:
        assert [c.id for c in deck_from_collection(store, "capitals").cards] == ["france", "italy"]
    exported = invoke(db_of(tmp_path), "export", "capitals").stdout
    assert "spain" not in exported

    # importing the same file again retires nothing more
    again = import_ok(tmp_path, tmp_path / "deck.yaml")
    assert again == "capitals: 0 added, 0 updated, 0 retired, 2 unchanged (no changes)\n"


def test_retired_card_that_reappears_is_restored_with_its_history(tmp_path: Path) -> None:
    import_ok(tmp_path, write_deck(tmp_path, SMALL_DECK))
    card_id = study(db_of(tmp_path), "italy")
    kept = history(db_of(tmp_path), card_id)
    import_ok(tmp_path, write_deck(tmp_path, SMALL_DECK.replace("id: italy", "id: italia")))

    out = import_ok(tmp_path, write_deck(tmp_path, SMALL_DECK))

    assert out == "capitals: 0 added, 0 updated, 1 retired, 2 unchanged, 1 restored\n"
    row = card_row(db_of(tmp_path), "italy")
    assert (row["id"], row["retired"]) == (card_id, 0)
    assert card_row(db_of(tmp_path), "italia")["retired"] == 1
    assert history(db_of(tmp_path), card_id) == kept


def test_status_leaves_out_retired_cards(tmp_path: Path) -> None:
    import_ok(tmp_path, write_deck(tmp_path, SMALL_DECK))
    import_ok(tmp_path, write_deck(tmp_path, SMALL_DECK.replace("id: italy", "id: italia")))
    import_ok(tmp_path, write_deck(tmp_path, SMALL_DECK.replace("id: spain", "id: espana")))

    result = invoke(db_of(tmp_path), "status")

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["deck", "cards", "new", "learning", "review", "due", "retired"]
    (row,) = [line.split() for line in lines[1:] if line.startswith("capitals")]
    assert (row[1], row[2], row[6]) == ("3", "3", "2")


def test_changing_only_the_exam_is_written(tmp_path: Path) -> None:
    deck_file = write_deck(tmp_path, RICH_DECK)
    import_ok(tmp_path, deck_file)

    out = import_ok(tmp_path, write_deck(tmp_path, RICH_DECK.replace("70%", "80%")))

    assert "(no changes)" not in out
    with Store.open(db_of(tmp_path)) as store:
        assert deck_from_collection(store, "rich").exam.pass_mark == 0.8


# --- all or nothing -----------------------------------------------------------------------------


def test_one_bad_card_in_a_2000_card_deck_leaves_the_collection_unchanged(tmp_path: Path) -> None:
    import_ok(tmp_path, write_deck(tmp_path, SMALL_DECK))
    study(db_of(tmp_path), "france")
    before = dump_db(db_of(tmp_path))
    big = write_deck(tmp_path, many_cards_deck(2000, bad_at=1000), "big.yaml")

    result = invoke(db_of(tmp_path), "import", str(big))

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"{big}:4004:5: 'answer' is required\n"
    assert row_counts(db_of(tmp_path)) == {t: len(rows) for t, rows in before.items()}
    assert dump_db(db_of(tmp_path)) == before
    assert backups_in(tmp_path / "backups") == []


def test_the_same_2000_card_deck_without_the_bad_card_imports(tmp_path: Path) -> None:
    big = write_deck(tmp_path, many_cards_deck(2000), "big.yaml")

    out = import_ok(tmp_path, big)

    assert out == "big: 2,000 added, 0 updated, 0 retired, 0 unchanged\n"


def test_a_bad_second_file_means_neither_file_is_imported(tmp_path: Path) -> None:
    import_ok(tmp_path, write_deck(tmp_path, SMALL_DECK))
    before = dump_db(db_of(tmp_path))
    good = write_deck(tmp_path, SMALL_DECK.replace("capitals", "good"), "a.yaml")
    edited = write_deck(tmp_path, SMALL_DECK.replace("Paris", "Paris, France"), "b.yaml")
    bad = write_deck(tmp_path, "deck: bad\ntitle: Bad\ncards: []\n", "c.yaml")

    result = invoke(db_of(tmp_path), "import", str(good), str(edited), str(bad))

    assert result.exit_code == 1
    assert result.stderr == f"{bad}:3:8: 'cards' must hold at least one card\n"
    assert dump_db(db_of(tmp_path)) == before


def test_problems_of_every_file_are_reported_before_anything_is_written(tmp_path: Path) -> None:
    first = write_deck(tmp_path, "deck: a\ntitle: A\n", "a.yaml")
    second = write_deck(tmp_path, "deck: b\ncards: []\n", "b.yaml")

    result = invoke(db_of(tmp_path), "import", str(first), str(second))

    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 3
    assert result.stdout == ""


@pytest.mark.parametrize("deck", ["deck: a\ntitle: A\n", None], ids=["invalid", "missing"])
def test_refused_import_creates_no_collection(tmp_path: Path, deck: str | None) -> None:
    path = tmp_path / "deck.yaml"
    if deck is not None:
        path.write_text(deck)

    result = invoke(db_of(tmp_path), "import", str(path))

    assert result.exit_code == 1
    assert not db_of(tmp_path).exists()


def test_a_write_failing_midway_rolls_back_every_deck(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_ok(tmp_path, write_deck(tmp_path, SMALL_DECK))
    before = dump_db(db_of(tmp_path))
    real_write = srs.decks.importer._write_deck

    def failing_on_second(store: Store, deck: Deck, *args: Any) -> None:
        if deck.id == "second":
            raise sqlite3.OperationalError("disk I/O error")
        real_write(store, deck, *args)

    monkeypatch.setattr(srs.decks.importer, "_write_deck", failing_on_second)
    first = parse_deck(SMALL_DECK.replace("Paris", "Paname").encode())
    second = parse_deck(SMALL_DECK.replace("capitals", "second").encode())

    with (
        Store.open(db_of(tmp_path)) as store,
        pytest.raises(CollectionError, match="disk I/O error"),
    ):
        import_decks(store, [first, second])

    assert dump_db(db_of(tmp_path)) == before


def test_import_plans_again_when_another_process_writes_in_between(tmp_path: Path) -> None:
    import_ok(tmp_path, write_deck(tmp_path, SMALL_DECK))
    without_spain = parse_deck(SMALL_DECK.split("  - id: spain")[0].encode())
    wanted = parse_deck(SMALL_DECK.replace("Paris", "Paname").encode())

    def other_process_retires_spain() -> None:
        with Store.open(db_of(tmp_path)) as other:
            import_decks(other, [without_spain])

    with Store.open(db_of(tmp_path)) as store:
        (changes,) = import_decks(store, [wanted], before_write=other_process_retires_spain)
        assert deck_from_collection(store, "capitals") == wanted

    assert (changes.updated, changes.restored, changes.retired) == (["france"], ["spain"], [])


def test_two_files_with_the_same_deck_id_are_refused_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    import_ok(tmp_path, write_deck(tmp_path, SMALL_DECK))
    before = dump_db(db_of(tmp_path))
    one = write_deck(tmp_path, SMALL_DECK.replace("Paris", "Paname"), "one.yaml")
    two = write_deck(tmp_path, SMALL_DECK.replace("Rome", "Roma"), "two.yaml")

    result = invoke(db_of(tmp_path), "import", str(one), str(two))

    assert result.exit_code == 1
    assert result.stderr == (
        f"{two}:1:1: deck id 'capitals' is given by two files in one import (also {one})\n"
    )
    assert dump_db(db_of(tmp_path)) == before


def test_two_new_files_with_the_same_deck_id_are_refused(tmp_path: Path) -> None:
    one = write_deck(tmp_path, SMALL_DECK, "one.yaml")
    two = write_deck(tmp_path, SMALL_DECK.replace("Rome", "Roma"), "two.yaml")

    result = invoke(db_of(tmp_path), "import", str(one), str(two))

    assert result.exit_code == 1
    assert "given by two files" in result.stderr
    with Store.open(db_of(tmp_path)) as store:
        assert store.conn.execute("SELECT count(*) FROM cards").fetchone()[0] == 0


def test_import_decks_refuses_two_decks_with_one_id(tmp_path: Path) -> None:
    deck = parse_deck(SMALL_DECK.encode())
    with Store.open(db_of(tmp_path)) as store, pytest.raises(CollectionError):
        import_decks(store, [deck, deck])


def test_two_unchanged_files_with_the_same_deck_id_are_refused(tmp_path: Path) -> None:
    import_ok(tmp_path, write_deck(tmp_path, SMALL_DECK))
    copy = write_deck(tmp_path, SMALL_DECK, "copy.yaml")

    result = invoke(db_of(tmp_path), "import", str(tmp_path / "deck.yaml"), str(copy))

    assert result.exit_code == 1
    assert "given by two files" in result.stderr
    assert "(no changes)" not in result.stdout


def test_unchanged_and_edited_file_with_the_same_deck_id_are_refused(tmp_path: Path) -> None:
    import_ok(tmp_path, write_deck(tmp_path, SMALL_DECK))
    before = dump_db(db_of(tmp_path))
    edited = write_deck(tmp_path, SMALL_DECK.replace("Rome", "Roma"), "edited.yaml")

    result = invoke(db_of(tmp_path), "import", str(tmp_path / "deck.yaml"), str(edited))

    assert result.exit_code == 1
    assert "given by two files" in result.stderr
    assert dump_db(db_of(tmp_path)) == before


def test_reimporting_a_file_after_another_import_changed_its_deck_applies_it(
    tmp_path: Path,
) -> None:
    original = write_deck(tmp_path, SMALL_DECK)
    import_ok(tmp_path, original)
    with Store.open(db_of(tmp_path)) as store:  # e.g. the study app importing an edited copy
        import_decks(store, [parse_deck(SMALL_DECK.replace("Rome", "Roma").encode())])

    out = import_ok(tmp_path, original)

    assert out == "capitals: 0 added, 1 updated, 0 retired, 2 unchanged\n"
    assert json.loads(card_row(db_of(tmp_path), "italy")["answers"]) == ["Rome"]


def test_dry_run_refuses_two_files_with_the_same_deck_id(tmp_path: Path) -> None:
    one = write_deck(tmp_path, SMALL_DECK, "one.yaml")
    two = write_deck(tmp_path, SMALL_DECK.replace("Rome", "Roma"), "two.yaml")

    result = invoke(db_of(tmp_path), "import", "--dry-run", str(one), str(two))

    assert result.exit_code == 1


def test_refused_import_takes_no_backup(tmp_path: Path) -> None:
    import_ok(tmp_path, write_deck(tmp_path, SMALL_DECK))
    one = write_deck(tmp_path, SMALL_DECK.replace("Paris", "Paname"), "one.yaml")
    two = write_deck(tmp_path, SMALL_DECK.replace("Rome", "Roma"), "two.yaml")

    result = invoke(db_of(tmp_path), "import", str(one), str(two))

    assert result.exit_code == 1
    assert backups_in(tmp_path / "backups") == []


# --- dry run ------------------------------------------------------------------------------------


def test_dry_run_shows_the_changes_and_writes_nothing(tmp_path: Path) -> None:
    import_ok(tmp_path, write_deck(tmp_path, SMALL_DECK))
    study(db_of(tmp_path), "france")
    before = dump_db(db_of(tmp_path))
    edited = SMALL_DECK.replace("Paris", "Paname").replace("id: spain", "id: portugal")

    out = import_ok(tmp_path, write_deck(tmp_path, edited), extra=("--dry-run",))

    assert out == (
        "capitals: 1 added, 1 updated, 1 retired, 1 unchanged\ndry run: nothing was written\n"
    )
    assert dump_db(db_of(tmp_path)) == before
    assert backups_in(tmp_path / "backups") == []


def test_dry_run_json_says_it_is_a_dry_run(tmp_path: Path) -> None:
    import_ok(tmp_path, write_deck(tmp_path, SMALL_DECK))
    before = dump_db(db_of(tmp_path))

    out = import_ok(tmp_path, BUNDLED_DECK, extra=("--dry-run", "--json"))

    assert json.loads(out) == {
        "dry_run": True,
        "decks": [
            {
                "deck": "synthetic-data",
                "added": 20,
                "updated": 0,
                "retired": 0,
                "restored": 0,
                "unchanged": 0,
            }
        ],
    }
    assert dump_db(db_of(tmp_path)) == before


def test_dry_run_without_a_collection_creates_no_file(tmp_path: Path) -> None:
    import_ok(tmp_path, BUNDLED_DECK, extra=("--dry-run",))

    assert not db_of(tmp_path).exists()


# --- export -------------------------------------------------------------------------------------


def test_export_then_import_changes_nothing(tmp_path: Path) -> None:
    original = write_deck(tmp_path, RICH_DECK)
    import_ok(tmp_path, original)
    before = dump_db(db_of(tmp_path), skip=("fingerprint",))
    exported = tmp_path / "exported.yaml"

    result = invoke(db_of(tmp_path), "export", "rich", "-o", str(exported))

    assert result.exit_code == 0
    assert result.stdout == f"wrote {exported}\n"
    assert load_deck(exported) == load_deck(original)
    assert import_ok(tmp_path, exported) == (
        "rich: 0 added, 0 updated, 0 retired, 4 unchanged (no changes)\n"
    )
    # Only the bookkeeping of which file was imported last may change.
    assert dump_db(db_of(tmp_path), skip=("fingerprint",)) == before


def test_exported_deck_keeps_every_feature(tmp_path: Path) -> None:
    import_ok(tmp_path, write_deck(tmp_path, RICH_DECK))

    text = invoke(db_of(tmp_path), "export", "rich").stdout
    deck = parse_deck(text.encode())

    assert deck.exam.time_limit == 5400
    assert deck.exam.blueprint == (("Maths", 2), ("Geography", 1))
    assert deck.exam.title == "Timed final"
    m1, m2, _, free = deck.cards
    assert m1.distractors[1].feedback == "That is concatenation, not addition."
    assert m1.explanation == "Two pairs make four.\nSecond line.\n"
    assert m2.answers == ("2", "4")
    assert free.id == "free.recall_1" and not free.is_multiple_choice


def test_export_to_stdout_equals_export_to_file(tmp_path: Path) -> None:
    import_ok(tmp_path, BUNDLED_DECK)
    out_file = tmp_path / "out.yaml"

    printed = invoke(db_of(tmp_path), "export", "synthetic-data").stdout
    invoke(db_of(tmp_path), "export", "synthetic-data", "-o", str(out_file))

    assert printed == out_file.read_text(encoding="utf-8")
    assert parse_deck(printed.encode()) == load_deck(BUNDLED_DECK)


def test_export_of_the_bundled_deck_round_trips(tmp_path: Path) -> None:
    import_ok(tmp_path, BUNDLED_DECK)
    exported = tmp_path / "exported.yaml"
    invoke(db_of(tmp_path), "export", "synthetic-data", "-o", str(exported))

    out = import_ok(tmp_path, exported)

    assert out.endswith("20 unchanged (no changes)\n")


def test_export_of_an_unknown_deck_is_a_one_line_error(tmp_path: Path) -> None:
    import_ok(tmp_path, BUNDLED_DECK)

    result = invoke(db_of(tmp_path), "export", "nope")

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "srs: error: no deck 'nope' in the collection\n"


def test_dump_deck_of_a_loaded_deck_loads_back_equal() -> None:
    deck = parse_deck(RICH_DECK.encode())
    assert parse_deck(dump_deck(deck).encode()) == deck


@pytest.mark.parametrize("pass_mark", ["0.333", "12.345678%"])
def test_export_then_import_of_a_fractional_pass_mark_changes_nothing(
    tmp_path: Path, pass_mark: str
) -> None:
    original = write_deck(tmp_path, RICH_DECK.replace("70%", pass_mark))
    import_ok(tmp_path, original)
    exported = tmp_path / "exported.yaml"
    invoke(db_of(tmp_path), "export", "rich", "-o", str(exported))

    out = import_ok(tmp_path, exported)

    assert out.endswith("(no changes)\n")
