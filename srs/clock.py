"""The one source of "now", and the learner's day.

Storage holds UTC only; the learner's day is local and starts at a rollover hour (04:00 by default,
as in Anki), so a late-night session still counts for the evening it began in.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "DEFAULT_ROLLOVER_HOUR",
    "SYSTEM_ZONE",
    "Clock",
    "SystemZone",
    "format_duration",
    "from_db",
    "to_db",
]

DEFAULT_ROLLOVER_HOUR = 4

# One fixed width, so that text comparison in SQL is time comparison.
_DB_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_EPOCH = datetime(1970, 1, 1)
_DAY_SECONDS = 86_400


def _system_now() -> datetime:
    return datetime.now(UTC)


def _seconds(wall: datetime) -> int:
    """A datetime's fields read as UTC -> POSIX seconds (its zone, if any, is ignored)."""
    return (wall.replace(tzinfo=None) - _EPOCH) // timedelta(seconds=1)


def _system_offset(seconds: int) -> int:
    """The system's UTC offset, in seconds, at the POSIX instant `seconds`."""
    return time.localtime(seconds).tm_gmtoff


def _named_system_zone(tz: str | None) -> tzinfo | None:
    """The system zone as an IANA zone, when TZ (or /etc/localtime's link) names one."""
    name = tz.removeprefix(":") if tz else None
    if not tz:
        try:
            target = os.readlink("/etc/localtime")
        except OSError:
            return None
        name = target.partition("zoneinfo/")[2] or None
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ValueError, ZoneInfoNotFoundError):
        return None


class SystemZone(tzinfo):
    """The machine's own time zone (TZ, else /etc/localtime), resolved per instant.

    `datetime.now().astimezone().tzinfo` is only the offset in force when it was read: a day
    start on the far side of a DST change computed with it is an hour off. This zone follows
    the system's rules for every instant, and TZ changing (with `time.tzset()`), asking the C
    library's `localtime`. `Clock` uses `resolved()` instead wherever it can: the `ZoneInfo`
    that TZ or /etc/localtime names gives the same answers ~9x faster, and the study day is
    computed for every answer scheduled.
    """

    def resolved(self) -> tzinfo:
        """The IANA zone TZ or /etc/localtime names (cached per TZ value), else this zone."""
        tz = os.environ.get("TZ")
        if tz != self._for_tz:
            self._zone, self._for_tz = _named_system_zone(tz), tz
        return self._zone or self

    _zone: tzinfo | None = None
    _for_tz: str | None = ""  # never a real TZ value: the first call resolves

    def fromutc(self, dt: datetime) -> datetime:
        offset = timedelta(seconds=_system_offset(_seconds(dt)))
        wall = (dt + offset).replace(fold=0)
        # The second of two equal wall times (the hour repeated when DST ends) has fold=1.
        return wall.replace(fold=int(self.utcoffset(wall) != offset))

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        """The offset at a wall time; on a DST change, `fold` picks the side (PEP 495)."""
        if dt is None:
            return None
        wall = _seconds(dt)
        # No zone changes its offset twice within two days: the offsets a day either side
        # are the only candidates.
        before = _system_offset(wall - _DAY_SECONDS)
        after = _system_offset(wall + _DAY_SECONDS)
        fits = {offset for offset in (before, after) if _system_offset(wall - offset) == offset}
        if len(fits) == 1:
            return timedelta(seconds=fits.pop())
        # The wall time was skipped (no offset fits) or repeated (both do) by a change.
        return timedelta(seconds=after if dt.fold else before)

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str | None:
        offset = self.utcoffset(dt)
        if dt is None or offset is None:
            return None
        return time.localtime(_seconds(dt - offset)).tm_zone

    def __repr__(self) -> str:
        return "SYSTEM_ZONE"


SYSTEM_ZONE = SystemZone()
"""The learner's zone unless the collection names one (`srs config - time_zone`)."""


@dataclass
class Clock:
    """Gives the current time in UTC and converts it to the learner's study day.

    Tests inject `now` (and `zone`) instead of sleeping or depending on the machine's time zone.
    """

    now_fn: Callable[[], datetime] = _system_now
    zone: tzinfo = SYSTEM_ZONE
    rollover_hour: int = DEFAULT_ROLLOVER_HOUR

    def now(self) -> datetime:
        """The current instant as an aware UTC datetime (the only kind py-fsrs accepts)."""
        return self.now_fn().astimezone(UTC)

    @property
    def local_zone(self) -> tzinfo:
        """`zone`, with the system's zone resolved to the IANA zone it names, where it names one."""
        zone = self.zone
        return zone.resolved() if isinstance(zone, SystemZone) else zone

    def study_day(self, instant: datetime | None = None) -> date:
        """The learner's day that `instant` (default: now) belongs to.

        Shifting back by the rollover hour in local time never builds a nonexistent local time,
        so it stays right on DST days.
        """
        moment = self.now() if instant is None else instant
        return (moment.astimezone(self.local_zone) - timedelta(hours=self.rollover_hour)).date()

    def day_start(self, day: date) -> datetime:
        """The UTC instant at which the learner's `day` begins."""
        local = datetime(day.year, day.month, day.day, self.rollover_hour, tzinfo=self.local_zone)
        # Round-trip through UTC so a rollover inside a DST gap resolves to a real instant.
        return local.astimezone(UTC)

    def next_day_start(self, instant: datetime | None = None) -> datetime:
        """When the current study day ends: "due today" means due before this."""
        return self.day_start(self.study_day(instant) + timedelta(days=1))


def to_db(moment: datetime) -> str:
    """Aware datetime -> fixed-width UTC text for storage.

    Twice an answer, and 600,000 times in an import of 300,000 answers: `isoformat` writes the
    same text as `strftime(_DB_FORMAT)` in half the time, except for years below 1000, which
    `strftime` does not pad (those keep its text). Without `timespec` it is a fifth faster
    again; it then leaves out a zero microsecond, written here.
    """
    if moment.tzinfo is None:
        raise ValueError("naive datetime cannot be stored: times are UTC-aware")
    utc = moment if moment.tzinfo is UTC else moment.astimezone(UTC)
    if utc.year < 1000:
        return utc.strftime(_DB_FORMAT)
    text = utc.isoformat()
    return text[:26] + "Z" if utc.microsecond else text[:19] + ".000000Z"


def from_db(text: str) -> datetime:
    """Stored UTC text -> aware datetime with `timezone.utc` (py-fsrs refuses any other UTC).

    `fromisoformat` reads the trailing Z as `timezone.utc` itself, 50 times faster than
    `strptime` (it runs once per card when a 100,000-card deck's memory is read).
    """
    return datetime.fromisoformat(text)


def format_duration(
    duration: timedelta | float, style: Literal["units", "clock", "words"] = "units"
) -> str:
    """A length of time as srs shows it, in one of three styles (whole seconds, never negative).

    Args:
        duration: a timedelta, or a number of seconds.
        style: "units" for time spent or used: "0m 05s", "12m 30s", "1h 02m 05s";
            "clock" for a running clock (the exam countdown, a session's elapsed time):
            "4:05", "1:02:05"; "words" for a time limit as the deck set it: "90 seconds",
            "30 minutes", "1h 30m".

    Returns:
        The text. Seconds are truncated, as a clock shows them.
    """
    seconds = duration.total_seconds() if isinstance(duration, timedelta) else duration
    hours, rest = divmod(max(int(seconds), 0), 3600)
    minutes, secs = divmod(rest, 60)
    if style == "clock":
        return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
    if style == "words":
        if hours:
            return f"{hours}h {minutes:02d}m"
        if minutes and not secs:
            return f"{minutes} minute{'s' * (minutes != 1)}"
        return f"{rest} second{'s' * (rest != 1)}"
    return f"{hours}h {minutes:02d}m {secs:02d}s" if hours else f"{minutes}m {secs:02d}s"
