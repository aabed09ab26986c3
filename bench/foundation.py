"""The command-line targets: the real `srs` console script, timed from outside (wall clock).

Each measurement runs the installed `srs` in a new process with `--db` in a temporary folder,
so it includes Python's start-up and every import, as a user's command does. One untimed run
of each command first warms the OS file cache and Python's bytecode cache.

Two kinds of deck: the ~530-byte cards of `write_deck`, and the ~750-byte full certification
cards of `write_full_deck` (100,000 of them are 75 MB, the largest deck srs is sized for).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.collection import OUT
from bench.gen import write_deck, write_full_deck

__all__ = ["SRS", "cached_deck", "measure", "peak_mb", "timed"]

SRS = Path(sys.executable).parent / "srs"
"""The console script installed beside this Python (`pip install -e .`)."""


def cached_deck(cards: int, seed: int = 1, *, full: bool = False) -> Path:
    """The benchmark deck of `cards` cards as YAML, written once into `bench/out/`.

    `full` gives the ~750-byte certification cards instead of the ~530-byte ones.
    """
    path = OUT / f"deck-{'full-' if full else ''}{cards}-seed{seed}.yaml"
    if not path.exists():
        partial = path.with_suffix(".partial")
        (write_full_deck if full else write_deck)(partial, cards, seed=seed)
        partial.rename(path)
    return path


def timed(*args: str | Path) -> float:
    """Seconds one `srs` command takes, wall clock; it must succeed."""
    started = time.perf_counter()
    done = subprocess.run([SRS, *map(str, args)], capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"srs {' '.join(map(str, args))} failed: {done.stderr.strip()}")
    return elapsed


# Runs the console script's own code, and reports the process's peak resident set (VmHWM) when
# it exits. Not wait4's ru_maxrss: the child inherits the high-water mark of the process that
# starts it (see docs/performance.md).
_PEAK = """
import atexit, sys
from srs.cli import main
def report():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            print("VmHWM", int(line.split()[1]) / 1024, file=sys.stderr)
atexit.register(report)
sys.argv[0] = "srs"
sys.exit(main())
"""


def peak_mb(*args: str | Path) -> float:
    """The peak resident memory of one `srs` command, in MB (VmHWM); it must succeed."""
    command = [sys.executable, "-c", _PEAK, *map(str, args)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"srs {' '.join(map(str, args))} failed: {done.stderr.strip()}")
    return float(done.stderr.split("VmHWM")[-1])


def measure(folder: Path, *, runs: int = 5, large_runs: int = 3) -> dict[str, list[float]]:
    """Every command-line figure, in seconds per run (memory in MB, under `*_peak_mb`)."""
    small, large = cached_deck(10_000), cached_deck(100_000)
    small_full, large_full = cached_deck(10_000, full=True), cached_deck(100_000, full=True)
    timed("--version")
    timed("check", small)
    timed("check", small_full)
    timed("--db", folder / "warm.db", "import", small)
    result: dict[str, list[float]] = {
        "version": [timed("--version") for _ in range(runs + 2)],
        "check_10k": [timed("check", small) for _ in range(runs)],
        "import_10k": [
            timed("--db", folder / f"small-{n}.db", "import", small) for n in range(runs)
        ],
        "reimport_10k": [
            timed("--db", folder / "small-0.db", "import", small) for _ in range(runs)
        ],
        "import_100k": [
            timed("--db", folder / f"large-{n}.db", "import", large) for n in range(large_runs)
        ],
        "check_10k_full": [timed("check", small_full) for _ in range(runs)],
        "import_100k_full": [
            timed("--db", folder / f"full-{n}.db", "import", large_full) for n in range(large_runs)
        ],
        "import_100k_full_peak_mb": [
            peak_mb("--db", folder / "full-peak.db", "import", large_full)
        ],
    }
    return result


def main() -> None:
    """`python -m bench.foundation`: the command-line figures alone, as JSON (seconds; MB)."""
    with tempfile.TemporaryDirectory(prefix="srs-bench-") as tmp:
        print(json.dumps(measure(Path(tmp)), indent=1))


if __name__ == "__main__":
    main()
