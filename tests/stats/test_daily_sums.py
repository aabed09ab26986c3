"""The statistics read per-day sums the collection keeps beside the review log (schema v4):
after every way the log changes (answers, undos, a log import's replay, a sync merge, a deck
edit that moves or retires cards), each figure still equals the one computed from the log
itself, answer by answer."""

from __future__ import annotations

import math
import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from conftest import FakeClock
from fsrs import Rating

from srs.collection.store import Store
from srs.decks.importer import import_decks
from srs.decks.validate import parse_deck
from srs.model.memory import Memory, MemoryState
from srs.stats import history, topics, true_retention
from srs.stats.memory import MATURE_INTERVAL, PERIODS
from srs.stats.topics import EARLIER_DAYS, RECENT_DAYS
from srs.study.answers import record_answer, undo_answer
from srs.study.history import import_log
from srs.sync import sync

NET = """\
deck: net
title: Networking
cards:
  - {id: dns, topic: Names, question: DNS port?, answer: "53"}
  - {id: mdns, topic: Names, question: mDNS port?, answer: "5353"}
  - {id: ssh, topic: Remote, question: SSH port?, answer: "22"}
  - {id: rdp, topic: Remote, question: RDP port?, answer: "3389"}
  - {id: loose, question: Any port?, answer: "1"}
"""
OPS = b"""\
deck: ops
title: Operations
cards:
  - {id: cron, topic: Jobs, question: Cron field count?, answer: "5"}
  - {id: at, question: One-off job?, answer: at}
"""
FIRST_DAY = datetime(2024, 10, 1, 12, tzinfo=UTC)
"""The test's first day of study (the clock's day starts at 04:00 UTC)."""
DAYS = 100


def _ids(store: Store) -> list[int]:
    return [cid for (cid,) in store.conn.execute("SELECT id FROM cards ORDER BY id")]


def _study(store: Store, clock: FakeClock, rng: random.Random, day: int, answers: int) -> None:
    """Some answers on one study day, mostly Good and Easy (so intervals pass 21 days), one
    in four taken back at once."""
    clock.set(FIRST_DAY + timedelta(days=day, minutes=rng.randrange(600)))
    for card_id in rng.sample(_ids(store), answers):
        rating = rng.choices(list(Rating), weights=(2, 1, 4, 3))[0]
        result = record_answer(store, card_id, rating, duration_ms=rng.randrange(500, 9000))
        if rng.random() < 0.25:
            undo_answer(store, result)
        clock.advance(minutes=3)


def _logged(store: Store) -> list[tuple[str, str | None, bool, date, bool, int, int]]:
    """Every answer straight from the log: (deck, topic, card in its deck file, day, right,
    milliseconds, 0 / 1 / 2: not a review card's answer, a young one's, a mature one's)."""
    rows = store.conn.execute(
        "SELECT c.deck_id, c.topic, c.retired, r.day, r.rating, r.duration_ms, r.before "
        "FROM reviews r JOIN cards c ON c.id = r.card_id"
    )
    logged = []
    for deck, topic, retired, day, rating, duration, before in rows:
        memory = Memory.from_json(before)
        kind = 0
        if memory.state == MemoryState.Review:
            assert memory.due is not None and memory.last_review is not None
            days = (memory.due - memory.last_review) / timedelta(days=1)
            kind = 2 if math.floor(days + 0.5) >= MATURE_INTERVAL else 1
        right = rating > Rating.Again
        logged.append((deck, topic, not retired, date.fromisoformat(day), right, duration, kind))
    return logged


def _assert_figures_equal_the_log(store: Store, today: date) -> None:
    logged = _logged(store)
    for deck in (None, "net", "ops"):
        mine = [row for row in logged if deck in (None, row[0])]

        per_day = Counter(row[3] for row in mine)
        assert {e.day: e.count for e in history(store, deck).days if e.count} == per_day

        for period in true_retention(store, deck).periods:
            last = today - timedelta(days=dict((n, b) for n, _, b in PERIODS)[period.name])
            first = last - timedelta(days=period.days - 1)
            within = [row for row in mine if first <= row[3] <= last]
            for kind, counts in ((1, period.young), (2, period.mature)):
                answered = [row for row in within if row[6] == kind]
                assert (counts.answers, counts.right) == (
                    len(answered),
                    sum(row[4] for row in answered),
                ), (deck, period.name, kind)

        recent = today - timedelta(days=RECENT_DAYS - 1)
        earlier = recent - timedelta(days=EARLIER_DAYS)
        for figure in topics(store, deck):
            answered = [r for r in mine if r[2] and (r[0], r[1]) == (figure.deck_id, figure.topic)]
            now = [r for r in answered if r[3] >= recent]
            before = [r for r in answered if earlier <= r[3] < recent]
            assert (
                figure.recent_answers,
                figure.recent_right,
                figure.earlier_answers,
                figure.earlier_right,
            ) == (len(now), sum(r[4] for r in now), len(before), sum(r[4] for r in before))


def test_the_figures_equal_the_log_after_answers_undos_a_log_import_a_merge_and_a_deck_edit(
    tmp_path: Path,
) -> None:
    rng = random.Random(12)
    clock, other_clock = FakeClock(), FakeClock()
    decks = [parse_deck(NET.encode()), parse_deck(OPS)]
    with (
        Store.open(tmp_path / "a.db", clock) as store,
        Store.open(tmp_path / "b.db", other_clock) as other,
    ):
        import_decks(store, decks)
        import_decks(other, decks)
        for day in range(0, DAYS, 2):
            _study(store, clock, rng, day, 4)
        for day in range(1, DAYS, 5):
            _study(other, other_clock, rng, day, 3)
        # The other device's answers arrive as new cards' answers and are replayed in place.
        sync(other, tmp_path / "sync")
        sync(store, tmp_path / "sync")
        # Answers from a file land between logged ones: the later ones' memory is rewritten.
        log = tmp_path / "log.csv"
        added = (("dns", 3, 9), ("ssh", 1, 33), ("rdp", 4, 61), ("dns", 3, 90))
        log.write_text(
            "card_id,review_rating,review_time,review_duration\n"
            + "".join(
                f"{key},{rating},{(FIRST_DAY + timedelta(days=d, hours=1)).isoformat()},4000\n"
                for key, rating, d in added
            ),
            encoding="utf-8",
        )
        assert import_log(store, "net", log).added == 4
        # A shared answer taken back: its tombstone removes it on the other device too.
        clock.set(FIRST_DAY + timedelta(days=DAYS, hours=2))
        taken_back = record_answer(store, _ids(store)[0], Rating.Good, duration_ms=2000)
        sync(store, tmp_path / "sync")
        undo_answer(store, taken_back)
        sync(store, tmp_path / "sync")
        sync(other, tmp_path / "sync")
        # The deck edited: a card moves to another topic, one leaves the deck file.
        edited = NET.replace("{id: mdns, topic: Names", "{id: mdns, topic: Remote").replace(
            '  - {id: loose, question: Any port?, answer: "1"}\n', ""
        )
        import_decks(store, [parse_deck(edited.encode())])

        today = clock.study_day()
        _assert_figures_equal_the_log(store, today)
        other_clock.set(clock.now())
        _assert_figures_equal_the_log(other, today)
        assert sum(e.count for e in history(store).days) == len(_logged(store)) > 150
