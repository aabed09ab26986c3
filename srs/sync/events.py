"""Events from another device, checked as if they were typed here.

A segment is a file anyone with the folder can write, so every field of every event is checked
before anything is written from it: times are UTC in the stored form, ratings and sources are
the ones srs knows, texts are strings SQLite can store, settings parse as `srs config` parses
them. `check_event` returns the event with its values normalized, or says what is wrong.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from srs.clock import to_db
from srs.model.settings import SettingError, normalize_setting
from srs.study.answers import MAX_DURATION_MS

__all__ = ["EventError", "check_event"]

_ID = re.compile(r"[0-9a-f]{32}")
_SOURCES = ("review", "exam", "custom", "anki")
_MAX_TEXT = 100_000


class EventError(ValueError):
    """An event that cannot be merged; the message says which field and why."""


def _text(value: object, name: str, *, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > _MAX_TEXT:
        raise EventError(f"{name} is not a text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise EventError(f"{name} is not valid Unicode") from None
    return value


def _texts(value: object, name: str, *, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if not isinstance(value, list) or len(value) > 1000:
        raise EventError(f"{name} is not a list of texts")
    return [_text(item, name) for item in value]


def _event_id(value: object, name: str = "id", *, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise EventError(f"{name} is not an event id")
    return value


def _time(value: object, name: str, *, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    try:
        moment = datetime.fromisoformat(_text(value, name))
    except ValueError:
        moment = None
    if moment is None or moment.utcoffset() is None:
        raise EventError(f"{name} is not a time with its UTC offset")
    return to_db(moment)


def _day(value: object, name: str) -> str:
    try:
        return date.fromisoformat(_text(value, name)).isoformat()
    except ValueError:
        raise EventError(f"{name} is not a date") from None


def _whole(value: object, name: str, low: int, high: int, *, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise EventError(f"{name} is not a whole number from {low} to {high}")
    return value


def _number(value: object, name: str, *, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise EventError(f"{name} is not a number")
    return float(value)


def _flag(value: object, name: str, *, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if value not in (0, 1) or not isinstance(value, int):
        raise EventError(f"{name} is not true or false")
    return bool(value)


def _review(event: dict[str, Any]) -> dict[str, Any]:
    source = event.get("source")
    if source not in _SOURCES:
        raise EventError(f"source must be one of {', '.join(_SOURCES)}")
    return {
        "at": _time(event.get("at"), "at"),
        "day": _day(event.get("day"), "day"),
        "rating": _whole(event.get("rating"), "rating", 1, 4),
        "duration_ms": min(
            _whole(event.get("duration_ms"), "duration_ms", 0, 2**40), MAX_DURATION_MS
        ),
        "source": source,
        "choice": _texts(event.get("choice"), "choice", optional=True),
        "card": _text(event.get("card"), "card"),
    }


def _change(event: dict[str, Any]) -> dict[str, Any]:
    kind, target, value = (
        event.get("kind"),
        _text(event.get("target"), "target"),
        event.get("value"),
    )
    if kind == "setting":
        typed = "default" if value is None else _text(value, "value")
        try:
            target, value = normalize_setting(target, typed)
        except SettingError as exc:
            raise EventError(str(exc)) from None
    elif kind in ("suspended", "forget"):
        value = _flag(value, "value")
    elif kind == "buried":
        value = _day(value, "value")
    else:
        raise EventError(f"unknown change '{kind}'")
    return {
        "kind": kind,
        "target": target,
        "value": value,
        "at": _time(event.get("at"), "at"),
        "device": _text(event.get("device"), "device"),
    }


def _answer(answer: object) -> dict[str, Any]:
    if not isinstance(answer, dict):
        raise EventError("an answer is not an object")
    return {
        "position": _whole(answer.get("position"), "position", 0, 10_000),
        "card": _text(answer.get("card"), "card"),
        "choices": _texts(answer.get("choices"), "choices"),
        "chosen": _texts(answer.get("chosen"), "chosen", optional=True),
        "flagged": _flag(answer.get("flagged"), "flagged"),
        "answered_at": _time(answer.get("answered_at"), "answered_at", optional=True),
        "correct": _flag(answer.get("correct"), "correct", optional=True),
        "review": _event_id(answer.get("review"), "review", optional=True),
    }


def _attempt(event: dict[str, Any]) -> dict[str, Any]:
    if event.get("kind") not in ("full", "retake"):
        raise EventError("kind must be full or retake")
    answers = event.get("answers")
    if not isinstance(answers, list) or len(answers) > 10_000:
        raise EventError("answers is not a list")
    return {
        "kind": event["kind"],
        "retake_of": _event_id(event.get("retake_of"), "retake_of", optional=True),
        "started_at": _time(event.get("started_at"), "started_at"),
        "deadline": _time(event.get("deadline"), "deadline", optional=True),
        "submitted_at": _time(event.get("submitted_at"), "submitted_at"),
        "timed_out": _flag(event.get("timed_out"), "timed_out"),
        "pass_mark": _number(event.get("pass_mark"), "pass_mark"),
        "predicted_pass": _number(event.get("predicted_pass"), "predicted_pass", optional=True),
        "predicted_score": _number(event.get("predicted_score"), "predicted_score", optional=True),
        "score": _whole(event.get("score"), "score", 0, 10_000, optional=True),
        "answers": [_answer(answer) for answer in answers],
    }


def _outcome(event: dict[str, Any]) -> dict[str, Any]:
    return {
        "exam_date": _day(event.get("exam_date"), "exam_date"),
        "passed": _flag(event.get("passed"), "passed"),
        "score": _number(event.get("score"), "score", optional=True),
        "predicted_pass": _number(event.get("predicted_pass"), "predicted_pass", optional=True),
        "predicted_score": _number(event.get("predicted_score"), "predicted_score", optional=True),
        "recorded_at": _time(event.get("recorded_at"), "recorded_at"),
    }


_CHECKS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "review": _review,
    "change": _change,
    "attempt": _attempt,
    "outcome": _outcome,
    "undo": lambda event: {},
}


def check_event(event: dict[str, Any]) -> dict[str, Any]:
    """The event with every value checked and normalized (times in the stored form).

    Raises:
        EventError: an unknown type, or a field missing or out of range.
    """
    kind = event.get("type")
    if not isinstance(kind, str) or kind not in _CHECKS:
        raise EventError(f"unknown event type {str(kind)[:40]!r}")
    checked = {"type": kind, "id": _event_id(event.get("id"))}
    if kind != "undo":
        checked["deck"] = _text(event.get("deck"), "deck")
    checked.update(_CHECKS[kind](event))
    return checked
