"""What the learner did and what is coming: today, answers per study day (a year, for the
calendar) with the streak, and the reviews due per day ahead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from srs.collection.decks import require_deck
from srs.collection.settings import clock_for
from srs.collection.stats import answers_per_day, day_summary, due_per_day
from srs.collection.store import Store
from srs.study.overview import study_streak

__all__ = [
    "CALENDAR_DAYS",
    "FORECAST_DAYS",
    "WINDOWS",
    "DayCount",
    "Forecast",
    "History",
    "Today",
    "forecast",
    "history",
    "today",
]

CALENDAR_DAYS = 365
"""Days in the history (the calendar heatmap): today and the 364 before it."""

WINDOWS = (30, 90, 365)
"""The history's windows, in days ending today."""

FORECAST_DAYS = 30
"""Days in the forecast: today and the 29 after it."""


def _known(store: Store, deck_id: str | None) -> None:
    """An unknown deck is an error, not a deck with nothing in it."""
    if deck_id is not None:
        require_deck(store, deck_id)


@dataclass(frozen=True)
class Today:
    """The answers of the current study day (sessions, custom study and exams).

    Attributes:
        day: the study day.
        cards: distinct cards answered.
        answers: answers given.
        right: answers above Again.
        seconds: time spent answering.
    """

    day: date
    cards: int
    answers: int
    right: int
    seconds: float

    @property
    def share_right(self) -> float | None:
        return self.right / self.answers if self.answers else None

    def to_dict(self) -> dict[str, object]:
        return {
            "day": self.day.isoformat(),
            "cards": self.cards,
            "answers": self.answers,
            "right": self.right,
            "share_right": self.share_right,
            "seconds": self.seconds,
        }


def today(store: Store, deck_id: str | None = None) -> Today:
    """What the current study day holds so far (one indexed read).

    Raises:
        CollectionError: no such deck.
    """
    _known(store, deck_id)
    day = clock_for(store).study_day()
    summary = day_summary(store, day, deck_id)
    return Today(day, summary.cards, summary.answers, summary.right, summary.duration_ms / 1000)


@dataclass(frozen=True)
class DayCount:
    """A study day and a count on it (answers given, or reviews due)."""

    day: date
    count: int


@dataclass(frozen=True)
class History:
    """Answers per study day over the last `CALENDAR_DAYS` days, and the streak.

    Attributes:
        days: every day, oldest first, ending today (days without answers count 0).
        streak: consecutive study days with answers, ending today or yesterday.
    """

    days: tuple[DayCount, ...]
    streak: int

    def last(self, days: int) -> tuple[DayCount, ...]:
        """The last `days` days, ending today."""
        return self.days[-days:]

    def window(self, days: int) -> dict[str, object]:
        """The last `days` days: answers, days with any, and answers per calendar day."""
        counts = [entry.count for entry in self.last(days)]
        return {
            "days": days,
            "answers": sum(counts),
            "days_studied": sum(1 for count in counts if count),
            "per_day": sum(counts) / days,
        }

    def to_dict(self) -> dict[str, object]:
        return {
            "days": [{"day": e.day.isoformat(), "answers": e.count} for e in self.days],
            "windows": [self.window(days) for days in WINDOWS],
            "streak": self.streak,
        }


def history(store: Store, deck_id: str | None = None) -> History:
    """Answers per study day for the calendar, with the streak (`srs.study.overview`'s).

    Raises:
        CollectionError: no such deck.
    """
    _known(store, deck_id)
    end = clock_for(store).study_day()
    start = end - timedelta(days=CALENDAR_DAYS - 1)
    counts = answers_per_day(store, start, deck_id)
    days = tuple(
        DayCount(day, counts.get(day, 0))
        for day in (start + timedelta(days=n) for n in range(CALENDAR_DAYS))
    )
    return History(days, study_streak(store, deck_id))


@dataclass(frozen=True)
class Forecast:
    """Studied cards due per study day, today first (today's count holds the overdue ones).
    Suspended and retired cards are left out."""

    days: tuple[DayCount, ...]

    def to_dict(self) -> list[dict[str, object]]:
        return [{"day": e.day.isoformat(), "due": e.count} for e in self.days]


def forecast(store: Store, deck_id: str | None = None) -> Forecast:
    """Reviews due on each of the next `FORECAST_DAYS` study days.

    Raises:
        CollectionError: no such deck.
    """
    _known(store, deck_id)
    clock = clock_for(store)
    first = clock.study_day()
    days = [first + timedelta(days=n) for n in range(FORECAST_DAYS)]
    ends = [clock.day_start(day + timedelta(days=1)) for day in days]
    counts = due_per_day(store, ends, deck_id)
    return Forecast(tuple(DayCount(day, count) for day, count in zip(days, counts, strict=True)))
