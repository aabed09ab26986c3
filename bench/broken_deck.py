"""`python -m bench.broken_deck [CARDS]`: `srs check` and `srs import` of a deck broken throughout.

The deck (a million cards without an answer by default, 27.9 MB) is generated in a temporary
folder, never in the repository. Each command runs as the installed `srs` in a process of its
own; its peak resident memory is the child's `ru_maxrss` from `wait4` (this parent stays small,
so the high-water mark a child inherits from it is far below the figures). Exits 1 unless each
command prints the first 100 problems and one line counting the rest, exits 1, writes no
collection and peaks below 300 MB.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.foundation import SRS

__all__ = ["PEAK_LIMIT_MB", "measure", "write_broken_deck"]

PEAK_LIMIT_MB = 300
SHOWN = 100


def write_broken_deck(path: Path, cards: int) -> None:
    """A deck of `cards` cards, none with an answer: one problem per card."""
    with path.open("w", encoding="utf-8") as out:
        out.write("deck: broken\ntitle: Broken\ncards:\n")
        out.writelines(f"- id: c{n}\n  question: q\n" for n in range(cards))


def measure(*args: str | Path) -> tuple[float, float, int, int]:
    """Run `srs ARGS`: (wall seconds, peak MB, lines printed, exit status)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        child = subprocess.Popen([SRS, *map(str, args)], stdout=output, stderr=output)
        _, status, usage = os.wait4(child.pid, 0)
        # Reaped by wait4 (for the child's own rusage): Popen must be told, or it warns.
        child.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - started
        output.seek(0)
        lines = sum(1 for _ in output)
    return elapsed, usage.ru_maxrss / 1024, lines, child.returncode


def main() -> int:
    cards = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    failures = 0
    with tempfile.TemporaryDirectory() as folder:
        deck = Path(folder) / "broken.yaml"
        write_broken_deck(deck, cards)
        print(f"{cards:,} broken cards, {deck.stat().st_size / 1e6:.1f} MB")
        db = Path(folder) / "collection.db"
        for args in (
            ("check", deck),
            ("--db", db, "import", deck),
            ("--db", db, "import", "--dry-run", "--json", deck),
        ):
            elapsed, peak, lines, status = measure(*args)
            name = " ".join(str(a) for a in args).replace(folder + "/", "")
            ok = lines == min(cards, SHOWN) + (cards > SHOWN) and status == 1
            ok = ok and peak < PEAK_LIMIT_MB and not db.exists()
            failures += not ok
            verdict = "ok" if ok else "FAILED"
            print(f"srs {name}: {elapsed:.1f} s, {peak:.0f} MB, {lines:,} lines, exit {status}")
            print(f"  {verdict}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
