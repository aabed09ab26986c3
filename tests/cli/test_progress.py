"""The long imports' progress line: drawn on a terminal, erased before the summary or the
error, never written to a stream that is not a terminal."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import struct
import subprocess
import sys
import termios
import time
import zipfile
from pathlib import Path

from helpers import SMALL_DECK, invoke, write_deck

from srs.cli.progress import progress_line

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "anki"
PACKAGE = FIXTURES / "current.apkg"


def in_a_terminal(*args: str, columns: int = 100) -> tuple[int, str]:
    """Run `srs ARGS...` with a terminal `columns` wide as its standard streams: its exit
    status and everything it wrote there."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-c", "from srs.cli import main; main()", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        close_fds=True,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal's other end closed: the command is done
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return process.wait(timeout=60), b"".join(chunks).decode()


def drawn(raw: str) -> list[str]:
    """Each text put on a line in turn: what every carriage return starts."""
    return [part for line in raw.split("\r\n") for part in line.split("\r")]


def screen(raw: str) -> list[str]:
    """The lines a terminal shows at the end: after a carriage return, the text that follows
    overwrites the line from its start."""
    lines = []
    for line in raw.split("\r\n"):
        shown = ""
        for part in line.split("\r"):
            shown = part + shown[len(part) :]
        lines.append(shown.rstrip())
    while lines and not lines[-1]:
        lines.pop()
    return lines


def test_an_anki_import_shows_each_step_then_only_its_summary(tmp_path: Path) -> None:
    db, deck = tmp_path / "c.db", tmp_path / "security.yaml"
    status, raw = in_a_terminal("--db", str(db), "import-anki", str(PACKAGE), "-o", str(deck))

    assert status == 0, raw
    texts = drawn(raw)
    for step in ("Reading the package...", "Making the deck files...", "Importing the cards..."):
        assert step in texts
    replayed = [text.rstrip() for text in texts if text.startswith("Replaying the answers")]
    assert replayed[-1] == "Replaying the answers of security: 141 of 141 (100%)"
    shown = screen(raw)
    assert shown[0] == f"srs: creating a new collection at {db}"
    assert shown[1].startswith("read current.apkg (collection.anki21b, schema 18): 1 deck, ")
    assert shown[2].startswith("security: 19 added, ")
    assert not any("..." in line or "Replaying" in line for line in shown)


def test_the_line_is_cut_to_a_narrow_terminal(tmp_path: Path) -> None:
    db, deck = tmp_path / "c.db", tmp_path / "security.yaml"
    status, raw = in_a_terminal(
        "--db", str(db), "import-anki", str(PACKAGE), "-o", str(deck), columns=30
    )

    assert status == 0, raw
    steps = [text for text in drawn(raw) if text.startswith(("Reading", "Replaying"))]
    assert steps and all(len(text.rstrip()) <= 29 for text in steps)


def test_an_error_is_printed_on_a_clean_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.apkg"
    with zipfile.ZipFile(broken, "w") as package:
        package.writestr("collection.anki21b", b"not zstd")

    status, raw = in_a_terminal("--db", str(tmp_path / "c.db"), "import-anki", str(broken))

    assert status == 1
    assert "Reading the package..." in drawn(raw)
    assert len(screen(raw)) == 1
    assert screen(raw)[0].startswith(f"srs: error: {broken}")


def test_a_log_import_shows_its_replay_then_only_its_summary(tmp_path: Path) -> None:
    deck, log = tmp_path / "security.yaml", tmp_path / "log.csv"
    invoke(tmp_path / "old.db", "import-anki", str(PACKAGE), "-o", str(deck))
    invoke(tmp_path / "old.db", "export-log", "security", "-o", str(log))
    db = tmp_path / "c.db"
    invoke(db, "import", str(deck))

    status, raw = in_a_terminal("--db", str(db), "import-log", "security", str(log))

    assert status == 0, raw
    assert "Replaying the answers of security: 141 of 141 (100%)" in map(str.rstrip, drawn(raw))
    assert screen(raw) == [
        "security: 141 reviews added, 0 already in the log; memory rebuilt for 19 cards"
    ]


def test_a_deck_import_names_each_file_it_reads_literally(tmp_path: Path) -> None:
    deck = write_deck(tmp_path, SMALL_DECK, "\x1b[31mred.yaml")

    status, raw = in_a_terminal("--db", str(tmp_path / "c.db"), "import", str(deck))

    assert status == 0, raw
    assert "Reading \u241b[31mred.yaml..." in drawn(raw)
    assert "Importing the cards..." in drawn(raw)
    assert "\x1b" not in raw
    assert screen(raw)[-1] == "capitals: 3 added, 0 updated, 0 retired, 0 unchanged"


def test_a_dry_run_says_it_compares_rather_than_imports(tmp_path: Path) -> None:
    deck = write_deck(tmp_path, SMALL_DECK)

    status, raw = in_a_terminal("--db", str(tmp_path / "c.db"), "import", "--dry-run", str(deck))

    assert status == 0, raw
    assert "Comparing the cards..." in drawn(raw)
    assert "Importing the cards..." not in drawn(raw)
    assert screen(raw)[-1] == "dry run: nothing was written"


def test_a_deck_with_problems_prints_them_on_clean_lines(tmp_path: Path) -> None:
    deck = write_deck(tmp_path, SMALL_DECK.replace("deck: capitals", "deck: Bad Id"), "bad.yaml")

    status, raw = in_a_terminal("--db", str(tmp_path / "c.db"), "import", str(deck))

    assert status == 1
    assert "Reading bad.yaml..." in drawn(raw)
    assert screen(raw) and all(line.startswith(f"{deck}:") for line in screen(raw))


def test_nothing_is_drawn_when_standard_error_is_not_a_terminal(tmp_path: Path) -> None:
    result = invoke(tmp_path / "c.db", "import-anki", str(PACKAGE), "-o", str(tmp_path / "d.yaml"))

    assert result.exit_code == 0
    assert "Replaying" not in result.stderr and "\r" not in result.output


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_count_is_drawn_again_at_most_ten_times_a_second_and_at_its_end() -> None:
    stream = Terminal()
    started = time.monotonic()
    with progress_line(stream) as progress:
        for done in range(1, 20_001):
            progress("Replaying", done, 20_000)
    elapsed = time.monotonic() - started

    draws = stream.getvalue().split("\r")[1:-2]  # the last two erase the line
    assert 2 <= len(draws) <= 2 + elapsed / 0.1
    assert draws[0] == "Replaying: 1 of 20,000 (0%)"
    assert draws[-1] == "Replaying: 20,000 of 20,000 (100%)"
    assert stream.getvalue().endswith("\r" + " " * len(draws[-1]) + "\r")
