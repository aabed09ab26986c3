"""A large, realistic collection for the daily-review benchmarks, built fast and cached.

`history()` plans each studied card's review history from a seed: the answers (time, rating,
duration) and the memory row after each one. The srs collection is built from it here; the Anki
peer (`bench.peer_anki`) builds its collection from the same plan, so both hold the same cards in
the same states with the same number of reviews.

The plan, relative to the start of today's study day (`T`):
- the first `review_share` of the cards (in deck order, as new cards are introduced) are in
  review, due from 7 days before `T` to 180 days after it (those due before the end of today
  are today's reviews: far more than the daily limit, as for a real learner);
- the next `learning_share` are in (re)learning, answered in the last 3 hours before `T` and due
  10 minutes later (left from yesterday's session: all due now);
- the rest are new;
- `reviews` answers are spread over the studied cards (at least 2 per review card), at expanding
  intervals over up to `history_days` days before `T`; nothing is answered today yet, so the
  daily limits are whole. Every answer's `before` is the previous one's `after`, and the last
  `after` is the card's memory row.

Memory values (stability, difficulty) are plausible, not computed by FSRS: nothing measured
depends on them being exact, and computing them would make building the collection ~10x slower.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import astuple, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench.gen import deck_cards
from srs.clock import Clock
from srs.collection.changes import EVENT_ID
from srs.collection.schema import MIGRATIONS, SCHEMA_VERSION
from srs.collection.store import Store
from srs.decks.importer import import_decks
from srs.model.deck import Card, Deck, ExamSpec
from srs.model.memory import Memory

__all__ = [
    "ANSWER_RATINGS",
    "OUT",
    "CardHistory",
    "CollectionSpec",
    "cached_collection",
    "fresh_copy",
    "history",
    "time_text",
]

OUT = Path(__file__).parent / "out"
"""Generated data and caches (gitignored)."""

DAY_US = 86_400_000_000
MINUTE_US = 60_000_000
_EPOCH = datetime(1970, 1, 1)

# (state, step, stability, difficulty, due_us, last_review_us, reps, lapses), times in
# microseconds since the epoch (UTC); None where the memory row holds NULL.
MemoryTuple = tuple[int, int | None, float | None, float | None, int | None, int | None, int, int]
NEW: MemoryTuple = (0, None, None, None, None, None, 0, 0)
PlannedAnswer = tuple[int, int, int, MemoryTuple, MemoryTuple]
"""(time_us, rating, duration_ms, memory before, memory after)"""

# Ratings as a learner gives them: mostly Good.
_RATINGS = (1, 2, 3, 4)
_RATING_WEIGHTS = (0.10, 0.05, 0.80, 0.05)

ANSWER_RATINGS = random.Random(11).choices(_RATINGS, _RATING_WEIGHTS, k=10_000)
"""The ratings srs and Anki answer with in the answer benchmarks, in order (1 = Again)."""


@dataclass(frozen=True)
class CollectionSpec:
    """What to generate; every field is part of the cache key."""

    cards: int = 100_000
    reviews: int = 1_000_000
    review_share: float = 0.60
    learning_share: float = 0.02
    history_days: int = 730
    seed: int = 1
    exam_questions: int = 20
    """The deck's mock exam (70% to pass, 30 minutes), as `write_deck` writes it; 0: none."""

    @property
    def review_cards(self) -> int:
        return round(self.cards * self.review_share)

    @property
    def learning_cards(self) -> int:
        return round(self.cards * self.learning_share)

    def key(self, day: date) -> str:
        """The cache file's stem: the parameters and the study day the plan is anchored to."""
        fields = "-".join(str(v).replace(".", "p") for v in astuple(self))
        return f"{fields}-{day.isoformat()}"


@dataclass(frozen=True)
class CardHistory:
    """One studied card: its position in the deck and its answers (`PlannedAnswer`), oldest
    first."""

    position: int
    answers: list[PlannedAnswer]

    @property
    def memory(self) -> MemoryTuple:
        return self.answers[-1][4]


def _us(moment: datetime) -> int:
    return (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)


def time_text(us: int) -> str:
    """Microseconds since the epoch -> the store's fixed-width UTC text (as `srs.clock.to_db`)."""
    return (_EPOCH + timedelta(microseconds=us)).isoformat(timespec="microseconds") + "Z"


def day_start_us(clock: Clock, day: date) -> int:
    return _us(clock.day_start(day))


def _review_counts(spec: CollectionSpec, rng: random.Random) -> list[int]:
    """Answers per studied card: at least 2 per review card and 1 per learning card, the rest
    spread with random weights, summing to `spec.reviews` exactly."""
    minimum = [2] * spec.review_cards + [1] * spec.learning_cards
    extra = spec.reviews - sum(minimum)
    if extra < 0:
        raise ValueError(f"{spec.reviews} reviews cannot cover {len(minimum)} studied cards")
    weights = [rng.uniform(0.2, 1.8) for _ in minimum]
    scale = extra / sum(weights)
    counts = [m + int(w * scale) for m, w in zip(minimum, weights, strict=True)]
    for index in rng.sample(range(len(counts)), spec.reviews - sum(counts)):
        counts[index] += 1
    return counts


def history(spec: CollectionSpec, today_start_us: int) -> Iterator[CardHistory]:
    """Plan the studied cards' histories (deterministic for a spec and a day start)."""
    rng = random.Random(spec.seed)
    counts = _review_counts(spec, rng)
    earliest = today_start_us - spec.history_days * DAY_US
    for position, count in enumerate(counts):
        in_review = position < spec.review_cards
        if in_review:
            due = today_start_us + int(rng.uniform(-7, 180) * DAY_US)
            overdue_days = max(0, -(-(due - today_start_us) // DAY_US))
            interval = overdue_days + 1 + int(rng.expovariate(1 / 20))
            interval = min(interval, spec.history_days // 2)
            last = due - interval * DAY_US
            if last >= today_start_us:  # due far ahead: keep the last answer before today
                last = today_start_us - int(rng.uniform(0.1, 1) * DAY_US)
                interval = -(-(due - last) // DAY_US)
                due = last + interval * DAY_US
            stability = interval * rng.uniform(0.8, 1.25)
            final: MemoryTuple = (2, None, stability, 0.0, due, last, count, 0)
        else:
            last = today_start_us - int(rng.uniform(1, 180) * MINUTE_US)
            stability = rng.uniform(0.1, 3.0)
            final = (1, 1, stability, 0.0, last + 10 * MINUTE_US, last, count, 0)
        difficulty = rng.uniform(1.0, 10.0)
        first = last - int((last - earliest) * rng.uniform(0.05, 1.0))
        times = [
            first + int((last - first) * (j / (count - 1)) ** 1.5) if count > 1 else last
            for j in range(count)
        ]
        ratings = rng.choices(_RATINGS, _RATING_WEIGHTS, k=count)
        ratings[-1] = rng.choice((3, 3, 3, 2, 4)) if in_review else 1
        answers: list[PlannedAnswer] = []
        before = NEW
        lapses = 0
        for j, (when, rating) in enumerate(zip(times, ratings, strict=True)):
            duration = rng.randrange(2_000, 20_000)
            if j == count - 1:
                lapses += _lapse(before, rating)
                state, step = final[:2]
                if not in_review and before[0] in (2, 3):  # forgotten: relearning
                    state, step = 3, 0
                after = (state, step, final[2], difficulty, *final[4:7], lapses)
            else:
                lapses += _lapse(before, rating)
                grown = stability * ((j + 1) / count) ** 2 + 0.1
                if before[0] == 0:
                    state, step = 1, 1
                elif rating == 1:
                    state, step = 3, 0
                else:
                    state, step = 2, None
                drift = difficulty + rng.uniform(-0.5, 0.5)
                after = (state, step, grown, drift, times[j + 1], when, j + 1, lapses)
            answers.append((when, rating, duration, before, after))
            before = after
        yield CardHistory(position, answers)


def _lapse(before: MemoryTuple, rating: int) -> int:
    return int(before[0] == 2 and rating == 1)


def memory_json(memory: MemoryTuple, texts: dict[int, str]) -> str:
    """`Memory.to_json()` of a planned memory row, without building the Memory (1M times)."""
    state, step, stability, difficulty, due, last, reps, lapses = memory
    return (
        f'{{"state":{state},"step":{_js(step)},"stability":{_js(stability)},'
        f'"difficulty":{_js(difficulty)},"due":{_jt(due, texts)},'
        f'"last_review":{_jt(last, texts)},"reps":{reps},"lapses":{lapses}}}'
    )


def _js(value: float | None) -> str:
    return "null" if value is None else repr(value)


def _jt(us: int | None, texts: dict[int, str]) -> str:
    if us is None:
        return "null"
    text = texts.get(us)
    if text is None:
        text = texts[us] = time_text(us)
    return f'"{text}"'


def _write_history(
    store: Store, spec: CollectionSpec, cards: Sequence[Card], today_start_us: int
) -> None:
    clock = store.clock
    offset = clock.now().astimezone(clock.zone).utcoffset() or timedelta(0)
    shift_us = (offset - timedelta(hours=clock.rollover_hour)) // timedelta(microseconds=1)
    day_texts: dict[int, str] = {}
    card_ids = [cid for (cid,) in store.conn.execute("SELECT id FROM cards ORDER BY position")]
    memories = []
    conn = store.conn

    def rows() -> Iterator[tuple[object, ...]]:
        checked = False
        for card in history(spec, today_start_us):
            content = cards[card.position]
            right = json.dumps([content.answers[0]], ensure_ascii=False)
            wrong = json.dumps([content.distractors[0].text], ensure_ascii=False)
            card_id = card_ids[card.position]
            texts: dict[int, str] = {}  # each time is written up to 3 times, all by one card
            previous = memory_json(NEW, texts)
            for when, rating, duration, _before, after in card.answers:
                ordinal = (when + shift_us) // DAY_US
                day = day_texts.get(ordinal)
                if day is None:
                    day = day_texts[ordinal] = date.fromordinal(719163 + ordinal).isoformat()
                after_json = memory_json(after, texts)
                if not checked:  # the fast JSON is exactly what the store writes
                    assert Memory.from_json(after_json).to_json() == after_json, after_json
                    checked = True
                yield (
                    card_id,
                    texts[when],  # formatted by memory_json: it is the after's last_review
                    day,
                    rating,
                    duration,
                    "review",
                    right if rating > 1 else wrong,
                    previous,
                    after_json,
                )
                previous = after_json
            memory = card.memory
            memories.append(
                (
                    *memory[:4],
                    *(None if t is None else texts[t] for t in memory[4:6]),
                    *memory[6:],
                    card_id,
                )
            )

    columns = "card_id, reviewed_at, day, rating, duration_ms, source, choice, before, after"
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'reviews' "
        "AND sql IS NOT NULL"
    ).fetchall()
    with store.write():
        # Rows are planned card by card; the log is written in time order, as a real one grows.
        conn.execute(f"CREATE TEMP TABLE staging AS SELECT {columns} FROM reviews WHERE 0")
        conn.executemany(f"INSERT INTO staging VALUES ({', '.join('?' * 9)})", rows())
        for name, _sql in indexes:  # the schema's own indexes, rebuilt once after the load
            conn.execute(f'DROP INDEX "{name}"')
        # Each answer gets its sync event id as the collection's own insert gives it.
        conn.execute(
            f"INSERT INTO reviews ({columns}, event_id) SELECT {columns}, {EVENT_ID} "
            "FROM staging ORDER BY reviewed_at, card_id"
        )
        conn.execute("DROP TABLE staging")
        for _name, sql in indexes:
            conn.execute(sql)
        conn.executemany(
            "UPDATE memory SET "
            + ", ".join(f"{c} = ?" for c in Memory.COLUMNS)
            + " WHERE card_id = ?",
            memories,
        )


def build_collection(path: Path, spec: CollectionSpec, clock: Clock | None = None) -> Path:
    """Build the collection at `path` (which must not exist) for today's study day."""
    clock = clock or Clock()
    today_start = day_start_us(clock, clock.study_day())
    cards = deck_cards(spec.cards, seed=spec.seed)
    exam = ExamSpec(spec.exam_questions, 0.7, time_limit=1800) if spec.exam_questions else None
    deck = Deck("bench", f"Benchmark deck of {spec.cards} cards", cards, exam=exam)
    with Store.open(path, clock) as store:
        # A half-built file is thrown away, never recovered: write it without a journal or
        # fsyncs, then leave it in WAL mode like every collection.
        store.conn.execute("PRAGMA journal_mode = OFF")
        store.conn.execute("PRAGMA synchronous = OFF")
        import_decks(store, [deck], source="bench")
        _write_history(store, spec, cards, today_start)
        # No ANALYZE: srs never runs it, so a learner's collection has no planner statistics,
        # and the benchmarks measure the plans a learner gets (docs/performance.md, query plans).
        store.conn.execute("PRAGMA journal_mode = WAL")
    return path


def cached_path(spec: CollectionSpec, day: date) -> Path:
    """Where the collection for `spec` and `day` is kept. The schema is in the name, as its
    version and a digest of its SQL: a cache made before a migration is rebuilt once, not
    migrated again by every measurement's fresh copy (the v4 upgrade takes ~19 s at 100k
    cards), and one made while a migration was being written is not taken for the final one."""
    schema = hashlib.sha256(repr(MIGRATIONS).encode()).hexdigest()[:8]
    return OUT / f"collection-v{SCHEMA_VERSION}-{schema}-{spec.key(day)}.db"


def cached_collection(spec: CollectionSpec, clock: Clock | None = None) -> Path:
    """The collection for `spec` and today's study day, built once and kept in `bench/out/`.

    Older days' and older schemas' files of the same spec are removed (each is several
    hundred MB).
    """
    clock = clock or Clock()
    day = clock.study_day()
    path = cached_path(spec, day)
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    stem = spec.key(day).removesuffix(day.isoformat())
    for old in OUT.glob(f"collection-*{stem}*.db"):
        old.unlink()
    partial = path.with_suffix(".partial")
    for leftover in OUT.glob(partial.name + "*"):
        leftover.unlink()
    build_collection(partial, spec, clock)
    partial.rename(path)
    return path


def fresh_copy(cached: Path, folder: Path) -> Path:
    """A private copy of a cached collection, so measurements never change the cache.

    A file copy is safe here: the cached file is closed and checkpointed (no WAL beside it).
    """
    target = folder / cached.name
    shutil.copyfile(cached, target)
    return target


def _check_totals(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        counts = dict(conn.execute("SELECT state, count(*) FROM memory GROUP BY state").fetchall())
        reviews = conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
    return {"new": counts.get(0, 0), "reviews": reviews, **{str(k): v for k, v in counts.items()}}


if __name__ == "__main__":
    import sys
    import time

    started = time.perf_counter()
    spec = CollectionSpec(*(int(a) for a in sys.argv[1:3]))
    built = cached_collection(spec)
    print(built, _check_totals(built), f"{time.perf_counter() - started:.1f} s")
