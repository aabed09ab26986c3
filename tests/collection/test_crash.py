"""Crashes: a child process running srs is killed at a chosen point (seeded, a few seconds in
all), then the collection must open, pass quick_check and hold everything reported committed.
`make soak` (bench/soak.py) runs the same drivers hundreds of times."""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest
from crash_driver import Child, Expected, build_collection, check_after_kill, run
from helpers import dump_db, invoke

from srs.collection.backup import STALE_PARTIAL_SECONDS, list_backups
from srs.collection.store import Store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "collection.db"
    build_collection(path)
    return path


@pytest.mark.parametrize("workload", ["answers", "exam", "import", "backup"])
def test_killed_workload_loses_nothing_it_reported_committed(db: Path, workload: str) -> None:
    rng = random.Random(workload)
    expected = Expected()
    done = 0
    for trial in range(3):
        killed = run(workload, db, seed=trial, kill_after=rng.uniform(0.05, 0.4))
        expected.add(killed)
        done += len(killed.lines) - 1  # all but "ready"

        assert killed.killed, killed.stderr
        assert check_after_kill(db, expected).problems == []
    assert done > 0


def test_two_writers_killed_midway_lose_nothing(db: Path) -> None:
    expected = Expected()
    for trial in range(3):
        answering = Child("answers", db, trial, die_in_backup=None)
        backing_up = Child("backup", db, trial, die_in_backup=None)
        time.sleep(0.2 + 0.1 * trial)
        runs = [answering.finish(kill=True), backing_up.finish(kill=True)]
        for killed in runs:
            expected.add(killed)

        assert [r.killed for r in runs] == [True, True], [r.stderr for r in runs]
        assert len(runs[1].reported("backup")) > 0
        assert check_after_kill(db, expected).problems == []
    assert expected.answers


def test_collection_killed_mid_checkpoint_passes_every_check(db: Path) -> None:
    expected = Expected()

    killed = run("checkpoint", db, seed=3, kill_after=None)
    expected.add(killed)

    assert killed.returncode == -signal.SIGXFSZ
    assert len(expected.answers) >= 40
    assert check_after_kill(db, expected).problems == []


def test_import_killed_during_its_automatic_backup_lists_no_backup(db: Path) -> None:
    before = dump_db(db)
    backups = db.parent / "backups"

    killed = run("import", db, seed=1, kill_after=None, die_in_backup=40_000)
    listing = invoke(db, "backup", "--list")

    assert killed.returncode == -signal.SIGXFSZ
    assert killed.reported("import") == []
    assert listing.exit_code == 0 and listing.stdout == ""
    assert list(backups.glob("srs-*")) == []
    assert dump_db(db) == before  # the import never began


def test_stale_partial_backup_is_removed_by_the_next_listing(db: Path) -> None:
    run("import", db, seed=1, kill_after=None, die_in_backup=40_000)
    backups = db.parent / "backups"
    partial = sorted(p.name for p in backups.iterdir())
    assert partial and all(name.startswith(".srs-") for name in partial)
    invoke(db, "backup", "--list")
    assert sorted(p.name for p in backups.iterdir()) == partial  # may still be in progress
    long_ago = time.time() - STALE_PARTIAL_SECONDS - 60
    for name in partial:
        os.utime(backups / name, (long_ago, long_ago))

    with Store.open(db) as store:
        listed = list_backups(store)

    assert listed == []
    assert list(backups.iterdir()) == []
