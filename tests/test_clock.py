"""The learner's day in the machine's own time zone, on both sides of daylight-saving changes.

Every other test injects a zone; these run under the system's (TZ set, then `time.tzset()`), the
way `srs` runs on a learner's machine, and in a fresh process started with TZ set.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import FakeClock, UseZone, deck_yaml
from fsrs import Rating
from helpers import invoke

from srs.clock import SYSTEM_ZONE, Clock
from srs.collection.settings import clock_for, set_setting
from srs.collection.store import Store
from srs.study.session import StudySession

MakeStore = Callable[..., Store]

# (zone, study day, the UTC instant it starts at 04:00 local): each DST change in 2026 with the
# days either side of it.
DAY_STARTS = [
    ("Europe/Berlin", date(2026, 3, 28), datetime(2026, 3, 28, 3, 0, tzinfo=UTC)),
    ("Europe/Berlin", date(2026, 3, 29), datetime(2026, 3, 29, 2, 0, tzinfo=UTC)),
    ("Europe/Berlin", date(2026, 7, 1), datetime(2026, 7, 1, 2, 0, tzinfo=UTC)),
    ("Europe/Berlin", date(2026, 10, 24), datetime(2026, 10, 24, 2, 0, tzinfo=UTC)),
    ("Europe/Berlin", date(2026, 10, 25), datetime(2026, 10, 25, 3, 0, tzinfo=UTC)),
    ("America/New_York", date(2026, 3, 7), datetime(2026, 3, 7, 9, 0, tzinfo=UTC)),
    ("America/New_York", date(2026, 3, 8), datetime(2026, 3, 8, 8, 0, tzinfo=UTC)),
    ("America/New_York", date(2026, 10, 31), datetime(2026, 10, 31, 8, 0, tzinfo=UTC)),
    ("America/New_York", date(2026, 11, 1), datetime(2026, 11, 1, 9, 0, tzinfo=UTC)),
]
ZONES = sorted({zone for zone, _, _ in DAY_STARTS})
DST_DAYS = {date(2026, 3, 29), date(2026, 10, 25), date(2026, 3, 8), date(2026, 11, 1)}


@pytest.mark.parametrize(("zone", "day", "start"), DAY_STARTS)
def test_study_day_starts_at_four_on_the_wall_clock_of_the_system_zone(
    use_zone: UseZone, zone: str, day: date, start: datetime
) -> None:
    use_zone(zone)
    clock = Clock()

    assert clock.day_start(day) == start
    assert clock.study_day(start) == day
    assert clock.study_day(start - timedelta(microseconds=1)) == day - timedelta(days=1)
    assert clock.next_day_start(start - timedelta(seconds=1)) == start


POSIX_RULES = {
    "Europe/Berlin": "CET-1CEST,M3.5.0,M10.5.0/3",
    "America/New_York": "EST5EDT,M3.2.0,M11.1.0",
}
"""The same zones as TZ rule strings, which name no IANA zone: the C library answers for them."""


@pytest.mark.parametrize(("zone", "day", "start"), DAY_STARTS)
def test_a_system_zone_given_as_a_tz_rule_counts_days_the_same(
    use_zone: UseZone, zone: str, day: date, start: datetime
) -> None:
    use_zone(POSIX_RULES[zone])
    clock = Clock()

    assert clock.local_zone is SYSTEM_ZONE  # no IANA zone to resolve to
    assert clock.day_start(day) == start
    assert clock.study_day(start) == day
    assert clock.study_day(start - timedelta(microseconds=1)) == day - timedelta(days=1)


def test_a_named_system_zone_is_resolved_to_its_iana_zone_and_follows_tz(
    use_zone: UseZone,
) -> None:
    use_zone("Europe/Berlin")
    clock = Clock()
    assert clock.local_zone == ZoneInfo("Europe/Berlin")

    use_zone("America/New_York")

    assert clock.local_zone == ZoneInfo("America/New_York")
    assert clock.day_start(date(2026, 3, 8)) == datetime(2026, 3, 8, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize("zone", ZONES)
def test_a_process_started_in_a_zone_counts_its_days_there(zone: str) -> None:
    expected = [(day, start) for z, day, start in DAY_STARTS if z == zone]
    code = (
        "import sys\nfrom datetime import date\nfrom srs.clock import Clock\n"
        "clock = Clock()\n"
        "for day in sys.argv[1:]:\n"
        "    print(clock.day_start(date.fromisoformat(day)).isoformat())\n"
    )

    done = subprocess.run(
        [sys.executable, "-c", code, *(day.isoformat() for day, _ in expected)],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ | {"TZ": zone},
        check=True,
    )

    assert done.stdout.split() == [start.isoformat() for _, start in expected]


@pytest.mark.parametrize(
    ("zone", "new_day"),
    [(zone, start) for zone, day, start in DAY_STARTS if day in DST_DAYS],
)
def test_an_open_session_begins_the_next_day_at_four_local_across_a_dst_change(
    use_zone: UseZone, make_store: MakeStore, zone: str, new_day: datetime
) -> None:
    use_zone(zone)
    clock = FakeClock(new_day - timedelta(hours=8), zone=Clock().zone)
    store = make_store(deck_yaml(free=6), clock=clock)
    set_setting(store, "demo", "new_per_day", "2")
    session = StudySession(store)
    while (card := session.next_card()) is not None:
        session.answer(card.id, Rating.Easy, duration_ms=1000)

    clock.set(new_day - timedelta(seconds=1))
    assert session.next_card() is None
    assert session.day == new_day.date() - timedelta(days=1)

    clock.set(new_day)
    assert session.next_card() is not None
    assert session.day == new_day.date()
    assert session.counts().new == 2


@pytest.mark.parametrize("zone", [*ZONES, "Australia/Lord_Howe", "Europe/Dublin"])
def test_system_zone_agrees_with_the_iana_zone_through_each_dst_change(
    use_zone: UseZone, zone: str
) -> None:
    use_zone(zone)
    system, iana = Clock().zone, ZoneInfo(zone)
    quarters = [datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=15 * n) for n in range(35040)]
    changes = [
        moment
        for moment in quarters
        if iana.utcoffset(moment.astimezone(iana)) != iana.utcoffset(quarters[0])
    ]
    assert changes, "the zone should change its offset in 2026"
    # Two days around each change: the wall times skipped, repeated and on either side.
    moments = [
        moment
        for moment in quarters
        if any(abs(moment - change) < timedelta(days=1) for change in (changes[0], changes[-1]))
    ]

    for moment in moments:
        local = moment.astimezone(system)
        assert (local.replace(tzinfo=None), local.fold) == (
            moment.astimezone(iana).replace(tzinfo=None),
            moment.astimezone(iana).fold,
        )
        assert local.tzname() == moment.astimezone(iana).tzname()
        for fold in (0, 1):
            wall = moment.replace(tzinfo=None, fold=fold)
            assert wall.replace(tzinfo=system).utcoffset() == wall.replace(tzinfo=iana).utcoffset()


@pytest.mark.parametrize(
    ("day", "start"),
    [
        # 02:00 does not exist that night: the day starts when the clocks jump to 03:00.
        (date(2026, 3, 29), datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        # 02:00 happens twice: the day starts at the first.
        (date(2026, 10, 25), datetime(2026, 10, 25, 0, 0, tzinfo=UTC)),
    ],
)
def test_day_start_in_the_hour_a_dst_change_skips_or_repeats_is_its_first_instant(
    use_zone: UseZone, day: date, start: datetime
) -> None:
    use_zone("Europe/Berlin")
    clock = Clock(rollover_hour=2)

    assert clock.day_start(day) == start
    assert clock.study_day(start) == day
    assert clock.study_day(start - timedelta(microseconds=1)) == day - timedelta(days=1)


# --- the learner's own zone, kept with the collection ---------------------------------------


def test_time_zone_set_with_config_counts_days_there_whatever_the_system_zone(
    use_zone: UseZone, tmp_path: Path
) -> None:
    use_zone("America/New_York")
    db = tmp_path / "c.db"

    result = invoke(db, "config", "-", "time_zone", "Europe/Berlin")

    assert result.exit_code == 0, result.output
    assert result.stdout == "time_zone = Europe/Berlin\n"
    with Store.open(db, FakeClock(datetime(2026, 3, 28, 23, 0, tzinfo=UTC))) as store:
        clock = clock_for(store)
        assert clock.day_start(date(2026, 3, 29)) == datetime(2026, 3, 29, 2, 0, tzinfo=UTC)
        assert clock.study_day() == date(2026, 3, 28)


@pytest.mark.parametrize("word", ["system", "default", "System"])
def test_time_zone_system_goes_back_to_the_machines_zone(
    use_zone: UseZone, tmp_path: Path, word: str
) -> None:
    use_zone("America/New_York")
    db = tmp_path / "c.db"
    invoke(db, "config", "-", "time_zone", "Asia/Tokyo")

    result = invoke(db, "config", "-", "time_zone", word)

    assert result.stdout == "time_zone = system\n"
    assert invoke(db, "config", "-").stdout == "day_start_hour = 4\ntime_zone = system\n"
    with Store.open(db) as store:
        assert clock_for(store).day_start(date(2026, 3, 8)) == datetime(
            2026, 3, 8, 8, 0, tzinfo=UTC
        )


@pytest.mark.parametrize("name", ["Europe/Atlantis", "europe/berlin", "Europe", "../etc/passwd"])
def test_unknown_time_zone_is_refused_and_nothing_is_stored(tmp_path: Path, name: str) -> None:
    db = tmp_path / "c.db"

    result = invoke(db, "config", "-", "time_zone", name)

    assert result.exit_code == 1
    assert "is not a time zone: give an IANA name such as Europe/Berlin" in result.stderr
    assert invoke(db, "config", "-", "time_zone").stdout == "time_zone = system\n"
