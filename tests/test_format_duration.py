"""Durations as srs shows them: time spent, a running clock, a time limit (`format_duration`)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from srs.clock import format_duration


@pytest.mark.parametrize(
    ("seconds", "units", "clock"),
    [
        (0, "0m 00s", "0:00"),
        (5, "0m 05s", "0:05"),
        (125, "2m 05s", "2:05"),
        (3599, "59m 59s", "59:59"),
        (3600, "1h 00m 00s", "1:00:00"),
        (3725, "1h 02m 05s", "1:02:05"),
    ],
)
def test_time_spent_and_running_clocks(seconds: int, units: str, clock: str) -> None:
    assert format_duration(seconds) == units
    assert format_duration(timedelta(seconds=seconds)) == units
    assert format_duration(seconds, "clock") == clock


def test_part_seconds_are_cut_as_a_clock_shows_them_and_never_go_below_zero() -> None:
    assert format_duration(timedelta(seconds=59.9), "clock") == "0:59"
    assert format_duration(timedelta(seconds=-3)) == "0m 00s"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (1, "1 second"),
        (90, "90 seconds"),
        (60, "1 minute"),
        (1800, "30 minutes"),
        (5400, "1h 30m"),
        (7200, "2h 00m"),
    ],
)
def test_a_time_limit_reads_as_the_deck_set_it(seconds: int, text: str) -> None:
    assert format_duration(seconds, "words") == text
