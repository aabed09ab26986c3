"""Daily review in srs's core, in-process (run in its own process by `python -m bench`).

`python -m bench.daily COLLECTION ANSWERS` prints JSON:
- queue_build_ms: per run, a newly opened store (opening not timed), then
  `StudySession(store)` + `counts()` + `next_card()`: what the review screen does to start;
- answer_ms: `StudySession.answer` (schedule + memory row + review log, committed with
  synchronous=FULL), and fetch_answer_ms: `next_card()` + `answer()` (Anki's pair);
- overview_ms: `deck_overview` + `study_streak`, the dashboard's counts; readiness_ms:
  `deck_readiness` of each deck with an exam, the dashboard's pass chance.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from pathlib import Path
from typing import Any

from fsrs import Rating

from bench.collection import ANSWER_RATINGS
from srs.collection.store import Store
from srs.exam.form import exam_spec
from srs.exam.readiness import deck_readiness
from srs.study.overview import deck_overview, study_streak
from srs.study.session import StudySession

__all__ = ["measure"]


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def measure(path: Path, answers: int, queue_runs: int = 15) -> dict[str, Any]:
    result: dict[str, Any] = {"queue_build_ms": [], "overview_ms": [], "readiness_ms": []}
    for _ in range(queue_runs):
        with Store.open(path) as store:
            started = time.perf_counter()
            session = StudySession(store)
            counts = session.counts()
            session.next_card()
            result["queue_build_ms"].append(_ms(started))
    result["queue_counts"] = [counts.new, counts.learning, counts.review]
    with Store.open(path) as store:
        for _ in range(5):
            started = time.perf_counter()
            decks = deck_overview(store)
            study_streak(store)
            result["overview_ms"].append(_ms(started))
            started = time.perf_counter()
            for deck in decks:
                if exam_spec(store, deck.deck_id) is not None:
                    deck_readiness(store, deck.deck_id)
            result["readiness_ms"].append(_ms(started))
        session = StudySession(store)
        fetch_answer, answer_only = [], []
        for rating in ANSWER_RATINGS[:answers]:
            started = time.perf_counter()
            card = session.next_card()
            if card is None:
                break
            fetched = time.perf_counter()
            session.answer(card.id, Rating(rating), duration_ms=5000)
            done = time.perf_counter()
            fetch_answer.append((done - started) * 1000)
            answer_only.append((done - fetched) * 1000)
        result["fetch_answer_ms"] = fetch_answer
        result["answer_ms"] = answer_only
        journal = store.conn.execute("PRAGMA journal_mode").fetchone()[0]
        synchronous = store.conn.execute("PRAGMA synchronous").fetchone()[0]
        result["durability"] = f"journal_mode={journal}, synchronous={synchronous}"
    return result


if __name__ == "__main__":
    gc.collect()
    json.dump(measure(Path(sys.argv[1]), int(sys.argv[2])), sys.stdout)
