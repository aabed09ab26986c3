"""Backups: verified copies through SQLite's backup API, taken before risky changes, thinned
like Anki's, and restored without losing the state they replace."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from crash_driver import KilledMidCheckpoint
from fsrs import Rating
from helpers import (
    BUNDLED_DECK,
    SMALL_DECK,
    backups_in,
    dump_db,
    file_hash,
    invoke,
    pragma,
    row_counts,
    write_deck,
)

from srs.collection.backup import (
    Backup,
    automatic_backup,
    list_backups,
    restore,
    thin,
    write_backup,
)
from srs.collection.schema import APPLICATION_ID, SCHEMA_VERSION
from srs.collection.store import CollectionError, Store
from srs.decks.importer import import_decks
from srs.decks.validate import load_deck
from srs.study.answers import record_answer


def db_of(tmp_path: Path) -> Path:
    return tmp_path / "collection.db"


def import_file(tmp_path: Path, text: str) -> str:
    result = invoke(db_of(tmp_path), "import", str(write_deck(tmp_path, text)))
    assert result.exit_code == 0, result.output
    return result.stdout


def question(db: Path, key: str) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT question FROM cards WHERE key = ?", (key,)).fetchone()[0]
    finally:
        conn.close()


# --- srs backup ---------------------------------------------------------------------------------


def test_backup_keeps_rows_that_are_only_in_the_wal(tmp_path: Path) -> None:
    path = db_of(tmp_path)
    with Store.open(path) as live:
        live.conn.execute("PRAGMA wal_autocheckpoint = 0")
        import_decks(live, [load_deck(BUNDLED_DECK)])
        # The hazard is real: a file copy of the live collection has none of the cards.
        naive = tmp_path / "naive-copy.db"
        shutil.copyfile(path, naive)
        assert row_counts(naive).get("cards", 0) == 0
        live_counts = {
            t: live.conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
            for (t,) in live.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        dest = tmp_path / "copy.db"

        result = invoke(path, "backup", "-o", str(dest))

        assert result.exit_code == 0, result.output
        assert result.stdout == f"backed up to {dest}\n"
        assert live_counts["cards"] == 20
        assert row_counts(dest) == live_counts
    assert pragma(dest, "integrity_check") == "ok"
    assert pragma(dest, "application_id") == APPLICATION_ID
    assert pragma(dest, "user_version") == SCHEMA_VERSION
    assert dump_db(dest) == dump_db(path)


def test_backup_to_an_existing_file_is_refused(tmp_path: Path) -> None:
    import_file(tmp_path, SMALL_DECK)
    dest = tmp_path / "precious.db"
    dest.write_text("do not overwrite me")

    result = invoke(db_of(tmp_path), "backup", "-o", str(dest))

    assert result.exit_code == 1
    assert result.stderr == f"srs: error: {dest} already exists; choose another file\n"
    assert dest.read_text() == "do not overwrite me"


def test_backup_without_output_goes_to_the_backups_folder_and_is_listed(tmp_path: Path) -> None:
    import_file(tmp_path, SMALL_DECK)

    result = invoke(db_of(tmp_path), "backup")

    assert result.exit_code == 0
    (name,) = backups_in(tmp_path / "backups")
    assert name.endswith("-manual.db")
    assert dump_db(tmp_path / "backups" / name) == dump_db(db_of(tmp_path))
    listing = invoke(db_of(tmp_path), "backup", "--list")
    assert listing.exit_code == 0
    assert "manual" in listing.stdout and name in listing.stdout


def test_write_backup_refuses_an_existing_destination(tmp_path: Path) -> None:
    with Store.open(db_of(tmp_path)) as store:
        dest = write_backup(store, tmp_path / "b.db")
        before = file_hash(dest)
        with pytest.raises(CollectionError, match="already exists"):
            write_backup(store, dest)
    assert file_hash(dest) == before


# --- automatic backups --------------------------------------------------------------------------


def test_first_import_into_an_empty_collection_takes_no_backup(tmp_path: Path) -> None:
    import_file(tmp_path, SMALL_DECK)

    assert backups_in(tmp_path / "backups") == []


def test_import_that_changes_cards_backs_up_the_state_before_it(tmp_path: Path) -> None:
    import_file(tmp_path, SMALL_DECK)
    before = dump_db(db_of(tmp_path))

    import_file(tmp_path, SMALL_DECK.replace("Paris", "Paname"))

    (name,) = backups_in(tmp_path / "backups")
    assert name.endswith("-import.db")
    assert dump_db(tmp_path / "backups" / name) == before
    assert pragma(tmp_path / "backups" / name, "integrity_check") == "ok"


def test_import_that_changes_nothing_takes_no_backup(tmp_path: Path) -> None:
    import_file(tmp_path, SMALL_DECK)

    out = import_file(tmp_path, SMALL_DECK)

    assert out.endswith("(no changes)\n")
    assert backups_in(tmp_path / "backups") == []


def test_dry_run_takes_no_backup(tmp_path: Path) -> None:
    import_file(tmp_path, SMALL_DECK)
    edited = write_deck(tmp_path, SMALL_DECK.replace("Paris", "Paname"), "edited.yaml")

    invoke(db_of(tmp_path), "import", "--dry-run", str(edited))

    assert backups_in(tmp_path / "backups") == []


def test_automatic_backup_skips_a_collection_without_cards(tmp_path: Path) -> None:
    with Store.open(db_of(tmp_path)) as store:
        assert automatic_backup(store, "import") is None
    assert backups_in(tmp_path / "backups") == []


def test_automatic_backup_keeps_one_copy_a_day_the_newest(tmp_path: Path, clock: Any) -> None:
    with Store.open(db_of(tmp_path), clock) as store:
        import_decks(store, [load_deck(BUNDLED_DECK)])
        morning = automatic_backup(store, "import")
        clock.advance(hours=2)
        later = automatic_backup(store, "import")

    assert morning is not None and later is not None
    assert backups_in(tmp_path / "backups") == [later.name]


# --- thinning -----------------------------------------------------------------------------------

TODAY = date(2026, 11, 25)


def daily_backups(days: int, *, per_day: int = 1, reason: str = "import") -> list[Backup]:
    """Backups on each of the last `days` days (newest today), `per_day` of them a day."""
    found = []
    for age in range(days):
        day = TODAY - timedelta(days=age)
        for n in range(per_day):
            taken = datetime(day.year, day.month, day.day, 8 + n, 0, tzinfo=UTC)
            name = f"srs-{taken:%Y%m%d-%H%M%S}-{reason}.db"
            found.append(Backup(Path("/backups") / name, taken, reason))
    return found


def kept_after_thinning(backups: list[Backup]) -> list[Backup]:
    deleted = {b.path for b in thin(backups, TODAY)}
    return sorted(
        (b for b in backups if b.path not in deleted), key=lambda b: b.taken_at, reverse=True
    )


def test_thinning_two_years_of_daily_backups_keeps_12_daily_10_weekly_9_monthly() -> None:
    backups = daily_backups(730)

    kept = kept_after_thinning(backups)

    assert len(kept) == 12 + 10 + 9
    daily, weekly, monthly = kept[:12], kept[12:22], kept[22:]
    assert [b.taken_at.date() for b in daily] == [TODAY - timedelta(days=n) for n in range(12)]
    weeks = [b.taken_at.isocalendar()[:2] for b in weekly]
    assert len(set(weeks)) == 10
    months = [(b.taken_at.year, b.taken_at.month) for b in monthly]
    assert len(set(months)) == 9
    # each weekly (monthly) copy is the newest of its week (month) not already kept as daily
    # (weekly), so consecutive kept copies are a week (a month) apart at most
    assert all((a.taken_at - b.taken_at).days <= 7 for a, b in pairwise(weekly))
    assert all((a.taken_at - b.taken_at).days <= 31 for a, b in pairwise(monthly))
    assert kept[-1].taken_at.date() > TODAY - timedelta(days=366)


def test_thinning_keeps_only_the_newest_backup_of_each_day() -> None:
    backups = daily_backups(5, per_day=4)

    kept = kept_after_thinning(backups)

    assert [b.taken_at for b in kept] == [
        datetime(d.year, d.month, d.day, 11, 0, tzinfo=UTC)
        for d in (TODAY - timedelta(days=n) for n in range(5))
    ]


def test_thinning_never_deletes_pre_restore_copies() -> None:
    pre_restore = daily_backups(730, reason="pre-restore")[::50]
    backups = daily_backups(730) + pre_restore

    deleted = thin(backups, TODAY)

    assert not any(b.reason == "pre-restore" for b in deleted)
    assert len(backups) - len(deleted) == 31 + len(pre_restore)


def test_thinning_a_few_backups_deletes_nothing() -> None:
    backups = daily_backups(10)
    assert thin(backups, TODAY) == []
    assert thin([], TODAY) == []


def test_automatic_backup_thins_old_copies_in_the_backups_folder(
    tmp_path: Path, clock: Any
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    now = clock.now()
    for age in range(1, 731):
        taken = now - timedelta(days=age)
        (folder / f"srs-{taken:%Y%m%d-%H%M%S}-import.db").write_bytes(b"")
    old_restore = folder / f"srs-{now - timedelta(days=700):%Y%m%d-%H%M%S}-pre-restore.db"
    old_restore.write_bytes(b"")
    (folder / "my-notes.db").write_bytes(b"")  # not a backup name: never touched

    with Store.open(db_of(tmp_path), clock) as store:
        import_decks(store, [load_deck(BUNDLED_DECK)])
        made = automatic_backup(store, "import")
        listed = list_backups(store)

    assert made is not None and made.exists()
    assert old_restore.exists()
    assert (folder / "my-notes.db").exists()
    assert len(backups_in(folder)) == 31 + 1
    assert listed[0].path == made  # newest first


# --- restore ------------------------------------------------------------------------------------


def test_restore_brings_back_the_old_rows_and_saves_the_current_state(tmp_path: Path) -> None:
    import_file(tmp_path, SMALL_DECK)
    saved = tmp_path / "before-edit.db"
    invoke(db_of(tmp_path), "backup", "-o", str(saved))
    import_file(
        tmp_path,
        SMALL_DECK.replace("Paris", "Paname") + "  - id: extra\n"
        "    question: Extra?\n    answer: Yes\n",
    )
    edited_state = dump_db(db_of(tmp_path))

    result = invoke(db_of(tmp_path), "restore", str(saved))

    assert result.exit_code == 0, result.output
    pre_restore = [n for n in backups_in(tmp_path / "backups") if n.endswith("-pre-restore.db")]
    assert len(pre_restore) == 1
    assert result.stdout == (
        f"restored {saved}; the previous state is saved in "
        f"{tmp_path / 'backups' / pre_restore[0]}\n"
    )
    assert dump_db(db_of(tmp_path)) == dump_db(saved)
    assert question(db_of(tmp_path), "france") == "What is the capital of France?"
    assert dump_db(tmp_path / "backups" / pre_restore[0]) == edited_state
    # the restored collection is fully usable
    assert import_file(tmp_path, SMALL_DECK).endswith("(no changes)\n")


def test_restore_of_an_automatic_backup_undoes_an_import(tmp_path: Path) -> None:
    import_file(tmp_path, SMALL_DECK)
    before = dump_db(db_of(tmp_path))
    import_file(tmp_path, SMALL_DECK.replace("Rome", "Roma"))
    (name,) = backups_in(tmp_path / "backups")

    result = invoke(db_of(tmp_path), "restore", str(tmp_path / "backups" / name))

    assert result.exit_code == 0, result.output
    assert dump_db(db_of(tmp_path)) == before


def _refused_restore(tmp_path: Path, backup_file: Path, fragment: str) -> None:
    import_file(tmp_path, SMALL_DECK)
    before = dump_db(db_of(tmp_path))

    result = invoke(db_of(tmp_path), "restore", str(backup_file))

    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("srs: error: ")
    assert fragment in result.stderr
    assert dump_db(db_of(tmp_path)) == before
    assert backups_in(tmp_path / "backups") == []


def test_restore_refuses_a_text_file(tmp_path: Path) -> None:
    text = tmp_path / "notes.db"
    text.write_text("not a database at all\n" * 50)

    _refused_restore(tmp_path, text, "not a usable backup")


def test_restore_refuses_another_apps_database(tmp_path: Path) -> None:
    foreign = tmp_path / "other.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()

    _refused_restore(tmp_path, foreign, "is not an srs collection")


def _good_backup(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    with Store.open(source / "c.db") as store:
        import_decks(store, [load_deck(BUNDLED_DECK)])
        return write_backup(store, tmp_path / "good-backup.db")


def test_restore_refuses_a_damaged_backup(tmp_path: Path) -> None:
    damaged = _good_backup(tmp_path)
    data = bytearray(damaged.read_bytes())
    data[3 * 4096 : 4 * 4096] = b"\x5a" * 4096  # a b-tree page overwritten with garbage
    damaged.write_bytes(bytes(data))

    _refused_restore(tmp_path, damaged, str(damaged))


def test_restore_refuses_a_truncated_backup(tmp_path: Path) -> None:
    truncated = _good_backup(tmp_path)
    data = truncated.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])

    _refused_restore(tmp_path, truncated, str(truncated))


def test_restore_refuses_a_backup_from_a_newer_srs(tmp_path: Path) -> None:
    newer = _good_backup(tmp_path)
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()

    _refused_restore(tmp_path, newer, "newer srs")


def test_restore_of_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke(db_of(tmp_path), "restore", str(tmp_path / "missing.db"))

    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_two_restores_in_one_second_both_succeed(tmp_path: Path, clock: Any) -> None:
    good = _good_backup(tmp_path)
    with Store.open(db_of(tmp_path), clock) as store:
        first = restore(store, good)
        second = restore(store, good)
    assert first != second and first.exists() and second.exists()


def test_restore_leaves_nothing_beside_the_backup_file(tmp_path: Path) -> None:
    import_file(tmp_path, SMALL_DECK)
    kept = tmp_path / "kept"
    invoke(db_of(tmp_path), "backup", "-o", str(kept / "b.db"))

    result = invoke(db_of(tmp_path), "restore", str(kept / "b.db"))

    assert result.exit_code == 0
    assert sorted(p.name for p in kept.iterdir()) == ["b.db"]


# --- backups beside a writer --------------------------------------------------------------------


def test_backup_verifies_while_another_connection_keeps_answering(tmp_path: Path) -> None:
    path = db_of(tmp_path)
    with Store.open(path) as store:
        import_decks(store, [load_deck(BUNDLED_DECK)])
    stop = threading.Event()
    answered: list[int] = []

    def answer_until_stopped() -> None:
        with Store.open(path) as writer:
            cards = [row[0] for row in writer.conn.execute("SELECT id FROM cards")]
            while not stop.is_set():
                card = cards[len(answered) % len(cards)]
                answered.append(record_answer(writer, card, Rating.Good, duration_ms=1).review_id)

    writer = threading.Thread(target=answer_until_stopped)
    writer.start()
    copies = []
    try:
        with Store.open(path) as store:
            while len(answered) < 5:
                time.sleep(0.001)
            for n in range(15):
                copies.append(write_backup(store, tmp_path / f"copy-{n}.db"))
    finally:
        stop.set()
        writer.join()

    during = [row_counts(copy)["reviews"] for copy in copies]
    assert during == sorted(during) and during[0] < during[-1] <= len(answered)
    assert all(pragma(copy, "integrity_check") == "ok" for copy in copies)


# --- restore reads the whole source -------------------------------------------------------------


def test_restore_includes_answers_still_in_the_sources_wal(tmp_path: Path) -> None:
    source_dir = tmp_path / "source"
    source_dir.mkdir()
    source = source_dir / "c.db"
    with Store.open(source) as other:
        import_decks(other, [load_deck(BUNDLED_DECK)])
        other.conn.execute("PRAGMA wal_autocheckpoint = 0")
        other.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        card = other.conn.execute("SELECT min(id) FROM cards").fetchone()[0]
        for _ in range(60):
            record_answer(other, card, Rating.Good, duration_ms=1)
        assert row_counts(source)["reviews"] == 60  # what SQLite reads, WAL included

        with Store.open(db_of(tmp_path)) as store:
            restore(store, source)
            restored = store.conn.execute("SELECT count(*) FROM reviews").fetchone()[0]

    assert restored == 60


def test_restore_from_a_read_only_folder_reads_the_sources_wal(
    killed_mid_checkpoint: KilledMidCheckpoint, make_read_only: Callable[[Path], None]
) -> None:
    source = killed_mid_checkpoint.path
    target = source.parent / "target" / "c.db"
    Store.open(target).close()
    make_read_only(source)
    make_read_only(source.parent)

    result = invoke(target, "restore", str(source))

    assert result.exit_code == 0, result.stderr
    assert row_counts(target)["reviews"] == killed_mid_checkpoint.answers


def test_restore_from_a_read_only_folder_with_an_unindexed_wal_says_so(
    killed_mid_checkpoint: KilledMidCheckpoint, make_read_only: Callable[[Path], None]
) -> None:
    source = killed_mid_checkpoint.path
    target = source.parent / "target" / "c.db"
    Store.open(target).close()
    Path(f"{source}-shm").unlink()
    make_read_only(source.parent)

    result = invoke(target, "restore", str(source))

    assert result.exit_code == 1
    assert result.stderr == (
        f"srs: error: {source} has committed changes in {source.name}-wal that SQLite can only "
        f"read with write access to {source.parent} (to create {source.name}-shm): make the "
        "folder writable, or copy the file together with its -wal file to a writable folder\n"
    )
    assert row_counts(target).get("reviews", 0) == 0


# --- files: private, never through a link -------------------------------------------------------


def mode_of(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.mark.usefixtures("umask_022")
def test_backups_and_the_backups_folder_are_private(tmp_path: Path) -> None:
    import_file(tmp_path, SMALL_DECK)
    chosen = tmp_path / "new-folder" / "mine.db"

    automatic = invoke(db_of(tmp_path), "backup")
    manual = invoke(db_of(tmp_path), "backup", "-o", str(chosen))

    assert automatic.exit_code == manual.exit_code == 0
    (name,) = backups_in(tmp_path / "backups")
    assert mode_of(tmp_path / "backups") == 0o700
    assert mode_of(tmp_path / "backups" / name) == 0o600
    assert [mode_of(chosen.parent), mode_of(chosen)] == [0o700, 0o600]


def test_backup_refuses_a_backups_folder_that_is_a_symbolic_link(tmp_path: Path) -> None:
    import_file(tmp_path, SMALL_DECK)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "backups").symlink_to(elsewhere)

    result = invoke(db_of(tmp_path), "backup")

    assert result.exit_code == 1
    assert result.stderr == (
        f"srs: error: {tmp_path / 'backups'} is a symbolic link: srs keeps backups only in a "
        "real folder beside the collection (move the link away)\n"
    )
    assert list(elsewhere.iterdir()) == []


def test_backup_refuses_a_dangling_symbolic_link_as_destination(tmp_path: Path) -> None:
    import_file(tmp_path, SMALL_DECK)
    link = tmp_path / "link.db"
    link.symlink_to(tmp_path / "target.db")

    result = invoke(db_of(tmp_path), "backup", "-o", str(link))

    assert result.exit_code == 1
    assert result.stderr == f"srs: error: {link} already exists; choose another file\n"
    assert not (tmp_path / "target.db").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
