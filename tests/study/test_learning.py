"""The session's learning queue gives the card a scan of every learning card would give."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from srs.study.learning import LearningQueue

_DUES = st.sampled_from([f"2026-12-01T09:{minute:02d}:00.000+00:00" for minute in range(6)])
_OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(1, 8), _DUES),
        st.tuples(st.just("discard"), st.integers(1, 8), st.none()),
    ),
    max_size=60,
)


@given(st.dictionaries(st.integers(1, 8), _DUES), _OPERATIONS)
def test_the_earliest_card_is_the_one_a_scan_finds(start: dict[int, str], operations: list) -> None:
    queue = LearningQueue(start)
    truth = dict(start)
    for name, card_id, due in operations:
        if name == "add":
            queue.add(card_id, due)
            truth[card_id] = due
        else:
            queue.discard(card_id)
            truth.pop(card_id, None)
        expected = min(((d, c) for c, d in truth.items()), default=None)
        assert queue.earliest() == expected
        assert len(queue) == len(truth)
        assert dict(queue.items()) == truth
        assert all(queue.get(c) == d and c in queue for c, d in truth.items())


def test_a_card_queued_again_moves_to_its_new_time() -> None:
    queue = LearningQueue({1: "2026-12-01T09:00:00.000+00:00", 2: "2026-12-01T09:05:00.000+00:00"})
    queue.add(1, "2026-12-01T09:10:00.000+00:00")
    assert queue.earliest() == ("2026-12-01T09:05:00.000+00:00", 2)
    queue.discard(2)
    assert queue.earliest() == ("2026-12-01T09:10:00.000+00:00", 1)
    queue.discard(1)
    assert queue.earliest() is None
    assert not queue
