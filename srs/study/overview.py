"""What the dashboard and `srs status` show: each deck's counts, titles, and the study streak.

The counts are read through `srs.collection` (memory states per deck, the review log); what
today's session will introduce and how a streak is counted are decided here.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta

from srs.collection.decks import deck_titles
from srs.collection.memory import DeckCounts, deck_counts
from srs.collection.reviews import answers_per_deck, decks_studied, studied_on, used_today
from srs.collection.settings import clock_for
from srs.collection.store import Store

__all__ = ["DeckOverview", "deck_overview", "deck_titles", "study_streak"]


@dataclass(frozen=True)
class DeckOverview(DeckCounts):
    """One deck's counts for the dashboard and `srs status`: the collection's `DeckCounts`, and
    what today adds to them.

    Attributes:
        new_today: new cards today's session will introduce (the daily limit applied).
        reviewed_today: answers logged today (sessions and exams).
        streak: consecutive study days with answers, ending today or yesterday.
    """

    new_today: int
    reviewed_today: int
    streak: int

    def to_dict(self) -> dict[str, object]:
        """Every count, as `srs status --json` prints it (the settings are `srs config`'s)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "settings"}


def deck_overview(store: Store) -> list[DeckOverview]:
    """Every deck's counts, sorted by deck id (for `srs status` and the dashboard)."""
    clock = clock_for(store)
    now = clock.now()
    today = clock.study_day(now)
    reviewed = answers_per_deck(store, today)
    used = used_today(store, today)
    recent = decks_studied(store, (today, today - timedelta(days=1)))
    result = []
    for deck in deck_counts(store, today=today, until=clock.next_day_start(now)):
        new_used = used.get(deck.deck_id, (0, 0))[0]
        new_today = min(deck.new, max(0, deck.settings.new_per_day - new_used))
        streak = _streak(store, today, deck.deck_id) if deck.deck_id in recent else 0
        counts = {f.name: getattr(deck, f.name) for f in fields(deck)}
        result.append(
            DeckOverview(
                **counts,
                new_today=new_today,
                reviewed_today=reviewed.get(deck.deck_id, 0),
                streak=streak,
            )
        )
    return result


def study_streak(store: Store, deck_id: str | None = None) -> int:
    """Consecutive study days with at least one answer, ending today (or yesterday, when
    nothing was studied yet today).

    Args:
        store: the collection.
        deck_id: count answers in this deck only (None: in any deck).
    """
    return _streak(store, clock_for(store).study_day(), deck_id)


def _streak(store: Store, today: date, deck_id: str | None) -> int:
    """Walk back one day at a time, one indexed lookup (reviews.day) per day."""
    day = today if studied_on(store, today, deck_id) else today - timedelta(days=1)
    streak = 0
    while studied_on(store, day, deck_id):
        streak += 1
        day -= timedelta(days=1)
    return streak
