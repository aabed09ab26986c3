"""What the dashboard and `srs status` show: each deck's counts, titles, and the study streak."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from srs.clock import to_db
from srs.collection.settings import clock_for
from srs.collection.store import Store
from srs.model.settings import DeckSettings
from srs.study.answers import ACTIVE, used_today

__all__ = ["DeckOverview", "deck_overview", "deck_titles", "study_streak"]


@dataclass(frozen=True)
class DeckOverview:
    """One deck's counts for the dashboard and `srs status`.

    Attributes:
        deck_id: the deck.
        title: its title.
        cards: cards in the deck (not retired).
        new: cards never studied (not suspended, not buried).
        learning: cards in (re)learning (not suspended).
        review: cards in review (not suspended).
        due_today: review cards due today plus (re)learning cards due today (no limit applied).
        retired: cards gone from the deck file, kept with their history.
        suspended: suspended cards (not retired).
        leeches: cards flagged as leeches (not retired).
        new_today: new cards today's session will introduce (the daily limit applied).
        reviewed_today: answers logged today (sessions and exams).
        streak: consecutive study days with answers, ending today or yesterday.
    """

    deck_id: str
    title: str
    cards: int
    new: int
    learning: int
    review: int
    due_today: int
    retired: int
    suspended: int
    leeches: int
    new_today: int
    reviewed_today: int
    streak: int

    def to_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def deck_overview(store: Store) -> list[DeckOverview]:
    """Every deck's counts, sorted by deck id (for `srs status` and the dashboard)."""
    clock = clock_for(store)
    now = clock.now()
    today = clock.study_day(now)
    names = {"today": today.isoformat(), "end": to_db(clock.next_day_start(now))}
    live = "c.retired = 0 AND c.suspended = 0"
    rows = store.conn.execute(
        f"""SELECT d.id, d.title, d.settings,
            count(c.id) - coalesce(sum(c.retired), 0),
            coalesce(sum(m.state = 0 AND {ACTIVE}), 0),
            coalesce(sum(m.state IN (1, 3) AND {live}), 0),
            coalesce(sum(m.state = 2 AND {live}), 0),
            coalesce(sum(m.state > 0 AND m.due < :end AND {ACTIVE}), 0),
            coalesce(sum(c.retired), 0),
            coalesce(sum(c.suspended AND NOT c.retired), 0),
            coalesce(sum(c.leech AND NOT c.retired), 0)
        FROM decks d LEFT JOIN cards c ON c.deck_id = d.id
        LEFT JOIN memory m ON m.card_id = c.id GROUP BY d.id ORDER BY d.id""",
        names,
    ).fetchall()
    reviewed = dict(
        store.conn.execute(
            "SELECT c.deck_id, count(*) FROM reviews r JOIN cards c ON c.id = r.card_id "
            "WHERE r.day = ? GROUP BY c.deck_id",
            (names["today"],),
        )
    )
    used = used_today(store, today)
    yesterday = (today - timedelta(days=1)).isoformat()
    recent = {
        deck_id
        for (deck_id,) in store.conn.execute(
            "SELECT DISTINCT c.deck_id FROM reviews r JOIN cards c ON c.id = r.card_id "
            "WHERE r.day IN (?, ?)",
            (names["today"], yesterday),
        )
    }
    result = []
    for deck_id, title, settings, *counts in rows:
        new_per_day = DeckSettings.from_json(settings).new_per_day
        new_today = min(counts[1], max(0, new_per_day - used.get(deck_id, (0, 0))[0]))
        streak = _streak(store, today, deck_id) if deck_id in recent else 0
        values = (deck_id, title, *counts, new_today, reviewed.get(deck_id, 0), streak)
        result.append(DeckOverview(*values))
    return result


def deck_titles(store: Store) -> dict[str, str]:
    """Every deck's title by id (what screens show instead of ids)."""
    return dict(store.conn.execute("SELECT id, title FROM decks"))


def study_streak(store: Store, deck_id: str | None = None) -> int:
    """Consecutive study days with at least one answer, ending today (or yesterday, when
    nothing was studied yet today).

    Args:
        store: the collection.
        deck_id: count answers in this deck only (None: in any deck).
    """
    return _streak(store, clock_for(store).study_day(), deck_id)


def _streak(store: Store, today: date, deck_id: str | None) -> int:
    """Walk back one day at a time, one indexed query (reviews.day) per day."""
    sql = "SELECT 1 FROM reviews WHERE day = ? LIMIT 1"
    extra: tuple[str, ...] = ()
    if deck_id is not None:
        sql = (
            "SELECT 1 FROM reviews r JOIN cards c ON c.id = r.card_id "
            "WHERE r.day = ? AND c.deck_id = ? LIMIT 1"
        )
        extra = (deck_id,)

    def studied(day: date) -> bool:
        return store.conn.execute(sql, (day.isoformat(), *extra)).fetchone() is not None

    day = today if studied(today) else today - timedelta(days=1)
    streak = 0
    while studied(day):
        streak += 1
        day -= timedelta(days=1)
    return streak
