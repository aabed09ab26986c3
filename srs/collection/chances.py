"""The last pass chance computed for each deck, kept so a screen can show it at once.

The chance of a 100,000-card deck takes about a second to compute, in a worker. The dashboard
and the exam start page show the value last computed while the worker redoes it, so it is kept
in the `meta` table (one JSON object per deck: a cache, not collection data, so no migration,
and sync and export leave it alone).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from srs.collection.store import Store

__all__ = ["last_pass_chance", "save_pass_chance"]

_KEY_PREFIX = "pass_chance:"
"""The `meta` key of a deck's last chance is this followed by the deck id."""


def last_pass_chance(store: Store, deck_id: str) -> dict[str, object] | None:
    """The figures last saved for the deck by `save_pass_chance`, or None (never computed, or
    stored by another version in a form that no longer reads)."""
    text = store.meta(_KEY_PREFIX + deck_id)
    if text is None:
        return None
    try:
        values = json.loads(text)
    except ValueError:
        return None
    return values if isinstance(values, dict) else None


def save_pass_chance(store: Store, deck_id: str, values: Mapping[str, object]) -> None:
    """Keep the deck's newly computed figures (a `Prediction.to_dict()`) for the next showing.

    Raises:
        CollectionError: the collection could not be written (read-only, busy, full).
    """
    store.set_meta(_KEY_PREFIX + deck_id, json.dumps(dict(values), sort_keys=True))
