"""The collection file: what it is made of, what it refuses to open, and how it is written."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest
from helpers import BUNDLED_DECK, dump_db, file_hash, hammer, invoke, pragma

import srs.collection.store
from srs.collection.schema import APPLICATION_ID, SCHEMA_VERSION
from srs.collection.store import CollectionError, Store
from srs.decks.importer import import_decks
from srs.decks.validate import load_deck


@pytest.fixture
def collection(tmp_path: Path) -> Path:
    """A closed collection file holding the bundled deck (20 cards)."""
    path = tmp_path / "collection.db"
    with Store.open(path) as store:
        import_decks(store, [load_deck(BUNDLED_DECK)])
    return path


def refused(path: Path) -> str:
    """Open `path`, expecting a refusal; returns the message."""
    with pytest.raises(CollectionError) as caught:
        Store.open(path)
    return str(caught.value)


# --- what a collection is -----------------------------------------------------------------------


def test_new_collection_is_marked_versioned_and_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "c.db"

    with Store.open(path) as store:
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    assert pragma(path, "user_version") == SCHEMA_VERSION
    assert pragma(path, "application_id") == APPLICATION_ID
    assert pragma(path, "journal_mode") == "wal"


def test_new_collection_creates_missing_folders(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "c.db"

    Store.open(path).close()

    assert path.is_file()


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    with Store.open(tmp_path / "c.db") as store, pytest.raises(sqlite3.IntegrityError):  # noqa: SIM117
        with store.write():
            store.conn.execute(
                "INSERT INTO cards (deck_id, key, position, question, answers, distractors, "
                "tags, created_at, updated_at) VALUES ('nope', 'k', 0, 'q', '[]', '[]', '[]', "
                "'t', 't')"
            )


def test_reopening_a_collection_keeps_its_cards(collection: Path) -> None:
    before = dump_db(collection)

    with Store.open(collection) as store:
        assert store.conn.execute("SELECT count(*) FROM cards").fetchone()[0] == 20

    assert dump_db(collection) == before


def test_write_rolls_back_everything_on_error(collection: Path) -> None:
    before = dump_db(collection)

    with Store.open(collection) as store:
        with pytest.raises(RuntimeError), store.write():
            store.conn.execute("UPDATE cards SET question = 'changed'")
            store.conn.execute("DELETE FROM memory")
            raise RuntimeError("interrupted")
        assert not store.conn.in_transaction

    assert dump_db(collection) == before


def test_meta_values_are_written_and_read_back(tmp_path: Path) -> None:
    with Store.open(tmp_path / "c.db") as store:
        assert store.meta("answer", "none") == "none"
        store.set_meta("answer", "42")
        store.set_meta("answer", "43")
    with Store.open(tmp_path / "c.db") as store:
        assert store.meta("answer") == "43"


# --- files that are not a collection ------------------------------------------------------------


def test_newer_schema_is_refused_and_the_file_is_not_changed(collection: Path) -> None:
    conn = sqlite3.connect(collection)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = file_hash(collection)

    message = refused(collection)

    assert f"newer srs (schema {SCHEMA_VERSION + 1}" in message
    assert "not changed" in message
    assert file_hash(collection) == before
    assert pragma(collection, "user_version") == SCHEMA_VERSION + 1


def test_newer_schema_is_one_line_error_in_the_cli(collection: Path) -> None:
    conn = sqlite3.connect(collection)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    before = file_hash(collection)

    result = invoke(collection, "import", str(BUNDLED_DECK))

    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("srs: error: ")
    assert "newer srs" in result.stderr
    assert file_hash(collection) == before


def test_empty_file_is_refused_and_stays_empty(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    path.touch()

    message = refused(path)

    assert "empty (0 bytes)" in message
    assert path.stat().st_size == 0


def test_empty_file_is_never_used_as_a_fresh_collection_by_import(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    path.touch()

    result = invoke(path, "import", str(BUNDLED_DECK))

    assert result.exit_code == 1
    assert "empty (0 bytes)" in result.stderr
    assert path.stat().st_size == 0


def test_truncated_collection_is_refused(collection: Path, tmp_path: Path) -> None:
    data = collection.read_bytes()
    assert len(data) >= 4 * 4096
    cut = tmp_path / "cut.db"
    cut.write_bytes(data[: len(data) // 2])
    before = file_hash(cut)

    message = refused(cut)

    assert "truncated" in message
    assert file_hash(cut) == before


def test_text_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 10)
    before = file_hash(path)

    assert "not an SQLite database" in refused(path)
    assert file_hash(path) == before


def test_another_apps_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('Ada', '123')")
    conn.commit()
    conn.close()
    before = file_hash(path)

    assert "not an srs collection" in refused(path)
    assert file_hash(path) == before


def test_another_apps_database_with_a_user_version_is_called_foreign(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.execute("PRAGMA user_version = 7")
    conn.commit()
    conn.close()

    assert "not an srs collection" in refused(path)


def test_database_with_a_foreign_application_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.execute("CREATE TABLE t (a)")
    conn.commit()
    conn.close()

    assert "not an srs collection" in refused(path)


def test_folder_is_refused(tmp_path: Path) -> None:
    assert "is a folder" in refused(tmp_path)


# --- two processes ------------------------------------------------------------------------------


def test_two_processes_writing_at_once_never_fail_with_database_locked(collection: Path) -> None:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    results = context.Queue()
    workers = [
        context.Process(target=hammer, args=(str(collection), 100, barrier, results))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    failures = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)

    assert [w.exitcode for w in workers] == [0, 0]
    assert failures == [0, 0]
    with Store.open(collection) as store:
        assert store.meta("counter") == "200"  # no lost update either


# --- migrations ---------------------------------------------------------------------------------


def _add_migration(monkeypatch: pytest.MonkeyPatch, step: list[str]) -> None:
    monkeypatch.setattr(
        srs.collection.store, "MIGRATIONS", [*srs.collection.store.MIGRATIONS, step]
    )
    monkeypatch.setattr(srs.collection.store, "SCHEMA_VERSION", SCHEMA_VERSION + 1)


def test_failed_migration_step_rolls_back_entirely(
    collection: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = dump_db(collection)
    _add_migration(
        monkeypatch,
        [
            "CREATE TABLE extra (a)",
            "UPDATE cards SET question = 'x'",
            "INSERT INTO nowhere VALUES (1)",
        ],
    )

    message = refused(collection)

    assert "nowhere" in message
    assert pragma(collection, "user_version") == SCHEMA_VERSION
    assert dump_db(collection) == before  # no 'extra' table, no changed question


def test_migration_step_upgrades_an_existing_collection_and_keeps_its_data(
    collection: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = dump_db(collection)
    _add_migration(monkeypatch, ["ALTER TABLE cards ADD COLUMN note TEXT"])
    seen: list[int] = []

    with Store.open(
        collection,
        before_migration=lambda s: seen.append(s.conn.execute("PRAGMA user_version").fetchone()[0]),
    ):
        pass

    assert seen == [SCHEMA_VERSION]  # called once, before the step ran
    assert pragma(collection, "user_version") == SCHEMA_VERSION + 1
    after = dump_db(collection)
    assert [row[:-1] for row in after["cards"]] == before["cards"]


def test_before_migration_is_not_called_for_a_new_or_current_collection(
    tmp_path: Path,
) -> None:
    calls: list[object] = []
    path = tmp_path / "c.db"

    Store.open(path, before_migration=calls.append).close()
    Store.open(path, before_migration=calls.append).close()

    assert calls == []


def test_cli_backs_up_a_collection_before_migrating_it(
    collection: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = dump_db(collection)
    _add_migration(monkeypatch, ["CREATE TABLE extra (a)"])

    result = invoke(collection, "backup", "--list")

    assert result.exit_code == 0
    (backup,) = sorted((collection.parent / "backups").glob("srs-*-migration.db"))
    assert pragma(backup, "user_version") == SCHEMA_VERSION
    assert dump_db(backup) == before
    assert pragma(collection, "user_version") == SCHEMA_VERSION + 1
