"""Merging: other devices' events into this collection, as a union, then a replay.

Reviews, attempts and outcomes are added when this collection does not hold their event id
yet (so a segment merged twice adds nothing); an undo removes its review and keeps a tombstone
so the review never comes back, whichever arrives first. A change (setting, suspension, burial)
is applied only when it is later than the one that holds here (time, then device id); a
forget is kept and replayed, as every forget counts. Each card whose log changed is replayed
through `srs.study.history.replay`, the replay `srs import-log` uses, in the order every device
uses (time, then event id): so every device with the same events has the same memory, whatever
order they came in. A card whose merged answers are all later than its stored last review
continues from its stored memory with just those (the same memory, far less work); one with an
answer merged into its past, an undo or a forget is replayed from its whole log.

An event naming a deck or card this collection does not have is held (`sync_held`) and tried
again at every merge, until the deck is imported here. Everything runs in the caller's
transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fsrs import Rating

from srs.clock import to_db
from srs.collection.cards import bury_until, set_suspended
from srs.collection.changes import ChangeStamp, insert_change, latest_change
from srs.collection.settings import store_setting
from srs.collection.store import Store
from srs.collection.sync import (
    MergedReview,
    card_decks,
    card_ids,
    card_logs,
    delete_reviews,
    hold_event,
    insert_attempt_event,
    insert_outcome,
    insert_reviews,
    insert_tombstones,
    known_decks,
    present_events,
    review_ids,
    stored_memories,
    tombstoned,
)
from srs.study.replay import CardHistory, replay

__all__ = ["Merged", "merge_events", "replay_cards"]

Held = Callable[[str, dict[str, Any], Iterable[str]], bool]
"""Holds an event back (and says so) when it names a deck or card this collection lacks."""


@dataclass
class Merged:
    """What a merge did: events added by type, events held, and the cards to replay: from
    their whole log (`full`), or from the earliest answer merged (`since`: card -> time)."""

    added: dict[str, int] = field(default_factory=dict)
    held: int = 0
    full: set[int] = field(default_factory=set)
    since: dict[int, str] = field(default_factory=dict)

    def count(self, kind: str, n: int = 1) -> None:
        if n:
            self.added[kind] = self.added.get(kind, 0) + n


def merge_events(store: Store, events: Sequence[tuple[str, dict[str, Any]]]) -> Merged:
    """Merge checked events (device, event), held ones included, then replay touched cards."""
    merged = Merged()
    by_type: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for device, event in events:
        by_type.setdefault(event["type"], []).append((device, event))
    decks = known_decks(store)
    wanted = [(event["deck"], event["card"]) for _device, event in by_type.get("review", [])]
    wanted += [
        (event["deck"], event["target"])
        for _device, event in by_type.get("change", [])
        if event["kind"] != "setting"
    ]
    wanted += [
        (event["deck"], answer["card"])
        for _device, event in by_type.get("attempt", [])
        for answer in event["answers"]
    ]
    cards = card_ids(store, wanted)

    def held(device: str, event: dict[str, Any], keys: Iterable[str]) -> bool:
        if event["deck"] not in decks:
            reason = f"deck '{event['deck']}' is not in this collection"
        else:
            missing = [key for key in keys if (event["deck"], key) not in cards]
            if not missing:
                return False
            reason = f"card '{missing[0]}' is not in deck '{event['deck']}' here"
        hold_event(store, device, event, reason)
        merged.held += 1
        return True

    _merge_reviews(store, by_type.get("review", []), cards, held, merged)
    undone = [event["id"] for _device, event in by_type.get("undo", [])]
    insert_tombstones(store, undone)
    merged.full |= delete_reviews(store, undone)
    merged.count("undo", len(undone))
    _merge_attempts(store, by_type.get("attempt", []), cards, held, merged)
    outcomes = by_type.get("outcome", [])
    present = present_events(store, "outcome", [event["id"] for _device, event in outcomes])
    for device, event in outcomes:
        if event["id"] not in present and not held(device, event, ()):
            insert_outcome(store, event)
            present.add(event["id"])
            merged.count("outcome")
    for device, event in by_type.get("change", []):
        keys = () if event["kind"] == "setting" else (event["target"],)
        if not held(device, event, keys):
            _apply_change(store, event, cards, merged)
            merged.count("change")
    replay_cards(store, merged.full, merged.since)
    return merged


def _merge_reviews(
    store: Store,
    reviews: Sequence[tuple[str, dict[str, Any]]],
    cards: dict[tuple[str, str], int],
    held: Held,
    merged: Merged,
) -> None:
    ids = [event["id"] for _device, event in reviews]
    skip = present_events(store, "review", ids) | tombstoned(store, ids)
    new: dict[str, MergedReview] = {}
    for device, event in reviews:
        if event["id"] in skip or event["id"] in new or held(device, event, (event["card"],)):
            continue
        card_id = cards[(event["deck"], event["card"])]
        new[event["id"]] = MergedReview(
            event["id"],
            card_id,
            event["at"],
            date.fromisoformat(event["day"]),
            Rating(event["rating"]),
            event["duration_ms"],
            event["source"],
            event["choice"],
        )
        if merged.since.get(card_id, event["at"]) >= event["at"]:
            merged.since[card_id] = event["at"]
    insert_reviews(store, list(new.values()))
    merged.count("review", len(new))


def _merge_attempts(
    store: Store,
    attempts: Sequence[tuple[str, dict[str, Any]]],
    cards: dict[tuple[str, str], int],
    held: Held,
    merged: Merged,
) -> None:
    present = present_events(store, "attempt", [event["id"] for _device, event in attempts])
    logged = review_ids(
        store,
        [a["review"] for _device, event in attempts for a in event["answers"] if a["review"]],
    )
    for device, event in attempts:
        if event["id"] in present:
            continue
        if held(device, event, [answer["card"] for answer in event["answers"]]):
            continue
        missing = [a for a in event["answers"] if a["review"] and a["review"] not in logged]
        if missing:
            hold_event(store, device, event, "its answers' reviews have not arrived")
            merged.held += 1
            continue
        answers = [
            (cards[(event["deck"], a["card"])], logged.get(a["review"] or ""), a)
            for a in event["answers"]
        ]
        insert_attempt_event(store, event, answers)
        present.add(event["id"])
        merged.count("attempt")


def _apply_change(
    store: Store, event: dict[str, Any], cards: dict[tuple[str, str], int], merged: Merged
) -> None:
    """Keep the change, and apply it if it is later than the one that holds here (a forget
    always applies: the card's replay makes it new at its moment)."""
    kind, deck, target, value = event["kind"], event["deck"], event["target"], event["value"]
    stamp = ChangeStamp(event["at"], event["device"])
    current = latest_change(store, kind, deck, target)
    insert_change(store, event["id"], kind, deck, target, json.dumps(value), stamp)
    if kind == "forget":
        merged.full.add(cards[(deck, target)])
        return
    if current is not None and tuple(current) >= tuple(stamp):
        return
    if kind == "setting":
        store_setting(store, deck, target, value)
    elif kind == "suspended":
        set_suspended(store, cards[(deck, target)], value)
    else:
        bury_until(store, cards[(deck, target)], date.fromisoformat(value))


def replay_cards(
    store: Store, card_ids: Iterable[int], since: Mapping[int, str] | None = None
) -> None:
    """Rebuild these cards' memory in the order every device uses (`srs.study.history.replay`).

    Args:
        store: the collection.
        card_ids: cards replayed from their whole log.
        since: cards with answers just added, each with the time of the earliest (stored
            form). One whose stored memory's last review is earlier than that continues from
            that memory with the answers after it: the memory the whole log gives, since the
            stored memory is what the answers before gave. Any other is replayed whole.
    """
    full, since = set(card_ids), {} if since is None else since
    wanted = sorted(full | set(since))
    if not wanted:
        return
    stored = stored_memories(store, [card for card in since if card not in full])
    logs = card_logs(store, wanted)
    by_deck: dict[str, dict[int, CardHistory]] = {}
    for card_id, deck_id in card_decks(store, wanted).items():
        log = logs.get(card_id, [])
        start = stored.get(card_id)
        last = None if start is None else start.last_review
        if start is not None and last is not None and to_db(last) < since[card_id]:
            history = CardHistory([r for r in log if r.reviewed_at > last], start=start)
        else:
            history = CardHistory(log)
        by_deck.setdefault(deck_id, {})[card_id] = history
    for deck_id, cards in by_deck.items():
        replay(store, deck_id, cards)
