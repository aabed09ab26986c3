"""Study settings as values: each deck's scheduling options (Anki's defaults) and how the text a
learner types becomes one. Pure: storing them is `srs.collection.settings`'s job.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from fsrs import Scheduler
from fsrs.scheduler import DEFAULT_PARAMETERS

__all__ = [
    "SETTING_KEYS",
    "DeckSettings",
    "SettingError",
    "normalize_setting",
    "setting_texts",
]


class SettingError(ValueError):
    """A setting name or value the learner typed is not valid; the message says what is."""


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
        learn_ahead: minutes ahead of its due time a (re)learning card is shown when nothing
            else is left to study (Anki's learn-ahead limit), rather than making the learner
            wait for it.
        fuzz: spread intervals a little (seeded per card) so cards learned together part.
        leech_threshold: lapses after which a card is flagged as a leech.
        parameters: the 21 FSRS-6 weights (py-fsrs's defaults until personal ones exist).
        exam_date: the study day of the real exam (None: no date set; `srs plan`).
        exam_day_retention: before `exam_date`, no review is planned past it that would let
            the card's chance of recall on the day fall below this (`srs.study.examday`).
        minutes_per_day: the learner's daily study time, which the exam plan's days are
            checked against.
    """

    desired_retention: float = 0.9
    learning_steps: tuple[timedelta, ...] = _LEARNING_STEPS
    relearning_steps: tuple[timedelta, ...] = _RELEARNING_STEPS
    maximum_interval: int = 36500
    new_per_day: int = 20
    reviews_per_day: int = 200
    learn_ahead: int = 20
    fuzz: bool = True
    leech_threshold: int = 8
    parameters: tuple[float, ...] = tuple(DEFAULT_PARAMETERS)
    exam_date: date | None = None
    exam_day_retention: float = 0.95
    minutes_per_day: int = 30

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
    "learn_ahead": "minutes early a learning card is shown when nothing else is left, 0-1440 (20)",
    "fuzz": "spread intervals a little so cards learned together part, on/off (on)",
    "leech_threshold": "lapses that flag a card as a leech, 1-99 (8)",
    "parameters": "the 21 FSRS-6 weights, comma-separated, or 'default' (default)",
    "exam_date": "the day of the real exam, YYYY-MM-DD, or 'none' (none; see srs plan)",
    "exam_day_retention": "chance of recall kept on exam day until then, 0.70-0.99 (0.95)",
    "minutes_per_day": "daily study time the exam plan is checked against, 1-1440 (30)",
}
"""Every per-deck setting, with a one-line description that ends with its default."""

_STEP = re.compile(r"(\d+)([smhd])")
_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_TRUE = {"on", "true", "yes", "1"}
_FALSE = {"off", "false", "no", "0"}


def _whole(key: str, low: int, high: int, unit: str = "") -> Callable[[str], int]:
    """A parser of whole numbers from `low` to `high`, optionally followed by `unit`."""

    def parse(text: str) -> int:
        digits = text.removesuffix(unit) if unit else text
        if not digits.isdigit() or not low <= int(digits) <= high:
            raise SettingError(f"{key} must be a whole number from {low} to {high}, not '{text}'")
        return int(digits)

    return parse


def _retention(key: str) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
        except ValueError:
            value = math.nan
        if not 0.7 <= value <= 0.99:
            raise SettingError(f"{key} must be from 0.70 to 0.99 (or 70%-99%), not '{text}'")
        return round(value, 4)

    return parse


def _day(text: str) -> date | None:
    if text.lower() in {"none", ""}:
        return None
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise SettingError(f"exam_date must be a date as YYYY-MM-DD, not '{text}'") from None


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
    "desired_retention": _retention("desired_retention"),
    "learning_steps": _steps("learning_steps"),
    "relearning_steps": _steps("relearning_steps"),
    "maximum_interval": _whole("maximum_interval", 1, 36500, "d"),
    "new_per_day": _whole("new_per_day", 0, 9999),
    "reviews_per_day": _whole("reviews_per_day", 0, 99999),
    "learn_ahead": _whole("learn_ahead", 0, 1440, "m"),
    "fuzz": _switch,
    "leech_threshold": _whole("leech_threshold", 1, 99),
    "parameters": _parameters,
    "exam_date": _day,
    "exam_day_retention": _retention("exam_day_retention"),
    "minutes_per_day": _whole("minutes_per_day", 1, 1440),
}


def _format_step(step: timedelta) -> str:
    seconds = int(step.total_seconds())
    for unit, size in _UNITS.items():
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    raise AssertionError("unreachable: every whole number of seconds divides by 1")


def _setting_text(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, date):
        return value.isoformat()
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


def normalize_setting(key: str, text: str) -> tuple[str, str | None]:
    """The setting's canonical name, and its value as stored text (None: reset to default).

    Raises:
        SettingError: unknown key or invalid value.
    """
    name = _key(key)
    value = text.strip()
    if value.lower() == "default":
        return name, None
    return name, _setting_text(_PARSERS[name](value))
