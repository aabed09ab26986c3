"""The exam plan: how long planning takes, and whether following it helps simulated learners.

`python -m bench.plan [--seeds N] [--json]` (`python -m bench` runs it too).

Speed: 10,000- and 100,000-card decks with an exam 90 days out, half studied: `exam_plan`
whole (the read, the model fit, the forecast, the chance by day) and the forecast alone (its
input built by `srs.plan.plan.forecast_input`), medians of 5 runs.

Evidence: the simulated learners of `bench.readiness` (a hidden FSRS memory that is the truth)
study the readiness deck (150 cards, 20 questions, pass at 80%) for a fixed number of minutes a
day until an exam 30 or 60 days out, each answer taking the learner 6-25 s. Once following the
plan (the exam date and the learner's minutes set: the exam-day cap, and each morning the
deck's new cards a day set to the plan's) and once with plain scheduling (the deck's
defaults: 20 new cards a day, no cap).
On exam day: the share of cards the learner truly recalls, the true chance to pass (the oracle:
every form, from the hidden memory), and one simulated sitting. The plan's exam-day chance
predicted on the first day, a third and two thirds of the way is scored against the sitting
(Brier), beside the oracle's.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from pathlib import Path
from typing import Any

from fsrs import Rating

from bench.readiness import (
    DECK,
    LEARNERS,
    PASS_MARK,
    QUESTIONS,
    START,
    HiddenMemory,
    Learner,
    _deck_text,
    _pick,
)
from srs.clock import Clock
from srs.collection.exam_memory import exam_card_memories
from srs.collection.settings import get_settings, set_setting
from srs.collection.store import Store
from srs.decks.importer import import_decks
from srs.decks.validate import parse_deck
from srs.exam.form import needed_to_pass
from srs.exam.probability import predict
from srs.plan import exam_plan, set_exam_date
from srs.plan.forecast import forecast
from srs.plan.plan import forecast_input
from srs.study.session import StudySession

__all__ = ["main"]

MINUTES = 8
"""Each learner's study time a day."""
HORIZONS = (30, 60)
WHEN = ("day 0", "1/3", "2/3")
"""When the plan's exam-day chance is scored: on the first day, a third and two thirds of the
way to the exam (the prediction should sharpen as the learner's answers come in)."""
KINDS = ("matched", "fast forgetter", "strong", "mixed difficulty", "lured guesser")


@dataclass(frozen=True)
class Run:
    learner: str
    days: int
    planned: bool
    seed: int
    recalled: float
    true_chance: float
    predicted: tuple[float, ...]
    """The plan's exam-day chance as predicted on each day of `WHEN` (plan arm; else empty)."""
    passed: bool


def _study(store: Store, world: HiddenMemory, now: list[Any], rng: random.Random) -> None:
    """Study today's queue until the day's minutes are spent."""
    session = StudySession(store, [DECK], rng=rng)
    spent = 0.0
    while spent < MINUTES * 60 and (card := session.next_card()) is not None:
        options = [option.text for option in session.choices(card)]
        knows = rng.random() < world.recall(card.id, now[0])
        chosen = _pick(options, card.content.answers, knows, world.guess(card.id), rng)
        right = set(chosen) == set(card.content.answers)
        duration = rng.uniform(6, 25)
        spent += duration
        now[0] += timedelta(seconds=duration)
        session.answer(
            card.id,
            Rating.Good if right else Rating.Again,
            duration_ms=int(duration * 1000),
            choice=chosen,
        )
        world.learn(card.id, knows, now[0])


def simulate(learner: Learner, days: int, planned: bool, seed: int, folder: Path) -> Run:
    rng = random.Random(f"{learner.name}:{days}:{seed}")
    now = [START]
    path = folder / f"plan-{planned}.db"
    store = Store.open(path, Clock(now_fn=lambda: now[0], zone=UTC))
    store.conn.execute("PRAGMA synchronous = OFF")
    import_decks(store, [parse_deck(_deck_text())])
    shapes = {
        card_id: (n, options, answers)
        for n, (card_id, _t, options, answers, *_memory) in enumerate(
            sorted(exam_card_memories(store, DECK))
        )
    }
    world = HiddenMemory(learner, shapes)
    world.know_some(rng)
    exam: date = (START + timedelta(days=days)).date()
    predicted: list[float] = []
    scored = {0, days // 3, 2 * days // 3}
    for day in range(days + 1):
        now[0] = START + timedelta(days=day, hours=rng.uniform(7.5, 9.0))
        if planned:
            if day == 0:
                set_exam_date(store, DECK, exam, minutes_per_day=MINUTES)
            plan = exam_plan(store, DECK)
            assert plan is not None
            if day in scored:
                predicted.append(plan.pass_chance_exam_day)
            set_setting(store, DECK, "new_per_day", str(plan.new_per_day))
        if day < days:
            _study(store, world, now, rng)
    now[0] += timedelta(hours=3)
    truth = {card_id: world.exam_chance(card_id, now[0]) for card_id in shapes}
    recalled = statistics.fmean(world.recall(card_id, now[0]) for card_id in shapes)
    needed = needed_to_pass(PASS_MARK, QUESTIONS)
    true_chance = predict([(list(truth.values()), QUESTIONS)], needed).pass_chance
    form = rng.sample(list(truth), QUESTIONS)
    passed = sum(rng.random() < truth[card_id] for card_id in form) >= needed
    store.close()
    path.unlink()
    return Run(
        learner.name,
        days,
        planned,
        seed,
        recalled,
        true_chance,
        tuple(predicted),
        passed,
    )


def evidence(seeds: int) -> list[Run]:
    runs = []
    learners = [learner for learner in LEARNERS if learner.name in KINDS]
    with tempfile.TemporaryDirectory(prefix="srs-plan-") as folder:
        for learner in learners:
            for days in HORIZONS:
                for seed in range(seeds):
                    for planned in (True, False):
                        runs.append(simulate(learner, days, planned, seed, Path(folder)))
    return runs


def speed(sizes: Sequence[int] = (10_000, 100_000), repeats: int = 5) -> dict[str, float]:
    """Median ms of `exam_plan` (the whole call) and of the forecast alone, on decks of these
    sizes with an exam 90 days out, half of each deck studied."""
    result = {}
    with tempfile.TemporaryDirectory(prefix="srs-plan-") as folder:
        for size in sizes:
            whole, alone = _timed(Path(folder) / f"big-{size}.db", size, repeats)
            result[f"exam_plan_ms_{size}"] = whole
            result[f"forecast_ms_{size}"] = alone
    return result


def _timed(path: Path, size: int, repeats: int) -> tuple[float, float]:
    lines = ["deck: big", "title: Big", "exam: {questions: 60, pass_mark: 70%}", "cards:"]
    for n in range(size):
        lines.append(
            f"  - {{id: c{n}, topic: T{n % 8}, question: Q{n}?, answer: R{n}, "
            f"distractors: [W{n}a, W{n}b, W{n}c]}}"
        )
    rng = random.Random(0)
    clock = Clock(now_fn=lambda: START, zone=UTC)
    store = Store.open(path, clock)
    import_decks(store, [parse_deck(("\n".join(lines) + "\n").encode())])
    with store.write():  # half the deck studied, due over the next two months
        for card_id in range(1, size // 2 + 1):
            stability = rng.uniform(2, 60)
            due = START + timedelta(days=rng.uniform(-5, 60))
            store.conn.execute(
                "UPDATE memory SET state = 2, stability = ?, difficulty = 5.0, due = ?, "
                "last_review = ?, reps = 3 WHERE card_id = ?",
                (
                    stability,
                    due.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                    (due - timedelta(days=stability)).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                    card_id,
                ),
            )
    exam = (START + timedelta(days=90)).date()
    set_exam_date(store, "big", exam)
    settings = get_settings(store, "big")
    whole, alone = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        exam_plan(store, "big")
        whole.append((time.perf_counter() - started) * 1000)
        source = forecast_input(store, "big", settings, exam, START)
        started = time.perf_counter()
        forecast(source)
        alone.append((time.perf_counter() - started) * 1000)
    store.close()
    return statistics.median(whole), statistics.median(alone)


def _brier(pairs: Sequence[tuple[float, bool]]) -> float:
    return math.fsum((p - float(o)) ** 2 for p, o in pairs) / len(pairs)


def summary(runs: Sequence[Run]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for days in HORIZONS:
        for planned in (True, False):
            group = [r for r in runs if r.days == days and r.planned is planned]
            result[f"{days}d {'plan' if planned else 'plain'}"] = {
                "runs": len(group),
                "recalled": statistics.fmean(r.recalled for r in group),
                "true_chance": statistics.fmean(r.true_chance for r in group),
                "passed": statistics.fmean(r.passed for r in group),
            }
    for days in HORIZONS:
        followed = [r for r in runs if r.planned and r.days == days]
        result[f"brier {days}d"] = {
            **{
                when: _brier([(r.predicted[n], r.passed) for r in followed])
                for n, when in enumerate(WHEN)
            },
            "oracle": _brier([(r.true_chance, r.passed) for r in followed]),
        }
    return result


def report(result: dict[str, Any]) -> str:
    lines = [f"{'arm':<12} {'runs':>4} {'recalled':>9} {'true pass':>10} {'passed':>7}"]
    for name, row in result.items():
        if isinstance(row, dict) and "runs" in row:
            lines.append(
                f"{name:<12} {row['runs']:>4} {row['recalled']:>9.3f} "
                f"{row['true_chance']:>10.3f} {row['passed']:>7.2f}"
            )
    briers = [days for days in HORIZONS if f"brier {days}d" in result]
    if briers:
        lines.append(
            "Brier of the exam-day chance predicted on " + ", ".join(WHEN) + "; the oracle's"
        )
    for days in briers:
        row = result[f"brier {days}d"]
        lines.append(
            f"{days}d    "
            + "  ".join(f"{row[when]:.3f}" for when in WHEN)
            + f"  oracle {row['oracle']:.3f}"
        )
    for key in sorted(k for k in result if k.startswith("exam_plan_ms_")):
        size = int(key.rsplit("_", 1)[1])
        lines.append(
            f"{size:,} cards, 90 days: exam_plan {result[key]:.0f} ms, forecast alone "
            f"{result[f'forecast_ms_{size}']:.0f} ms (median; target <= 200 ms)"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.plan", description=__doc__)
    parser.add_argument("--seeds", type=int, default=2, help="runs per learner and horizon")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--only", choices=("speed", "evidence"), help="run one half (default: both)"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    result: dict[str, Any] = {}
    if args.only != "evidence":
        result |= speed()
    if args.only != "speed":
        result |= summary(evidence(args.seeds))
    result["seconds"] = time.perf_counter() - started
    print(json.dumps(result, indent=1) if args.json else report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
