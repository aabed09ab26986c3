"""The command-line targets: the real `srs` console script, timed from outside (wall clock).

Each measurement runs the installed `srs` in a new process with `--db` in a temporary folder,
so it includes Python's start-up and every import, as a user's command does. One untimed run
of each command first warms the OS file cache and Python's bytecode cache.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from bench.collection import OUT
from bench.gen import write_deck

__all__ = ["SRS", "cached_deck", "measure", "timed"]

SRS = Path(sys.executable).parent / "srs"
"""The console script installed beside this Python (`pip install -e .`)."""


def cached_deck(cards: int, seed: int = 1) -> Path:
    """The benchmark deck of `cards` cards as YAML, written once into `bench/out/`."""
    path = OUT / f"deck-{cards}-seed{seed}.yaml"
    if not path.exists():
        partial = path.with_suffix(".partial")
        write_deck(partial, cards, seed=seed)
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


def measure(folder: Path, *, runs: int = 5, large_runs: int = 3) -> dict[str, list[float]]:
    """Every command-line figure, in seconds per run."""
    small, large = cached_deck(10_000), cached_deck(100_000)
    timed("--version")
    timed("check", small)
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
    }
    return result
