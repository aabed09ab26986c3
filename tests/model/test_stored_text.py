"""The stored text of times and memories is exactly what `strftime` and `json.dumps` wrote
before it was written out directly: collections written by either read the same, and every
logged answer compares equal byte for byte."""

from __future__ import annotations

import json
import math
import random
from datetime import UTC, datetime, timedelta, timezone

from srs.clock import from_db, to_db
from srs.model.memory import Memory, MemoryState

_DB_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def random_moment(rng: random.Random) -> datetime:
    zone = timezone(timedelta(minutes=rng.randrange(-14 * 60, 14 * 60 + 1, 15)))
    moment = datetime(1, 1, 2, tzinfo=UTC) + timedelta(
        seconds=rng.uniform(0, 9000 * 365 * 86400), microseconds=rng.randrange(1_000_000)
    )
    return moment.astimezone(zone)


def test_times_are_stored_as_strftime_wrote_them_in_every_zone_and_year() -> None:
    rng = random.Random(11)
    moments = [random_moment(rng) for _ in range(20_000)]
    moments += [datetime(999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC), datetime.now(UTC)]
    moments += [moment.replace(microsecond=0) for moment in moments[:100]]
    moments += [moment.astimezone(UTC) for moment in moments[:100]]

    for moment in moments:
        assert to_db(moment) == moment.astimezone(UTC).strftime(_DB_FORMAT)
    assert from_db(to_db(moments[-1])) == moments[-1]


def test_a_memory_is_logged_as_json_dumps_wrote_it() -> None:
    rng = random.Random(5)
    floats = [None, 0.0, -0.0, 1e-300, 5e-324, 1e22, 0.1, 1 / 3, math.inf, math.nan, 2.5]
    for _ in range(20_000):
        memory = Memory(
            rng.choice(list(MemoryState)),
            rng.choice([None, 0, 1, 7]),
            rng.choice(floats) if rng.random() < 0.3 else rng.uniform(0.001, 36500),
            rng.choice(floats) if rng.random() < 0.3 else rng.uniform(1, 10),
            rng.choice([None, random_moment(rng)]),
            rng.choice([None, random_moment(rng)]),
            rng.randrange(1000),
            rng.randrange(100),
        )
        expected = json.dumps(
            dict(zip(Memory.COLUMNS, memory.to_row(), strict=True)), separators=(",", ":")
        )

        assert memory.to_json() == expected
