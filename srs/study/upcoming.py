"""When a card is next ready to study, for a learner done for now (the end of a session, the
dashboard's "nothing to study" message): what a new session would show first, and when."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from srs.collection.decks import study_settings
from srs.collection.memory import next_due
from srs.collection.settings import clock_for
from srs.collection.store import Store

__all__ = ["next_study_time"]


def next_study_time(store: Store, deck_ids: Sequence[str] | None = None) -> datetime | None:
    """When a card of these decks (None: all) is next ready, once today's queue is done.

    A (re)learning card is ready when a session would show it: its due time less its deck's
    learn-ahead limit, but not before the study day it is due begins (today's queue holds only
    cards due today) nor before now. A review card is ready at the start of the study day it is
    due (tomorrow at the earliest: today's limits are spent); new cards tomorrow.

    Returns:
        The time, or None when the decks hold nothing left to study.
    """
    clock = clock_for(store)
    now = clock.now()
    today = clock.study_day(now)
    tomorrow = clock.next_day_start(now)
    # Decks sharing a learn-ahead limit are asked together: one query per kind, as a rule.
    by_limit: dict[int, list[str]] = {}
    for deck_id, settings in study_settings(store, deck_ids):
        by_limit.setdefault(settings.learn_ahead, []).append(deck_id)
    candidates = []
    for minutes, decks in by_limit.items():
        due = next_due(store, decks, today=today)
        if due.learning is not None:
            ahead = due.learning - timedelta(minutes=minutes)
            day_start = clock.day_start(clock.study_day(due.learning))
            candidates.append(max(ahead, day_start, now))
        if due.review is not None:
            candidates.append(max(clock.day_start(clock.study_day(due.review)), tomorrow))
        if due.new:
            candidates.append(tomorrow)
    return min(candidates, default=None)
