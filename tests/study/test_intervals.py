"""Anki's fuzz bounds (`srs.study.intervals.fuzz_bounds`), held to rslib's fuzz.rs as written."""

from __future__ import annotations

import math

from fsrs.scheduler import FUZZ_RANGES
from hypothesis import example, given, settings
from hypothesis import strategies as st

from srs.study.intervals import fuzz_bounds


def ankis_constrained_fuzz_bounds(interval: float, minimum: int, maximum: int) -> tuple[int, int]:
    """rslib/src/scheduler/states/fuzz.rs `constrained_fuzz_bounds`, step by step: a day plus
    every range's share (summed over all ranges, in srs's f64), rounded half up, clamped."""
    minimum = min(minimum, maximum)
    interval = min(max(interval, minimum), maximum)
    delta = 0.0
    if interval >= 2.5:
        delta = 1.0 + sum(
            fuzz["factor"] * max(min(interval, fuzz["end"]) - fuzz["start"], 0.0)
            for fuzz in FUZZ_RANGES
        )
    lower = min(max(math.floor(interval - delta + 0.5), minimum), maximum)
    upper = min(max(math.floor(interval + delta + 0.5), minimum), maximum)
    if upper == lower and 2 < upper < maximum:
        upper = lower + 1
    return lower, upper


_EDGES = [2.5, 7.0, 20.0]
"""Where FUZZ_RANGES meet: an interval on an edge, or a hair either side, takes one range's
share in full and none of the next."""


@settings(max_examples=2000, deadline=None, derandomize=True)
@given(
    interval=st.one_of(
        st.floats(0.0, 40_000.0),
        st.sampled_from(_EDGES).flatmap(
            lambda edge: st.sampled_from([edge, math.nextafter(edge, 0), math.nextafter(edge, 99)])
        ),
        st.integers(0, 400).map(lambda n: n / 2),  # halves: where rounding goes up
    ),
    minimum=st.integers(0, 400),
    maximum=st.sampled_from([1, 2, 3, 180, 36_500]),
)
@example(interval=6.9, minimum=1, maximum=36_500)
@example(interval=1.6, minimum=2, maximum=36_500)
def test_fuzz_bounds_are_ankis_to_the_day(interval: float, minimum: int, maximum: int) -> None:
    assert fuzz_bounds(interval, minimum, maximum) == ankis_constrained_fuzz_bounds(
        interval, minimum, maximum
    )


def test_fuzz_spreads_a_long_interval_by_its_share_of_each_range() -> None:
    # 100 days: a day, plus 15% of 2.5-7, 10% of 7-20 and 5% of 20-100 = 6.975 days either way.
    assert fuzz_bounds(100.0, 1, 36_500) == (93, 107)


def test_an_interval_under_two_and_a_half_days_is_not_fuzzed() -> None:
    assert fuzz_bounds(2.4, 1, 36_500) == (2, 2)
