"""The collection file: what it is made of, what it refuses to open, and how it is written."""

from __future__ import annotations

import multiprocessing
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from crash_driver import KilledMidCheckpoint
from helpers import (
    BUNDLED_DECK,
    SMALL_DECK,
    dump_db,
    file_hash,
    hammer,
    invoke,
    pragma,
    row_counts,
    write_deck,
)

import srs.collection.store
from srs.collection.backup import write_backup
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


ORPHAN_CARD = (
    "INSERT INTO cards (deck_id, key, position, question, answers, distractors, tags, "
    "created_at, updated_at) VALUES ('nope', 'k', 0, 'q', '[]', '[]', '[]', 't', 't')"
)
"""A card of a deck that does not exist: the foreign key refuses it."""


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    with Store.open(tmp_path / "c.db") as store:
        with pytest.raises(CollectionError, match="FOREIGN KEY constraint failed"), store.write():
            store.conn.execute(ORPHAN_CARD)
        assert not store.conn.in_transaction


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


def test_a_failed_commit_is_a_collection_error_and_writes_nothing(collection: Path) -> None:
    before = dump_db(collection)

    with Store.open(collection) as store:
        with pytest.raises(CollectionError, match="FOREIGN KEY constraint failed"), store.write():
            # A deferred constraint is checked at COMMIT: the commit itself fails.
            store.conn.execute("PRAGMA defer_foreign_keys = ON")
            store.conn.execute("UPDATE cards SET question = 'changed'")
            store.conn.execute(ORPHAN_CARD)
        assert not store.conn.in_transaction
        assert store.conn.execute("PRAGMA defer_foreign_keys").fetchone()[0] == 0

    assert dump_db(collection) == before


def test_a_full_disk_inside_a_write_is_a_collection_error_and_writes_nothing(
    collection: Path,
) -> None:
    before = dump_db(collection)

    with Store.open(collection) as store:
        # SQLite's page limit fails a write with SQLITE_FULL, as a full disk does.
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(CollectionError) as caught, store.write():
            store.conn.execute("UPDATE cards SET question = 'changed'")
            store.conn.execute("INSERT INTO meta VALUES ('big', ?)", ("x" * 200_000,))
        assert not store.conn.in_transaction

    assert "the disk is full" in str(caught.value)
    assert str(collection) in str(caught.value)
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


def test_collection_killed_mid_checkpoint_opens_with_every_answer(
    killed_mid_checkpoint: KilledMidCheckpoint,
) -> None:
    with Store.open(killed_mid_checkpoint.path) as store:
        reviews = store.conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
        check = store.conn.execute("PRAGMA quick_check").fetchone()[0]

    assert reviews == killed_mid_checkpoint.answers > 0
    assert check == "ok"


def test_status_reads_a_collection_killed_mid_checkpoint(
    killed_mid_checkpoint: KilledMidCheckpoint,
) -> None:
    result = invoke(killed_mid_checkpoint.path, "status")

    assert result.exit_code == 0, result.stderr
    assert "synthetic-data" in result.stdout


def test_restore_over_a_collection_killed_mid_checkpoint_saves_all_its_answers(
    killed_mid_checkpoint: KilledMidCheckpoint, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    with Store.open(other / "c.db") as store:
        import_decks(store, [load_deck(BUNDLED_DECK)])
        good = write_backup(store, other / "good.db")

    result = invoke(killed_mid_checkpoint.path, "restore", str(good))

    assert result.exit_code == 0, result.stderr
    (saved,) = (tmp_path / "backups").glob("srs-*-pre-restore.db")
    assert row_counts(saved)["reviews"] == killed_mid_checkpoint.answers


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


# --- a collection this process cannot write -----------------------------------------------------

READ_COMMANDS = [
    ("status",),
    ("export", "synthetic-data"),
    ("exam", "history", "synthetic-data"),
    ("exam", "calibration", "synthetic-data"),
    ("config", "synthetic-data"),
    ("config", "-", "day_start_hour"),
    ("backup", "--list"),
]

WRITE_COMMANDS = [
    ("import", "{deck}"),
    ("config", "synthetic-data", "new_per_day", "30"),
    ("suspend", "synthetic-data", "dactyl-domain-randomization"),
    ("restore", "{backup}"),
]
"""Commands that change the collection; {deck} is a new deck file, {backup} a good backup."""


@pytest.fixture
def unwritable(collection: Path, make_read_only: Callable[[Path], None]) -> Path:
    """The collection, closed cleanly, in a folder (and a file) this process cannot write."""
    make_read_only(collection)
    make_read_only(collection.parent)
    return collection


@pytest.mark.parametrize("command", READ_COMMANDS, ids=" ".join)
def test_read_commands_work_on_a_collection_that_cannot_be_written(
    unwritable: Path, command: tuple[str, ...]
) -> None:
    files = sorted(unwritable.parent.iterdir())

    result = invoke(unwritable, *command)

    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert sorted(unwritable.parent.iterdir()) == files


def test_status_of_a_collection_that_cannot_be_written_shows_its_decks(unwritable: Path) -> None:
    result = invoke(unwritable, "status")

    deck, cards, new, *_ = result.stdout.splitlines()[1].split()
    assert (deck, cards, new) == ("synthetic-data", "20", "20")


def test_collection_that_cannot_be_written_is_backed_up_elsewhere(
    unwritable: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    dest = tmp_path_factory.mktemp("elsewhere") / "copy.db"

    result = invoke(unwritable, "backup", "-o", str(dest))

    assert result.exit_code == 0, result.stderr
    assert row_counts(dest)["cards"] == 20
    assert pragma(dest, "integrity_check") == "ok"


@pytest.mark.parametrize("command", WRITE_COMMANDS, ids=lambda c: c[0])
def test_write_commands_on_a_collection_that_cannot_be_written_fail_in_one_line(
    unwritable: Path, command: tuple[str, ...], tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    deck = write_deck(elsewhere, SMALL_DECK)
    with Store.open(elsewhere / "c.db") as other:
        backup = write_backup(other, elsewhere / "backup.db")
    before = file_hash(unwritable)

    result = invoke(unwritable, *(arg.format(deck=deck, backup=backup) for arg in command))

    assert result.exit_code == 1
    assert result.stderr == (
        f"srs: error: {unwritable} is read-only here (the file or its folder cannot be "
        "written), so it cannot be changed\n"
    )
    assert file_hash(unwritable) == before


def test_read_only_file_in_a_writable_folder_is_read_without_creating_files(
    collection: Path, make_read_only: Callable[[Path], None]
) -> None:
    make_read_only(collection)

    result = invoke(collection, "status")

    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in collection.parent.iterdir()) == ["collection.db"]


def test_read_only_collection_shows_the_answers_still_in_its_wal(
    killed_mid_checkpoint: KilledMidCheckpoint, make_read_only: Callable[[Path], None]
) -> None:
    path = killed_mid_checkpoint.path
    make_read_only(path)
    make_read_only(path.parent)

    with Store.open(path, read_only=True) as store:
        reviews = store.conn.execute("SELECT count(*) FROM reviews").fetchone()[0]

    assert reviews == killed_mid_checkpoint.answers


def test_read_only_folder_with_a_wal_it_cannot_index_says_so(
    killed_mid_checkpoint: KilledMidCheckpoint, make_read_only: Callable[[Path], None]
) -> None:
    path = killed_mid_checkpoint.path
    Path(f"{path}-shm").unlink()
    make_read_only(path.parent)

    result = invoke(path, "status")

    assert result.exit_code == 1
    assert result.stderr == (
        f"srs: error: {path} has committed changes in {path.name}-wal that SQLite can only read "
        f"with write access to {path.parent} (to create {path.name}-shm): make the folder "
        "writable, or copy the file together with its -wal file to a writable folder\n"
    )


def test_read_only_collection_that_needs_an_upgrade_says_so(
    unwritable: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add_migration(monkeypatch, ["CREATE TABLE extra (a)"])

    result = invoke(unwritable, "status")

    assert result.exit_code == 1
    assert result.stderr == (
        f"srs: error: {unwritable} has schema {SCHEMA_VERSION} and this srs needs "
        f"{SCHEMA_VERSION + 1}; the upgrade writes to it, and it is read-only here: make the "
        "file and its folder writable and run srs once\n"
    )


def test_read_only_store_refuses_to_write_and_creates_nothing(collection: Path) -> None:
    before = file_hash(collection)

    with Store.open(collection, read_only=True) as store:
        with pytest.raises(CollectionError, match="is read-only here"), store.write():
            store.conn.execute("DELETE FROM cards")
        assert store.conn.execute("SELECT count(*) FROM cards").fetchone()[0] == 20

    assert file_hash(collection) == before
    assert sorted(p.name for p in collection.parent.iterdir()) == ["collection.db"]


# --- privacy ------------------------------------------------------------------------------------


def mode_of(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.mark.usefixtures("umask_022")
def test_new_collection_its_wal_and_the_folders_made_for_it_are_private(tmp_path: Path) -> None:
    path = tmp_path / "data" / "srs" / "collection.db"

    with Store.open(path) as store:
        store.set_meta("answer", "42")
        sides = [Path(f"{path}-wal"), Path(f"{path}-shm")]
        side_modes = [mode_of(side) for side in sides]

    assert mode_of(path) == 0o600
    assert side_modes == [0o600, 0o600]
    assert [mode_of(tmp_path / "data"), mode_of(path.parent)] == [0o700, 0o700]
