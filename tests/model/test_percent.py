"""One percentage, rounded down, wherever a score is shown."""

from __future__ import annotations

import pytest

from srs.model.percent import floor_percent, percent_text


@pytest.mark.parametrize(
    "right, total, shown",
    [
        (2, 3, "66%"),
        (139, 200, "69%"),
        (29, 100, "29%"),
        (7, 10, "70%"),
        (0, 5, "0%"),
        (5, 5, "100%"),
    ],
)
def test_a_share_reads_as_its_whole_percent_rounded_down(
    right: int, total: int, shown: str
) -> None:
    assert percent_text(right, total) == shown


def test_nothing_answered_is_zero_percent() -> None:
    assert floor_percent(0, 0) == 0
