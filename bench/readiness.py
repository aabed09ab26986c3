"""How well the predicted chance to pass matches what happens: simulated learners with a known,
hidden memory study a deck with srs's real engines and sit its mock exams.

`python -m bench.readiness [--seeds N] [--json]` (`python -m bench` runs it too).

The world. Each learner has a hidden memory of every card: FSRS-6 with the learner's own
weights (per card for the mixed-difficulty learner), updated by py-fsrs's `review_card` after
every answer, and recalled with the exact forgetting curve at the moment of the answer. A card
recalled is answered right (rated Good); one not recalled is guessed: right with the learner's
own guess rate (1/k for k equally likely options, less for a learner lured by distractors), and
a lucky guess is rated Good too, as a learner would. The hidden memory learns from what really
happened: Good when recalled, Again when not (a lucky guess teaches nothing more than a miss
whose answer is then shown).

The learner. Study goes through `StudySession` (today's queue, the answers written by
`record_answer`), with an injected clock, mornings or evenings; mock exams through
`srs.exam.engine` (start, answer, submit, which logs the answers as reviews). On about one day
in three the learner sits an exam, before or right after studying.

The learner types: matched (srs's default weights), a fast forgetter, a strong learner, mixed
card difficulty (a third of the cards hard, a third easy), a guesser lured by distractors (right
0.4 / C(k, m) of the time), irregular (studies on 45% of days), a 3-week break, prior knowledge
(half the cards known beforehand), one who stops studying at day 30; and, outside the targets,
exam nerves (recalls 85% as well under exam conditions), where only a recalibration against
mock exams can help.

Each exam is scored three ways, against its simulated outcome (pass or fail):
- srs: the chance stored when the attempt started (what the learner was shown);
- before: the model of srs 0.x up to this change (R from py-fsrs in whole days, g = 1/k, the
  first-answer prior, no recalibration), for the same form at the same moment;
- oracle: the learner's TRUE pass chance, from the hidden memory (exact Poisson-binomial of the
  true per-question chances): the best any prediction can do.
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
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS

from srs.clock import Clock
from srs.collection.exam_memory import exam_card_memories, first_choice_answers
from srs.collection.settings import get_settings, set_setting
from srs.collection.store import Store
from srs.decks.importer import import_decks
from srs.decks.validate import parse_deck
from srs.exam.engine import answer, start_exam, submit
from srs.exam.form import needed_to_pass
from srs.exam.probability import predict, score_distribution
from srs.model.memory import forgetting_curve, recall_at
from srs.study.session import StudySession

__all__ = ["DEFAULT_SEEDS", "LEARNERS", "ExamRecord", "Learner", "main", "report", "simulate"]

# The deck and the pace are chosen so that most learners reach the pass line within the 60
# days rather than pass from the first week: the predictions then span the whole range, and the
# old model's and the oracle's Brier scores (0.075, 0.052) land near those of the outside check
# that asked for this bench (0.077, 0.055).
DECK = "bench-readiness"
SINGLE, SELECT_ALL = 120, 30
"""Cards: one right option among 4, and 2 right options among 5 (C(5, 2) = 10 picks)."""
QUESTIONS, PASS_MARK = 20, 0.8
DAYS = 60
NEW_PER_DAY = 10
ANSWERS_PER_SESSION = (15, 40)
"""A session ends after this many answers at most (a learner's time, not the queue, runs out)."""
EXAM_CHANCE = 0.3
"""The share of days with a mock exam."""
START = datetime(2025, 3, 3, tzinfo=UTC)
W = tuple(DEFAULT_PARAMETERS)


def _weights(initial: float = 1.0, growth: float = 0.0, lapse: float = 1.0) -> tuple[float, ...]:
    """FSRS-6 weights varied from the defaults: first stabilities times `initial`, the growth
    of stability on a recall (w8, a log factor) plus `growth`, post-lapse stability times
    `lapse`."""
    w = list(W)
    w[0:4] = [min(100.0, s * initial) for s in w[0:4]]
    w[8] = min(4.5, max(0.0, w[8] + growth))
    w[11] = min(5.0, w[11] * lapse)
    return tuple(w)


FAST = _weights(initial=0.3, growth=-0.6, lapse=0.6)
STRONG = _weights(initial=3.0, growth=0.3)
HARD = _weights(initial=0.25, growth=-0.5, lapse=0.7)
EASY = _weights(initial=4.0, growth=0.3)


@dataclass(frozen=True)
class Learner:
    """A kind of simulated learner.

    Attributes:
        name: the learner type.
        weights: the hidden FSRS-6 weights of card number n.
        lure: guess rate times the number of possible picks: 1 guesses uniformly, below 1 is
            drawn to distractors.
        studies: whether the learner studies on day d (from 0).
        sits: whether the learner may sit an exam on day d.
        known: the share of cards known before studying (a stable memory from elsewhere).
        nerves: under exam conditions, the chance of recalling a card is this times R.
    """

    name: str
    weights: Callable[[int], tuple[float, ...]] = lambda n: W
    lure: float = 1.0
    studies: Callable[[int, random.Random], bool] = lambda day, rng: True
    sits: Callable[[int], bool] = lambda day: True
    known: float = 0.0
    nerves: float = 1.0


LEARNERS = (
    Learner("matched"),
    Learner("fast forgetter", weights=lambda n: FAST),
    Learner("strong", weights=lambda n: STRONG),
    Learner("mixed difficulty", weights=lambda n: (HARD, W, EASY)[n % 3]),
    Learner("lured guesser", lure=0.4),
    Learner("irregular", studies=lambda day, rng: rng.random() < 0.45),
    Learner(
        "3-week break",
        studies=lambda day, rng: not 20 <= day < 41,
        sits=lambda day: not 20 <= day < 41,
    ),
    Learner("prior knowledge", known=0.5),
    Learner("stops at day 30", studies=lambda day, rng: day < 30),
    Learner("exam nerves", nerves=0.85),
)


@dataclass(frozen=True)
class ExamRecord:
    """One simulated mock exam: the predictions made at its start and what happened."""

    learner: str
    seed: int
    evening: bool
    day: int
    srs: float
    before: float
    oracle: float
    passed: bool


# --- the hidden world -----------------------------------------------------------------------


class HiddenMemory:
    """What the learner really remembers: one py-fsrs card per deck card, with the learner's
    weights, and the true chance of a right answer now."""

    def __init__(self, learner: Learner, shapes: dict[int, tuple[int, int, int]]) -> None:
        self.learner = learner
        self.shapes = shapes
        self.cards: dict[int, FsrsCard] = {}
        self.weights = {card_id: learner.weights(n) for card_id, (n, _, _) in shapes.items()}

    def know_some(self, rng: random.Random) -> None:
        """Prior knowledge: a stable memory of `known` of the cards, last used days ago."""
        for card_id in self.shapes:
            if rng.random() < self.learner.known:
                last = START - timedelta(days=rng.uniform(1, 20))
                self.cards[card_id] = FsrsCard(
                    card_id=card_id,
                    state=State.Review,
                    stability=rng.uniform(20, 90),
                    difficulty=5.0,
                    last_review=last,
                    due=last,
                )

    def exam_recall(self, card_id: int, now: datetime) -> float:
        return self.learner.nerves * self.recall(card_id, now)

    def exam_chance(self, card_id: int, now: datetime) -> float:
        recall = self.exam_recall(card_id, now)
        return recall + (1 - recall) * self.guess(card_id)

    def recall(self, card_id: int, now: datetime) -> float:
        card = self.cards.get(card_id)
        if card is None or card.stability is None or card.last_review is None:
            return 0.0
        days = max((now - card.last_review).total_seconds(), 0.0) / 86400
        return forgetting_curve(days, card.stability, self.weights[card_id])

    def guess(self, card_id: int) -> float:
        _, options, answers = self.shapes[card_id]
        return self.learner.lure / math.comb(options, answers)

    def learn(self, card_id: int, recalled: bool, now: datetime) -> None:
        card = self.cards.get(card_id) or FsrsCard(card_id=card_id, due=now)
        rating = Rating.Good if recalled else Rating.Again
        self.cards[card_id] = _world(self.weights[card_id]).review_card(card, rating, now)[0]


_WORLDS: dict[tuple[float, ...], Scheduler] = {}


def _world(weights: tuple[float, ...]) -> Scheduler:
    """py-fsrs with these weights, as memory arithmetic only (no steps, no fuzz)."""
    if weights not in _WORLDS:
        _WORLDS[weights] = Scheduler(
            weights, learning_steps=(), relearning_steps=(), enable_fuzzing=False
        )
    return _WORLDS[weights]


def _pick(
    options: Sequence[str], right: Sequence[str], knows: bool, guess: float, rng: random.Random
) -> list[str]:
    """The options the learner picks: the right ones when recalled or lucky, else a wrong set
    of the same size."""
    if knows or rng.random() < guess:
        return list(right)
    wrong = [text for text in options if text not in right]
    if len(right) == 1:
        return [rng.choice(wrong)]
    return [*rng.sample(list(right), len(right) - 1), rng.choice(wrong)]


# --- the learner using srs ------------------------------------------------------------------


def _deck_text() -> bytes:
    lines = [
        f"deck: {DECK}",
        "title: Readiness bench",
        "exam:",
        f"  questions: {QUESTIONS}",
        f"  pass_mark: {PASS_MARK:.0%}",
        "cards:",
    ]
    for n in range(SINGLE):
        lines += [
            f"  - id: single-{n}",
            f"    question: Question {n}?",
            f"    answer: Right {n}",
            f"    distractors: [Wrong {n}a, Wrong {n}b, Wrong {n}c]",
        ]
    for n in range(SELECT_ALL):
        lines += [
            f"  - id: select-{n}",
            f"    question: Select all {n}?",
            f"    answer: [Right {n}a, Right {n}b]",
            f"    distractors: [Wrong {n}a, Wrong {n}b, Wrong {n}c]",
        ]
    return ("\n".join(lines) + "\n").encode()


@dataclass
class _Time:
    now: datetime = START

    def advance(self, **units: float) -> None:
        self.now += timedelta(**units)


def model_before(store: Store, card_ids: Sequence[int]) -> float:
    """The pass chance of a form as srs predicted it before exact R, fitted guessing and
    recalibration: py-fsrs's R (whole days elapsed), a guess of 1/C(k, m), and for cards never
    answered R0 = max(0, right - guessed) / (answered - guessed + 10) from first answers."""
    settings = get_settings(store, DECK)
    answered = right = guessed = 0.0
    for shape in first_choice_answers(store, DECK):
        answered += shape.answered
        right += shape.right
        guessed += shape.answered / math.comb(shape.options, shape.answers)
    prior = max(0.0, right - guessed) / (answered - guessed + 10)
    now = store.clock.now()
    chances = []
    for card in exam_card_memories(store, DECK, card_ids):
        options, answers = card.options, card.answers
        recall = recall_at(card.stability, card.last_review, now, settings.parameters)
        recall = prior if recall is None else recall
        chances.append(recall + (1 - recall) / math.comb(options, answers))
    form = predict([(chances, len(chances))], needed_to_pass(PASS_MARK, len(chances)))
    return form.pass_chance


def _study(store: Store, world: HiddenMemory, clock: _Time, rng: random.Random) -> None:
    session = StudySession(store, [DECK], rng=rng)
    budget = rng.randint(*ANSWERS_PER_SESSION)
    while budget and (card := session.next_card()) is not None:
        budget -= 1
        options = [option.text for option in session.choices(card)]
        knows = rng.random() < world.recall(card.id, clock.now)
        chosen = _pick(options, card.content.answers, knows, world.guess(card.id), rng)
        right = set(chosen) == set(card.content.answers)
        duration = rng.uniform(6, 25)
        clock.advance(seconds=duration)
        rating = Rating.Good if right else Rating.Again
        session.answer(card.id, rating, duration_ms=int(duration * 1000), choice=chosen)
        world.learn(card.id, knows, clock.now)


def _sit_exam(
    store: Store, world: HiddenMemory, clock: _Time, rng: random.Random
) -> tuple[float, float, float, bool]:
    """One mock exam: (srs's chance, the old model's, the oracle's, passed)."""
    attempt = start_exam(store, DECK, rng=rng)
    card_ids = [question.card_id for question in attempt.questions]
    before = model_before(store, card_ids)
    truth = [world.exam_chance(card_id, clock.now) for card_id in card_ids]
    needed = needed_to_pass(PASS_MARK, len(card_ids))
    oracle = math.fsum(score_distribution(truth)[needed:])
    started = clock.now
    knew = {}
    for question in attempt.questions:
        knew[question.card_id] = rng.random() < world.exam_recall(question.card_id, started)
        chosen = _pick(
            question.choices,
            question.card.answers,
            knew[question.card_id],
            world.guess(question.card_id),
            rng,
        )
        attempt = answer(store, attempt, question.position, chosen)
        clock.advance(seconds=rng.uniform(20, 60))
    done = submit(store, attempt)
    for card_id, recalled in knew.items():
        world.learn(card_id, recalled, clock.now)
    assert attempt.predicted_pass is not None and done.score is not None
    return attempt.predicted_pass, before, oracle, done.score >= needed


def simulate(learner: Learner, seed: int, evening: bool, folder: Path) -> list[ExamRecord]:
    """One learner's 60 days: study (mornings or evenings) and mock exams."""
    rng = random.Random(f"{learner.name}:{seed}:{evening}")
    clock = _Time()
    path = folder / "collection.db"
    store = Store.open(path, Clock(now_fn=lambda: clock.now, zone=UTC))
    # Durability is not what is measured here.
    store.conn.execute("PRAGMA synchronous = OFF")
    import_decks(store, [parse_deck(_deck_text())])
    set_setting(store, DECK, "new_per_day", str(NEW_PER_DAY))
    shapes = {
        card_id: (n, options, answers)
        for n, (card_id, _topic, options, answers, *_memory) in enumerate(
            sorted(exam_card_memories(store, DECK))
        )
    }
    world = HiddenMemory(learner, shapes)
    world.know_some(rng)
    records = []
    for day in range(DAYS):
        hour = rng.uniform(20.5, 23.0) if evening else rng.uniform(7.5, 9.0)
        clock.now = START + timedelta(days=day, hours=hour)
        studies = learner.studies(day, rng)
        exam_first = rng.random() < 0.5
        sits = learner.sits(day) and rng.random() < EXAM_CHANCE
        if sits and (exam_first or not studies):
            records.append(
                ExamRecord(learner.name, seed, evening, day, *_sit_exam(store, world, clock, rng))
            )
            sits = False
        if studies:
            _study(store, world, clock, rng)
        if sits:
            clock.advance(minutes=rng.uniform(1, 10))
            records.append(
                ExamRecord(learner.name, seed, evening, day, *_sit_exam(store, world, clock, rng))
            )
    store.close()
    path.unlink()
    return records


# --- the report -----------------------------------------------------------------------------

MODELS = ("before", "srs", "oracle")
TARGET_TYPES = tuple(learner.name for learner in LEARNERS if learner.nerves == 1.0)
"""The learner types the targets are set for; the others are reported on their own line."""
TARGETS = {"overall": 0.065, "per_type": 0.10, "sure_pass_rate": 0.97}
BINS = (0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99)


def _brier(pairs: Sequence[tuple[float, float]]) -> float | None:
    return math.fsum((p - o) ** 2 for p, o in pairs) / len(pairs) if pairs else None


def _scores(records: Sequence[ExamRecord]) -> dict[str, Any]:
    """Brier scores against the outcomes, and (for the two predictions) the mean squared
    distance from the true chance: the part of the Brier score a prediction can remove."""
    result: dict[str, Any] = {
        "exams": len(records),
        "pass_rate": statistics.fmean(r.passed for r in records) if records else None,
    }
    for model in MODELS:
        result[model] = _brier([(getattr(r, model), float(r.passed)) for r in records])
    for model in ("before", "srs"):
        result[f"{model}_vs_truth"] = _brier([(getattr(r, model), r.oracle) for r in records])
    return result


def _calibration_table(records: Sequence[ExamRecord], model: str) -> list[dict[str, Any]]:
    """Per bin of predicted chance: exams, mean predicted, observed pass rate."""
    rows = []
    for low, high in zip(BINS, (*BINS[1:], 1.0 + 1e-9), strict=True):
        inside = [r for r in records if low <= getattr(r, model) < high]
        rows.append(
            {
                "bin": f"{low:.2f}-{min(high, 1.0):.2f}",
                "exams": len(inside),
                "mean_predicted": (
                    statistics.fmean(getattr(r, model) for r in inside) if inside else None
                ),
                "pass_rate": statistics.fmean(r.passed for r in inside) if inside else None,
            }
        )
    return rows


def summary(records: Sequence[ExamRecord]) -> dict[str, Any]:
    """Every figure of the report, JSON-ready."""
    targeted = [r for r in records if r.learner in TARGET_TYPES]
    by_type: dict[str, list[ExamRecord]] = defaultdict(list)
    for record in records:
        by_type[record.learner].append(record)
    sure = {
        model: [r.passed for r in targeted if getattr(r, model) >= 0.99]
        for model in ("before", "srs")
    }
    return {
        "overall": _scores(targeted),
        "per_type": {name: _scores(group) for name, group in by_type.items()},
        "calibration": {model: _calibration_table(targeted, model) for model in MODELS},
        "sure": {
            model: {
                "exams": len(passed),
                "pass_rate": statistics.fmean(passed) if passed else None,
            }
            for model, passed in sure.items()
        },
    }


def _cell(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def report(result: dict[str, Any]) -> str:
    """The summary as text: Brier scores per learner type, the calibration table, targets."""
    lines = [
        f"{'learner':<18} {'exams':>5} {'passed':>6}   {'Brier: before':>13} {'srs':>6} "
        f"{'oracle':>6}   {'vs truth: before':>16} {'srs':>6}"
    ]

    def line(name: str, scores: dict[str, Any]) -> str:
        return (
            f"{name:<18} {scores['exams']:>5} {_cell(scores['pass_rate'], 2):>6}   "
            f"{_cell(scores['before']):>13} {_cell(scores['srs']):>6} "
            f"{_cell(scores['oracle']):>6}   {_cell(scores['before_vs_truth'], 4):>16} "
            f"{_cell(scores['srs_vs_truth'], 4):>6}"
        )

    others: list[str] = []
    for name, scores in result["per_type"].items():
        (lines if name in TARGET_TYPES else others).append(line(name, scores))
    lines.append(line("all of the above", result["overall"]))
    lines += others
    lines += ["", f"{'predicted':<11} {'exams':>5} {'mean':>6} {'passed':>6}   (srs | before)"]
    tables = result["calibration"]
    for mine, theirs in zip(tables["srs"], tables["before"], strict=True):
        lines.append(
            f"{mine['bin']:<11} {mine['exams']:>5} {_cell(mine['mean_predicted']):>6} "
            f"{_cell(mine['pass_rate']):>6}   | {theirs['exams']:>5} "
            f"{_cell(theirs['mean_predicted']):>6} {_cell(theirs['pass_rate']):>6}"
        )
    overall, sure = result["overall"], result["sure"]
    worst = max(
        (scores["srs"], name, scores["oracle"])
        for name, scores in result["per_type"].items()
        if name in TARGET_TYPES
    )
    checks = [
        (
            "overall Brier",
            overall["srs"],
            f"<= {TARGETS['overall']}",
            overall["srs"] <= TARGETS["overall"],
        ),
        (
            "worst learner type",
            worst[0],
            f"<= {TARGETS['per_type']} ({worst[1]}; oracle {worst[2]:.3f})",
            worst[0] <= TARGETS["per_type"],
        ),
        (
            "predicted >= 0.99 passed",
            sure["srs"]["pass_rate"],
            f">= {TARGETS['sure_pass_rate']} ({sure['srs']['exams']} exams)",
            (sure["srs"]["pass_rate"] or 0.0) >= TARGETS["sure_pass_rate"],
        ),
    ]
    lines.append("")
    for name, value, target, passed in checks:
        lines.append(f"{name:<26} {_cell(value):>6}  {target:<44} {'pass' if passed else 'FAIL'}")
    return "\n".join(lines)


DEFAULT_SEEDS = 4
_FAST_DISK = "/dev/shm" if Path("/dev/shm").is_dir() else None
"""Collections are written to memory when the machine allows (durability is not measured)."""


def measure(seeds: int) -> list[ExamRecord]:
    """Every learner type, each seed, mornings and evenings."""
    records = []
    with tempfile.TemporaryDirectory(prefix="srs-readiness-", dir=_FAST_DISK) as folder:
        for learner in LEARNERS:
            for seed in range(seeds):
                for evening in (False, True):
                    records += simulate(learner, seed, evening, Path(folder))
    return records


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.readiness", description=__doc__)
    parser.add_argument(
        "--seeds", type=int, default=DEFAULT_SEEDS, help="runs per learner and time of day"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    records = measure(args.seeds)
    result = summary(records) | {"seeds": args.seeds, "seconds": time.perf_counter() - started}
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(report(result))
        print(f"\n{len(records)} exams, {args.seeds} seeds, {result['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
