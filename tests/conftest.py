"""Shared fixtures: a clock that moves only when told, real collections in tmp_path, and files
made read-only or left by a process killed mid-checkpoint."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

import pytest
from crash_driver import KilledMidCheckpoint, build_collection, run

from srs.clock import Clock
from srs.collection.store import Store
from srs.decks.importer import import_decks
from srs.decks.validate import parse_deck


class FakeClock(Clock):
    """A `Clock` whose time stands still until a test moves it (never sleep in tests).

    Clocks derived from it (`srs.collection.settings.clock_for`) share its time.
    """

    def __init__(
        self,
        start: datetime = datetime(2025, 1, 6, 12, 0, tzinfo=UTC),
        zone: tzinfo = UTC,
        rollover_hour: int = 4,
    ) -> None:
        self.current = start.astimezone(UTC)
        super().__init__(now_fn=lambda: self.current, zone=zone, rollover_hour=rollover_hour)

    def advance(self, delta: timedelta | None = None, **units: float) -> datetime:
        """Move time forward (or back, with a negative delta); returns the new now."""
        self.current += (delta or timedelta()) + timedelta(**units)
        return self.current

    def set(self, moment: datetime) -> None:
        self.current = moment.astimezone(UTC)


def deck_yaml(
    deck_id: str = "demo",
    *,
    free: int = 0,
    choice: int = 0,
    select_all: int = 0,
    title: str | None = None,
    exam_questions: int = 0,
) -> bytes:
    """A valid deck with `free` free-recall, `choice` multiple-choice and `select_all`
    select-all cards, in that order (ids free-0.., choice-0.., select-0..), and a mock exam of
    `exam_questions` questions (70% to pass) if that is not 0."""
    lines = [f"deck: {deck_id}", f"title: {title or deck_id.title()}"]
    if exam_questions:
        lines += ["exam:", f"  questions: {exam_questions}", "  pass_mark: 70%"]
    lines.append("cards:")
    for n in range(free):
        lines += [
            f"  - id: free-{n}",
            f"    question: Free question {n}?",
            f"    answer: Free answer {n}",
        ]
    for n in range(choice):
        lines += [
            f"  - id: choice-{n}",
            f"    question: Choice question {n}?",
            f"    answer: Right {n}",
            "    distractors:",
            f"      - {{text: Wrong {n}a, feedback: Not {n}a}}",
            f"      - Wrong {n}b",
            f"      - Wrong {n}c",
            "    feedback:",
            "      correct: Well done",
            "      incorrect: Not quite",
        ]
    for n in range(select_all):
        lines += [
            f"  - id: select-{n}",
            f"    question: Select all {n}?",
            f"    answer: [Right {n}a, Right {n}b]",
            "    distractors:",
            f"      - Wrong {n}a",
            f"      - Wrong {n}b",
        ]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def clock() -> FakeClock:
    """Monday 2025-01-06 12:00 UTC, in UTC, day starting at 04:00."""
    return FakeClock()


UseZone = Callable[[str], None]


@pytest.fixture
def use_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[UseZone]:
    """`use_zone(name)`: make `name` this process's own time zone (TZ + tzset) for one test,
    for code that must follow the machine's zone, or must not."""

    def use(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield use
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def make_store(tmp_path: Path) -> Iterator[Callable[..., Store]]:
    """`make_store(*deck_texts, clock=None)`: a new collection file with those decks imported."""
    opened: list[Store] = []

    def make(*decks: bytes, clock: Clock | None = None) -> Store:
        store = Store.open(tmp_path / f"collection-{len(opened)}.db", clock or FakeClock())
        opened.append(store)
        if decks:
            import_decks(store, [parse_deck(text) for text in decks])
        return store

    yield make
    for store in opened:
        store.close()


# --- files: read-only paths, permissions, a process killed mid-checkpoint -----------------


@pytest.fixture
def make_read_only() -> Iterator[Callable[[Path], None]]:
    """`make_read_only(path)`: this process can no longer write the file or folder, undone
    after the test.

    Tests run as root here, and root ignores permission bits; so as root the path is made
    immutable (`chattr +i`), which the kernel enforces for root too; otherwise its write bits
    are removed. Either way the fixture proves it worked by failing to write, or skips.
    """
    changed: list[tuple[Path, int]] = []

    def make(path: Path) -> None:
        mode = path.stat().st_mode
        if os.geteuid() == 0:
            done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
            if done.returncode != 0:
                pytest.skip(f"cannot make {path} read-only for root: {done.stderr.strip()}")
        else:
            path.chmod(mode & ~0o222)
        changed.append((path, mode))
        probe = path / "probe" if path.is_dir() else path
        with pytest.raises(OSError):
            probe.open("ab").close()

    yield make
    for path, mode in reversed(changed):
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        path.chmod(mode)


@pytest.fixture
def killed_mid_checkpoint(tmp_path: Path) -> KilledMidCheckpoint:
    """The state the outside suite found: the main file's header already counts every page,
    the file is still shorter, and the missing pages are safe in `-wal`."""
    path = tmp_path / "collection.db"
    build_collection(path)
    killed = run("checkpoint", path, seed=7, kill_after=None)
    assert killed.returncode == -signal.SIGXFSZ, killed.stderr
    header = path.read_bytes()[:100]
    promised = int.from_bytes(header[16:18], "big") * int.from_bytes(header[28:32], "big")
    assert path.stat().st_size < promised
    assert Path(f"{path}-wal").stat().st_size > 0
    return KilledMidCheckpoint(path, len(killed.reported("answer")))


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The usual umask, whatever the test runner's is: files 0644 and folders 0755 unless srs
    asks for less."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)
