"""`python -m bench.anki_log`: srs's scheduling beside Anki's, answer by answer, on a real log.

Replays a review log (by default the CSV files in `../shared/data/`: 12,580 Anki reviews of
1,205 cards) through srs's scheduling, then asks Anki's own backend (the `anki` wheel, AGPL, a
bench-only peer) what it would do from the very same state: before each answer, Anki's card is
given srs's memory (state, learning steps left, stability, difficulty, last review, current
interval), and both say what each rating gives. So every answer is compared from one prior state,
and differences do not pile up along a card's history.

Two replays:
- before: git HEAD's behaviour, py-fsrs called with the raw answer times (elapsed time in
  24-hour periods, intervals as py-fsrs rounds them);
- after: `srs.study.scheduling.preview`, which counts study days as Anki does.

Both sides use the same FSRS-6 parameters (py-fsrs's defaults), desired retention, steps and
maximum interval (Anki's defaults, which srs shares), the learner's zone and day start. Fuzz is
off on both sides (Anki's ANKI_TEST_MODE): Anki draws its fuzz from the card id with its own
generator, so only unfuzzed intervals can be compared day for day.

Anki's backend takes "now" from the system clock. Its day count is `(next day start - last
review) // 86,400 s`, so the last review is moved by a whole number of days: the answer's study
day lands on Anki's today, in an Anki process whose TZ is the learner's UTC offset at the answer
(one process per offset). The learner's zone is not in the log; its reviews fall between 08:00
and 23:00 in America/Los_Angeles (PDT all along), the default here.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fsrs import Card as FsrsCard
from fsrs import Rating, State

from bench.collection import OUT
from srs.clock import Clock
from srs.model.memory import Memory, MemoryState
from srs.model.settings import DeckSettings
from srs.study.scheduling import preview, scheduler_for

__all__ = ["Agreement", "main", "measure"]

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
"""Where the real review log lives (see its README)."""

DEFAULT_ZONE = "America/Los_Angeles"


@dataclass(frozen=True)
class Answer:
    """One line of the log."""

    card: int
    rating: Rating
    at: datetime


@dataclass(frozen=True)
class Prior:
    """A card before an answer, as Anki's card is set up from it.

    Attributes:
        state: 0 new, 1 learning, 2 review, 3 relearning (srs's and Anki's card types agree).
        remaining: (re)learning steps left, as Anki counts them.
        stability: FSRS stability (None while new).
        difficulty: FSRS difficulty (None while new).
        last_review: epoch seconds of the last answer (None while new).
        interval: a review card's current interval in days.
        day_end: epoch seconds at which the answer's study day ends.
        offset: the learner's UTC offset at the answer, in minutes.
    """

    state: int
    remaining: int
    stability: float | None
    difficulty: float | None
    last_review: int | None
    interval: int
    day_end: int
    offset: int


@dataclass(frozen=True)
class Outcome:
    """What one rating does: the new stability, and the interval in days if it is a review."""

    stability: float
    days: int | None


Replay = list[tuple[Prior, dict[Rating, Outcome]]]


def read_log(paths: Iterable[Path]) -> list[Answer]:
    """The answers of py-fsrs's review-log CSV files, each card's in time order."""
    answers = []
    for path in paths:
        with path.open(newline="") as file:
            for row in csv.DictReader(file):
                at = datetime.fromisoformat(row["review_time"]).astimezone(UTC)
                answers.append(Answer(int(row["card_id"]), Rating(int(row["review_rating"])), at))
    return sorted(answers, key=lambda answer: (answer.card, answer.at))


def _epoch(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp())


def _prior(memory: Memory, answer: Answer, clock: Clock, settings: DeckSettings) -> Prior:
    steps = {
        MemoryState.Learning: len(settings.learning_steps),
        MemoryState.Relearning: len(settings.relearning_steps),
    }.get(memory.state, 0)
    interval = 0
    if memory.state is MemoryState.Review and memory.due and memory.last_review:
        interval = (clock.study_day(memory.due) - clock.study_day(memory.last_review)).days
    offset = answer.at.astimezone(clock.zone).utcoffset()
    assert offset is not None
    return Prior(
        int(memory.state),
        steps - (memory.step or 0),
        memory.stability,
        memory.difficulty,
        _epoch(memory.last_review),
        max(interval, 1),
        int(clock.next_day_start(answer.at).timestamp()),
        int(offset.total_seconds() // 60),
    )


Scheduling = Callable[[Memory, Answer], dict[Rating, tuple[Outcome, Memory]]]
"""One side's answer to a memory: per rating, the outcome and the memory after it."""


def replay(
    answers: Sequence[Answer], clock: Clock, settings: DeckSettings, scheduling: Scheduling
) -> Replay:
    """One side along the log: before each answer, the card's memory as Anki stores it
    (stability to 4 places, difficulty to 3: both sides start from exactly what Anki's card
    holds) and every rating's outcome from it; the card then moves on by the side's own
    unrounded result for the rating given."""
    memories: dict[int, Memory] = {}
    steps: Replay = []
    for answer in answers:
        memory = memories.get(answer.card, Memory())
        stored = _as_anki_stores(memory)
        outcomes = {rating: outcome for rating, (outcome, _) in scheduling(stored, answer).items()}
        steps.append((_prior(stored, answer, clock, settings), outcomes))
        memories[answer.card] = scheduling(memory, answer)[answer.rating][1]
    return steps


def _as_anki_stores(memory: Memory) -> Memory:
    """The memory with the precision of Anki's card data (rslib storage/card/data.rs)."""
    if memory.stability is None or memory.difficulty is None:
        return memory
    return replace(
        memory,
        stability=math.floor(memory.stability * 1e4 + 0.5) / 1e4,
        difficulty=math.floor(memory.difficulty * 1e3 + 0.5) / 1e3,
    )


def srs_after(clock: Clock, settings: DeckSettings) -> Scheduling:
    """srs's scheduling (`srs.study.scheduling.preview`), which counts study days."""

    def answer(memory: Memory, answer: Answer) -> dict[Rating, tuple[Outcome, Memory]]:
        shown = preview(
            memory, card=str(answer.card), now=answer.at, settings=settings, clock=clock
        )
        result = {}
        for rating, option in shown.items():
            after = option.memory
            assert after.stability is not None
            days = option.interval.days if after.state is MemoryState.Review else None
            result[rating] = (Outcome(after.stability, days), after)
        return result

    return answer


def py_fsrs_before(settings: DeckSettings) -> Scheduling:
    """git HEAD's behaviour: py-fsrs called with the raw answer times (24-hour periods)."""
    scheduler = scheduler_for(settings)

    def answer(memory: Memory, answer: Answer) -> dict[Rating, tuple[Outcome, Memory]]:
        card = memory.to_fsrs(answer.card, answer.at)
        result = {}
        for rating in Rating:
            after, _ = scheduler.review_card(card, rating, answer.at)
            assert after.stability is not None
            days = (after.due - answer.at).days if after.state == State.Review else None
            result[rating] = (Outcome(after.stability, days), _memory(after, memory))
        return result

    return answer


def _memory(card: FsrsCard, before: Memory) -> Memory:
    return Memory(
        MemoryState(int(card.state)),
        card.step,
        card.stability,
        card.difficulty,
        card.due,
        card.last_review,
        before.reps + 1,
        before.lapses,
    )


# --- the Anki peer ----------------------------------------------------------------------------


def _posix_zone(offset: int) -> str:
    """A TZ value for a fixed UTC offset in minutes (POSIX counts hours west: UTC-7 is "7")."""
    hours, minutes = divmod(abs(offset), 60)
    return f"LOG{'-' if offset > 0 else ''}{hours}:{minutes:02d}"


def anki_outcomes(
    priors: Sequence[Prior], settings: DeckSettings, day_start: int
) -> list[dict[Rating, Outcome]]:
    """Anki's outcome of every rating from each prior state (one Anki process per UTC offset).

    Raises:
        RuntimeError: the anki wheel is missing, or its process failed.
    """
    by_offset: dict[int, list[int]] = defaultdict(list)
    for index, prior in enumerate(priors):
        by_offset[prior.offset].append(index)
    results: list[dict[Rating, Outcome]] = [{} for _ in priors]
    for offset, indexes in by_offset.items():
        request = {
            "day_start": day_start,
            "parameters": list(settings.parameters),
            "retention": settings.desired_retention,
            "learning_steps": [s.total_seconds() / 60 for s in settings.learning_steps],
            "relearning_steps": [s.total_seconds() / 60 for s in settings.relearning_steps],
            "maximum_interval": settings.maximum_interval,
            "priors": [asdict(priors[i]) for i in indexes],
        }
        env = os.environ | {"TZ": _posix_zone(offset), "ANKI_TEST_MODE": "1"}
        done = subprocess.run(
            [sys.executable, "-m", "bench.anki_log", "--peer"],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"the Anki peer failed:\n{done.stderr}")
        for index, outcomes in zip(indexes, json.loads(done.stdout), strict=True):
            results[index] = {
                rating: Outcome(stability, days)
                for rating, (stability, days) in zip(Rating, outcomes, strict=True)
            }
    return results


_ANKI_TYPE_QUEUE = {0: (0, 0), 1: (1, 1), 2: (2, 2), 3: (3, 1)}
"""Anki's card type and queue for each state: relearning cards wait in the learning queue."""


def _peer(request: dict[str, Any]) -> list[list[tuple[float, int | None]]]:
    """In the Anki process: every rating's (stability, review days or None) per prior."""
    from anki.cards_pb2 import FsrsMemoryState
    from anki.collection import Collection
    from anki.consts import CardQueue, CardType
    from anki.decks import DeckId

    with tempfile.TemporaryDirectory(prefix="srs-bench-anki-log-") as tmp:
        col = Collection(str(Path(tmp) / "log.anki2"))
        try:
            col.set_config("fsrs", True)
            col.set_config("rollover", request["day_start"])
            config = col.decks.config_dict_for_deck_id(DeckId(1))
            config["fsrsParams6"] = request["parameters"]
            config["desiredRetention"] = request["retention"]
            config["new"]["delays"] = request["learning_steps"]
            config["lapse"]["delays"] = request["relearning_steps"]
            config["rev"]["maxIvl"] = request["maximum_interval"]
            col.decks.update_config(config)
            basic = col.models.by_name("Basic")
            assert basic is not None
            note = col.new_note(basic)
            note["Front"], note["Back"] = "question", "answer"
            col.add_note(note, DeckId(1))
            card = note.cards()[0]
            answers = []
            for prior in request["priors"]:
                shift = col.sched.day_cutoff - prior["day_end"]
                if shift % 86_400:
                    raise RuntimeError(f"Anki's day does not end with the learner's ({shift} s)")
                kind, queue = _ANKI_TYPE_QUEUE[prior["state"]]
                card.type, card.queue = CardType(kind), CardQueue(queue)
                card.due = col.sched.today if prior["state"] == 2 else 1
                card.ivl = prior["interval"]
                card.left = prior["remaining"]
                card.memory_state = (
                    None
                    if prior["stability"] is None
                    else FsrsMemoryState(
                        stability=prior["stability"], difficulty=prior["difficulty"]
                    )
                )
                card.last_review_time = (
                    None if prior["last_review"] is None else prior["last_review"] + shift
                )
                col.update_card(card, skip_undo_entry=True)
                states = col._backend.get_scheduling_states(card.id)
                answers.append(
                    [
                        _anki_outcome(getattr(states, name))
                        for name in ("again", "hard", "good", "easy")
                    ]
                )
            return answers
        finally:
            col.close()


def _anki_outcome(state: Any) -> tuple[float, int | None]:
    kind = state.normal.WhichOneof("kind")
    if kind == "review":
        return state.normal.review.memory_state.stability, state.normal.review.scheduled_days
    if kind == "relearning":
        return state.normal.relearning.learning.memory_state.stability, None
    return state.normal.learning.memory_state.stability, None


# --- agreement --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Agreement:
    """How one replay's outcomes compare with Anki's from the same prior states.

    Attributes:
        answers: answers compared (the rating actually given).
        stability_within_1pct: share whose new stability is within 1% of Anki's.
        stability_largest_difference: the largest relative difference from Anki's stability.
        kind_differs: answers that leave the card in review on one side only.
        intervals: answers that leave the card in review on both sides.
        interval_equal: share of those with the same interval in days.
        interval_off_2_days: share off by 2 days or more, either way.
        anki_2_days_longer: share where Anki's interval is 2 or more days longer.
        review_previews: answers given to review cards (previews of Hard, Good and Easy).
        hard_equals_good: share of those previews with Hard's interval equal to Good's.
        good_equals_easy: share with Good's equal to Easy's.
        anki_ties: previews where Anki shows two equal intervals among Hard, Good and Easy.
    """

    answers: int
    stability_within_1pct: float
    stability_largest_difference: float
    kind_differs: int
    intervals: int
    interval_equal: float
    interval_off_2_days: float
    anki_2_days_longer: float
    review_previews: int
    hard_equals_good: float
    good_equals_easy: float
    anki_ties: int


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


def agreement(
    replay: Replay, answers: Sequence[Answer], anki: Sequence[dict[Rating, Outcome]]
) -> Agreement:
    """Compare a replay's outcomes with Anki's, answer by answer."""
    differences = []
    kind_differs = 0
    pairs: list[tuple[int, int]] = []
    previews = hard_good = good_easy = anki_ties = 0
    for (prior, ours), theirs, answer in zip(replay, anki, answers, strict=True):
        mine, other = ours[answer.rating], theirs[answer.rating]
        differences.append(abs(mine.stability - other.stability) / other.stability)
        kind_differs += (mine.days is None) != (other.days is None)
        if mine.days is not None and other.days is not None:
            pairs.append((mine.days, other.days))
        if prior.state == 2:
            previews += 1
            hard_good += ours[Rating.Hard].days == ours[Rating.Good].days
            good_easy += ours[Rating.Good].days == ours[Rating.Easy].days
            passing = [theirs[r].days for r in (Rating.Hard, Rating.Good, Rating.Easy)]
            anki_ties += len(set(passing)) < 3
    return Agreement(
        len(answers),
        _share(sum(d <= 0.01 for d in differences), len(answers)),
        max(differences, default=0.0),
        kind_differs,
        len(pairs),
        _share(sum(a == b for a, b in pairs), len(pairs)),
        _share(sum(abs(a - b) >= 2 for a, b in pairs), len(pairs)),
        _share(sum(b - a >= 2 for a, b in pairs), len(pairs)),
        previews,
        _share(hard_good, previews),
        _share(good_easy, previews),
        anki_ties,
    )


def measure(paths: Sequence[Path], zone: str, day_start: int) -> dict[str, Any]:
    """Both replays against Anki; JSON-ready."""
    answers = read_log(paths)
    clock = Clock(zone=ZoneInfo(zone), rollover_hour=day_start)
    settings = DeckSettings(fuzz=False)
    result: dict[str, Any] = {
        "log": [str(path) for path in paths],
        "answers": len(answers),
        "cards": len({answer.card for answer in answers}),
        "zone": zone,
        "day_start": day_start,
    }
    sides = (("before", py_fsrs_before(settings)), ("after", srs_after(clock, settings)))
    for name, scheduling in sides:
        started = time.perf_counter()
        steps = replay(answers, clock, settings, scheduling)
        replayed = time.perf_counter() - started
        started = time.perf_counter()
        anki = anki_outcomes([prior for prior, _ in steps], settings, day_start)
        asked = time.perf_counter() - started
        result[name] = asdict(agreement(steps, answers, anki)) | {
            "replay_s": replayed,
            "anki_s": asked,
        }
    return result


_ROWS = (
    ("stability within 1% of Anki's", "stability_within_1pct"),
    ("interval equal to Anki's", "interval_equal"),
    ("interval off by 2+ days", "interval_off_2_days"),
    ("Anki's interval 2+ days longer", "anki_2_days_longer"),
    ("review previews with Hard = Good", "hard_equals_good"),
    ("review previews with Good = Easy", "good_equals_easy"),
)


def report(result: dict[str, Any]) -> str:
    """The figures as a small table."""
    before, after = result["before"], result["after"]
    lines = [
        f"{result['answers']:,} answers of {result['cards']:,} cards, each from the same prior "
        f"state on both sides ({result['zone']}, day start {result['day_start']:02d}:00, fuzz "
        "off)",
        f"{'':34} {'before':>8} {'after':>8}",
    ]
    lines += [f"{label:34} {before[key]:>8.1%} {after[key]:>8.1%}" for label, key in _ROWS]
    lines.append(
        f"{'largest stability difference':34} {before['stability_largest_difference']:>8.2%} "
        f"{after['stability_largest_difference']:>8.2%}"
    )
    lines.append(
        f"{'answers in review on one side only':34} {before['kind_differs']:>8,} "
        f"{after['kind_differs']:>8,}"
    )
    lines.append(
        f"({after['intervals']:,} answers left the card in review on both sides; "
        f"{after['review_previews']:,} answers were to review cards, where Anki tied "
        f"{after['anki_ties']} times)"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.anki_log", description=__doc__)
    parser.add_argument("logs", nargs="*", type=Path, help=f"CSV logs (default: {DATA}/*.csv)")
    parser.add_argument("--zone", default=DEFAULT_ZONE, help="the learner's IANA time zone")
    parser.add_argument("--day-start", type=int, default=4, help="the hour a study day starts")
    parser.add_argument("--peer", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.peer:
        json.dump(_peer(json.load(sys.stdin)), sys.stdout)
        return 0
    paths = args.logs or sorted(DATA.glob("*.csv"))
    if not paths:
        print(f"Anki log comparison skipped: no review log in {DATA}", file=sys.stderr)
        return 0
    try:
        result = measure(paths, args.zone, args.day_start)
    except RuntimeError as exc:
        print(f"Anki log comparison failed: {exc}", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "anki_log.json").write_text(json.dumps(result, indent=1))
    print(report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
