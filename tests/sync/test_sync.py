"""Sync between devices through a folder: answers, undos, settings and flags reach every
device; damaged, newer or unplaceable segments and events are reported and wait."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FakeClock, deck_yaml
from devices import DECK, Device, demo_deck
from fsrs import Rating
from helpers import query_plans, use_large_collection_statistics, with_and_without_statistics

from srs.collection.settings import get_settings, set_setting
from srs.decks.importer import import_decks
from srs.decks.validate import parse_deck
from srs.model.memory import Memory
from srs.study.answers import (
    forget_card,
    record_answer,
    suspend_card,
    suspended_cards,
    undo_answer,
)
from srs.study.history import export_log
from srs.study.intervals import card_identity
from srs.study.scheduling import schedule
from srs.sync import SyncError, sync, sync_status
from srs.sync.merge import replay_cards


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "shared"


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Device, Device]]:
    laptop = Device.make(tmp_path / "laptop.db", FakeClock(), demo_deck())
    desktop = Device.make(tmp_path / "desktop.db", FakeClock(), demo_deck())
    yield laptop, desktop
    laptop.store.close()
    desktop.store.close()


def answer(device: Device, key: str, rating: Rating = Rating.Good) -> int:
    device.clock.advance(minutes=7)
    return record_answer(device.store, device.card(key), rating, duration_ms=4000).review_id


def test_answers_made_on_each_device_reach_both(pair: tuple[Device, Device], folder: Path) -> None:
    laptop, desktop = pair
    answer(laptop, "free-0")
    answer(laptop, "choice-0", Rating.Again)
    desktop.clock.advance(minutes=3)
    answer(desktop, "free-0", Rating.Easy)

    sync(laptop.store, folder)
    sync(desktop.store, folder)
    sync(laptop.store)

    assert laptop.log() == desktop.log()
    assert len(laptop.log()) == 3
    assert laptop.memories() == desktop.memories()


def test_sync_without_a_folder_says_how_to_set_one(pair: tuple[Device, Device]) -> None:
    with pytest.raises(SyncError, match="srs sync DIR"):
        sync(pair[0].store)


def test_a_segment_merged_again_adds_nothing(pair: tuple[Device, Device], folder: Path) -> None:
    laptop, desktop = pair
    answer(laptop, "free-0")
    sync(laptop.store, folder)
    sync(desktop.store, folder)
    segment = next((folder / sync_status(laptop.store).device).glob("*.jsonl"))
    copy = segment.with_name("00000002.jsonl")
    copy.write_bytes(segment.read_bytes())  # delivered twice, under another name

    report = sync(desktop.store)

    assert report.merged == {}
    assert len(desktop.log()) == 1


def test_an_undo_after_sharing_removes_the_answer_everywhere(
    pair: tuple[Device, Device], folder: Path
) -> None:
    laptop, desktop = pair
    answer(laptop, "free-0")
    laptop.clock.advance(minutes=1)
    result = record_answer(laptop.store, laptop.card("free-1"), Rating.Good, duration_ms=1000)
    sync(laptop.store, folder)
    sync(desktop.store, folder)

    undo_answer(laptop.store, result)
    sync(laptop.store)
    sync(desktop.store)

    assert [key for key, *_ in desktop.log()] == ["free-0"]
    assert desktop.memories() == laptop.memories()


def test_the_later_setting_wins_on_both_devices(pair: tuple[Device, Device], folder: Path) -> None:
    laptop, desktop = pair
    set_setting(laptop.store, DECK, "new_per_day", "5")
    desktop.clock.advance(minutes=1)
    set_setting(desktop.store, DECK, "new_per_day", "7")

    sync(desktop.store, folder)
    sync(laptop.store, folder)
    sync(desktop.store)

    assert get_settings(laptop.store, DECK).new_per_day == 7
    assert get_settings(desktop.store, DECK).new_per_day == 7


def test_a_suspension_reaches_the_other_device(pair: tuple[Device, Device], folder: Path) -> None:
    laptop, desktop = pair
    suspend_card(laptop.store, laptop.card("choice-1"))

    sync(laptop.store, folder)
    sync(desktop.store, folder)

    assert suspended_cards(desktop.store, DECK) == ["choice-1"]


def test_a_half_copied_segment_waits_until_it_is_whole(
    pair: tuple[Device, Device], folder: Path
) -> None:
    laptop, desktop = pair
    answer(laptop, "free-0")
    sync(laptop.store, folder)
    segment = next((folder / sync_status(laptop.store).device).glob("*.jsonl"))
    whole = segment.read_bytes()
    segment.write_bytes(whole[: len(whole) // 2])

    partial = sync(desktop.store, folder)
    segment.write_bytes(whole)
    complete = sync(desktop.store)

    assert len(partial.problems) == 1 and str(segment) in partial.problems[0]
    assert "skipped until it is whole" in partial.problems[0]
    assert complete.merged == {"review": 1} and complete.problems == []
    assert desktop.log() == laptop.log()


def test_a_segment_from_a_newer_srs_is_held(pair: tuple[Device, Device], folder: Path) -> None:
    laptop, desktop = pair
    answer(laptop, "free-0")
    sync(laptop.store, folder)
    segment = next((folder / sync_status(laptop.store).device).glob("*.jsonl"))
    header, _, body = segment.read_bytes().partition(b"\n")
    newer = {**json.loads(header), "version": 99}
    segment.write_bytes(json.dumps(newer).encode() + b"\n" + body)

    report = sync(desktop.store, folder)

    assert len(report.problems) == 1 and "newer srs" in report.problems[0]
    assert desktop.log() == []
    assert sync_status(desktop.store).devices[0].waiting == 1


def test_answers_to_a_deck_not_here_are_held_until_it_is_imported(
    tmp_path: Path, folder: Path
) -> None:
    other = deck_yaml("other", free=2)
    laptop = Device.make(tmp_path / "laptop.db", FakeClock(), demo_deck(), other)
    desktop = Device.make(tmp_path / "desktop.db", FakeClock(), demo_deck())
    laptop.clock.advance(minutes=5)
    record_answer(laptop.store, laptop.card("free-1", "other"), Rating.Good, duration_ms=1)
    sync(laptop.store, folder)

    held = sync(desktop.store, folder)
    import_decks(desktop.store, [parse_deck(other)])
    released = sync(desktop.store)

    assert held.held == 1 and sync_status(desktop.store).pending["held"] == 0
    assert released.merged == {"review": 1}
    assert desktop.log("other") == laptop.log("other")


def test_an_invalid_setting_from_another_device_is_skipped_with_its_file(
    pair: tuple[Device, Device], folder: Path
) -> None:
    laptop, desktop = pair
    set_setting(laptop.store, DECK, "new_per_day", "5")
    sync(laptop.store, folder)
    segment = next((folder / sync_status(laptop.store).device).glob("*.jsonl"))
    _rewrite_events(segment, lambda event: {**event, "value": "-3"})

    report = sync(desktop.store, folder)

    assert len(report.problems) == 1
    assert str(segment) in report.problems[0] and "new_per_day" in report.problems[0]
    assert get_settings(desktop.store, DECK).new_per_day == 20


def test_status_counts_what_waits_to_be_shared(pair: tuple[Device, Device], folder: Path) -> None:
    laptop, _desktop = pair
    answer(laptop, "free-0")
    answer(laptop, "free-1")

    before = sync_status(laptop.store)
    sync(laptop.store, folder)
    after = sync_status(laptop.store)

    assert before.pending["reviews"] == 2 and before.last_sync is None
    assert after.to_share == 0 and after.last_sync == laptop.clock.current
    assert after.folder == folder.resolve()


@with_and_without_statistics
def test_status_counts_the_answers_to_share_in_their_own_index(
    pair: tuple[Device, Device], folder: Path, statistics: bool
) -> None:
    # With the statistics of a million answers none of them shared, SQLite read the whole log
    # instead: 240 ms against 50.
    laptop, _desktop = pair
    answer(laptop, "free-0")
    sync(laptop.store, folder)
    answer(laptop, "free-1")
    if statistics:
        use_large_collection_statistics(laptop.store.conn)

    plans = query_plans(
        laptop.store.conn, lambda: sync_status(laptop.store), "count(*) FROM reviews"
    )

    assert sync_status(laptop.store).pending["reviews"] == 1
    [plan] = plans
    assert "SCAN reviews USING INDEX reviews_unshared" in plan


def test_answers_given_in_either_order_by_the_clocks_give_the_same_memory(
    pair: tuple[Device, Device], folder: Path
) -> None:
    laptop, desktop = pair
    keys = ["free-0", "free-1", "choice-0", "choice-1"]
    desktop.clock.advance(hours=2)
    for key in keys:
        answer(desktop, key, Rating.Again)
    sync(desktop.store, folder)
    sync(laptop.store, folder)
    for key in keys:  # earlier by the laptop's clock than the desktop's answers
        answer(laptop, key, Rating.Easy)

    sync(laptop.store)
    sync(desktop.store)

    assert laptop.clock.current < desktop.clock.current - timedelta(hours=1)
    assert len(desktop.log()) == 8
    assert laptop.memories() == desktop.memories()


def _rewrite_events(segment: Path, change: object) -> None:
    """Rewrite a segment's events with `change` and a matching checksum (a hostile writer)."""
    import hashlib

    assert callable(change)
    header, _, body = segment.read_bytes().partition(b"\n")
    events = [change(json.loads(line)) for line in body.decode().splitlines()]
    new_body = "".join(json.dumps(event) + "\n" for event in events).encode()
    meta = {
        **json.loads(header),
        "bytes": len(new_body),
        "sha256": hashlib.sha256(new_body).hexdigest(),
    }
    segment.write_bytes(json.dumps(meta).encode() + b"\n" + new_body)


def test_a_forget_reaches_the_other_device_and_both_hold_the_same_memory(
    pair: tuple[Device, Device], folder: Path
) -> None:
    laptop, desktop = pair
    answer(laptop, "free-0", Rating.Easy)
    sync(laptop.store, folder)
    sync(desktop.store, folder)
    laptop.clock.advance(minutes=5)
    forget_card(laptop.store, laptop.card("free-0"))
    answer(laptop, "free-1")
    desktop.clock.advance(hours=1)
    answer(desktop, "free-0", Rating.Hard)  # after the forget, by the clocks

    sync(laptop.store)
    sync(desktop.store)
    sync(laptop.store)

    memories = desktop.memories()
    assert memories == laptop.memories()
    forgotten = memories["free-0"]
    assert forgotten is not None and forgotten.reps == 2
    assert forgotten.last_review == desktop.clock.current
    new_card_answered_hard = schedule(
        Memory(),
        Rating.Hard,
        card=card_identity(DECK, "free-0"),
        now=desktop.clock.current,
        settings=get_settings(desktop.store, DECK),
        clock=desktop.clock,
    )
    assert (forgotten.state, forgotten.stability, forgotten.difficulty) == (
        new_card_answered_hard.state,
        new_card_answered_hard.stability,
        new_card_answered_hard.difficulty,
    )


def test_a_merge_that_continues_from_stored_memory_equals_a_replay_of_the_whole_log(
    pair: tuple[Device, Device], folder: Path
) -> None:
    laptop, desktop = pair
    keys = ["free-0", "free-1", "choice-0", "choice-1"]
    for rating in (Rating.Good, Rating.Again, Rating.Good):
        for key in keys:
            answer(desktop, key, rating)
        desktop.clock.advance(days=2)
    sync(desktop.store, folder)
    sync(laptop.store, folder)
    laptop.clock.set(desktop.clock.current)
    for rating in (Rating.Hard, Rating.Easy):  # all later than the desktop's answers
        for key in keys:
            answer(laptop, key, rating)
        laptop.clock.advance(days=3)
    sync(laptop.store)

    sync(desktop.store)  # each card continues from its stored memory
    continued = desktop.memories()
    with desktop.store.write():
        replay_cards(desktop.store, [desktop.card(key) for key in keys])

    assert desktop.memories() == continued == laptop.memories()
    assert desktop.log() == laptop.log()


def test_export_log_lists_answers_given_at_the_same_time_alike_on_every_device(
    pair: tuple[Device, Device], folder: Path
) -> None:
    laptop, desktop = pair
    for key in ("free-0", "free-1", "choice-0"):
        record_answer(laptop.store, laptop.card(key), Rating.Good, duration_ms=4000)
    for key in ("choice-1", "free-1"):
        record_answer(desktop.store, desktop.card(key), Rating.Again, duration_ms=4000)
    assert laptop.clock.current == desktop.clock.current

    sync(laptop.store, folder)
    sync(desktop.store, folder)
    sync(laptop.store)

    exported = export_log(laptop.store, DECK)
    assert exported == export_log(desktop.store, DECK)
    assert len(exported.splitlines()) == 6


def test_a_sync_folder_replaced_by_a_file_is_refused_and_status_still_reads(
    pair: tuple[Device, Device], folder: Path
) -> None:
    laptop, _desktop = pair
    sync(laptop.store, folder)
    for entry in folder.iterdir():
        for segment in entry.iterdir():
            segment.unlink()
        entry.rmdir()
    folder.rmdir()
    folder.write_text("not a folder")

    status = sync_status(laptop.store)

    assert status.devices == []
    with pytest.raises(SyncError, match="is not a folder any more"):
        sync(laptop.store)


def test_a_merge_of_hundreds_of_answers_keeps_the_per_day_sums_of_the_log(
    pair: tuple[Device, Device], folder: Path
) -> None:
    # Over 500 answers are merged as a batch (their per-day sums added once, not row by row);
    # the desktop's own answers, earlier by the clocks, are replayed with them, so their logged
    # memory moves between the sums' kinds too.
    laptop, desktop = pair
    keys = ["free-0", "free-1", "choice-0", "choice-1"]
    ratings = [Rating.Good, Rating.Good, Rating.Again, Rating.Easy, Rating.Hard]
    for key in keys:
        answer(desktop, key, Rating.Again)
    for n in range(160):
        laptop.clock.advance(days=1, hours=n % 5)
        for key in keys:
            answer(laptop, key, ratings[(n + len(key)) % len(ratings)])
    sync(laptop.store, folder)

    sync(desktop.store, folder)
    sync(laptop.store, folder)

    assert len(desktop.log()) == 4 + 640
    assert laptop.memories() == desktop.memories()
    assert desktop.day_sums() == desktop.recounted() == laptop.day_sums() == laptop.recounted()
    assert any(row[8] for row in desktop.day_sums())  # mature answers among them
