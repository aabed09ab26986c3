"""Kill -9 during a sync loses nothing, and the next sync completes it."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

from conftest import FakeClock
from devices import Device, demo_deck
from fsrs import Rating
from helpers import REPO

from srs.study.answers import record_answer
from srs.sync import sync

_CHILD = (
    "import sys; from pathlib import Path; from srs.collection.store import Store; "
    "from srs.sync import sync; s = Store.open(Path(sys.argv[1])); print('ready', flush=True); "
    "sync(s, Path(sys.argv[2]))"
)


def test_a_sync_killed_midway_loses_nothing_and_the_next_completes_it(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    laptop = Device.make(tmp_path / "laptop.db", FakeClock(), demo_deck(40))
    keys = [f"free-{n}" for n in range(20)] + [f"choice-{n}" for n in range(20)]
    for _round in range(25):
        for key in keys:
            laptop.clock.advance(minutes=3)
            record_answer(laptop.store, laptop.card(key), Rating.Good, duration_ms=1000)
    sync(laptop.store, folder)
    desktop = Device.make(tmp_path / "desktop.db", FakeClock(), demo_deck(40))
    rng = random.Random(14)
    for _trial in range(3):
        with subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(tmp_path / "desktop.db"), str(folder)],
            cwd=REPO,
            stdout=subprocess.PIPE,
        ) as child:
            assert child.stdout is not None and child.stdout.readline().startswith(b"ready")
            time.sleep(rng.uniform(0.0, 0.3))
            child.kill()

    sync(desktop.store, folder)

    assert len(desktop.log()) == 1000
    assert desktop.log() == laptop.log()
    assert desktop.memories() == laptop.memories()
    assert desktop.day_sums() == desktop.recounted() == laptop.day_sums()
