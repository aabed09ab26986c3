"""The peer: the same workload through Anki's own backend (the `anki` wheel, AGPL, bench only).

`python -m bench.peer_anki [ANSWERS]` prints JSON with Anki's figures, or {"skipped": reason}
when the wheel is missing or cannot load here. It measures:
- adding notes: 10,000 and 100,000 Basic notes (front: the question, back: the answer and the
  distractors) into a new collection with `Collection.add_notes` (one call; in-process, no file
  parsing and no process start-up, unlike `srs import`);
- the first queue build: open the collection, then time `sched.get_queued_cards()` (Anki builds
  the day's queue on the first call after opening);
- answering: `get_queued_cards` + `build_answer` + `answer_card` (the work of srs's
  `next_card` + `answer`), and `answer_card` alone, on a collection with FSRS on.

The collection for the queue and answers is built from the plan srs's collection is built from
(`bench.collection.history`): 100,000 notes in the Default deck, the same cards in review (due
on the same days), in (re)learning and new, with FSRS memory states in `cards.data` and the same
answers as 1,000,000 revlog rows. Deck limits are Anki's defaults, which srs shares (20 new,
200 reviews a day), with Anki's "new cards ignore review limit" on, as srs behaves; both then
queue 20 new, 2,000 (re)learning and 200 review cards. Anki opens collections with WAL and
synchronous=FULL, like srs.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.collection import (
    ANSWER_RATINGS,
    DAY_US,
    OUT,
    CollectionSpec,
    MemoryTuple,
    day_start_us,
    history,
)
from bench.gen import generate_cards
from srs.clock import Clock

__all__ = ["build", "cached", "measure"]

_DECAY = 0.1542  # FSRS-6's default decay (w20), which Anki writes beside each memory state


def _notes(col: Any, cards: int, seed: int) -> list[Any]:
    from anki.collection import AddNoteRequest
    from anki.decks import DeckId

    notetype = col.models.by_name("Basic")
    requests = []
    for card in generate_cards(cards, seed=seed):
        note = col.new_note(notetype)
        note["Front"] = card.question
        note["Back"] = "<br>".join((card.answer, *card.distractors))
        requests.append(AddNoteRequest(note, DeckId(1)))
    return requests


def _add_notes(folder: Path, cards: int, seed: int) -> tuple[float, Path]:
    """Seconds to add `cards` notes (the notes built beforehand, as a parsed file would be)."""
    from anki.collection import Collection

    path = folder / f"add-{cards}.anki2"
    col = Collection(str(path))
    try:
        col.set_config("fsrs", True)
        requests = _notes(col, cards, seed)
        started = time.perf_counter()
        col.add_notes(requests)
        return time.perf_counter() - started, path
    finally:
        col.close()


def _ivl(memory: MemoryTuple) -> int:
    """revlog ivl: days in review, negative seconds in (re)learning."""
    state, _, _, _, due, last, _, _ = memory
    if due is None or last is None:
        return 0
    if state == 2:
        return max(1, round((due - last) / DAY_US))
    return -round((due - last) / 1_000_000)


def _card_row(memory: MemoryTuple, today: int, today_start: int, shift_us: int) -> tuple[Any, ...]:
    state, _, stability, difficulty, due, last, reps, lapses = memory
    assert due is not None and last is not None
    data = json.dumps(
        {"s": round(stability or 0, 4), "d": round(difficulty or 0, 3), "dr": 0.9}
        | {"decay": _DECAY, "lrt": last // 1_000_000},
        separators=(",", ":"),
    )
    if state == 2:
        due_day = today + ((due + shift_us) // DAY_US - (today_start + shift_us) // DAY_US)
        return (2, 2, due_day, _ivl(memory), reps, lapses, 0, data)
    kind = 3 if state == 3 else 1
    interval = max(1, round((last - today_start) / DAY_US)) if kind == 3 else 0
    return (kind, 1, due // 1_000_000, interval, reps, lapses, 1, data)


def build(spec: CollectionSpec, path: Path, clock: Clock | None = None) -> Path:
    """Build Anki's copy of the benchmark collection at `path` (which must not exist)."""
    from anki.collection import Collection

    clock = clock or Clock()
    today_start = day_start_us(clock, clock.study_day())
    offset = clock.now().astimezone(clock.zone).utcoffset()
    assert offset is not None
    shift_us = (offset.total_seconds() - clock.rollover_hour * 3600) * 1_000_000
    col = Collection(str(path))
    try:
        col.set_config("fsrs", True)
        # srs shows the day's new cards even when the review limit is reached; Anki's v3
        # scheduler does so with this option (off by default).
        col.set_config("newCardsIgnoreReviewLimit", True)
        col.add_notes(_notes(col, spec.cards, spec.seed))
        today = col.sched.today
    finally:
        col.close()
    # The bulk of the work in plain SQL, as the collection is closed (Anki locks it while open).
    conn = sqlite3.connect(path)
    try:
        card_ids = [cid for (cid,) in conn.execute("SELECT id FROM cards ORDER BY nid, ord")]
        updates = []
        revlog = []
        used: set[int] = set()
        for card in history(spec, today_start):
            card_id = card_ids[card.position]
            for when, rating, duration, before, after in card.answers:
                review_id = when // 1000
                while review_id in used:
                    review_id += 1
                used.add(review_id)
                kind = {0: 0, 1: 0, 2: 1, 3: 2}[before[0]]
                factor = round((after[3] or 0) * 100)
                ivls = (_ivl(after), _ivl(before))
                revlog.append((review_id, card_id, 0, rating, *ivls, factor, duration, kind))
            row = _card_row(card.memory, today, today_start, int(shift_us))
            updates.append((*row, card_id))
        with conn:
            conn.executemany(
                "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, reps = ?, lapses = ?, "
                "left = ?, data = ? WHERE id = ?",
                updates,
            )
            revlog.sort()
            conn.executemany("INSERT INTO revlog VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", revlog)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return path


def cached(spec: CollectionSpec, clock: Clock | None = None) -> tuple[Path, float | None]:
    """Anki's collection for `spec` and today, built once (returns the build time if built)."""
    clock = clock or Clock()
    day = clock.study_day()
    path = OUT / f"anki-{spec.key(day)}.anki2"
    if path.exists():
        return path, None
    OUT.mkdir(parents=True, exist_ok=True)
    stem = spec.key(day).removesuffix(day.isoformat())
    for old in OUT.glob(f"anki-{stem}*"):
        if old.is_dir():
            shutil.rmtree(old)
        else:
            old.unlink()
    partial = OUT / f"anki-partial-{spec.key(day)}.anki2"
    for leftover in OUT.glob(partial.name + "*"):
        leftover.unlink()
    started = time.perf_counter()
    build(spec, partial, clock)
    partial.rename(path)
    _remove_media(partial)
    return path, time.perf_counter() - started


def _remove_media(collection: Path) -> None:
    """Anki's media folder and database beside a collection (none is used here)."""
    for media in collection.parent.glob(collection.stem + ".media*"):
        if media.is_dir():
            shutil.rmtree(media)
        else:
            media.unlink()


def _queue_builds(path: Path, runs: int) -> tuple[list[float], list[int]]:
    from anki.collection import Collection
    from anki.scheduler.v3 import Scheduler

    times = []
    counts: list[int] = []
    for _ in range(runs):
        col = Collection(str(path))
        try:
            assert isinstance(col.sched, Scheduler)
            started = time.perf_counter()
            queued = col.sched.get_queued_cards()
            times.append((time.perf_counter() - started) * 1000)
            counts = [queued.new_count, queued.learning_count, queued.review_count]
        finally:
            col.close()
    return times, counts


def _answers(path: Path, answers: int) -> dict[str, Any]:
    from anki.cards import Card
    from anki.collection import Collection
    from anki.scheduler.v3 import CardAnswer, Scheduler

    grades = (CardAnswer.AGAIN, CardAnswer.HARD, CardAnswer.GOOD, CardAnswer.EASY)
    col = Collection(str(path))
    fetch_answer, answer_only = [], []
    try:
        assert isinstance(col.sched, Scheduler) and col.db is not None
        col.sched.get_queued_cards()  # the first build is measured apart
        for rating in ANSWER_RATINGS[:answers]:
            started = time.perf_counter()
            queued = col.sched.get_queued_cards()
            if not queued.cards:
                break
            top = queued.cards[0]
            card = Card(col)
            card._load_from_backend_card(top.card)
            card.start_timer()
            answer = col.sched.build_answer(
                card=card,
                states=top.states,
                rating=grades[rating - 1],
            )
            fetched = time.perf_counter()
            col.sched.answer_card(answer)
            done = time.perf_counter()
            fetch_answer.append((done - started) * 1000)
            answer_only.append((done - fetched) * 1000)
        revlog = col.db.scalar("SELECT count(*) FROM revlog")
        synchronous = col.db.scalar("PRAGMA synchronous")
        journal = col.db.scalar("PRAGMA journal_mode")
    finally:
        col.close()
    return {
        "fetch_answer_ms": fetch_answer,
        "answer_ms": answer_only,
        "revlog_rows": revlog,
        "durability": f"journal_mode={journal}, synchronous={synchronous}",
    }


def measure(answers: int = 300, queue_runs: int = 15) -> dict[str, Any]:
    """Everything above; JSON-ready."""
    try:
        import anki
        from anki.buildinfo import version
        from anki.collection import Collection  # noqa: F401  (loads the Rust backend)
    except Exception as exc:  # the wheel is missing, or its backend cannot load here
        return {"skipped": f"the anki wheel cannot be imported here: {exc!r}"}
    spec = CollectionSpec()
    result: dict[str, Any] = {"version": version, "module": str(Path(anki.__path__[0]))}
    with tempfile.TemporaryDirectory(prefix="srs-bench-anki-") as tmp:
        folder = Path(tmp)
        result["add_10k_s"], _ = _add_notes(folder, 10_000, spec.seed)
        result["add_100k_s"], _ = _add_notes(folder, spec.cards, spec.seed)
        collection, built = cached(spec)
        result["build_s"] = built
        copy = folder / "collection.anki2"
        shutil.copyfile(collection, copy)
        result["queue_build_ms"], result["queue_counts"] = _queue_builds(copy, queue_runs)
        result |= _answers(copy, answers)
    result["answer_median_ms"] = statistics.median(result["answer_ms"])
    return result


if __name__ == "__main__":
    json.dump(measure(*(int(a) for a in sys.argv[1:2])), sys.stdout)
