"""Answering beside Anki, paired: `python -m bench.answers [ANSWERS] [--srs DB] [--anki COL]`.

On a shared machine the durable commit (an fsync) swings by several times from minute to
minute, so srs's and Anki's answers measured minutes apart (as `python -m bench` does, each in
its own process) compare the disk's moods as much as the code. Here both collections are open in
one process and the answers alternate: srs answers a card, then Anki, with the same rating. Each
pair meets the same load, and the ratio of the medians is the figure reported.

Prints JSON: per side `answer_ms` (the answer alone: `StudySession.answer` / `answer_card`) and
`fetch_answer_ms` (the next card, then the answer), and the ratios of the medians (srs / Anki).
The collections default to private copies of the cached benchmark collections (`bench.collection`
and `bench.peer_anki`); `--srs` and `--anki` name copies to use instead (they are changed).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from fsrs import Rating

from bench import peer_anki
from bench.collection import ANSWER_RATINGS, CollectionSpec, cached_collection
from srs.collection.store import Store
from srs.study.session import StudySession

__all__ = ["measure"]


def _ms(started: float, ended: float) -> float:
    return (ended - started) * 1000


def measure(srs_path: Path, anki_path: Path, answers: int) -> dict[str, Any]:
    """Alternate `answers` answers on each side; figures in milliseconds."""
    # anki.collection first: anki.cards imported first fails on a circular import.
    from anki.collection import Collection  # noqa: I001
    from anki.cards import Card
    from anki.scheduler.v3 import CardAnswer, Scheduler

    grades = (CardAnswer.AGAIN, CardAnswer.HARD, CardAnswer.GOOD, CardAnswer.EASY)
    times: dict[str, list[float]] = {
        key: [] for key in ("srs_answer", "srs_fetch", "anki_answer", "anki_fetch")
    }
    col = Collection(str(anki_path))
    try:
        assert isinstance(col.sched, Scheduler)
        with Store.open(srs_path) as store:
            session = StudySession(store)
            col.sched.get_queued_cards()  # Anki's first queue build is measured elsewhere
            for rating in ANSWER_RATINGS[:answers]:
                started = time.perf_counter()
                card = session.next_card()
                if card is None:
                    break
                fetched = time.perf_counter()
                session.answer(card.id, Rating(rating), duration_ms=5000)
                done = time.perf_counter()
                times["srs_fetch"].append(_ms(started, done))
                times["srs_answer"].append(_ms(fetched, done))

                started = time.perf_counter()
                queued = col.sched.get_queued_cards()
                top = queued.cards[0]
                anki_card = Card(col)
                anki_card._load_from_backend_card(top.card)
                anki_card.start_timer()
                answer = col.sched.build_answer(
                    card=anki_card,
                    states=top.states,
                    rating=grades[rating - 1],
                )
                fetched = time.perf_counter()
                col.sched.answer_card(answer)
                done = time.perf_counter()
                times["anki_fetch"].append(_ms(started, done))
                times["anki_answer"].append(_ms(fetched, done))
    finally:
        col.close()
    medians = {key: statistics.median(values) for key, values in times.items()}
    return {
        **times,
        "medians_ms": medians,
        "answer_ratio": medians["srs_answer"] / medians["anki_answer"],
        "fetch_answer_ratio": medians["srs_fetch"] / medians["anki_fetch"],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.answers", description=__doc__)
    parser.add_argument("answers", nargs="?", type=int, default=300)
    parser.add_argument("--srs", type=Path, help="an srs collection to answer in (changed)")
    parser.add_argument("--anki", type=Path, help="an Anki collection to answer in (changed)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="srs-bench-answers-") as tmp:
        srs_path, anki_path = args.srs, args.anki
        if srs_path is None:
            srs_path = Path(tmp) / "collection.db"
            shutil.copyfile(cached_collection(CollectionSpec()), srs_path)
        if anki_path is None:
            anki_path = Path(tmp) / "collection.anki2"
            shutil.copyfile(peer_anki.cached(CollectionSpec())[0], anki_path)
        result = measure(srs_path, anki_path, args.answers)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
