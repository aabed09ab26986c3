"""`srs sync` between two collections on this machine, and a v1 collection joining in."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import FakeClock
from devices import Device
from fsrs import Rating
from helpers import REPO, SMALL_DECK, invoke, write_deck

from srs.study.answers import record_answer

V1_FIXTURE = REPO / "tests" / "fixtures" / "collection-v1.db"


def _answer(db: Path, key: str, rating: Rating, clock: FakeClock) -> None:
    device = Device.make(db, clock)
    try:
        record_answer(device.store, device.card(key, "capitals"), rating, duration_ms=3000)
    finally:
        device.store.close()


def test_answers_on_two_collections_appear_on_both_after_srs_sync(tmp_path: Path) -> None:
    deck = write_deck(tmp_path, SMALL_DECK)
    laptop, desktop, folder = tmp_path / "laptop.db", tmp_path / "desktop.db", tmp_path / "sync"
    for db in (laptop, desktop):
        assert invoke(db, "import", str(deck)).exit_code == 0
    clock = FakeClock()
    _answer(laptop, "france", Rating.Good, clock)
    clock.advance(minutes=5)
    _answer(desktop, "italy", Rating.Again, clock)
    clock.advance(hours=3)
    _answer(desktop, "france", Rating.Hard, clock)

    first = [invoke(laptop, "sync", str(folder)), invoke(desktop, "sync", str(folder))]
    again = invoke(laptop, "sync", "--json")
    status = invoke(desktop, "sync", "--status", "--json")

    assert [r.exit_code for r in first] == [0, 0], [r.output for r in first]
    assert "1 events shared" in first[0].stdout and "1 merged" in first[1].stdout
    assert json.loads(again.stdout)["merged"] == {"review": 2}
    logs = [invoke(db, "export-log", "capitals").stdout for db in (laptop, desktop)]
    cards = [
        json.loads(invoke(db, "cards", "capitals", "--json").stdout) for db in (laptop, desktop)
    ]
    assert logs[0] == logs[1] and len(logs[0].splitlines()) == 4
    for listing in cards:  # the recall chance is of this moment, which moves between runs
        for card in listing:
            card.pop("retrievability")
    assert cards[0] == cards[1]
    assert json.loads(status.stdout)["devices"] == [
        {"device": json.loads(again.stdout)["device"], "merged": 1, "waiting": 0}
    ]


def test_sync_before_a_folder_is_set_fails_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    invoke(db, "import", str(write_deck(tmp_path, SMALL_DECK)))

    result = invoke(db, "sync")

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "srs: error: no sync folder yet: run `srs sync DIR` once with the shared folder"
    ]


def test_a_v1_collection_migrates_and_shares_its_whole_history(tmp_path: Path) -> None:
    old, fresh, folder = tmp_path / "old.db", tmp_path / "fresh.db", tmp_path / "sync"
    shutil.copyfile(V1_FIXTURE, old)
    decks = ["fixture-basics", "synthetic-data"]
    for deck in decks:  # the other device has the same deck files
        assert invoke(old, "export", deck, "-o", str(tmp_path / f"{deck}.yaml")).exit_code == 0
        assert invoke(fresh, "import", str(tmp_path / f"{deck}.yaml")).exit_code == 0

    shared = invoke(old, "sync", str(folder), "--json")
    merged = invoke(fresh, "sync", str(folder), "--json")

    assert json.loads(shared.stdout)["exported"] > 67
    assert json.loads(merged.stdout)["merged"]["review"] == 67
    # Of its three attempts, the two submitted are shared; the one in progress stays there.
    assert json.loads(merged.stdout)["merged"]["attempt"] == 2
    for deck in decks:
        logs = [invoke(db, "export-log", deck).stdout for db in (old, fresh)]
        assert logs[0] == logs[1]
    assert (
        invoke(fresh, "suspend", "synthetic-data", "--list").stdout
        == invoke(old, "suspend", "synthetic-data", "--list").stdout
    )


def test_status_lists_a_device_that_only_receives_on_every_device(tmp_path: Path) -> None:
    deck = write_deck(tmp_path, SMALL_DECK)
    laptop, desktop, folder = tmp_path / "laptop.db", tmp_path / "desktop.db", tmp_path / "sync"
    for db in (laptop, desktop):
        assert invoke(db, "import", str(deck)).exit_code == 0
    _answer(laptop, "france", Rating.Good, FakeClock())
    ids = {
        db: json.loads(invoke(db, "sync", "--status", "--json").stdout)["device"]
        for db in (laptop, desktop)
    }

    for db in (laptop, desktop, laptop):  # the desktop has nothing of its own to send
        assert invoke(db, "sync", str(folder)).exit_code == 0
    sender = invoke(laptop, "sync", "--status")
    receiver = invoke(desktop, "sync", "--status")
    receiver_json = json.loads(invoke(desktop, "sync", "--status", "--json").stdout)

    assert sender.stdout.splitlines()[3:] == [
        f"  this device ({ids[laptop]}): 1 segment sent",
        f"  device {ids[desktop]}: nothing sent yet",
    ]
    assert receiver.stdout.splitlines()[3:] == [
        f"  this device ({ids[desktop]}): nothing sent yet",
        f"  device {ids[laptop]}: 1 segment merged, 0 not merged yet",
    ]
    assert receiver_json["sent"] == 0
    assert receiver_json["devices"] == [{"device": ids[laptop], "merged": 1, "waiting": 0}]


def test_status_keeps_a_device_known_only_from_what_was_merged(tmp_path: Path) -> None:
    deck = write_deck(tmp_path, SMALL_DECK)
    laptop, desktop = tmp_path / "laptop.db", tmp_path / "desktop.db"
    for db in (laptop, desktop):
        assert invoke(db, "import", str(deck)).exit_code == 0
    _answer(laptop, "france", Rating.Good, FakeClock())
    for db in (laptop, desktop):
        assert invoke(db, "sync", str(tmp_path / "old-sync")).exit_code == 0
    laptop_id = json.loads(invoke(laptop, "sync", "--status", "--json").stdout)["device"]

    assert invoke(desktop, "sync", str(tmp_path / "new-sync")).exit_code == 0
    status = invoke(desktop, "sync", "--status")

    assert f"  device {laptop_id}: 1 segment merged, 0 not merged yet" in status.stdout.splitlines()
