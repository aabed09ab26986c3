"""The dashboard's sync line and its key: two real collections sharing a folder, as two
devices would; an answer made on one arrives on the other when the key is pressed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import FakeClock, deck_yaml
from fsrs import Rating
from textual.pilot import Pilot

from srs.collection.store import Store
from srs.study.answers import record_answer
from srs.sync import sync, sync_status
from srs.tui.app import SrsApp
from srs.tui.widgets.sync_indicator import NOT_SET_UP, SyncIndicator

from .conftest import SIZE, MakeStore, card_id, notifications, press, settle, shown, table_rows

DECK = deck_yaml("demo", free=3, title="Demo deck")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "shared"


@pytest.fixture
def laptop(make_store: MakeStore, folder: Path) -> Store:
    """The device the answers are made on, sharing the folder."""
    store = make_store(DECK, clock=FakeClock())
    sync(store, folder)
    return store


@pytest.fixture
def desktop(make_store: MakeStore, folder: Path) -> Store:
    """The device whose app is open, sharing the folder."""
    store = make_store(DECK, clock=FakeClock())
    sync(store, folder)
    return store


def answer(store: Store, key: str) -> None:
    record_answer(store, card_id(store, key), Rating.Good, duration_ms=4000)


async def sync_by_key(pilot: Pilot[Any]) -> None:
    """Press the key and let the sync, then the status read it starts, finish."""
    await press(pilot, "y")
    await settle(pilot)
    await settle(pilot)


def indicator(app: SrsApp) -> str:
    return shown(app, "SyncIndicator")


async def test_the_key_brings_in_an_answer_made_on_another_device(
    laptop: Store, desktop: Store
) -> None:
    answer(laptop, "free-0")
    sync(laptop)
    app = SrsApp(desktop)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert table_rows(app) == [("Demo deck", "3", "0", "0", "0")]
        assert indicator(app) == "Synced just now · 2 devices · 1 segment to merge"

        await sync_by_key(pilot)

        assert table_rows(app) == [("Demo deck", "2", "1", "1", "1")]
        assert indicator(app) == "Synced just now · 2 devices"
        assert notifications(app)[-1] == (
            f"Synced with {sync_status(desktop).folder}.\nIn: 1 answer."
        )


async def test_answers_made_here_are_counted_until_shared(
    laptop: Store, desktop: Store, folder: Path
) -> None:
    answer(desktop, "free-0")
    answer(desktop, "free-1")
    app = SrsApp(desktop)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # The laptop has sent nothing, but has synced: its empty folder counts it.
        assert indicator(app) == "Synced just now · 2 devices · 2 answers to share"

        await sync_by_key(pilot)

        assert indicator(app) == "Synced just now · 2 devices"
        assert notifications(app)[-1].endswith("Nothing new from other devices.\nOut: 2 events.")
    assert sync(laptop).merged == {"review": 2}


async def test_the_line_is_read_again_each_minute(
    laptop: Store, desktop: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(SyncIndicator, "REFRESH_SECONDS", 0.05)
    app = SrsApp(desktop)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert indicator(app) == "Synced just now · 2 devices"
        assert isinstance(desktop.clock, FakeClock)
        desktop.clock.advance(minutes=3)
        answer(laptop, "free-0")
        sync(laptop)

        await pilot.pause(0.3)

        assert indicator(app) == "Synced 3m ago · 2 devices · 1 segment to merge"


async def test_without_a_folder_the_key_says_how_to_set_one(
    make_store: MakeStore,
) -> None:
    app = SrsApp(make_store(DECK, clock=FakeClock()))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert indicator(app) == "Sync not set up: srs sync DIR"

        await sync_by_key(pilot)

        assert notifications(app) == [NOT_SET_UP]
        assert "srs sync DIR" in NOT_SET_UP


async def test_a_damaged_segment_is_one_literal_line_of_the_notification(
    laptop: Store, desktop: Store, folder: Path
) -> None:
    answer(laptop, "free-0")
    sync(laptop)
    device = sync_status(laptop).device
    segment = folder / device / "00000001.jsonl"
    segment.write_bytes(segment.read_bytes()[:-10] + b"[bold]\x1b]0;x")
    app = SrsApp(desktop)
    async with app.run_test(size=SIZE) as pilot:
        await sync_by_key(pilot)

        lines = notifications(app)[-1].split("\n")
        assert lines[1] == "Nothing new from other devices."
        assert len(lines) == 3
        assert lines[2].startswith(f"{segment}: ")
        assert table_rows(app) == [("Demo deck", "3", "0", "0", "0")]


async def test_a_sync_folder_replaced_by_a_file_is_a_notification(
    desktop: Store, folder: Path
) -> None:
    answer(desktop, "free-0")
    folder.rename(folder.with_name("moved"))
    folder.write_text("a file where the folder was")
    app = SrsApp(desktop)
    async with app.run_test(size=SIZE) as pilot:
        await sync_by_key(pilot)

        assert app.is_running
        assert "is not a folder any more" in notifications(app)[-1]
        assert "1 answer to share" in indicator(app)


async def test_a_collection_file_gone_meanwhile_is_not_recreated_by_the_key(
    desktop: Store,
) -> None:
    app = SrsApp(desktop)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        desktop.path.rename(desktop.path.with_name("moved.db"))

        await sync_by_key(pilot)

        assert notifications(app)[-1] == f"{desktop.path} is gone: nothing was synced"
        assert not desktop.path.exists()


async def test_a_device_alone_in_its_folder_says_no_other_device_yet(desktop: Store) -> None:
    app = SrsApp(desktop)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert indicator(app) == "Synced just now · no other device yet"
