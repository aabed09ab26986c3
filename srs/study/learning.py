"""The study session's (re)learning cards, by the time each is due."""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Mapping

__all__ = ["LearningQueue"]


class LearningQueue:
    """Card ids with their due time (stored text, whose order is time order): the earliest at
    once, whatever the number of cards.

    A session asks for the earliest before every card; with thousands of cards in learning a
    scan of them all was most of that call. The heap may hold entries a later change made
    stale (the card was answered, dropped or queued again): they are skipped when they reach
    the top.

    Example: `queue.add(42, "2026-12-01T09:10:00.000+00:00"); queue.earliest()`.
    """

    def __init__(self, cards: Mapping[int, str] | None = None) -> None:
        self._due: dict[int, str] = dict(cards or {})
        self._heap = [(due, card_id) for card_id, due in self._due.items()]
        heapq.heapify(self._heap)

    def add(self, card_id: int, due: str) -> None:
        """Queue the card at `due`, replacing any time it had."""
        self._due[card_id] = due
        heapq.heappush(self._heap, (due, card_id))

    def discard(self, card_id: int) -> None:
        """Take the card out, if it is in."""
        self._due.pop(card_id, None)

    def earliest(self) -> tuple[str, int] | None:
        """(due, card id) of the earliest card, the lowest id first among equals; None: empty."""
        heap, due = self._heap, self._due
        while heap:
            top_due, card_id = heap[0]
            if due.get(card_id) == top_due:
                return top_due, card_id
            heapq.heappop(heap)
        return None

    def get(self, card_id: int) -> str | None:
        """The card's due time, or None when it is not queued."""
        return self._due.get(card_id)

    def items(self) -> Iterator[tuple[int, str]]:
        """Each queued card with its due time."""
        return iter(self._due.items())

    def __contains__(self, card_id: object) -> bool:
        return card_id in self._due

    def __len__(self) -> int:
        return len(self._due)
