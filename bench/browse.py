"""The card browser on the 100,000-card / 1,000,000-review collection.

`python -m bench.browse [COLLECTION] [--runs N]` prints JSON (milliseconds, one value per run;
without COLLECTION the cached collection of `bench.collection` is built or reused, and a
private copy is measured):
- first_page_ms: `browse_page` in the deck file's order (what `b` on the dashboard reads);
- sorted_ms: the first page sorted by each column of the browser, by column;
- search_ms: the first page of a search, by search (every match sorted, one page read);
- all_rows_ms: `browse_cards`, every card built in Python (`srs cards`): the baseline the page
  is compared with, measured in the same run;
- app_ms: `b` pressed on the dashboard until the browser's table holds its first page (the real
  app through Textual's pilot, headless; the first run includes loading the screen's code);
  app_options_ms: the same for `o` (the options screen, one small table), the baseline of what
  opening any screen costs.
Each run uses a store opened beforehand (opening is not timed), as the app has one open.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from bench.collection import CollectionSpec, cached_collection, fresh_copy
from srs.collection.store import Store
from srs.study.browse import SORT_COLUMNS, Search, browse_cards, browse_page

__all__ = ["measure"]

DECK = "bench"

SEARCHES = (
    "oracle",  # a word in about a third of the cards
    "teacher oracle collapse",  # three words, all required
    "card-99999",  # one card, by its id
    'topic:"Topic 3"',  # a seventh of the deck
    "no-such-word",  # nothing: every card is read, none kept
)


def _timed(runs: int, step: Callable[[], object]) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        step()
        times.append((time.perf_counter() - started) * 1000)
    return times


async def _app_runs(path: Path, runs: int) -> dict[str, list[float]]:
    """`b` (the browser) and, as the baseline, `o` (the options screen: one small table)
    pressed on the dashboard, each until its table holds rows."""
    from textual.widgets import DataTable

    from srs.tui.app import SrsApp

    times: dict[str, list[float]] = {"b": [], "o": []}
    with Store.open(path) as store:
        app = SrsApp(store)
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.app.workers.wait_for_complete()
            dashboard = app.screen
            for _ in range(runs):
                for key, runs_of_key in times.items():
                    started = time.perf_counter()
                    await pilot.press(key)
                    while (
                        app.screen is dashboard or not app.screen.query(DataTable).first().row_count
                    ):
                        await asyncio.sleep(0.001)
                    runs_of_key.append((time.perf_counter() - started) * 1000)
                    await pilot.press("escape")
                    # The dashboard reads its counts and pass chances again: not timed.
                    await pilot.app.workers.wait_for_complete()
                    await pilot.pause()
    return times


def measure(path: Path, runs: int) -> dict[str, Any]:
    result: dict[str, Any] = {}
    with Store.open(path) as store:
        result["cards"] = browse_page(store, DECK, limit=1).total
        result["first_page_ms"] = _timed(runs, lambda: browse_page(store, DECK))
        result["sorted_ms"] = {
            column: _timed(runs, partial(browse_page, store, DECK, sort=column))
            for column in SORT_COLUMNS
        }
        result["search_ms"] = {}
        result["matches"] = {}
        for text in SEARCHES:
            search = Search.parse(text)
            result["matches"][text] = browse_page(store, DECK, search=search).total
            result["search_ms"][text] = _timed(
                runs, partial(browse_page, store, DECK, search=search)
            )
        result["all_rows_ms"] = _timed(max(1, runs // 5), lambda: browse_cards(store, DECK))
    app = asyncio.run(_app_runs(path, max(3, runs // 3)))
    result["app_ms"], result["app_options_ms"] = app["b"], app["o"]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.browse", description=__doc__)
    parser.add_argument("collection", nargs="?", type=Path)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    gc.collect()
    if args.collection is not None:
        json.dump(measure(args.collection, args.runs), sys.stdout)
        return 0
    with tempfile.TemporaryDirectory(prefix="srs-bench-") as tmp:
        copy = fresh_copy(cached_collection(CollectionSpec()), Path(tmp))
        json.dump(measure(copy, args.runs), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
