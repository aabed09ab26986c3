"""The issue's evidence: devices studying and syncing in any order, with segments delivered late,
twice, out of order or half-copied, end with the same reviews and the same memory per card,
and no answer is lost.

Each device has its own clock (set apart, so one device's answers can be earlier by the clocks
than answers it merged before) and its own copy of the shared folder; a replicator step copies
one segment from one device's copy to another's, sometimes only half of it.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from conftest import FakeClock
from devices import Device, demo_deck
from fsrs import Rating
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from srs.collection.changes import device_id
from srs.collection.store import CollectionError
from srs.study.answers import AnswerResult, record_answer, undo_answer
from srs.sync import sync

DEVICES = 3
CARDS = ["free-0", "free-1", "choice-0"]
START = datetime(2025, 1, 6, 12, 0, tzinfo=UTC)

_device = st.integers(0, DEVICES - 1)
_steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("answer"),
            _device,
            st.sampled_from(CARDS),
            st.sampled_from(list(Rating)),
            st.integers(1, 900),
        ),
        st.tuples(st.just("undo"), _device),
        st.tuples(st.just("sync"), _device),
        st.tuples(st.just("deliver"), _device, _device, st.integers(0, 5), st.booleans()),
    ),
    max_size=30,
)


class World:
    """The devices, their folder copies, and every answer that must survive."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.devices = [
            Device.make(root / f"d{n}.db", FakeClock(START + timedelta(hours=5 * n)), demo_deck())
            for n in range(DEVICES)
        ]
        self.ids = [device_id(device.store) for device in self.devices]
        self.last: list[AnswerResult | None] = [None] * DEVICES
        self.kept: dict[tuple[int, int], tuple[str, str, int, str]] = {}

    def folder(self, n: int) -> Path:
        return self.root / f"folder-{n}"

    def answer(self, n: int, key: str, rating: Rating, minutes: int) -> None:
        device = self.devices[n]
        device.clock.advance(minutes=minutes)
        result = record_answer(device.store, device.card(key), rating, duration_ms=2000)
        self.last[n] = result
        self.kept[(n, result.review_id)] = (
            key,
            result.after.last_review.isoformat(),  # never before the card's last review
            int(rating),
            "review",
        )

    def undo(self, n: int) -> None:
        result = self.last[n]
        if result is None:
            return
        try:
            undo_answer(self.devices[n].store, result)
        except CollectionError:
            return  # answered again since (here or merged): only the latest can be undone
        self.last[n] = None
        del self.kept[(n, result.review_id)]

    def sync(self, n: int) -> None:
        self.last[n] = None  # a merge may replay the card; undo stays for what was not shared
        sync(self.devices[n].store, self.folder(n))

    def deliver(self, source: int, target: int, index: int, *, half: bool) -> None:
        """Copy one of `source`'s own segments into `target`'s folder copy (maybe half)."""
        own = self.folder(source) / self.ids[source]
        names = sorted(own.glob("*.jsonl"))
        if source == target or not names:
            return
        segment = names[index % len(names)]
        data = segment.read_bytes()
        copy = self.folder(target) / self.ids[source] / segment.name
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(data[: len(data) // 2] if half else data)

    def settle(self) -> None:
        """Sync everyone, deliver everything whole, twice over: what a replicator converges to."""
        for _round in range(2):
            for n in range(DEVICES):
                self.sync(n)
            for source in range(DEVICES):
                for target in range(DEVICES):
                    for index in range(
                        len(list((self.folder(source) / self.ids[source]).glob("*.jsonl")))
                    ):
                        self.deliver(source, target, index, half=False)
        for n in range(DEVICES):
            self.sync(n)

    def close(self) -> None:
        for device in self.devices:
            device.store.close()


@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(_steps)
def test_devices_syncing_in_any_order_end_with_the_same_reviews_and_memory(
    steps: list[tuple[object, ...]],
) -> None:
    with tempfile.TemporaryDirectory() as root:
        world = World(Path(root))
        try:
            for step in steps:
                match step:
                    case ("answer", int(n), str(key), Rating() as rating, int(minutes)):
                        world.answer(n, key, rating, minutes)
                    case ("undo", int(n)):
                        world.undo(n)
                    case ("sync", int(n)):
                        world.sync(n)
                    case ("deliver", int(source), int(target), int(index), bool(half)):
                        world.deliver(source, target, index, half=half)
            world.settle()

            expected = sorted(world.kept.values())
            logs = [device.log() for device in world.devices]
            memories = [device.memories() for device in world.devices]
            assert all(log == expected for log in logs), "an answer was lost or duplicated"
            assert all(memory == memories[0] for memory in memories)
        finally:
            world.close()
