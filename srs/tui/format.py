"""Numbers and times as the screens show them (durations: `srs.clock.format_duration`)."""

from __future__ import annotations

from datetime import datetime, tzinfo

from srs.study.scheduling import format_interval
from srs.study.session import StudySession
from srs.textsafe import displayable

__all__ = ["next_due_text", "session_title"]


def session_title(session: StudySession, title: str) -> str:
    """The header of a session of the decks called `title`: "Networking · topic DNS" for
    custom study (deck text, made displayable)."""
    custom = f" · {session.custom.title}" if session.custom is not None else ""
    return displayable(title + custom)


def next_due_text(when: datetime | None, now: datetime, zone: tzinfo) -> str:
    """ "in 10m (14:32)" or "tomorrow at 04:00": when the next card is due, in local time
    (the session summary, and the dashboard's "nothing to study now")."""
    if when is None:
        return "nothing left to study in these decks"
    if when <= now:
        return "now"
    local = when.astimezone(zone)
    days = (local.date() - now.astimezone(zone).date()).days
    clock = local.strftime("%H:%M")
    if days == 0:
        return f"in {format_interval(when - now)} ({clock})"
    if days == 1:
        return f"tomorrow at {clock}"
    return f"{local:%a %d %b} at {clock}"
