"""The last pass chance kept per deck (`srs.collection.chances`)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

import pytest

from srs.collection.chances import last_pass_chance, save_pass_chance
from srs.collection.store import BUSY_TIMEOUT_MS, CollectionError, Store


def test_a_saved_chance_reads_back_after_reopening(make_store: Callable[..., Store]) -> None:
    store = make_store()
    figures = {"pass_chance": 0.62, "expected_score": 15.1, "questions": 20, "needed": 14}
    save_pass_chance(store, "aws", figures)
    save_pass_chance(store, "gcp", {**figures, "pass_chance": 0.1})
    store.close()

    with Store.open(store.path) as reopened:
        assert last_pass_chance(reopened, "aws") == figures
        assert last_pass_chance(reopened, "gcp") == {**figures, "pass_chance": 0.1}
        assert last_pass_chance(reopened, "azure") is None


def test_a_value_that_is_not_a_json_object_reads_as_never_computed(
    make_store: Callable[..., Store],
) -> None:
    store = make_store()
    store.set_meta("pass_chance:aws", "not json")
    store.set_meta("pass_chance:gcp", "[0.5]")

    assert last_pass_chance(store, "aws") is None
    assert last_pass_chance(store, "gcp") is None


def test_a_chance_is_not_kept_rather_than_waited_for_while_another_process_writes(
    make_store: Callable[..., Store],
) -> None:
    store = make_store()
    figures = {"pass_chance": 0.62, "expected_score": 15.1, "questions": 20, "needed": 14}
    save_pass_chance(store, "aws", figures)
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with pytest.raises(CollectionError, match=r"locked|busy"):
            save_pass_chance(store, "aws", {**figures, "pass_chance": 0.9})
        waited = time.monotonic() - started
    finally:
        other.execute("ROLLBACK")
        other.close()

    assert waited < BUSY_TIMEOUT_MS / 1000 / 2  # it gave up at once, not after the timeout
    assert last_pass_chance(store, "aws") == figures
    store.set_meta("other", "value")  # the app's own writes still wait as before
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS
