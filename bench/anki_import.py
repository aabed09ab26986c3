"""`python -m bench.anki_import`: `srs import-anki` of a 30,000-note package with 300,000 reviews.

The package is made by Anki's own backend (the `anki` wheel, AGPL, bench only), as a learner's
export would be: 30,000 notes (24,000 Basic, 6,000 Cloze with one deletion) in a deck with
five subdecks, and a two-year history of ten answers per card (two learning steps, then reviews
at growing intervals, with lapses and relearning), written into the collection's `revlog` and
`cards` with SQL while it is closed (as `bench.peer_anki` builds its collection), then exported
by `export_anki_package` as a current `.apkg` (`collection.anki21b`, zstd). It is built once
into `bench/out/` (not committed).

The measurement is the whole command, wall clock, in a new process with a new collection, as a
learner runs it (`bench.foundation.timed`): read and convert the package, write and check the
YAML deck, import 30,000 cards and 300,000 answers, rebuild every card's memory by replaying its
log. A second import of the same package (nothing new) is timed after each. Prints JSON (each
time, the medians, and the median CPU time of the command's process, steadier than the wall
clock on a busy machine), or {"skipped": reason} when the wheel is missing.
"""

from __future__ import annotations

import json
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.collection import OUT
from bench.foundation import timed

if TYPE_CHECKING:
    from anki.collection import Collection
    from anki.decks import DeckId

__all__ = ["NOTES", "REVIEWS", "cached_package", "measure"]

NOTES = 30_000
REVIEWS = 300_000
_ANSWERS_PER_CARD = REVIEWS // NOTES
_CLOZE_SHARE = 5  # one note in five is a cloze note
_SUBDECKS = ("Networking", "Security", "Storage", "Compute", "Identity")
_DAY_MS = 86_400_000
_SEED = 7


def _history(rng: random.Random) -> list[tuple[int, int, int, int, int]]:
    """One card's answers as (ms since its first answer, ease, revlog type, ivl, duration ms),
    oldest first."""
    answers = []
    at = 0
    for _ in range(2):  # learning steps, minutes apart
        answers.append((at, 3, 0, -600, rng.randint(2_000, 15_000)))
        at += rng.randint(60_000, 900_000)
    interval = 1.0
    while len(answers) < _ANSWERS_PER_CARD:
        at += int(interval * _DAY_MS) + rng.randint(0, 3_600_000)
        ease = rng.choice((1, 2, 3, 3, 3, 3, 3, 4))
        answers.append((at, ease, 1, max(1, round(interval)), rng.randint(2_000, 20_000)))
        interval = max(1.0, interval * {1: 0.3, 2: 1.2, 3: 2.3, 4: 3.5}[ease])
        if ease == 1 and len(answers) < _ANSWERS_PER_CARD:  # a lapse: one relearning step
            at += 600_000
            answers.append((at, 3, 2, 1, rng.randint(2_000, 15_000)))
    return answers


def _deck(col: Collection, name: str) -> DeckId:
    """The id of the deck named `name`, made if missing."""
    deck_id = col.decks.id(name)
    assert deck_id is not None  # None only when asked not to make it
    return deck_id


def build(path: Path) -> Path:
    """Make the package at `path` with Anki's backend."""
    from anki.collection import AddNoteRequest, Collection, DeckIdLimit, ExportAnkiPackageOptions

    rng = random.Random(_SEED)
    with tempfile.TemporaryDirectory(prefix="srs-bench-anki-import-") as tmp:
        collection = Path(tmp) / "collection.anki2"
        col = Collection(str(collection))
        try:
            top = _deck(col, "Cloud Certification")
            decks = [_deck(col, f"Cloud Certification::{name}") for name in _SUBDECKS]
            basic, cloze = col.models.by_name("Basic"), col.models.by_name("Cloze")
            assert basic and cloze
            requests = []
            for n in range(NOTES):
                if n % _CLOZE_SHARE == 0:
                    note = col.new_note(cloze)
                    note["Text"] = f"Service {n} listens on port {{{{c1::{1000 + n}::a port}}}}."
                else:
                    note = col.new_note(basic)
                    note["Front"] = f"What does <b>service {n}</b> do?<br>(question {n})"
                    note["Back"] = f"It serves request type {n} &amp; logs it."
                note.tags = [f"batch-{n % 50}"]
                requests.append(AddNoteRequest(note, decks[n % len(decks)]))
            col.add_notes(requests)
        finally:
            col.close()
        conn = sqlite3.connect(collection)
        now_ms = int(time.time() * 1000)
        revlog = []
        used: set[int] = set()
        for (card_id,) in conn.execute("SELECT id FROM cards ORDER BY id").fetchall():
            answers = _history(rng)
            # The last answer 1 to 60 days ago: an export holds no answer from the future.
            shift = now_ms - answers[-1][0] - rng.randint(1, 60) * _DAY_MS
            for after, ease, kind, interval, duration in answers:
                at = shift + after
                while at in used:
                    at += 1
                used.add(at)
                revlog.append((at, card_id, -1, ease, interval, 0, 2500, duration, kind))
        with conn:
            conn.executemany("INSERT INTO revlog VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", revlog)
            conn.execute("UPDATE cards SET type = 2, queue = 2, ivl = 30, due = 100, factor = 2500")
        conn.close()
        col = Collection(str(collection))
        try:
            options = ExportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=True, with_media=False, legacy=False
            )
            col.export_anki_package(out_path=str(path), options=options, limit=DeckIdLimit(top))
        finally:
            col.close()
    return path


def cached_package() -> tuple[Path, float | None]:
    """The package, built once into `bench/out/` (returns the build time if built now)."""
    path = OUT / f"anki-import-{NOTES}-notes-{REVIEWS}-reviews.apkg"
    if path.exists():
        return path, None
    OUT.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial.apkg")
    partial.unlink(missing_ok=True)
    started = time.perf_counter()
    build(partial)
    partial.rename(path)
    return path, time.perf_counter() - started


def measure(runs: int = 3) -> dict[str, Any]:
    """Seconds per import of the package into a new collection, and per re-import of it
    (nothing new), each `runs` times, with their medians."""
    try:
        from anki.collection import Collection  # noqa: F401  (loads the Rust backend)
    except Exception as exc:  # the wheel is missing, or its backend cannot load here
        return {"skipped": f"the anki wheel cannot be imported here: {exc!r}"}
    package, built = cached_package()
    result: dict[str, Any] = {"package": str(package), "build_s": built, "size": 0}
    result["size"] = package.stat().st_size
    times: dict[str, list[float]] = {"import": [], "reimport": []}
    cpu: dict[str, list[float]] = {"import": [], "reimport": []}
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="srs-bench-anki-import-") as tmp:
            folder = Path(tmp)
            db, deck = folder / "c.db", folder / "deck.yaml"
            for kind in ("import", "reimport"):
                used = _children_cpu()
                times[kind].append(timed("--db", db, "import-anki", package, "-o", deck))
                cpu[kind].append(_children_cpu() - used)
            result["deck_bytes"] = deck.stat().st_size
    for kind in ("import", "reimport"):
        result[f"{kind}_s"] = times[kind]
        result[f"{kind}_median_s"] = statistics.median(times[kind])
        result[f"{kind}_cpu_median_s"] = statistics.median(cpu[kind])
    return result


def _children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes so far: on a shared
    machine, less disturbed by other work than the wall clock."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    json.dump(measure(*(int(a) for a in sys.argv[1:2])), sys.stdout)
