"""Python's cyclic garbage collector paused while many small values are built.

Building a deck, or reading one for the exam plan, allocates hundreds of thousands of tuples,
lists and numbers and no reference cycles: each time the allocations pass the collector's
threshold it rescans them all, for nothing to free. Shared by the deck reader (srs/decks) and
the plan (srs/plan), which import nothing of each other.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector off while a deck or a plan is built or written.

    A 100,000-card deck allocates millions of small objects and no cycles: the collector would
    rescan them over and over (it doubled the parse, and added 0.3 s to the import's writes;
    it took ~80 ms of the 100,000-card exam plan).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
