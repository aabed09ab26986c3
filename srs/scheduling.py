"""FSRS through py-fsrs: per-deck settings, the learner's day, memory states and rating previews.

py-fsrs does the arithmetic; this module adapts it to the collection. A card's memory is the
`memory` row (`Memory`); `schedule` turns a memory and a rating into the next memory with
FSRS-6 (default parameters until personal ones are set) and a fuzz seeded per card, so the same
history always gives the same schedule. `preview` shows what each rating would do before the
learner picks one.
"""

from __future__ import annotations

import difflib
import json
import math
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from functools import lru_cache
from typing import Any

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS, FUZZ_RANGES

from srs.clock import DEFAULT_ROLLOVER_HOUR, Clock, from_db, to_db
from srs.store import CollectionError, Store

__all__ = [
    "DAY_START_KEY",
    "SETTING_KEYS",
    "DeckSettings",
    "Memory",
    "MemoryState",
    "Preview",
    "Rating",
    "SettingError",
    "clock_for",
    "day_start_hour",
    "format_interval",
    "get_settings",
    "preview",
    "schedule",
    "scheduler_for",
    "set_day_start_hour",
    "set_setting",
    "setting_texts",
]

DAY_START_KEY = "day_start_hour"
"""The `meta` key holding the collection-wide hour (0-23, local) at which a study day begins."""


class SettingError(ValueError):
    """A setting name or value the learner typed is not valid; the message says what is."""


class MemoryState(IntEnum):
    """A card's place in the schedule: py-fsrs's `State`, plus New (never answered)."""

    New = 0
    Learning = 1
    Review = 2
    Relearning = 3


@dataclass(frozen=True)
class Memory:
    """One `memory` row: what the scheduler knows about a card.

    Attributes:
        state: New, Learning, Review or Relearning.
        step: the (re)learning step, None outside the learning states.
        stability: FSRS stability in days (None while New).
        difficulty: FSRS difficulty, 1-10 (None while New).
        due: when the card is next due (None while New).
        last_review: when it was last answered (None while New).
        reps: answers given so far.
        lapses: times a Review card was answered Again.
    """

    state: MemoryState = MemoryState.New
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0

    COLUMNS = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")
    """The `memory` columns, in the order `from_row` and `to_row` use."""

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Memory:
        """Build from the `COLUMNS` values of a `memory` row."""
        state, step, stability, difficulty, due, last_review, reps, lapses = row
        return cls(
            MemoryState(state),
            step,
            stability,
            difficulty,
            None if due is None else from_db(due),
            None if last_review is None else from_db(last_review),
            reps,
            lapses,
        )

    def to_row(
        self,
    ) -> tuple[int, int | None, float | None, float | None, str | None, str | None, int, int]:
        """The `COLUMNS` values to store (times as fixed-width UTC text)."""
        return (
            int(self.state),
            self.step,
            self.stability,
            self.difficulty,
            None if self.due is None else to_db(self.due),
            None if self.last_review is None else to_db(self.last_review),
            self.reps,
            self.lapses,
        )

    def to_json(self) -> str:
        """The row as JSON (as logged in `reviews.before`/`after`); floats round-trip exactly."""
        return json.dumps(
            dict(zip(self.COLUMNS, self.to_row(), strict=True)), separators=(",", ":")
        )

    @classmethod
    def from_json(cls, text: str) -> Memory:
        data = json.loads(text)
        return cls.from_row([data[column] for column in cls.COLUMNS])

    def to_fsrs(self, card_id: int, now: datetime) -> FsrsCard:
        """The py-fsrs Card for this memory (built directly: `Card.from_dict` loses a 0.0)."""
        if self.state is MemoryState.New:
            return FsrsCard(card_id=card_id, state=State.Learning, step=0, due=now)
        return FsrsCard(
            card_id=card_id,
            state=State(int(self.state)),
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due or now,
            last_review=self.last_review,
        )


# --- settings -------------------------------------------------------------------------------

_LEARNING_STEPS = (timedelta(minutes=1), timedelta(minutes=10))
_RELEARNING_STEPS = (timedelta(minutes=10),)


@dataclass(frozen=True)
class DeckSettings:
    """How one deck is scheduled; the defaults are Anki's.

    Attributes:
        desired_retention: the chance of recall FSRS aims for when a card comes due.
        learning_steps: waits between the first answers of a new card.
        relearning_steps: waits after a forgotten review card.
        maximum_interval: the longest interval, in days.
        new_per_day: new cards introduced per study day.
        reviews_per_day: review cards shown per study day.
        fuzz: spread intervals a little (seeded per card) so cards learned together part.
        leech_threshold: lapses after which a card is flagged as a leech.
        parameters: the 21 FSRS-6 weights (py-fsrs's defaults until personal ones exist).
    """

    desired_retention: float = 0.9
    learning_steps: tuple[timedelta, ...] = _LEARNING_STEPS
    relearning_steps: tuple[timedelta, ...] = _RELEARNING_STEPS
    maximum_interval: int = 36500
    new_per_day: int = 20
    reviews_per_day: int = 200
    fuzz: bool = True
    leech_threshold: int = 8
    parameters: tuple[float, ...] = tuple(DEFAULT_PARAMETERS)

    @classmethod
    def from_json(cls, text: str) -> DeckSettings:
        """Parse `decks.settings` (cached). A stored value that no longer parses (edited by
        hand, or from another srs version) falls back to its default."""
        return _settings_from_json(text)


SETTING_KEYS: dict[str, str] = {
    "desired_retention": "chance of remembering a card when it comes due, 0.70-0.99 (0.90)",
    "learning_steps": "waits between the first answers of a new card, e.g. '1m 10m' (1m 10m)",
    "relearning_steps": "waits after forgetting a review card, e.g. '10m' or 'none' (10m)",
    "maximum_interval": "longest interval in days, 1-36500 (36500)",
    "new_per_day": "new cards introduced per study day, 0-9999 (20)",
    "reviews_per_day": "review cards shown per study day, 0-99999 (200)",
    "fuzz": "spread intervals a little so cards learned together part, on/off (on)",
    "leech_threshold": "lapses that flag a card as a leech, 1-99 (8)",
    "parameters": "the 21 FSRS-6 weights, comma-separated, or 'default' (default)",
}
"""Every per-deck setting, with a one-line description that ends with its default."""

_STEP = re.compile(r"(\d+)([smhd])")
_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_TRUE = {"on", "true", "yes", "1"}
_FALSE = {"off", "false", "no", "0"}


def _whole(key: str, low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        digits = text.removesuffix("d") if key == "maximum_interval" else text
        if not digits.isdigit() or not low <= int(digits) <= high:
            raise SettingError(f"{key} must be a whole number from {low} to {high}, not '{text}'")
        return int(digits)

    return parse


def _retention(text: str) -> float:
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        value = math.nan
    if not 0.7 <= value <= 0.99:
        raise SettingError(
            f"desired_retention must be from 0.70 to 0.99 (or 70%-99%), not '{text}'"
        )
    return round(value, 4)


def _steps(key: str) -> Callable[[str], tuple[timedelta, ...]]:
    def parse(text: str) -> tuple[timedelta, ...]:
        if text.lower() in {"none", ""}:
            return ()
        steps = []
        for word in text.replace(",", " ").split():
            match = _STEP.fullmatch(word)
            if match is None or int(match.group(1)) == 0:
                raise SettingError(
                    f"{key}: '{word}' is not a step; write steps like '1m 10m' "
                    "(units s, m, h, d) or 'none'"
                )
            steps.append(timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)]))
        if len(steps) > 10:
            raise SettingError(f"{key}: at most 10 steps, not {len(steps)}")
        return tuple(steps)

    return parse


def _switch(text: str) -> bool:
    if text.lower() in _TRUE | _FALSE:
        return text.lower() in _TRUE
    raise SettingError(f"fuzz must be on or off, not '{text}'")


def _parameters(text: str) -> tuple[float, ...]:
    if text.lower() == "default":
        return tuple(DEFAULT_PARAMETERS)
    try:
        weights = tuple(float(word) for word in text.replace(",", " ").split())
        Scheduler(parameters=weights, enable_fuzzing=False)
    except ValueError as exc:
        detail = str(exc).replace("\n", "; ")
        raise SettingError(
            f"parameters: {detail}"
            if "parameter" in detail
            else f"parameters must be 21 numbers separated by commas: {detail}"
        ) from None
    return weights


_PARSERS: dict[str, Callable[[str], object]] = {
    "desired_retention": _retention,
    "learning_steps": _steps("learning_steps"),
    "relearning_steps": _steps("relearning_steps"),
    "maximum_interval": _whole("maximum_interval", 1, 36500),
    "new_per_day": _whole("new_per_day", 0, 9999),
    "reviews_per_day": _whole("reviews_per_day", 0, 99999),
    "fuzz": _switch,
    "leech_threshold": _whole("leech_threshold", 1, 99),
    "parameters": _parameters,
}


def _format_step(step: timedelta) -> str:
    seconds = int(step.total_seconds())
    for unit, size in _UNITS.items():
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    raise AssertionError("unreachable: every whole number of seconds divides by 1")


def _setting_text(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, tuple) and value and isinstance(value[0], float):
        return "default" if value == tuple(DEFAULT_PARAMETERS) else ", ".join(map(str, value))
    if isinstance(value, tuple):
        return " ".join(_format_step(step) for step in value) or "none"
    return f"{value:g}" if isinstance(value, float) else str(value)


def setting_texts(settings: DeckSettings) -> dict[str, str]:
    """Every setting as the text `set_setting` accepts (for `srs config DECK`)."""
    return {f.name: _setting_text(getattr(settings, f.name)) for f in fields(settings)}


def _key(key: str) -> str:
    name = key.strip().lower().replace("-", "_")
    if name not in SETTING_KEYS:
        close = difflib.get_close_matches(name, SETTING_KEYS, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else f" (known: {', '.join(SETTING_KEYS)})"
        raise SettingError(f"unknown setting '{key}'{hint}")
    return name


@lru_cache(maxsize=128)
def _settings_from_json(text: str) -> DeckSettings:
    try:
        stored = json.loads(text)
    except ValueError:
        stored = {}
    values: dict[str, Any] = {}
    if isinstance(stored, dict):
        for key, value in stored.items():
            if key in _PARSERS and isinstance(value, str):
                try:
                    values[key] = _PARSERS[key](value)
                except SettingError:
                    continue
    return DeckSettings(**values)


def _stored_settings(store: Store, deck_id: str) -> str:
    row = store.conn.execute("SELECT settings FROM decks WHERE id = ?", (deck_id,)).fetchone()
    if row is None:
        raise CollectionError(f"no deck '{deck_id}' in the collection")
    return str(row[0])


def get_settings(store: Store, deck_id: str) -> DeckSettings:
    """The deck's settings: what was set, and Anki's defaults for the rest.

    Raises:
        CollectionError: no such deck.
    """
    return _settings_from_json(_stored_settings(store, deck_id))


def set_setting(store: Store, deck_id: str, key: str, text: str) -> DeckSettings:
    """Change one setting of a deck from the text the learner typed; 'default' resets it.

    Example: `set_setting(store, "aws", "learning_steps", "1m 10m 1h")`.

    Returns:
        The deck's settings after the change.

    Raises:
        SettingError: unknown key or invalid value (nothing was written).
        CollectionError: no such deck.
    """
    name = _key(key)
    value = text.strip()
    reset = value.lower() == "default"
    if not reset:
        value = _setting_text(_PARSERS[name](value))
    with store.write():
        stored = json.loads(_stored_settings(store, deck_id) or "{}")
        stored = stored if isinstance(stored, dict) else {}
        if reset:
            stored.pop(name, None)
        else:
            stored[name] = value
        updated = json.dumps(stored, sort_keys=True, separators=(",", ":"))
        store.conn.execute("UPDATE decks SET settings = ? WHERE id = ?", (updated, deck_id))
    return _settings_from_json(updated)


# --- the learner's day ----------------------------------------------------------------------


def day_start_hour(store: Store) -> int:
    """The collection's "day starts at" hour (local, 0-23); the clock's own hour when unset."""
    text = store.meta(DAY_START_KEY)
    if text is not None and text.isdigit() and 0 <= int(text) <= 23:
        return int(text)
    return store.clock.rollover_hour


def set_day_start_hour(store: Store, text: str) -> int:
    """Set the hour (local, 0-23) at which every study day begins; 4 by default, as in Anki.

    Raises:
        SettingError: not a whole hour from 0 to 23.
    """
    value = text.strip().removesuffix(":00")
    if not value.isdigit() or not 0 <= int(value) <= 23:
        raise SettingError(
            f"the day start must be an hour from 0 to 23 (default "
            f"{DEFAULT_ROLLOVER_HOUR}), not '{text}'"
        )
    store.set_meta(DAY_START_KEY, str(int(value)))
    return int(value)


def clock_for(store: Store) -> Clock:
    """The store's clock with the collection's day start: every "today" is computed with it."""
    hour = day_start_hour(store)
    clock = store.clock
    if hour == clock.rollover_hour:
        return clock
    return Clock(now_fn=clock.now_fn, zone=clock.zone, rollover_hour=hour)


# --- scheduling -----------------------------------------------------------------------------


@lru_cache(maxsize=32)
def _scheduler(
    parameters: tuple[float, ...],
    retention: float,
    learning: tuple[timedelta, ...],
    relearning: tuple[timedelta, ...],
    maximum_interval: int,
) -> Scheduler:
    return Scheduler(
        parameters, retention, learning, relearning, maximum_interval, enable_fuzzing=False
    )


def scheduler_for(settings: DeckSettings) -> Scheduler:
    """The py-fsrs Scheduler for these settings (cached; its own unseeded fuzz is off)."""
    return _scheduler(
        settings.parameters,
        settings.desired_retention,
        settings.learning_steps,
        settings.relearning_steps,
        settings.maximum_interval,
    )


def _fuzzed_days(days: int, maximum: int, seed: str) -> int:
    """py-fsrs's fuzz ranges, drawn from a generator seeded per card and answer.

    One seed gives one fraction for every rating, so fuzzed Hard <= Good <= Easy still holds.
    """
    if days < 2.5:
        return days
    delta = 1.0
    for fuzz_range in FUZZ_RANGES:
        delta += fuzz_range["factor"] * max(
            min(float(days), fuzz_range["end"]) - fuzz_range["start"], 0.0
        )
    high = min(round(days + delta), maximum)
    low = min(max(2, round(days - delta)), high)
    fraction = random.Random(seed).random()
    return min(low + math.floor(fraction * (high - low + 1)), high)


def schedule(
    memory: Memory, rating: Rating, *, card_id: int, now: datetime, settings: DeckSettings
) -> Memory:
    """The card's memory after answering `rating` at `now`.

    A `now` earlier than the last review (the clock moved back) counts as the last review's
    time, so a review is never dated before the previous one.

    Args:
        memory: the card's memory before the answer.
        rating: Again, Hard, Good or Easy.
        card_id: the card (seeds the fuzz, with the number of answers).
        now: an aware datetime.
        settings: the deck's settings.
    """
    if now.tzinfo is None:
        raise ValueError("naive datetime: answers are timed with aware datetimes")
    when = now.astimezone(UTC)
    if memory.last_review is not None and when < memory.last_review:
        when = memory.last_review
    card, _ = scheduler_for(settings).review_card(memory.to_fsrs(card_id, when), rating, when)
    reps = memory.reps + 1
    due: datetime = card.due
    if settings.fuzz and card.state == State.Review:
        days = _fuzzed_days((due - when).days, settings.maximum_interval, f"{card_id}:{reps}")
        due = when + timedelta(days=days)
    lapsed = memory.state is MemoryState.Review and rating == Rating.Again
    return Memory(
        MemoryState(int(card.state)),
        card.step,
        card.stability,
        card.difficulty,
        due,
        when,
        reps,
        memory.lapses + lapsed,
    )


@dataclass(frozen=True)
class Preview:
    """What one rating would do, shown before the learner picks it."""

    rating: Rating
    due: datetime
    interval: timedelta
    memory: Memory

    @property
    def text(self) -> str:
        """The interval in short form: "10m", "4d", "3.2mo"."""
        return format_interval(self.interval)


def preview(
    memory: Memory, *, card_id: int, now: datetime, settings: DeckSettings
) -> dict[Rating, Preview]:
    """Per rating, the due date and interval that answering it now would give."""
    result = {}
    for rating in Rating:
        after = schedule(memory, rating, card_id=card_id, now=now, settings=settings)
        assert after.due is not None and after.last_review is not None
        result[rating] = Preview(rating, after.due, after.due - after.last_review, after)
    return result


def format_interval(interval: timedelta) -> str:
    """An interval as short text: "45s", "10m", "1.5h", "4d", "3.2mo", "1.5y".

    Months are 30 days and years 365, as Anki shows them.
    """
    seconds = max(interval.total_seconds(), 0.0)
    days = seconds / 86400
    if seconds < 60:
        return f"{round(seconds)}s"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if days < 1:
        return f"{_one_decimal(seconds / 3600)}h"
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{_one_decimal(days / 30)}mo"
    return f"{_one_decimal(days / 365)}y"


def _one_decimal(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")
