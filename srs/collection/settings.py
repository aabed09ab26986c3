"""Stored settings: each deck's study settings and the learner's day (start hour, time zone).

Settings are stored as the text the learner typed (`decks.settings` JSON, the `meta` table for the
day start and zone) and parsed by the same functions that validate `srs config`
(`srs.model.settings`), so what is stored always reads back.
"""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

from srs.clock import DEFAULT_ROLLOVER_HOUR, Clock
from srs.collection.changes import record_setting_change
from srs.collection.decks import deck_row
from srs.collection.store import CollectionError, Store
from srs.model.settings import DeckSettings, SettingError, normalize_setting

__all__ = [
    "DAY_START_KEY",
    "TIME_ZONE_KEY",
    "clock_for",
    "day_start_hour",
    "get_settings",
    "set_day_start_hour",
    "set_setting",
    "set_time_zone",
    "store_setting",
    "time_zone_name",
]

DAY_START_KEY = "day_start_hour"
"""The `meta` key holding the collection-wide hour (0-23, local) at which a study day begins."""

TIME_ZONE_KEY = "time_zone"
"""The `meta` key holding the IANA zone the learner's days are counted in; unset: the system's."""

_SYSTEM_ZONE_WORDS = ("system", "default")


def _stored_settings(store: Store, deck_id: str) -> str:
    return str(deck_row(store, deck_id, "settings")[0])


def get_settings(store: Store, deck_id: str) -> DeckSettings:
    """The deck's settings: what was set, and Anki's defaults for the rest.

    Raises:
        CollectionError: no such deck.
    """
    return DeckSettings.from_json(_stored_settings(store, deck_id))


def set_setting(store: Store, deck_id: str, key: str, text: str) -> DeckSettings:
    """Change one setting of a deck from the text the learner typed; 'default' resets it.

    Example: `set_setting(store, "aws", "learning_steps", "1m 10m 1h")`.

    Returns:
        The deck's settings after the change.

    Raises:
        SettingError: unknown key or invalid value (nothing was written).
        CollectionError: no such deck.
    """
    name, value = normalize_setting(key, text)
    with store.write():
        updated = store_setting(store, deck_id, name, value)
        record_setting_change(store, deck_id, name, value)  # shared at the next `srs sync`
    return DeckSettings.from_json(updated)


def store_setting(store: Store, deck_id: str, name: str, value: str | None) -> str:
    """Write one setting already normalized (`normalize_setting`; None: the default), inside
    the caller's transaction, without noting it as this device's change: `set_setting` for
    the learner, and sync for a change merged from another device.

    Returns:
        The deck's stored settings after the change (JSON).

    Raises:
        CollectionError: no such deck.
    """
    stored = json.loads(_stored_settings(store, deck_id) or "{}")
    stored = stored if isinstance(stored, dict) else {}
    if value is None:
        stored.pop(name, None)
    else:
        stored[name] = value
    updated = json.dumps(stored, sort_keys=True, separators=(",", ":"))
    store.conn.execute("UPDATE decks SET settings = ? WHERE id = ?", (updated, deck_id))
    return updated


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


def _known_zone(name: str) -> ZoneInfo | None:
    """The IANA zone called `name`, or None when zoneinfo (system data or tzdata) has none."""
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return None


def time_zone_name(store: Store) -> str | None:
    """The IANA zone the learner set (`srs config - time_zone`), or None for the system's."""
    return store.meta(TIME_ZONE_KEY)


def set_time_zone(store: Store, text: str) -> str | None:
    """Count study days in an IANA zone (e.g. 'Europe/Berlin'); 'system' or 'default' goes
    back to the machine's zone. For a learner whose machine's zone is not their own.

    Returns:
        The zone name now set, or None for the system's.

    Raises:
        SettingError: not a zone name that zoneinfo knows (nothing was written).
    """
    name = text.strip()
    if name.lower() in _SYSTEM_ZONE_WORDS:
        with store.write():
            store.conn.execute("DELETE FROM meta WHERE key = ?", (TIME_ZONE_KEY,))
        return None
    if _known_zone(name) is None:
        raise SettingError(
            f"'{text}' is not a time zone: give an IANA name such as Europe/Berlin, "
            f"or {' / '.join(_SYSTEM_ZONE_WORDS)} for the system's zone"
        )
    store.set_meta(TIME_ZONE_KEY, name)
    return name


def clock_for(store: Store) -> Clock:
    """The store's clock with the collection's day start and time zone: every "today" is
    computed with it.

    Raises:
        CollectionError: the collection names a zone this machine does not know.
    """
    hour = day_start_hour(store)
    name = time_zone_name(store)
    clock = store.clock
    if hour == clock.rollover_hour and name is None:
        return clock
    zone = clock.zone if name is None else _known_zone(name)
    if zone is None:
        raise CollectionError(
            f"the collection's time zone '{name}' is unknown here: srs config - {TIME_ZONE_KEY} "
            "system"
        )
    return Clock(now_fn=clock.now_fn, zone=zone, rollover_hour=hour)
