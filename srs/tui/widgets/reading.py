"""The pattern every background figure follows (pass chances, plans, statistics): read in a
worker thread, on a read-only connection of its own (WAL lets it read while the app writes),
one item at a time, each result posted as soon as it is ready."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from typing import TypeVar

from textual.message import Message
from textual.worker import get_current_worker

from srs.collection.store import CollectionError, Store

__all__ = ["post_each"]

Item = TypeVar("Item")


def post_each(
    store: Store,
    items: Iterable[Item],
    compute: Callable[[Store, Item], Message],
    failed: Callable[[Item, str], Message],
    post: Callable[[Message], object],
) -> None:
    """Run in a thread worker: `compute` each item on a reader of `store` and `post` its
    message, or `failed`'s with the reason when it cannot be read (shown on the screen, never
    left as "computing…"). A cancelled worker (a newer request, the screen left) posts nothing
    more: an older result must not overwrite a newer one.
    """
    items = list(items)
    try:
        reader = store.reader()
    except CollectionError as exc:
        for item in items:
            post(failed(item, str(exc)))
        return
    with reader:
        for item in items:
            try:
                message = compute(reader, item)
            except (CollectionError, sqlite3.Error) as exc:
                message = failed(item, str(exc))
            if get_current_worker().is_cancelled:
                return
            post(message)
